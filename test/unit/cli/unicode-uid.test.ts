import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliPath } from '../paths';

/** No tenant variables: a command that got as far as connecting would say so instead. */
function pinpack(...args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, LANG: 'C.UTF-8' };
  for (const name of ['LC_ALL', 'LC_MESSAGES', 'PINPACK_TENANT_URL', 'PINPACK_USER', 'PINPACK_PASSWORD']) delete env[name];
  const result = spawnSync(process.execPath, [cliPath, ...args], { encoding: 'utf8', env });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('pinpack refuses Unicode spaces and a full-width ＠ in user ids', function () {
  this.timeout(20_000);
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'pinpack-uid-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('pins generate --user with a full-width ＠: before connecting, in both languages', () => {
    const en = pinpack('pins', 'generate', '--user', 'taro＠contoso.com');
    assert.equal(en.code, 2);
    assert.equal(en.stderr, 'pinpack pins: The user "taro＠contoso.com" contains a full-width "＠": type the ASCII "@" instead.\n');
    const ja = pinpack('--lang', 'ja', 'pins', 'generate', '--user', 'a@contoso.com', '--user', 'taro＠contoso.com');
    assert.equal(ja.code, 2);
    assert.equal(ja.stderr, 'pinpack pins: ユーザー "taro＠contoso.com" に全角の "＠" が含まれています。半角の "@" で入力してください。\n');
  });

  it('new --user with an ideographic space: the whole sentence in Japanese with --lang ja', () => {
    const dir = join(root, 'ws');
    const { code, stderr } = pinpack('--lang', 'ja', 'new', dir, '--target', 'epm-case2', '--user', 'taro\u3000yamada@contoso.com');
    assert.equal(code, 2);
    assert.match(
      stderr,
      /^pinpack new: .*pinpack\.json: "enrollees\.users\[0\]" に空白 \(Unicode の空白を含む\) を含めることはできません。空白を含むユーザー名では登録に失敗します。オプションを修正してから、もう一度実行してください。\n$/,
    );
  });

  for (const [name, uid, reason] of [
    ['an ideographic space (U+3000)', 'taro\u3000yamada@contoso.com', /must not contain spaces \(Unicode spaces included\)/],
    ['a no-break space (U+00A0)', 'taro\u00a0yamada@contoso.com', /must not contain spaces \(Unicode spaces included\)/],
    ['a full-width ＠', 'taro\uff20contoso.com', /contains a full-width "＠": type the ASCII "@" instead/],
  ] as const) {
    it(`new --user with ${name}: refused with exit 2, nothing written`, () => {
      const dir = join(root, 'ws');
      const { code, stderr } = pinpack('new', dir, '--target', 'epm-case2', '--user', uid);
      assert.equal(code, 2);
      assert.match(stderr, /"enrollees\.users\[0\]"/);
      assert.match(stderr, reason);
      assert.ok(!existsSync(join(dir, 'pinpack.json')));
    });
  }
});
