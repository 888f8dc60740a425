import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type * as TS from 'typescript';
import { checkPins } from '../../../src/core/archive/pin-checks';
import { readZip } from '../../../src/core/archive/reader';
import { writeZip } from '../../../src/core/archive/writer';
import { PinPackError } from '../../../src/core/errors';
import { useLanguage } from '../../../src/core/language';
import { errorForStatus } from '../../../src/core/tenant/http-status';
import { parseProxyUrl } from '../../../src/core/tenant/proxy';
import { parsePayload, accountSchema } from '../../../src/core/tenant/schemas';
import { resolveEnrolleePins } from '../../../src/core/workspace/enrollee-pins';
import { rawZip } from '../core/archive/raw-zip';
import { demoFixture } from '../core/tenant/demo';
import { cliPath, repoRoot } from '../paths';

// The compiler is loaded from node_modules at run time rather than bundled into the test file.
const ts = createRequire(join(repoRoot, 'package.json'))('typescript') as typeof TS;

/** The argument of each error class that carries the message shown to the user. */
const MESSAGE_ARGUMENT: Record<string, number> = { PinPackError: 1, TenantError: 1 };

/** A `// l10n-exempt: <why>` comment on the line of the error or on the line just above it. */
const EXEMPT = /\/\/\s*l10n-exempt:\s*\S/;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') && !path.endsWith('.d.ts') ? [path] : [];
  });
}

/**
 * True when `node` holds English words in a literal that no l10n.t call translates. A call's own
 * arguments are data for it (a severity, a key), so the scan stops at every call, l10n.t included;
 * what the call returns is the callee's business, and this test scans the callee too when it builds
 * an error.
 */
function holdsUntranslatedText(node: TS.Node): boolean {
  if (ts.isCallExpression(node)) return false;
  const words = (text: string) => /[A-Za-z]{3,}/.test(text);
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return words(node.text);
  if (ts.isTemplateExpression(node)) {
    if (words(node.head.text) || node.templateSpans.some((span) => words(span.literal.text))) return true;
  }
  return ts.forEachChild(node, (child) => (holdsUntranslatedText(child) ? true : undefined)) ?? false;
}

/** Every `new XError(...)` in one source text whose message is English text not passed through l10n.t, as `file:line: code`. */
function untranslatedIn(file: string, text: string): string[] {
  const found: string[] = [];
  const lines = text.split('\n');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const visit = (node: TS.Node): void => {
    if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && /Error$/.test(node.expression.text)) {
      const message = node.arguments?.[MESSAGE_ARGUMENT[node.expression.text] ?? 0];
      if (message && holdsUntranslatedText(message)) {
        const line = source.getLineAndCharacterOfPosition(node.getStart()).line;
        if (!EXEMPT.test(lines[line] ?? '') && !EXEMPT.test(lines[line - 1] ?? '')) {
          found.push(`${file}:${line + 1}: ${node.getText().split('\n')[0]?.slice(0, 110)}`);
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The same over every TypeScript source of src/core, src/cli and src/server. */
function untranslatedErrors(): string[] {
  return ['core', 'cli', 'server'].flatMap((folder) =>
    sources(join(repoRoot, 'src', folder)).flatMap((file) => untranslatedIn(relative(repoRoot, file), readFileSync(file, 'utf8'))),
  );
}

describe('error messages in the language of the user', () => {
  it('tells a translated error message from an English one', () => {
    const code = [
      "throw new PinPackError('refused', `Build refused: ${name} is broken.`);",
      "throw new TenantError('timeout', 'The tenant did not answer.', { endpoint });",
      "throw new Error('the template is missing');",
      "throw new PinPackError('usage', cond ? l10n.t('Fine {0}.', a) : `Not fine ${a}.`);",
      "throw new PinPackError('refused', l10n.t('Build refused: {0} is broken.', name));",
      "throw new ProxyTunnelError(vscode.l10n.t('the proxy {0} hung up', host), 502);",
      "throw new PinPackError('io', error.message);",
      "throw new PinPackError('refused', `${label}: ${message}`);",
      '// l10n-exempt: an assertion no user sees',
      "throw new Error(`impossible state ${state}`);",
      "throw new Error(`impossible state ${state}`); // l10n-exempt: an assertion no user sees",
      '',
      "throw new Error(`impossible state ${state}`); // l10n-exempt:",
    ].join('\n');
    assert.deepEqual(
      untranslatedIn('sample.ts', code).map((f) => f.split(': ')[0]),
      ['sample.ts:1', 'sample.ts:2', 'sample.ts:3', 'sample.ts:4', 'sample.ts:13'],
    );
  });

  it('builds every error message of core, the CLI and the language server with l10n.t', () => {
    const found = untranslatedErrors();
    assert.deepEqual(
      found,
      [],
      `${found.length} error message(s) are English text the user would see untranslated. Wrap each sentence in ` +
        `l10n.t('English {0}', value) and add its Japanese to l10n/bundle.l10n.ja.json; an internal error that no user ` +
        `ever sees (a programming assertion) may stay English with a "// l10n-exempt: <why>" comment on its line or the line above.`,
    );
  });
});

const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;

/** The message of what `work` throws (sync or async), which must be a PinPackError. */
async function messageOf(work: () => unknown): Promise<string> {
  try {
    await work();
  } catch (error) {
    assert.ok(error instanceof PinPackError, String(error));
    return error.message;
  }
  assert.fail('nothing was thrown');
}

describe('core errors in Japanese', () => {
  before(() => useLanguage('ja'));
  after(() => useLanguage('en'));

  it('refuses a hostile zip entry in one Japanese sentence, the name reason included', async () => {
    const zip = rawZip([{ name: '../evil.ps1', data: Buffer.from('x') }]);
    assert.equal(
      await messageOf(() => readZip(zip)),
      'zip を拒否しました: エントリ "../evil.ps1" は使用できない名前です。名前に ".." が含まれ、フォルダーの外に出ます。',
    );
    const twice = rawZip([{ name: 'a.txt', data: Buffer.from('x') }, { name: 'A.TXT', data: Buffer.from('y') }]);
    assert.equal(await messageOf(() => readZip(twice)), 'zip を拒否しました: エントリ "A.TXT" は Windows 上では "a.txt" と同じファイルになります (名前の違いが大文字と小文字だけです)。');
  });

  it('refuses a name the writer cannot put in a zip in Japanese', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pinpack-l10n-errors-'));
    try {
      const message = await messageOf(() => writeZip(join(dir, 'out.zip'), [{ name: 'con.txt', data: Buffer.from('x') }]));
      assert.equal(message, '"con.txt" を zip に追加できません: "con.txt" は Windows が予約しているデバイス名です。ファイル名を変更してください。');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses unusable PINs in Japanese, counting the rest, without the PIN itself', async () => {
    const now = new Date('2026-11-26T12:00:00Z');
    const used = { user: 'a@contoso.example', pin: '27182818', createdAt: new Date(now.getTime() - 3_600_000), expiresAt: new Date(now.getTime() + 3_600_000 * 20), used: true };
    const expiring = { user: 'b@contoso.example', pin: '16180339', createdAt: new Date(now.getTime() - 3_600_000 * 23), expiresAt: new Date(now.getTime() + 3_600_000) };
    const message = await messageOf(() => checkPins([used, expiring, { user: 'c@contoso.example', pin: undefined }], now));
    assert.equal(
      message,
      'ビルドを拒否しました: a@contoso.example の PIN は使用済みです。新しい PIN を生成してください (ほかに使用できない PIN が 2 件あります)。そのうえで、もう一度ビルドしてください。',
    );
    assert.equal(
      await messageOf(() => checkPins([expiring], now)),
      'ビルドを拒否しました: b@contoso.example の PIN は 2026-11-26T13:00:00.000Z に期限が切れ、2 時間のマージン内です。新しい PIN を生成してください。そのうえで、もう一度ビルドしてください。',
    );
    assert.doesNotMatch(message, /27182818|16180339/);
  });

  it('explains a bad proxy setting and tenant answers in Japanese', async () => {
    assert.equal(
      await messageOf(() => parseProxyUrl('socks5://proxy.contoso.example:1080')),
      'プロキシ proxy.contoso.example:1080 は socks5 を使っていますが、PinPack はこれに対応していません。http:// または https:// のプロキシを使ってください。',
    );
    const badRequest = errorForStatus('PUT /api/v1/account', 'na1.mobileiron.com', 'api@contoso.example', 400, {}, JSON.stringify({ errors: { fieldErrors: [{ field: 'uid', message: 'invalid' }] } }), 0);
    assert.match(badRequest.message, /^テナントが PUT \/api\/v1\/account を無効として拒否しました \(400\): .*。示された値を修正してください。/);
    const shape = await messageOf(() => parsePayload(accountSchema, { id: 1 }, 'GET /api/v1/account'));
    assert.match(shape, /^GET \/api\/v1\/account に対するテナントの応答が想定した形式ではありません: \S+ (がありません|の型が正しくありません) \(想定される型: \w+\)。API が変更された可能性があります。/);
  });

  it('refuses an enrollee who cannot enroll in one Japanese sentence with the reason', async () => {
    const fixture = await demoFixture({ users: 60, seed: 'l10n-errors' });
    try {
      const locked = Array.from({ length: 60 }, (_, i) => fixture.tenant.directory.userAt(i)).find((u) => u.locked && u.enabled && u.accountType === 'USER' && !/\s/.test(u.uid));
      assert.ok(locked, 'the demo tenant holds a locked user');
      const message = await messageOf(() => resolveEnrolleePins(fixture.client, { users: [locked.uid], groups: [] }));
      assert.equal(
        message,
        `ビルドを拒否しました: ${locked.uid} (pinpack.json の enrollees.users) は登録できません: アカウントがロックされています。先に N-MDM コンソールでロックを解除してください。または、このユーザーを削除してください。`,
      );
    } finally {
      await fixture.close();
    }
  });
});

describe('pinpack errors in Japanese', function () {
  // Each case starts dist/cli.js; the machine is shared.
  this.timeout(20_000);
  const pinpack = (...args: string[]) => spawnSync(process.execPath, [cliPath, '--lang', 'ja', ...args], { encoding: 'utf8' });
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'pinpack-l10n-errors-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('refuses to build a folder that is no workspace, and an option it does not know', () => {
    const build = pinpack('build', root, '--redact');
    assert.equal(build.status, 2);
    assert.equal(build.stderr, `pinpack build: ${root} は PinPack のワークスペースではありません (pinpack.json がありません)。"pinpack new ${root} --target T" で作成してください。\n`);
    const option = pinpack('build', root, '--colour', 'red');
    assert.equal(option.status, 2);
    assert.equal(option.stderr, 'pinpack build: 不明なオプション \'--colour\' です。オプションは "pinpack build --help" で確認できます。\n');
  });

  it('refuses a hostile zip in inspect in Japanese', () => {
    const zip = join(root, 'hostile.zip');
    writeFileSync(zip, rawZip([{ name: 'setup.ps1', data: Buffer.from('x') }, { name: 'sub/../../evil.ps1', data: Buffer.from('x') }]));
    const inspect = pinpack('inspect', zip);
    assert.equal(inspect.status, 1);
    assert.match(inspect.stderr, JAPANESE);
    assert.equal(inspect.stderr, 'pinpack inspect: "hostile.zip" を拒否しました: エントリ "sub/../../evil.ps1" は使用できない名前です。名前に ".." が含まれ、フォルダーの外に出ます。\n');
  });
});
