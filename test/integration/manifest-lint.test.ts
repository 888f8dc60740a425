import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { waitFor } from './harness';
import { activatePinPack } from './pinpack';

describe('Linting pinpack.json as you type', () => {
  let root: vscode.Uri;
  const manifestFindings = (uri: vscode.Uri, rule: string, count: number) =>
    waitFor(`${count} ${rule} finding(s) in ${uri.path}`, async () => {
      const found = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'pinpack' && (typeof d.code === 'object' ? d.code.value : d.code) === rule);
      return found.length === count ? found : undefined;
    });

  before(async () => {
    await activatePinPack();
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    root = folder.uri;
  });

  after(async () => {
    await vscode.workspace.saveAll(false);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.fs.delete(vscode.Uri.joinPath(root, 'manifest-pkg'), { recursive: true });
  });

  it('reports a target without its AD domain on the target value, and drops it when the edit adds the domain', async () => {
    const uri = vscode.Uri.joinPath(root, 'manifest-pkg', 'pinpack.json');
    const text = '{\n  "schemaVersion": 1,\n  "name": "Sales",\n  "target": "epm-case1"\n}\n';
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    const editor = await vscode.window.showTextDocument(uri);
    const [finding] = await manifestFindings(uri, 'PP3003', 1);
    assert.equal(finding?.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(editor.document.getText(finding!.range), '"epm-case1"');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, finding!.range);
    assert.ok(!actions.some((a) => a.title.startsWith('Disable')), 'JSON has no comment to suppress with');
    const end = editor.document.positionAt(text.indexOf('\n}'));
    assert.ok(await editor.edit((b) => b.insert(end, ',\n  "device": { "adDomain": "contoso.com" }')));
    await manifestFindings(uri, 'PP3003', 0);
  });
});
