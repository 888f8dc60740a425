import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { languageFromEnvironment, takeLanguageOption } from '../../../src/cli/language';
import { cliPath, repoRoot } from '../paths';

const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;

/** Runs dist/cli.js with a clean locale: only the variables given decide the language. */
function pinpack(locale: Record<string, string>, ...args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['LC_ALL', 'LC_MESSAGES', 'LANG', 'LANGUAGE']) delete env[name];
  const result = spawnSync(process.execPath, [cliPath, ...args], { encoding: 'utf8', env: { ...env, ...locale } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The text of a template literal with every `${...}` taken out, nested braces included. */
function withoutSubstitutions(text: string): string {
  let out = '';
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    if (depth === 0 && text.startsWith('${', i)) {
      depth = 1;
      i++;
    } else if (depth > 0) {
      if (text[i] === '{') depth++;
      else if (text[i] === '}') depth--;
    } else {
      out += text[i];
    }
  }
  return out;
}

describe('pinpack in English and Japanese', function () {
  // Each case starts dist/cli.js once or twice; the machine is shared.
  this.timeout(20_000);
  describe('choosing the language', () => {
    it('reads LC_ALL, then LC_MESSAGES, then LANG', () => {
      assert.equal(languageFromEnvironment({ LANG: 'ja_JP.UTF-8' }), 'ja');
      assert.equal(languageFromEnvironment({ LANG: 'ja_JP' }), 'ja');
      assert.equal(languageFromEnvironment({ LANG: 'ja' }), 'ja');
      assert.equal(languageFromEnvironment({ LANG: 'C.UTF-8' }), 'en');
      assert.equal(languageFromEnvironment({}), 'en');
      assert.equal(languageFromEnvironment({ LC_ALL: 'C', LANG: 'ja_JP.UTF-8' }), 'en');
      assert.equal(languageFromEnvironment({ LC_MESSAGES: 'ja_JP.eucJP', LANG: 'en_US.UTF-8' }), 'ja');
      assert.equal(languageFromEnvironment({ LC_ALL: '', LANG: 'ja_JP.UTF-8' }), 'ja');
      assert.equal(languageFromEnvironment({ LANG: 'jam_JM' }), 'en');
    });

    it('falls back to the system locale (Windows) only when no locale variable is set', () => {
      assert.equal(languageFromEnvironment({}, 'ja-JP'), 'ja');
      assert.equal(languageFromEnvironment({}, 'en-US'), 'en');
      assert.equal(languageFromEnvironment({ LANG: 'en_US.UTF-8' }, 'ja-JP'), 'en');
      assert.deepEqual(takeLanguageOption(['users'], {}, 'ja-JP'), { language: 'ja', rest: ['users'] });
    });

    it('takes --lang from anywhere before "--" and lets it win over the environment', () => {
      assert.deepEqual(takeLanguageOption(['new', 'x', '--lang', 'ja', '--target', 'sccm'], {}, ''), { language: 'ja', rest: ['new', 'x', '--target', 'sccm'] });
      assert.deepEqual(takeLanguageOption(['--lang=en', 'users'], { LANG: 'ja_JP.UTF-8' }, ''), { language: 'en', rest: ['users'] });
      assert.deepEqual(takeLanguageOption(['users'], { LANG: 'ja_JP.UTF-8' }, ''), { language: 'ja', rest: ['users'] });
      assert.deepEqual(takeLanguageOption(['x', '--', '--lang', 'ja'], {}, ''), { language: 'en', rest: ['x', '--', '--lang', 'ja'] });
    });
  });

  describe('pinpack --help', () => {
    it('is English by default and with LANG=C.UTF-8', () => {
      for (const locale of [{}, { LANG: 'C.UTF-8' }, { LANG: 'ja_JP.UTF-8', LC_ALL: 'en_US.UTF-8' }] as Record<string, string>[]) {
        const { code, stdout } = pinpack(locale, '--help');
        assert.equal(code, 0);
        assert.match(stdout, /^Usage: pinpack <command> \[options\]$/m);
        assert.match(stdout, /^  new {11}Scaffold or update a package workspace for a target$/m);
        assert.doesNotMatch(stdout, JAPANESE);
      }
    });

    for (const [how, locale, args] of [
      ['--lang ja', {}, ['--lang', 'ja', '--help']],
      ['--lang=ja after the option', { LANG: 'en_US.UTF-8' }, ['--help', '--lang=ja']],
      ['LANG=ja_JP.UTF-8', { LANG: 'ja_JP.UTF-8' }, ['--help']],
      ['LC_ALL=ja_JP.UTF-8', { LC_ALL: 'ja_JP.UTF-8', LANG: 'C' }, ['--help']],
    ] as [string, Record<string, string>, string[]][]) {
      it(`is Japanese with ${how}, placeholders filled`, () => {
        const { code, stdout, stderr } = pinpack(locale, ...args);
        assert.equal(stderr, '');
        assert.equal(code, 0);
        const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
        assert.ok(stdout.startsWith(`PinPack ${version}: Ivanti Neurons for MDM 向けの`), stdout);
        assert.match(stdout, /^使い方: pinpack <command> \[options\]$/m);
        assert.match(stdout, /^  new {11}ターゲット用のパッケージ ワークスペースを作成または更新します$/m);
        assert.match(stdout, /^終了コード: 0 成功、1 .*、2 使い方の誤り、3 テナントまたは I\/O の失敗。$/m);
        assert.doesNotMatch(stdout, /\{\d\}/);
      });
    }

    it('--lang ja --version still prints only the version', () => {
      const { code, stdout } = pinpack({}, '--lang', 'ja', '--version');
      assert.equal(code, 0);
      assert.match(stdout, /^\d+\.\d+\.\d+\n$/);
    });
  });

  describe('an unknown command or option', () => {
    it('is refused in English with exit 2', () => {
      const { code, stderr } = pinpack({ LANG: 'C.UTF-8' }, 'frobnicate');
      assert.equal(code, 2);
      assert.equal(stderr, 'pinpack: unknown command "frobnicate". Run "pinpack --help" to see the commands.\n');
    });

    it('is refused in Japanese with exit 2, through --lang and through LANG', () => {
      for (const run of [pinpack({}, '--lang', 'ja', 'frobnicate'), pinpack({ LANG: 'ja_JP.UTF-8' }, 'frobnicate')]) {
        assert.equal(run.code, 2);
        assert.equal(run.stderr, 'pinpack: 不明なコマンド "frobnicate" です。コマンドは "pinpack --help" で確認できます。\n');
      }
      const option = pinpack({ LANG: 'ja_JP.UTF-8' }, '--frobnicate');
      assert.equal(option.code, 2);
      assert.equal(option.stderr, 'pinpack: 不明なオプション --frobnicate です。オプションは "pinpack --help" で確認できます。\n');
    });

    it('refuses a --lang it does not know, in the language of the environment', () => {
      const en = pinpack({}, '--lang', 'fr', '--help');
      assert.equal(en.code, 2);
      assert.equal(en.stdout, '');
      assert.equal(en.stderr, 'pinpack: --lang must be en or ja, not "fr".\n');
      const ja = pinpack({ LANG: 'ja_JP.UTF-8' }, '--lang');
      assert.equal(ja.code, 2);
      assert.equal(ja.stderr, 'pinpack: --lang には値 (en または ja) を指定してください。\n');
    });
  });

  describe('commands', () => {
    let root: string;
    beforeEach(() => {
      root = mkdtempSync(join(tmpdir(), 'pinpack-l10n-'));
    });
    afterEach(() => rmSync(root, { recursive: true, force: true }));

    for (const command of ['demo-tenant', 'users', 'groups', 'pins', 'new', 'import', 'build', 'demo', 'inspect', 'lint']) {
      it(`shows the help of ${command} in Japanese, with the same options as in English`, () => {
        const en = pinpack({}, command, '--help');
        const ja = pinpack({}, '--lang', 'ja', command, '--help');
        assert.equal(ja.code, 0);
        assert.match(ja.stdout, JAPANESE);
        assert.doesNotMatch(en.stdout, JAPANESE);
        const options = (text: string) => [...text.matchAll(/^\s+(--[\w-]+)/gm)].map((m) => m[1]);
        assert.deepEqual(options(ja.stdout), options(en.stdout));
        assert.doesNotMatch(ja.stdout, /\{\d\}/);
      });
    }

    it('reports a usage error of a command in Japanese with its values in place', () => {
      const { code, stderr } = pinpack({ LANG: 'ja_JP.UTF-8' }, 'new', join(root, 'x'), '--target', 'intune');
      assert.equal(code, 2);
      assert.equal(stderr, 'pinpack new: 不明なターゲット "intune" です。sccm, epm-case1, epm-case2, epm-case3-twostep, epm-case3-uac のいずれかを指定してください。\n');
    });

    it('reports a core error (the tenant URL) in Japanese', () => {
      const { code, stderr } = pinpack(
        { LANG: 'ja_JP.UTF-8', PINPACK_TENANT_URL: 'http://na1.mobileiron.com', PINPACK_USER: 'api@contoso.com', PINPACK_PASSWORD: 'x' },
        'users',
      );
      assert.equal(code, 2);
      assert.equal(
        stderr,
        'pinpack users: テナントの URL http://na1.mobileiron.com は暗号化されていない http です。API のパスワードを暗号化せずにネットワークに流さないよう、https://na1.mobileiron.com を使ってください。\n',
      );
    });

    it('reports a broken pinpack.json in Japanese, naming the file', () => {
      const dir = join(root, 'ws');
      pinpack({}, 'new', dir, '--target', 'epm-case2');
      writeFileSync(join(dir, 'pinpack.json'), '{ "name": ');
      const { code, stderr } = pinpack({}, '--lang', 'ja', 'new', dir, '--target', 'epm-case2');
      assert.equal(code, 2);
      assert.match(stderr, /^pinpack new: .*pinpack\.json は有効な JSON ではありません \(.+\)。構文を修正してから、もう一度実行してください。\n$/);
    });

    it('reports file and folder problems of core in Japanese', () => {
      const file = join(root, 'a-file');
      writeFileSync(file, 'x');
      const notFolder = pinpack({}, '--lang', 'ja', 'new', file, '--target', 'sccm');
      assert.equal(notFolder.code, 2);
      assert.equal(notFolder.stderr, `pinpack new: ${file} はフォルダーではなくファイルです。ワークスペースにはフォルダーを指定してください。\n`);
      const missingZip = pinpack({}, '--lang', 'ja', 'import', join(root, 'nowhere.zip'), join(root, 'ws'));
      assert.equal(missingZip.code, 2);
      assert.match(missingZip.stderr, /nowhere\.zip が存在しません。コンソールからダウンロードした zip のパスを指定してください。\n$/);
    });

    it('reports what new wrote in Japanese, Japanese folder and package names intact', () => {
      const dir = join(root, '営業部');
      const { code, stdout } = pinpack({}, '--lang', 'ja', 'new', dir, '--target', 'epm-case1', '--group', '営業 第1課');
      assert.equal(code, 0);
      assert.match(stdout, /^ワークスペース .*営業部 \(epm-case1、パッケージ "営業部"\):\n  作成: pinpack\.json, setup\.ps1, README\.md, \.gitignore\n  注意: epm-case1 は <デバイス名>@<AD ドメイン> で登録します。/);
      const manifest = JSON.parse(readFileSync(join(dir, 'pinpack.json'), 'utf8')) as { name: string; enrollees: { groups: string[] } };
      assert.equal(manifest.name, '営業部');
      assert.deepEqual(manifest.enrollees.groups, ['営業 第1課']);
    });

    it('gives a new workspace the README language of the run; an existing one keeps its own; --language wins', () => {
      const language = (dir: string) => (JSON.parse(readFileSync(join(dir, 'pinpack.json'), 'utf8')) as { language: string }).language;
      const ja = join(root, 'ja');
      assert.equal(pinpack({ LANG: 'ja_JP.UTF-8' }, 'new', ja, '--target', 'sccm').code, 0);
      assert.equal(language(ja), 'ja');
      assert.match(readFileSync(join(ja, 'README.md'), 'utf8'), /\[ソフトウェア ライブラリ\] > \[スクリプト\]/);
      assert.equal(pinpack({ LANG: 'C.UTF-8' }, 'new', ja, '--target', 'sccm', '--user', 'a@contoso.com').code, 0);
      assert.equal(language(ja), 'ja', 'a re-run in English changed the language of an existing workspace');
      const en = join(root, 'en');
      assert.equal(pinpack({ LANG: 'ja_JP.UTF-8' }, 'new', en, '--target', 'sccm', '--language', 'en').code, 0);
      assert.equal(language(en), 'en');
      assert.equal(pinpack({}, 'new', join(root, 'default'), '--target', 'sccm').code, 0);
      assert.equal(language(join(root, 'default')), 'en');
    });

    it('carries the Japanese strings inside dist/cli.js: a copy alone in a folder still speaks Japanese', () => {
      const alone = join(root, 'cli.js');
      copyFileSync(cliPath, alone);
      const result = spawnSync(process.execPath, [alone, '--lang', 'ja', 'frobnicate'], { encoding: 'utf8' });
      assert.equal(result.status, 2);
      assert.match(result.stderr, /不明なコマンド "frobnicate"/);
    });
  });

  it('passes every user-facing message of the CLI and the localized core modules through l10n.t', () => {
    const files = [
      ...readdirSync(join(repoRoot, 'src', 'cli')).map((name) => join('src', 'cli', name)),
      'src/core/errors.ts',
      'src/core/tenant/cluster-url.ts',
      'src/core/workspace/manifest.ts',
      'src/core/workspace/scaffold.ts',
    ].filter((file) => file.endsWith('.ts') && statSync(join(repoRoot, file)).isFile());
    // A literal handed straight to the user: words outside `${...}` and not a command name.
    const start = /(?:new PinPackError\(\s*'\w+',\s*|io\.(?:out|err)\(\s*|\bprompt\(\s*|\bask(?:Hidden)?\(\s*)(['"`])/g;
    const offending: string[] = [];
    for (const file of files) {
      const text = readFileSync(join(repoRoot, file), 'utf8');
      for (const match of text.matchAll(start)) {
        const quote = match[1] ?? '';
        const from = (match.index ?? 0) + match[0].length;
        // The literal runs to the first unescaped closing quote outside any `${...}`.
        let depth = 0;
        let end = from;
        for (; end < text.length; end++) {
          const c = text[end];
          if (c === '\\') {
            end++;
          } else if (quote === '`' && depth === 0 && text.startsWith('${', end)) {
            depth = 1;
            end++;
          } else if (depth > 0 && c === '{') depth++;
          else if (depth > 0 && c === '}') depth--;
          else if (depth === 0 && c === quote) break;
        }
        const words = withoutSubstitutions(text.slice(from, end)).replace(/pinpack/g, '');
        if (/[A-Za-z]{3,}/.test(words)) offending.push(`${file}: ${text.slice(match.index ?? 0, end + 1).slice(0, 100)}`);
      }
    }
    // A command's summary is a getter, so that `pinpack --help` lists it in the run's language.
    for (const file of files) {
      for (const match of readFileSync(join(repoRoot, file), 'utf8').matchAll(/\bsummary:\s*['"`][^\n]*/g)) offending.push(`${file}: ${match[0]}`);
    }
    assert.deepEqual(offending, []);
  });
});
