import * as assert from 'node:assert/strict';
import { displayWidth, renderTable } from '../../../src/cli/table';

describe('cli/table', () => {
  it('counts full-width characters as two cells and combining marks as none', () => {
    assert.equal(displayWidth('abc'), 3);
    assert.equal(displayWidth('山田 太郎'), 9);
    assert.equal(displayWidth('ｱｲｳ'), 3, 'half-width katakana');
    assert.equal(displayWidth('ＡＢ'), 4, 'full-width Latin');
    assert.equal(displayWidth('a\u3000b'), 4, 'ideographic space');
    assert.equal(displayWidth('Chloe\u0301'), 5);
    assert.equal(displayWidth('Zoë'), 3);
  });

  it('aligns columns by display width', () => {
    const text = renderTable(['NAME', 'GROUP'], [['山田 太郎', '営業部'], ['José Núñez', 'Finance']]);
    assert.equal(text, 'NAME        GROUP\n----------  -------\n山田 太郎   営業部\nJosé Núñez  Finance\n');
  });
});
