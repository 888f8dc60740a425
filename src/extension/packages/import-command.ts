import { basename } from 'node:path';
import * as vscode from 'vscode';
import { PinPackError } from '../../core/errors';
import { importConsoleZip } from '../../core/workspace/import';
import { MANIFEST_FILE_NAME } from '../../core/workspace/manifest';
import { registerCommand } from '../commands';
import type { PackageCommandDeps } from './commands';

/**
 * `PinPack: Import Console Package`: a Deployment Package zip downloaded from the N-MDM console
 * becomes a package workspace (core/workspace/import.ts: hardened reader, nothing written outside
 * the folder, nothing left behind on failure). The PIN files it carries go to SecretStorage,
 * never to the disk in clear.
 */
async function importConsolePackage(deps: PackageCommandDeps, zipArg: vscode.Uri | undefined): Promise<vscode.Uri | undefined> {
  const root = vscode.workspace.workspaceFolders?.[0];
  if (!root) throw new PinPackError('usage', vscode.l10n.t('Open a folder first: PinPack creates the package workspace inside it.'));
  const zip =
    zipArg ??
    (await deps.prompts.openFile({
      filters: { [vscode.l10n.t('Package zip')]: ['zip'] },
      title: vscode.l10n.t('Import a package downloaded from the Neurons for MDM console'),
      openLabel: vscode.l10n.t('Import'),
    }));
  if (!zip) return undefined;
  const suggested = basename(zip.fsPath).replace(/\.zip$/i, '');
  const folder = await deps.prompts.input({
    title: vscode.l10n.t('Import {0}', basename(zip.fsPath)),
    prompt: vscode.l10n.t('A new or empty folder for the workspace, relative to {0}', root.name),
    value: suggested,
    validateInput: (value) => (value.trim() && !value.split(/[\\/]/).includes('..') ? undefined : vscode.l10n.t('Enter a folder inside {0}.', root.name)),
  });
  if (folder === undefined) return undefined;
  const dir = vscode.Uri.joinPath(root.uri, folder.trim());
  const report = await importConsoleZip({
    zip: zip.fsPath,
    dir: dir.fsPath,
    keepPinFile: (path, data) => deps.vault.putImportedPinFile(dir.toString(), path, data),
  });
  deps.log.info(
    `Imported ${basename(zip.fsPath)} into ${dir.fsPath} as ${report.manifest.target} (${report.targetReason}): ${report.files.length} files, ${report.pinFiles.length} PIN file(s) kept in secret storage.`,
  );
  deps.workspaces.refresh();
  await vscode.window.showTextDocument(vscode.Uri.joinPath(dir, MANIFEST_FILE_NAME), { preview: false });
  void deps.prompts.notify(
    'info',
    vscode.l10n.t(
      'Imported {0} as {1}: {2} files in {3}; its {4} PIN files are in VS Code\'s secret storage, not in the folder.',
      basename(zip.fsPath),
      report.manifest.target,
      report.files.length,
      vscode.workspace.asRelativePath(dir),
      report.pinFiles.length,
    ),
  );
  return dir;
}

export function registerImportCommand(deps: PackageCommandDeps): void {
  registerCommand(deps.context, deps.log, deps.prompts, 'pinpack.importConsolePackage', (zip?: unknown) =>
    importConsolePackage(deps, zip instanceof vscode.Uri ? zip : undefined),
  );
}
