import * as assert from 'node:assert/strict';
import { unifiedDiff } from '../../../../src/core/workspace/diff';

describe('core/workspace/diff', () => {
  it('is empty for equal texts, whatever their line endings', () => {
    assert.equal(unifiedDiff('a\nb\n', 'a\r\nb\r\n', 'x', 'y'), '');
  });

  it('shows a change with three lines of context and 1-based hunk ranges', () => {
    const before = ['1', '2', '3', '4', '5', '6', '7', '8', '9'].join('\n');
    const after = ['1', '2', '3', '4', 'five', '6', '7', '8', '9'].join('\n');
    assert.equal(unifiedDiff(before, after, 'a', 'b'), ['--- a', '+++ b', '@@ -2,7 +2,7 @@', ' 2', ' 3', ' 4', '-5', '+five', ' 6', ' 7', ' 8', ''].join('\n'));
  });

  it('splits distant changes into separate hunks', () => {
    const lines = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`);
    const changed = [...lines];
    changed[2] = 'changed 3';
    changed[25] = 'changed 26';
    const diff = unifiedDiff(lines.join('\n'), changed.join('\n'), 'a', 'b');
    assert.equal(diff.match(/^@@ /gm)?.length, 2);
    assert.match(diff, /^-line 3\n\+changed 3$/m);
    assert.match(diff, /^-line 26\n\+changed 26$/m);
  });

  it('shows added and removed files as whole hunks', () => {
    assert.equal(unifiedDiff('', 'x\ny\n', 'a', 'b'), '--- a\n+++ b\n@@ -0,0 +1,2 @@\n+x\n+y\n');
  });
});
