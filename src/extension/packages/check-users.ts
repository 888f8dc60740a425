import * as vscode from 'vscode';
import { PinPackError } from '../../core/errors';
import { decode } from '../../core/lint/decode';
import type { LintFinding } from '../../core/lint/engine';
import { parseManifestDocument } from '../../core/lint/manifest/parser';
import { checkManifestUsers } from '../../core/lint/online/users';
import { MANIFEST_FILE_NAME } from '../../core/workspace/manifest';
import { registerCommand } from '../commands';
import { withCancellableProgress } from '../progress';
import { tenantOf, type PackageCommandDeps } from './commands';
import type { LoadedPackage } from './workspaces';

/**
 * "PinPack: Check Users Against Tenant": rule PP3004 (lint/online/users.ts) for one package, with
 * the tenant the package belongs to. The findings go into a diagnostic collection of the
 * extension's own, beside the language server's offline ones, and are cleared as soon as the
 * manifest changes: they describe the file as it was checked, and a re-check needs the network.
 */

const SEVERITY: Readonly<Record<LintFinding['severity'], vscode.DiagnosticSeverity>> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

/** The package the command was given (a folder, or a node of the Packages view), the active one, or the user's pick. */
async function packageOf(deps: PackageCommandDeps, arg: unknown): Promise<LoadedPackage> {
  const node = arg as { workspace?: { folder?: unknown } } | undefined;
  const folder = arg instanceof vscode.Uri ? arg : node?.workspace?.folder instanceof vscode.Uri ? node.workspace.folder : undefined;
  const { found, loaded } = await deps.workspaces.resolve(folder);
  if (found) return found;
  if (loaded.length === 0) throw new PinPackError('usage', vscode.l10n.t('There is no valid package workspace in the open folders: run "PinPack: New Package Workspace" first.'));
  if (loaded.length === 1) return loaded[0] as LoadedPackage;
  const picked = await deps.prompts.pick(
    loaded.map((p) => ({ label: p.manifest.name, description: vscode.workspace.asRelativePath(p.folder), workspace: p })),
    { placeHolder: vscode.l10n.t('Choose the package') },
  );
  if (!picked) throw new vscode.CancellationError();
  return picked.workspace;
}

/** The manifest's text as the editor holds it (unsaved edits included), else as on disk. */
async function manifestText(uri: vscode.Uri): Promise<string> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) return open.getText();
  return decode(await vscode.workspace.fs.readFile(uri)).text;
}

function toDiagnostic(f: LintFinding): vscode.Diagnostic {
  const range = new vscode.Range(f.line - 1, f.column - 1, f.endLine - 1, f.endColumn - 1);
  const diagnostic = new vscode.Diagnostic(range, f.message, SEVERITY[f.severity]);
  diagnostic.source = 'pinpack';
  diagnostic.code = f.rule;
  return diagnostic;
}

/**
 * The safe fixes of the findings (the tenant's spelling of a uid or group), as quick fixes. Their
 * offsets are those of the text checked, which is the document's text: findings are cleared on
 * any change.
 */
class TenantFixes implements vscode.CodeActionProvider {
  /** By document, then by diagnostic (see key: VS Code hands diagnostics back as copies). */
  readonly edits = new Map<string, Map<string, LintFinding['edits']>>();

  static key(d: vscode.Diagnostic): string {
    return `${d.range.start.line}:${d.range.start.character}:${d.range.end.line}:${d.range.end.character}:${d.message}`;
  }

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const known = this.edits.get(document.uri.toString());
    if (!known) return [];
    return context.diagnostics.flatMap((diagnostic) => {
      const edits = diagnostic.source === 'pinpack' && diagnostic.code === 'PP3004' ? known.get(TenantFixes.key(diagnostic)) : undefined;
      if (!edits?.length) return [];
      const edit = new vscode.WorkspaceEdit();
      for (const e of edits) edit.replace(document.uri, new vscode.Range(document.positionAt(e.start), document.positionAt(e.end)), e.text);
      const action = new vscode.CodeAction(vscode.l10n.t('Write it as the tenant does: {0}', edits.map((e) => e.text).join(', ')), vscode.CodeActionKind.QuickFix);
      action.edit = edit;
      action.diagnostics = [diagnostic];
      action.isPreferred = true;
      return [action];
    });
  }
}

export function registerCheckUsersCommand(deps: PackageCommandDeps): vscode.DiagnosticCollection {
  const collection = vscode.languages.createDiagnosticCollection('pinpack-tenant');
  const fixes = new TenantFixes();
  const watcher = vscode.workspace.createFileSystemWatcher(`**/${MANIFEST_FILE_NAME}`);
  const clear = (uri: vscode.Uri) => {
    collection.delete(uri);
    fixes.edits.delete(uri.toString());
  };
  deps.context.subscriptions.push(
    collection,
    watcher,
    watcher.onDidChange(clear),
    watcher.onDidDelete(clear),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.contentChanges.length > 0 && collection.has(e.document.uri)) clear(e.document.uri);
    }),
    vscode.languages.registerCodeActionsProvider({ pattern: `**/${MANIFEST_FILE_NAME}` }, fixes, { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }),
  );
  registerCommand(deps.context, deps.log, deps.prompts, 'pinpack.checkPackageUsers', async (arg?: unknown) => {
    const workspace = await packageOf(deps, arg);
    const tenant = tenantOf(deps, workspace);
    const uri = vscode.Uri.joinPath(workspace.folder, MANIFEST_FILE_NAME);
    const text = await manifestText(uri);
    const findings = await withCancellableProgress(vscode.l10n.t('Checking the users of {0} on {1}', workspace.manifest.name, tenant.label), (_progress, signal) =>
      checkManifestUsers(parseManifestDocument(text), tenant.client, { signal }),
    );
    // The file may have changed while the tenant answered: positions would then point elsewhere.
    if ((await manifestText(uri)) !== text) {
      throw new PinPackError('usage', vscode.l10n.t('pinpack.json of {0} changed during the check: run the check again.', workspace.manifest.name));
    }
    const diagnostics = findings.map(toDiagnostic);
    collection.set(uri, diagnostics);
    fixes.edits.set(uri.toString(), new Map(findings.map((f, i) => [TenantFixes.key(diagnostics[i] as vscode.Diagnostic), f.edits])));
    deps.log.info(`Checked the users of ${workspace.manifest.name} on ${tenant.label}: ${findings.length} problems.`);
    if (findings.length === 0) {
      void deps.prompts.notify('info', vscode.l10n.t('Every user and group of {0} is known to {1} and can enroll.', workspace.manifest.name, tenant.label));
    } else {
      const show = vscode.l10n.t('Show Problems');
      void deps.prompts.notify('warning', vscode.l10n.t('{0} entries of {1} need attention on {2}: see the Problems panel.', findings.length, workspace.manifest.name, tenant.label), show).then((answer) => {
        if (answer === show) void vscode.window.showTextDocument(uri).then(() => vscode.commands.executeCommand('workbench.actions.view.problems'));
      });
    }
    return findings.length;
  });
  return collection;
}
