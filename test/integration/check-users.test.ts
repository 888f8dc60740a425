import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PinPackTestApi } from '../../src/extension/extension';
import type { PackageTreeNode } from '../../src/extension/packages/tree';
import { waitFor } from './harness';
import { activatePinPack, disconnectAll, lastShown } from './pinpack';

describe('PinPack: Check Users Against Tenant (PP3004), against the demo tenant', () => {
  let api: PinPackTestApi;
  let root: vscode.Uri;
  let uri: vscode.Uri;
  let text: string;
  let known: string;
  let unknown: string;
  let disabled: string;

  const tenantFindings = () => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'pinpack' && d.code === 'PP3004');
  const packageNode = () =>
    waitFor('the users-pkg package in the Packages view', async () => {
      const nodes = (await Promise.resolve(api.packageTree.getChildren(undefined))) ?? [];
      return nodes.find((n): n is Extract<PackageTreeNode, { kind: 'package' }> => n.kind === 'package' && n.workspace.manifest?.name === 'users-demo');
    });

  before(async () => {
    api = await activatePinPack();
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the tests need an open folder');
    root = folder.uri;
    await vscode.commands.executeCommand('pinpack.tryDemoTenant');
    const demo = api.tenants.demo;
    assert.ok(demo, 'the demo tenant runs');
    known = demo.directory.userAt(0).uid;
    disabled = demo.directory.userAt(17).uid;
    unknown = 'nobody@contoso.example';
    text = `${JSON.stringify({ schemaVersion: 1, name: 'users-demo', target: 'sccm', enrollees: { users: [known, unknown, disabled], groups: ['Finance'] } }, null, 2)}\n`;
    uri = vscode.Uri.joinPath(root, 'users-pkg', 'pinpack.json');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  });

  after(async () => {
    await vscode.workspace.saveAll(false);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.fs.delete(vscode.Uri.joinPath(root, 'users-pkg'), { recursive: true });
    await disconnectAll(api);
  });

  it('is contributed to the palette and the Packages view\'s context menu', () => {
    const manifest = vscode.extensions.getExtension('pinpack.pinpack')?.packageJSON as { contributes: { commands: { command: string }[]; menus: Record<string, { command: string; when?: string }[]> } };
    assert.ok(manifest.contributes.commands.some((c) => c.command === 'pinpack.checkPackageUsers'));
    assert.ok(manifest.contributes.menus['view/item/context']?.some((m) => m.command === 'pinpack.checkPackageUsers' && m.when?.includes('viewItem == pinpack.package')));
    assert.ok(manifest.contributes.menus['commandPalette']?.some((m) => m.command === 'pinpack.checkPackageUsers'));
  });

  it('puts an unknown and a disabled user on their places in pinpack.json, run from the Packages view', async () => {
    const node = await packageNode();
    const requests = api.tenants.demo!.requests.length;
    const count = await vscode.commands.executeCommand<number>('pinpack.checkPackageUsers', node);
    assert.equal(count, 2);
    assert.ok(api.tenants.demo!.requests.length > requests, 'the tenant was asked');
    const findings = tenantFindings();
    const document = await vscode.workspace.openTextDocument(uri);
    assert.deepEqual(findings.map((d) => [document.getText(d.range), d.severity]), [
      [unknown, vscode.DiagnosticSeverity.Error],
      [disabled, vscode.DiagnosticSeverity.Error],
    ]);
    assert.match(findings[0]!.message, /^"nobody@contoso\.example" is not a user of the tenant 127\.0\.0\.1:\d+/);
    assert.match(findings[1]!.message, /cannot enroll: the account is disabled/);
    assert.match(lastShown(api)?.message ?? '', /^2 entries of users-demo need attention on Demo tenant/);
  });

  it('clears its findings as soon as the file is edited', async () => {
    const editor = await vscode.window.showTextDocument(uri);
    assert.equal(tenantFindings().length, 2);
    assert.ok(await editor.edit((b) => b.insert(editor.document.positionAt(text.indexOf(unknown)), 'x')));
    await waitFor('PP3004 findings cleared', async () => (tenantFindings().length === 0 ? true : undefined));
    await vscode.commands.executeCommand('undo');
    await editor.document.save();
  });

  it('checks the package of the active editor from the palette, and reports nothing once the entries are fixed', async () => {
    const editor = await vscode.window.showTextDocument(uri);
    const fixed = `${JSON.stringify({ ...(JSON.parse(text) as object), enrollees: { users: [known], groups: ['Finance'] } }, null, 2)}\n`;
    assert.ok(await editor.edit((b) => b.replace(new vscode.Range(editor.document.positionAt(0), editor.document.positionAt(editor.document.getText().length)), fixed)));
    const count = await vscode.commands.executeCommand<number>('pinpack.checkPackageUsers');
    assert.deepEqual(tenantFindings().map((d) => d.message), []);
    assert.equal(count, 0);
    assert.equal(lastShown(api)?.message, 'Every user and group of users-demo is known to Demo tenant and can enroll.');
    await editor.document.save();
  });

  it('offers the tenant\'s spelling of a uid written in other case as a quick fix', async () => {
    const editor = await vscode.window.showTextDocument(uri);
    const shouted = known.toUpperCase();
    const start = editor.document.getText().indexOf(known);
    assert.ok(start > 0);
    assert.ok(await editor.edit((b) => b.replace(new vscode.Range(editor.document.positionAt(start), editor.document.positionAt(start + known.length)), shouted)));
    assert.equal(await vscode.commands.executeCommand<number>('pinpack.checkPackageUsers'), 1);
    const [finding] = tenantFindings();
    assert.ok(finding);
    assert.equal(editor.document.getText(finding.range), shouted);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, finding.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => a.title === `Write it as the tenant does: "${known}"`);
    assert.ok(fix?.edit, actions.map((a) => a.title).join(', '));
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.ok(editor.document.getText().includes(`"${known}"`) && !editor.document.getText().includes(shouted));
    await waitFor('PP3004 findings cleared by the fix', async () => (tenantFindings().length === 0 ? true : undefined));
    assert.equal(await vscode.commands.executeCommand<number>('pinpack.checkPackageUsers'), 0);
    await editor.document.save();
  });

  it('says what to do when no tenant is connected', async () => {
    await disconnectAll(api);
    const count = await vscode.commands.executeCommand<number | undefined>('pinpack.checkPackageUsers', vscode.Uri.joinPath(root, 'users-pkg'));
    assert.equal(count, undefined);
    assert.equal(lastShown(api)?.severity, 'error');
    assert.match(lastShown(api)?.message ?? '', /^Connect to exactly one tenant first/);
  });
});
