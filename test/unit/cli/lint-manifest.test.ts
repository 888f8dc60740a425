import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPinpack } from './run-pinpack';

const MANIFEST = [
  '{',
  '  "schemaVersion": 1,',
  '  "name": "Sales",',
  '  "target": "epm-case1",',
  '  "enrollees": { "users": ["taro\u3000yamada@contoso.com", "hanako\uff20contoso.com"] }',
  '}',
  '',
].join('\n');

describe('pinpack lint on pinpack.json', function () {
  this.timeout(30_000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pinpack-lint-manifest-'));
    mkdirSync(join(dir, 'ws'));
    writeFileSync(join(dir, 'ws', 'pinpack.json'), MANIFEST);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reports manifest problems at their place in the file, in a workspace and named on its own', async () => {
    for (const target of ['ws', 'ws/pinpack.json']) {
      const { code, stdout } = await runPinpack(['lint', target], { cwd: dir });
      assert.equal(code, 1, target);
      assert.deepEqual(stdout.trim().split('\n').slice(0, -1), [
        'ws/pinpack.json:4:13 error PP3003 Target epm-case1 enrolls each device as <device name>@<AD domain>, but "device.adDomain" is not set: add the AD domain, such as "adDomain": "contoso.com" in "device".',
        'ws/pinpack.json:5:33 error PP3002 User id "taro\u3000yamada@contoso.com" contains an ideographic (full-width) space (U+3000): enrollment fails for user names with spaces; use the id exactly as the tenant lists it.',
        'ws/pinpack.json:5:62 error PP3002 User id "hanako\uff20contoso.com" contains a full-width "\uff20": type the ASCII "@" instead.',
      ], target);
    }
  });

  it('speaks Japanese with --lang ja', async () => {
    const { stdout } = await runPinpack(['lint', 'ws', '--lang', 'ja'], { cwd: dir });
    assert.match(stdout, /ws\/pinpack\.json:5:33 error PP3002 ユーザー ID "taro\u3000yamada@contoso\.com" に全角スペース \(U\+3000\)が含まれています。/);
    assert.match(stdout, /PP3003 ターゲット epm-case1 は各デバイスを <デバイス名>@<AD ドメイン> で登録します/);
  });

  it("applies the manifest's own lint.rules to its rules, and reports a JSON syntax error once", async () => {
    writeFileSync(join(dir, 'ws', 'pinpack.json'), MANIFEST.replace('"schemaVersion": 1,', '"schemaVersion": 1, "lint": { "rules": { "PP3002": "off", "PP3003": "warning" } },'));
    const quiet = await runPinpack(['lint', 'ws'], { cwd: dir });
    assert.equal(quiet.code, 0);
    assert.match(quiet.stdout, /^ws\/pinpack\.json:4:13 warning PP3003 /);
    assert.doesNotMatch(quiet.stdout, /PP3002/);
    writeFileSync(join(dir, 'ws', 'pinpack.json'), '{\n  "schemaVersion": 1,\n  "name": "Sales"\n  "target": "sccm",\n}\n');
    const broken = await runPinpack(['lint', 'ws'], { cwd: dir });
    assert.equal(broken.code, 1);
    assert.deepEqual(broken.stdout.trim().split('\n').slice(0, -1), ['ws/pinpack.json:4:3 error PP3000 A comma is missing here: separate the values with ",".']);
  });
});
