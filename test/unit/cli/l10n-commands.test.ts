import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliPath } from '../paths';

const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;

/** Runs dist/cli.js with no locale variable, so only --lang decides the language. */
function pinpack(...args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['LC_ALL', 'LC_MESSAGES', 'LANG', 'LANGUAGE']) delete env[name];
  const result = spawnSync(process.execPath, [cliPath, ...args], { encoding: 'utf8', env });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('build, demo, inspect and lint in Japanese', function () {
  // Each case starts dist/cli.js once or twice; the machine is shared.
  this.timeout(20_000);
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'pinpack-l10n-commands-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('lists their summaries in Japanese in pinpack --help', () => {
    const { stdout } = pinpack('--lang', 'ja', '--help');
    for (const command of ['build', 'demo', 'inspect', 'lint']) assert.match(stdout, new RegExp(`^  ${command} +.*[\\u3040-\\u30ff\\u4e00-\\u9fff]`, 'm'), command);
  });

  it('reports usage errors in Japanese with their values in place', () => {
    const lint = pinpack('--lang', 'ja', 'lint', '--format', 'xml', '.');
    assert.equal(lint.code, 2);
    assert.equal(lint.stderr, 'pinpack lint: --format には text、json、sarif のいずれかを指定してください ("xml" は指定できません)。\n');
    const inspect = pinpack('--lang', 'ja', 'inspect', '--bogus');
    assert.equal(inspect.code, 2);
    assert.equal(inspect.stderr, 'pinpack inspect: 不明なオプション --bogus です。オプションは "pinpack inspect --help" で確認できます。\n');
    const build = pinpack('--lang', 'ja', 'build', root, '--pin-margin', '30');
    assert.equal(build.code, 2);
    assert.equal(build.stderr, 'pinpack build: --pin-margin には 0 から 23 までの時間数を指定してください ("30" は指定できません)。"pinpack build --help" を参照してください。\n');
    const demo = pinpack('--lang', 'ja', 'demo', '--dir', join(root, 'x'), 'extra');
    assert.equal(demo.code, 2);
    assert.equal(demo.stderr, 'pinpack demo: pinpack demo はフォルダーを引数に取りません ("extra")。--dir D で指定してください。\n');
  });

  it('counts lint findings in Japanese, and keeps --format json untranslated', () => {
    const file = join(root, 'setup.ps1');
    writeFileSync(file, "Write-Output 'hello'\r\n");
    const text = pinpack('--lang', 'ja', 'lint', file);
    assert.match(text.stdout, /^エラー \d+ 件、警告 \d+ 件、情報 \d+ 件 \(1 ファイル\)$/m);
    const json = pinpack('--lang', 'ja', 'lint', '--format', 'json', file);
    assert.doesNotMatch(json.stdout, JAPANESE);
    assert.equal((JSON.parse(json.stdout) as { summary: { files: number } }).summary.files, 1);
  });
});
