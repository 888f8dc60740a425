import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { State } from 'vscode-languageclient/node';
import type { PinPackTestApi } from '../../src/extension/extension';
import { ServerProcessInfoRequest } from '../../src/core/lint/server-protocol';
import { harnessAvailable, waitFor, workbenchTexts } from './harness';
import { activatePinPack } from './pinpack';

/** PinPack's diagnostics of a file, of one rule when given. */
function pinpackFindings(uri: vscode.Uri, rule?: string): vscode.Diagnostic[] {
  return vscode.languages
    .getDiagnostics(uri)
    .filter((d) => d.source === 'pinpack' && (rule === undefined || (typeof d.code === 'object' ? d.code.value : d.code) === rule));
}

/** Waits until a file has exactly `count` findings of `rule`, and returns them. */
function findings(uri: vscode.Uri, rule: string, count: number): Promise<vscode.Diagnostic[]> {
  return waitFor(`${count} ${rule} finding(s) in ${uri.path}`, async () => {
    const found = pinpackFindings(uri, rule);
    return found.length === count ? found : undefined;
  }, 30_000);
}

async function writeText(uri: vscode.Uri, text: string): Promise<vscode.Uri> {
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  return uri;
}

describe('PinPack language server in VS Code', () => {
  let api: PinPackTestApi;

  const runningPid = (other?: number) =>
    waitFor(`the language server to run${other ? ` in a process other than ${other}` : ''}`, async () => {
      const client = await api.languageClient;
      if (client.state !== State.Running) return undefined;
      // Right after a crash the client may still count as running; its requests then fail.
      const pid = await client.sendRequest(ServerProcessInfoRequest).then(
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
    assert.equal((await api.languageClient).initializeResult?.serverInfo?.name, 'pinpack');
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

  const write = (path: string, text: string) => writeText(vscode.Uri.joinPath(root, path), text);

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

  it('applies the safe fixes when the file is saved, through editor.codeActionsOnSave', async () => {
    const uri = await write('lint-pkg/fix-on-save.ps1', "Write-Output 'start'\r\n");
    const editorSettings = vscode.workspace.getConfiguration('editor');
    await editorSettings.update('codeActionsOnSave', { 'source.fixAll.pinpack': 'explicit' }, vscode.ConfigurationTarget.Global);
    try {
      const editor = await vscode.window.showTextDocument(uri);
      await findings(uri, 'PP1001', 0);
      // Typed and saved at once: the save asks for fix-all before the edit's own lint has run.
      assert.ok(await editor.edit((b) => b.insert(new vscode.Position(1, 0), 'Install-ProvisioningPackage -PackagePath $ppkg\r\n')));
      assert.ok(await editor.document.save());
      assert.match(editor.document.getText(), /^Install-ProvisioningPackage .*-QuietInstall/m);
      const onDisk = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
      assert.match(onDisk, /-QuietInstall/);
      await findings(uri, 'PP1001', 0);
    } finally {
      await editorSettings.update('codeActionsOnSave', undefined, vscode.ConfigurationTarget.Global);
    }
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

describe('Language server: the workspace, settings, rule pages, device logs', () => {
  let api: PinPackTestApi;
  let root: vscode.Uri;

  const write = (path: string, text: string) => writeText(vscode.Uri.joinPath(root, path), text);
  const isOpen = (uri: vscode.Uri) => vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString());

  before(async () => {
    api = await activatePinPack();
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    root = folder.uri;
    await write('ws-pkg/pinpack.json', JSON.stringify({ schemaVersion: 1, name: 'ws-demo', target: 'sccm' }));
  });

  after(async () => {
    await vscode.workspace.saveAll(false);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.fs.delete(vscode.Uri.joinPath(root, 'ws-pkg'), { recursive: true });
  });

  it('lints the files of a package on start, before any is opened', async () => {
    const client = await api.languageClient;
    await waitFor('the language server to run', async () => (client.state === State.Running ? true : undefined));
    await client.stop();
    // Written while no server runs: only the lint of the whole workspace on start can report them.
    const install = await write('ws-pkg/unopened/install.ps1', 'Install-ProvisioningPackage -PackagePath $ppkg\r\n');
    const copy = await write('ws-pkg/unopened/copy.bat', '@echo off\r\nexit 1\r\n');
    await client.start();
    await findings(install, 'PP1001', 1);
    await findings(copy, 'PP2007', 1);
    assert.equal(isOpen(install), false);
    assert.equal(isOpen(copy), false);
  });

  it('picks up a script written to disk while it runs, and drops a deleted one', async () => {
    const added = await write('ws-pkg/unopened/added.ps1', 'Add-ProvisioningPackage -PackagePath $b\r\n');
    await findings(added, 'PP1001', 1);
    await vscode.workspace.fs.delete(added);
    await findings(added, 'PP1001', 0);
  });

  it('re-lints open and unopened files when pinpack.lint.hidePssaRules changes', async () => {
    const open = await write('ws-pkg/pssa-open.ps1', "$ErrorActionPreference = 'Stop'\r\nWrite-Host 'x'\r\n");
    const closed = await write('ws-pkg/pssa-closed.ps1', "$ErrorActionPreference = 'Stop'\r\nWrite-Host 'y'\r\n");
    await vscode.window.showTextDocument(open);
    const [finding] = await findings(open, 'PP1008', 1);
    assert.match(finding?.message ?? '', /PSAvoidUsingWriteHost/);
    await findings(closed, 'PP1008', 1);
    const config = vscode.workspace.getConfiguration('pinpack.lint');
    await config.update('hidePssaRules', true, vscode.ConfigurationTarget.Global);
    try {
      await findings(open, 'PP1008', 0);
      await findings(closed, 'PP1008', 0);
    } finally {
      await config.update('hidePssaRules', undefined, vscode.ConfigurationTarget.Global);
    }
    await findings(open, 'PP1008', 1);
    await findings(closed, 'PP1008', 1);
  });

  it('"Disable in this file" inserts a pinpack-disable-file comment that removes every finding of the rule', async () => {
    const uri = await write('ws-pkg/infile.ps1', "$ErrorActionPreference = 'Stop'\r\nWrite-Host 'a'\r\nWrite-Host 'b'\r\n");
    await vscode.window.showTextDocument(uri);
    const [finding] = await findings(uri, 'PP1008', 2);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, finding!.range);
    const disable = actions.find((a) => a.title === 'Disable PP1008 in this file');
    assert.ok(disable?.edit, actions.map((a) => a.title).join(', '));
    assert.ok(await vscode.workspace.applyEdit(disable.edit));
    const document = await vscode.workspace.openTextDocument(uri);
    assert.equal(document.lineAt(0).text, '# pinpack-disable-file PP1008');
    await findings(uri, 'PP1008', 0);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(0, 25));
    assert.match(hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n'), /PP1008/);
  });

  it('highlights pinpack-disable comments in PowerShell and batch with the injection grammar', async function () {
    if (!harnessAvailable) this.skip();
    for (const [path, text, word] of [
      ['ws-pkg/grammar.ps1', '# pinpack-disable-next-line PP1008\r\n', 'PP1008'],
      ['ws-pkg/grammar.cmd', 'REM pinpack-disable-file PP2007\r\n', 'pinpack-disable-file'],
    ] as const) {
      const uri = await write(path, text);
      const editor = await vscode.window.showTextDocument(uri);
      const at = new vscode.Position(0, text.indexOf(word) + 2);
      editor.selection = new vscode.Selection(at, at);
      // The "Inspect Editor Tokens and Scopes" widget lists the TextMate scopes at the cursor.
      const scopes = await waitFor(`the scopes of ${word} in ${path}`, async () => {
        await vscode.commands.executeCommand('editor.action.inspectTMScopes');
        const shown = (await workbenchTexts('.tiw-metadata-scopes')).join(' ');
        return shown.includes('pinpack') ? shown : undefined;
      });
      assert.match(scopes, word.startsWith('PP') ? /constant\.other\.rule-id\.pinpack/ : /keyword\.control\.directive\.suppression\.pinpack/);
      assert.match(scopes, path.endsWith('.ps1') ? /comment\.line\.powershell/ : /comment\.line\.rem\.batchfile/);
      await vscode.commands.executeCommand('editor.action.inspectTMScopes');
    }
  });

  it('opens a rule page from "Show documentation"', async () => {
    await vscode.commands.executeCommand('pinpack.showRuleDocumentation', 'PP1001');
    const page = await waitFor('the PP1001 page', async () => vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'pinpack-rule' && d.uri.path === '/PP1001.md'));
    assert.match(page.getText(), /^# PP1001/m);
  });

  it('explains an MDM enrollment error code on hover in a device log', async () => {
    const uri = await write('ws-pkg/device.pinpack.log', '2026-11-26T10:00:01Z ERROR Enrollment failed: 0x8018000A\r\n');
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    assert.equal(document.languageId, 'pinpack-log');
    const position = new vscode.Position(0, document.lineAt(0).text.indexOf('0x') + 3);
    const text = await waitFor('a hover on the HRESULT', async () => {
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position);
      const value = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
      return value.includes('MENROLL') ? value : undefined;
    });
    assert.match(text, /MENROLL_E_DEVICE_ALREADY_ENROLLED/);
    assert.match(text, /already enrolled/);
  });
});
