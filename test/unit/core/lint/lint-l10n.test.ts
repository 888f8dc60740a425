import * as assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useLanguage } from '../../../../src/core/language';
import { lintFile } from '../../../../src/core/lint/engine';
import { RULES } from '../../../../src/core/lint/rules/registry';
import { runPinpack } from '../../cli/run-pinpack';
import { repoRoot } from '../../paths';

const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;
const ja = JSON.parse(readFileSync(join(repoRoot, 'l10n', 'bundle.l10n.ja.json'), 'utf8')) as Record<string, string>;

/** Every literal handed to l10n.t under src/core/lint, unescaped; `substituted` holds the template literals with a `${}`. */
function lintLiterals(): { literals: string[]; substituted: string[] } {
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? walk(path) : path.endsWith('.ts') ? [path] : [];
    });
  const literal = /l10n\.t\(\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|`((?:[^`\\]|\\.)*)`)/g;
  const literals: string[] = [];
  const substituted: string[] = [];
  for (const file of walk(join(repoRoot, 'src', 'core', 'lint'))) {
    for (const m of readFileSync(file, 'utf8').matchAll(literal)) {
      literals.push((m[1] ?? m[2] ?? m[3] ?? '').replace(/\\(.)/g, '$1'));
      if (m[3]?.includes('${')) substituted.push(m[3]);
    }
  }
  return { literals, substituted };
}

/** The bad example of a rule's page, as the bytes that trigger it (see rule-docs.test.ts). */
function badExample(ruleId: string, docs: string): { path: string; bytes: Buffer } {
  const match = /## Bad\n```(\w+)\n([\s\S]*?)```/.exec(docs);
  assert.ok(match, `${ruleId} has a bad example`);
  const [, lang, code] = match as unknown as [string, string, string];
  if (lang === 'bat') return { path: 'example.bat', bytes: Buffer.from(ruleId === 'PP2001' ? code : code.replace(/\n/g, '\r\n'), 'utf8') };
  if (lang === 'json') return { path: 'pinpack.json', bytes: Buffer.from(code, 'utf8') };
  return { path: 'example.ps1', bytes: Buffer.from(code, 'utf8') };
}

describe('core/lint in Japanese', function () {
  this.timeout(20_000);
  afterEach(() => useLanguage('en'));

  it('has a Japanese translation of every rule message', () => {
    const missing = RULES.filter((r) => !JAPANESE.test(ja[r.message] ?? '')).map((r) => `${r.id}: ${r.message}`);
    assert.deepEqual(missing, []);
  });

  it('has a Japanese translation of every l10n.t literal under src/core/lint, with no template substitution inside', () => {
    const { literals, substituted } = lintLiterals();
    assert.ok(literals.length >= 20, `only ${literals.length} l10n.t literals found under src/core/lint`);
    assert.deepEqual(substituted, [], 'l10n.t needs a constant key: pass values as {0}, {1}');
    assert.deepEqual(literals.filter((s) => !(s in ja)), []);
  });

  it("reports every rule's bad example in Japanese, values in place, and in English again afterwards", () => {
    useLanguage('ja');
    // A rule that asks the tenant reports nothing offline: its Japanese is tested in lint/online/users.test.ts.
    for (const rule of RULES.filter((r) => r.needs !== 'tenant')) {
      const { path, bytes } = badExample(rule.id, rule.docs);
      const findings = lintFile(path, bytes)?.findings.filter((f) => f.rule === rule.id) ?? [];
      assert.ok(findings.length > 0, `${rule.id} reports its bad example`);
      for (const f of findings) {
        assert.match(f.message, JAPANESE, `${rule.id}: ${f.message}`);
        assert.doesNotMatch(f.message, /\{\d\}/, `${rule.id}: ${f.message}`);
      }
    }
    const alias = lintFile('a.ps1', Buffer.from('gci C:\\\n'))?.findings.find((f) => f.rule === 'PP1011');
    assert.equal(alias?.message, 'エイリアス gci ではなく Get-ChildItem と書いてください。');
    useLanguage('en');
    const english = lintFile('a.ps1', Buffer.from('gci C:\\\n'))?.findings.find((f) => f.rule === 'PP1011');
    assert.equal(english?.message, 'Write Get-ChildItem instead of the alias gci.');
  });

  describe('pinpack lint', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'pinpack-lint-ja-'));
      writeFileSync(join(dir, 'setup.ps1'), "$ErrorActionPreference = 'Stop'\nInstall-ProvisioningPackage -PackagePath $p\n");
      writeFileSync(join(dir, 'copy.bat'), '@echo off\r\ngoto :nowhere\r\n');
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    for (const [how, args, env] of [
      ['--lang ja', ['--lang', 'ja', 'lint', '.'], {}],
      ['LANG=ja_JP.UTF-8', ['lint', '.'], { LANG: 'ja_JP.UTF-8' }],
    ] as [string, string[], Record<string, string>][]) {
      it(`prints the findings in Japanese with ${how}`, async () => {
        const { code, stdout } = await runPinpack(args, { cwd: dir, env });
        assert.equal(code, 1);
        assert.deepEqual(stdout.trim().split('\n').slice(0, -1), [
          'copy.bat:2:6 error PP2002 goto nowhere: ラベル :nowhere はこのファイルで定義されていません。ラベルを追加するか、名前を修正してください。',
          'setup.ps1:2:1 error PP1001 -QuietInstall を追加してください。これがないと、プロビジョニング パッケージは誰も見ない同意の確認画面で待ち続けます。',
        ]);
      });
    }

    it('keeps the messages of the JSON and SARIF reports in English, for scripts, while the errors speak Japanese', async () => {
      for (const format of ['json', 'sarif']) {
        const { code, stdout } = await runPinpack(['--lang', 'ja', 'lint', '.', '--format', format], { cwd: dir });
        assert.equal(code, 1);
        assert.match(stdout, /Add -QuietInstall: without it/);
        assert.doesNotMatch(stdout, JAPANESE, format);
      }
      const missing = await runPinpack(['--lang', 'ja', 'lint', 'nowhere.ps1', '--format', 'json'], { cwd: dir });
      assert.match(missing.stderr, /nowhere\.ps1 が存在しません。/);
    });

    it('prints them in English without a Japanese locale', async () => {
      const { stdout } = await runPinpack(['lint', '.'], { cwd: dir, env: { LANG: 'C.UTF-8' } });
      assert.match(stdout, /^setup\.ps1:2:1 error PP1001 Add -QuietInstall: without it/m);
      assert.doesNotMatch(stdout, JAPANESE);
    });

    it('reports a path that does not exist in Japanese', async () => {
      const { code, stderr } = await runPinpack(['--lang', 'ja', 'lint', 'nowhere.ps1'], { cwd: dir });
      assert.equal(code, 2);
      assert.equal(stderr, 'pinpack lint: nowhere.ps1 が存在しません。スクリプト、バッチ ファイル、またはワークスペース フォルダーを指定してください。\n');
    });
  });
});
