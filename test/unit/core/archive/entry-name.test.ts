import * as assert from 'node:assert/strict';
import { unsafeEntryNameReason } from '../../../../src/core/archive/entry-name';

describe('core/archive/entry-name', () => {
  it('accepts ordinary package paths, Japanese names included', () => {
    for (const name of ['setup.ps1', 'scripts/step1.ps1', 'docs/', 'パッケージ/説明.md', 'a.b.c/d-e_f (1).txt']) {
      assert.equal(unsafeEntryNameReason(name), undefined, name);
    }
  });

  const refused: [string, RegExp][] = [
    ['../evil.ps1', /climbs out/],
    ['a/../../evil.ps1', /climbs out/],
    ['/etc/passwd', /absolute/],
    ['C:/Windows/evil.dll', /drive letter/],
    ['c:evil', /drive letter/],
    ['a\\..\\evil.ps1', /backslash/],
    ['evil\u0000.ps1', /control character/],
    ['evil\n.ps1', /control character/],
    ['CON', /reserves/],
    ['docs/nul.txt', /reserves/],
    ['COM1.log', /reserves/],
    ['lpt9', /reserves/],
    ['setup.ps1.', /ends with a dot or space/],
    ['folder /a.txt', /ends with a dot or space/],
    ['a//b', /empty or "\." path segment/],
    ['./a', /empty or "\." path segment/],
    ['a:b.txt', /drive letter|forbids/],
    ['what?.txt', /forbids/],
    ['', /empty/],
  ];
  for (const [name, reason] of refused) {
    it(`refuses ${JSON.stringify(name)}`, () => {
      assert.match(unsafeEntryNameReason(name) ?? 'accepted', reason);
    });
  }
});
