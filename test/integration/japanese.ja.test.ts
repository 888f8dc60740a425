import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { PinPackTestApi } from '../../src/extension/extension';
import { harnessAvailable, waitFor, workbenchTexts } from './harness';
import { activatePinPack, lastShown } from './pinpack';

/** A localized manifest string: VS Code keeps the English one beside some (command titles). */
type Localized = string | { value: string; original: string };
const text = (s: Localized) => (typeof s === 'string' ? s : s.value);

interface Manifest {
  contributes: {
    commands: { command: string; title: Localized }[];
    views: Record<string, { id: string; name: Localized }[]>;
    walkthroughs: { steps: { id: string; media: { markdown: Localized } }[] }[];
  };
}

/**
 * The Japanese pass: run by test/harness/run-all.mjs in a VS Code started with --locale ja and a
 * language pack (test/harness/vscode-server.mjs), so that the display language is Japanese as on
 * an admin's Japanese Windows. Everything here must come out in Japanese.
 */
describe('PinPack in a Japanese VS Code', () => {
  let api: PinPackTestApi;
  let extension: vscode.Extension<unknown>;
  let nls: Record<string, string>;

  before(async () => {
    api = await activatePinPack();
    const found = vscode.extensions.getExtension('pinpack.pinpack');
    assert.ok(found);
    extension = found;
    nls = JSON.parse(readFileSync(join(extension.extensionPath, 'package.nls.ja.json'), 'utf8')) as Record<string, string>;
  });

  it('runs with Japanese as the display language', () => {
    assert.equal(vscode.env.language, 'ja');
  });

  it('contributes its commands, views and walkthrough pages in Japanese', () => {
    const { contributes } = extension.packageJSON as Manifest;
    const connect = contributes.commands.find((c) => c.command === 'pinpack.connect');
    assert.ok(connect);
    assert.equal(text(connect.title), nls['command.connect.title']);
    assert.deepEqual(
      (contributes.views['pinpack'] ?? []).map((v) => text(v.name)),
      [nls['view.tenants.name'], nls['view.packages.name'], nls['view.enrollment.name']],
    );
    for (const step of contributes.walkthroughs[0]?.steps ?? []) assert.equal(text(step.media.markdown), `media/walkthrough/ja/${step.id}.md`);
  });

  it('shows the Japanese view titles and welcome text in the side bar', async function () {
    if (!harnessAvailable) this.skip();
    await vscode.commands.executeCommand('workbench.view.extension.pinpack');
    const headers = await waitFor('the Japanese view titles', async () => {
      const texts = await workbenchTexts('.part.sidebar .pane-header');
      return texts.some((t) => t.includes('テナント')) && texts.some((t) => t.includes('パッケージ')) ? texts : undefined;
    });
    assert.ok(headers.length >= 2);
    const welcome = await waitFor('the Japanese welcome view', async () =>
      (await workbenchTexts('.part.sidebar .welcome-view-content')).find((t) => t.includes('デモ テナントを試す')),
    );
    assert.match(welcome, /プロビジョニング パッケージ/);
  });

  it('shows a runtime message from the Japanese bundle', async () => {
    await vscode.commands.executeCommand('pinpack.copyPin');
    assert.deepEqual(lastShown(api), {
      severity: 'error',
      message: '[テナント] ビューでユーザーを選択してから、もう一度「PinPack: PIN をコピー」を実行してください。',
    });
  });

  it('gives core (through @vscode/l10n) the Japanese bundle: a tenant error comes out in Japanese', async () => {
    await assert.rejects(api.tenants.check('http://na1.mobileiron.com', 'api@contoso.com', 'not-used'), {
      message: 'テナントの URL http://na1.mobileiron.com は暗号化されていない http です。API のパスワードを暗号化せずにネットワークに流さないよう、https://na1.mobileiron.com を使ってください。',
    });
  });

  describe('the language server', () => {
    let root: vscode.Uri;
    const write = async (path: string, text: string) => {
      const uri = vscode.Uri.joinPath(root, path);
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
      return uri;
    };

    before(async () => {
      const folder = vscode.workspace.workspaceFolders?.[0];
      assert.ok(folder);
      root = folder.uri;
      await write('ja-pkg/pinpack.json', JSON.stringify({ schemaVersion: 1, name: '営業部', target: 'sccm' }));
    });

    after(async () => {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.workspace.fs.delete(vscode.Uri.joinPath(root, 'ja-pkg'), { recursive: true });
    });

    it('reports findings in Japanese and shows the Japanese rule page on hover', async () => {
      const uri = await write('ja-pkg/setup.ps1', "$ErrorActionPreference = 'Stop'\r\ngci C:\\ | Out-Null\r\nInstall-ProvisioningPackage -PackagePath $ppkg\r\n");
      await vscode.window.showTextDocument(uri);
      const diagnostics = await waitFor('PP1001 and PP1011 findings', async () => {
        const found = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'pinpack');
        return found.length >= 2 ? found : undefined;
      });
      const byRule = (id: string) => diagnostics.find((d) => (typeof d.code === 'object' ? d.code.value : d.code) === id);
      assert.equal(byRule('PP1001')?.message, '-QuietInstall を追加してください。これがないと、プロビジョニング パッケージは誰も見ない同意の確認画面で待ち続けます。');
      assert.equal(byRule('PP1011')?.message, 'エイリアス gci ではなく Get-ChildItem と書いてください。 (PSAvoidUsingCmdletAliases)');
      const finding = byRule('PP1001');
      assert.ok(finding);
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, finding.range.start);
      const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
      assert.match(text, /^# PP1001: -QuietInstall のない Install-ProvisioningPackage$/m);
      assert.match(text, /^## 理由$/m);
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, finding.range);
      const titles = actions.map((a) => a.title);
      assert.ok(titles.includes(`修正: ${byRule('PP1001')?.message}`), titles.join(', '));
      assert.ok(titles.includes('この行の PP1001 を無効にする'), titles.join(', '));
    });
  });
});
