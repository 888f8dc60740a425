import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { PinPackError } from '../../core/errors';
import { buildWorkspace } from '../../core/workspace/build-workspace';
import { resolveEnrolleePins } from '../../core/workspace/enrollee-pins';
import type { BuildRecords } from '../enrollment/builds';
import { registerCommand } from '../commands';
import { withCancellableProgress } from '../progress';
import { buildSettings } from '../settings';
import { tenantOf, type PackageCommandDeps } from './commands';
import type { LoadedPackage } from './workspaces';
import { zipEntryUri, type ZipFileSystem } from './zip-fs';

export interface BuildCommandDeps extends PackageCommandDeps {
  readonly zips: ZipFileSystem;
  readonly builds: BuildRecords;
}

/** The package a command acts on (see PackageWorkspaces.resolve), or the user's pick among several. */
async function pickPackage(deps: BuildCommandDeps, folder: vscode.Uri | undefined): Promise<LoadedPackage> {
  const { found, loaded } = await deps.workspaces.resolve(folder);
  if (found) return found;
  if (loaded.length === 0) throw new PinPackError('usage', vscode.l10n.t('There is no valid package workspace in the open folders: run "PinPack: New Package Workspace" first.'));
  const picked = await deps.prompts.pick(
    loaded.map((p) => ({ label: p.manifest.name, description: vscode.workspace.asRelativePath(p.folder), workspace: p })),
    { placeHolder: vscode.l10n.t('Choose the package') },
  );
  if (!picked) throw new vscode.CancellationError();
  return picked.workspace;
}

async function build(deps: BuildCommandDeps, folder: vscode.Uri | undefined, redact: boolean): Promise<string | undefined> {
  const workspace = await pickPackage(deps, folder);
  const settings = buildSettings(workspace.folder);
  const tenant = redact ? undefined : tenantOf(deps, workspace);
  let uids: string[] = [];
  const result = await withCancellableProgress(
    redact ? vscode.l10n.t('Building the review copy of {0}', workspace.manifest.name) : vscode.l10n.t('Building {0}', workspace.manifest.name),
    (progress, signal) =>
      buildWorkspace({
        dir: workspace.folder.fsPath,
        redact,
        toolVersion: PINPACK_VERSION,
        ...settings,
        ...(tenant ? { resolvePins: (manifest) => resolveEnrolleePins(tenant.client, manifest.enrollees, signal) } : {}),
        onLint: (run) => {
          const { errors, warnings } = run.report.summary;
          progress.report({ message: vscode.l10n.t('lint: {0} errors, {1} warnings', errors, warnings) });
          for (const file of run.report.files) {
            for (const d of file.diagnostics) deps.log.info(`${file.path}:${d.line}:${d.column} ${d.severity} ${d.rule} ${d.message}`);
          }
        },
        onEnrollees: (pins) => {
          uids = pins.pins.map((p) => p.user);
          progress.report({ message: vscode.l10n.t('{0} enrollees, {1} skipped', pins.pins.length, pins.skipped.length) });
        },
      }),
  );
  deps.zips.forget(result.built.path);
  if (tenant) {
    await deps.builds.record({
      folder: workspace.folder.toString(),
      name: result.manifest.name,
      zip: result.built.path,
      builtAt: new Date().toISOString(),
      sha256: result.sha256,
      tenantUrl: tenant.url,
      uids,
    });
  }
  deps.log.info(`Built ${result.built.path} (${result.enrollees} enrollees, ${result.size} bytes, SHA-256 ${result.sha256}).`);
  const open = vscode.l10n.t('Open Zip');
  const reveal = vscode.l10n.t('Reveal in Explorer');
  void deps.prompts
    .notify('info', vscode.l10n.t('Built {0} for {1} enrollees: {2}', vscode.workspace.asRelativePath(result.built.path), result.enrollees, result.sha256.slice(0, 12)), open, reveal)
    .then((answer) => {
      if (answer === open) void vscode.commands.executeCommand('pinpack.openPackageZip', vscode.Uri.file(result.built.path));
      if (answer === reveal) void vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(result.built.path));
    });
  return result.built.path;
}

/** Opens an entry of a package zip read-only (the language server lints it from memory). */
async function openPackageZip(deps: BuildCommandDeps, zip: vscode.Uri | undefined): Promise<vscode.Uri | undefined> {
  const file = zip ?? (await deps.prompts.openFile({ filters: { [vscode.l10n.t('Package zip')]: ['zip'] }, title: vscode.l10n.t('Open a package zip for review') }));
  if (!file) return undefined;
  const entries = (await deps.zips.entries(file.fsPath)).filter((e) => !e.directory);
  const picked = await deps.prompts.pick(
    entries.map((e) => ({ label: e.name, description: vscode.l10n.t('{0} bytes', e.size), detail: `SHA-256 ${e.sha256}` })),
    { placeHolder: vscode.l10n.t('{0}: choose a file to review', vscode.workspace.asRelativePath(file)) },
  );
  if (!picked) return undefined;
  const uri = zipEntryUri(file.fsPath, picked.label);
  await vscode.window.showTextDocument(uri, { preview: false });
  return uri;
}

/** Files the build writes itself: not in the workspace, so not compared. */
const GENERATED = new Set(['pinpack-manifest.json', 'pinpack-pins.json', 'pinpack-settings.json']);

/** Opens the zip's files beside the workspace's in one multi-file diff; returns the compared pairs. */
async function compareZip(deps: BuildCommandDeps, zip: vscode.Uri | undefined, folder: vscode.Uri | undefined): Promise<[vscode.Uri, vscode.Uri][]> {
  const workspace = await pickPackage(deps, folder);
  const file = zip ?? (await deps.prompts.openFile({ filters: { [vscode.l10n.t('Package zip')]: ['zip'] }, defaultUri: vscode.Uri.joinPath(workspace.folder, 'out') }));
  if (!file) return [];
  const entries = (await deps.zips.entries(file.fsPath)).filter((e) => !e.directory && !GENERATED.has(e.name));
  const pairs: [vscode.Uri, vscode.Uri][] = [];
  const missing: string[] = [];
  for (const entry of entries) {
    const local = join(workspace.folder.fsPath, ...entry.name.split('/'));
    if (existsSync(local)) pairs.push([zipEntryUri(file.fsPath, entry.name), vscode.Uri.file(local)]);
    else missing.push(entry.name);
  }
  if (missing.length) deps.log.warn(`In ${file.fsPath} but not in the workspace: ${missing.join(', ')}`);
  await vscode.commands.executeCommand(
    'vscode.changes',
    vscode.l10n.t('{0} ↔ workspace', vscode.workspace.asRelativePath(file)),
    pairs.map(([inZip, local]) => [local, inZip, local]),
  );
  return pairs;
}

export function registerBuildCommands(deps: BuildCommandDeps): void {
  const { context, log, prompts } = deps;
  const folderArg = (arg: unknown) => (arg instanceof vscode.Uri ? arg : undefined);
  registerCommand(context, log, prompts, 'pinpack.buildPackage', (folder?: unknown) => build(deps, folderArg(folder), false));
  registerCommand(context, log, prompts, 'pinpack.buildRedactedPackage', (folder?: unknown) => build(deps, folderArg(folder), true));
  registerCommand(context, log, prompts, 'pinpack.openPackageZip', (zip?: unknown) => openPackageZip(deps, folderArg(zip)));
  registerCommand(context, log, prompts, 'pinpack.compareZipWithWorkspace', (zip?: unknown, folder?: unknown) => compareZip(deps, folderArg(zip), folderArg(folder)));
}
