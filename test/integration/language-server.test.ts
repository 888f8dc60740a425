import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { State } from 'vscode-languageclient/node';
import type { PinPackTestApi } from '../../src/extension/extension';
import { ServerProcessInfoRequest } from '../../src/core/lint/server-protocol';
import { waitFor } from './harness';
import { activatePinPack } from './pinpack';

describe('PinPack language server in VS Code', () => {
  let api: PinPackTestApi;

  const runningPid = (other?: number) =>
    waitFor(`the language server to run${other ? ` in a process other than ${other}` : ''}`, async () => {
      if (api.languageClient.state !== State.Running) return undefined;
      // Right after a crash the client may still count as running; its requests then fail.
      const pid = await api.languageClient.sendRequest(ServerProcessInfoRequest).then(
        (info) => info.pid,
        () => undefined,
      );
      return pid !== other ? pid : undefined;
    });

  before(async () => {
    api = await activatePinPack();
  });

  it('starts the server in its own process over IPC', async () => {
    const pid = await runningPid();
    assert.notEqual(pid, process.pid);
    assert.equal(api.languageClient.initializeResult?.serverInfo?.name, 'pinpack');
  });

  it('PinPack: Restart Language Server starts a new server process', async () => {
    const before = await runningPid();
    await vscode.commands.executeCommand('pinpack.restartLanguageServer');
    const after = await runningPid(before);
    assert.notEqual(after, before);
  });

  it('brings a crashed server back by itself', async () => {
    const crashed = await runningPid();
    process.kill(crashed, 'SIGKILL');
    const revived = await runningPid(crashed);
    assert.notEqual(revived, crashed);
  });
});

describe('Linting as you type', () => {
  let root: vscode.Uri;

  const pinpackFindings = (uri: vscode.Uri, rule?: string) =>
    vscode.languages
      .getDiagnostics(uri)
      .filter((d) => d.source === 'pinpack' && (rule === undefined || (typeof d.code === 'object' ? d.code.value : d.code) === rule));
  const findings = (uri: vscode.Uri, rule: string, count: number) =>
    waitFor(`${count} ${rule} finding(s) in ${uri.path}`, async () => {
      const found = pinpackFindings(uri, rule);
      return found.length === count ? found : undefined;
    });
  const write = async (path: string, text: string) => {
    const uri = vscode.Uri.joinPath(root, path);
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    return uri;
  };

  before(async () => {
    await activatePinPack();
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    root = folder.uri;
    await write('lint-pkg/pinpack.json', JSON.stringify({ schemaVersion: 1, name: 'lint-demo', target: 'sccm' }));
  });

  after(async () => {
    // Saved first: closing an edited editor would ask, and no one answers in a test run.
    await vscode.workspace.saveAll(false);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const folder of ['lint-pkg', 'elsewhere']) await vscode.workspace.fs.delete(vscode.Uri.joinPath(root, folder), { recursive: true });
  });

  it('reports a finding in a package script as it is opened, with source pinpack and the rule id', async () => {
    const uri = await write('lint-pkg/install.ps1', 'Install-ProvisioningPackage -PackagePath $ppkg -ForceInstall\r\n');
    await vscode.window.showTextDocument(uri);
    const [finding] = await findings(uri, 'PP1001', 1);
    assert.equal(finding?.severity, vscode.DiagnosticSeverity.Error);
    assert.match(finding?.message ?? '', /-QuietInstall/);
  });

  it('applies the rule\'s quick fix and the finding goes away', async () => {
    const uri = vscode.Uri.joinPath(root, 'lint-pkg/install.ps1');
    const [finding] = await findings(uri, 'PP1001', 1);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, finding!.range);
    const fix = actions.find((a) => a.title.startsWith('Fix:'));
    assert.ok(fix?.edit, `no fix among ${actions.map((a) => a.title).join(', ')}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    const document = await vscode.workspace.openTextDocument(uri);
    assert.equal(document.getText(), 'Install-ProvisioningPackage -QuietInstall -PackagePath $ppkg -ForceInstall\r\n');
    await findings(uri, 'PP1001', 0);
  });

  it('a suppression comment inserted by "Disable for this line" removes the finding', async () => {
    const uri = await write('lint-pkg/suppress.ps1', "Write-Output 'start'\r\n    Install-ProvisioningPackage -PackagePath $ppkg\r\n");
    await vscode.window.showTextDocument(uri);
    const [finding] = await findings(uri, 'PP1001', 1);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, finding!.range);
    const disable = actions.find((a) => a.title === 'Disable PP1001 for this line');
    assert.ok(disable?.edit);
    assert.ok(await vscode.workspace.applyEdit(disable.edit));
    const document = await vscode.workspace.openTextDocument(uri);
    assert.equal(document.lineAt(1).text, '    # pinpack-disable-next-line PP1001');
    await findings(uri, 'PP1001', 0);
  });

  it('offers fix-all as source.fixAll.pinpack', async () => {
    const uri = await write('lint-pkg/fixall.ps1', 'Install-ProvisioningPackage -PackagePath $a\r\nAdd-ProvisioningPackage -PackagePath $b\r\n');
    await vscode.window.showTextDocument(uri);
    await findings(uri, 'PP1001', 2);
    const document = await vscode.workspace.openTextDocument(uri);
    const whole = new vscode.Range(0, 0, document.lineCount, 0);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, whole, 'source.fixAll.pinpack');
    const fixAll = actions.find((a) => a.kind?.value === 'source.fixAll.pinpack');
    assert.ok(fixAll?.edit);
    assert.ok(await vscode.workspace.applyEdit(fixAll.edit));
    assert.equal((document.getText().match(/-QuietInstall/g) ?? []).length, 2);
    await findings(uri, 'PP1001', 0);
  });

  it('shows the rule documentation on hover', async () => {
    const uri = await write('lint-pkg/hover.ps1', 'Install-ProvisioningPackage -PackagePath $ppkg\r\n');
    await vscode.window.showTextDocument(uri);
    const [finding] = await findings(uri, 'PP1001', 1);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, finding!.range.start);
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /PP1001/);
  });

  it('leaves scripts outside a package alone until pinpack.lint.scope is everywhere', async () => {
    const uri = await write('elsewhere/loose.ps1', 'Install-ProvisioningPackage -PackagePath $ppkg\r\n');
    await vscode.window.showTextDocument(uri);
    await new Promise((r) => setTimeout(r, 1000));
    assert.deepEqual(pinpackFindings(uri), []);
    const config = vscode.workspace.getConfiguration('pinpack.lint');
    await config.update('scope', 'everywhere', vscode.ConfigurationTarget.Global);
    try {
      await findings(uri, 'PP1001', 1);
    } finally {
      await config.update('scope', undefined, vscode.ConfigurationTarget.Global);
    }
    await findings(uri, 'PP1001', 0);
  });
});
