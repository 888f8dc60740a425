import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ServerProcessInfoRequest } from '../core/lint/server-protocol';
import { registerCommand } from './commands';
import { configureCoreL10n } from './core-l10n';
import { BuildRecords } from './enrollment/builds';
import { EnrollmentTreeProvider, type EnrollmentTreeNode } from './enrollment/tree';
import { createLanguageClient, createLanguageStatus, logWorkspaceLints, registerRuleDocumentation } from './language-client';
import { createOutputChannel } from './output';
import { registerBuildCommands } from './packages/build-commands';
import { registerCheckUsersCommand } from './packages/check-users';
import { registerPackageCommands } from './packages/commands';
import { registerImportCommand } from './packages/import-command';
import { PinStatusBar } from './packages/pin-status';
import { PackageTreeProvider, type PackageTreeNode } from './packages/tree';
import { PackageWorkspaces } from './packages/workspaces';
import { ZIP_SCHEME, ZipFileSystem } from './packages/zip-fs';
import { Prompts } from './prompts';
import { AUTH_PROVIDER_ID, NmdmAuthenticationProvider } from './tenants/auth-provider';
import { registerTenantCommands } from './tenants/commands';
import { PinVault } from './tenants/pin-vault';
import { Tenants } from './tenants/tenants';
import { TenantTreeProvider, type TenantTreeNode } from './tenants/tree';

/** What the integration tests reach, returned from activate() only when VS Code runs tests. */
export interface PinPackTestApi {
  readonly languageClient: LanguageClient;
  readonly prompts: Prompts;
  readonly tenants: Tenants;
  readonly auth: NmdmAuthenticationProvider;
  /** The extension's own storage, so tests can seed what an earlier version left behind. */
  readonly storage: {
    readonly secrets: vscode.SecretStorage;
    readonly globalState: vscode.Memento;
    readonly workspaceState: vscode.Memento;
    /** The extension's storage folders on disk (they may not exist). */
    readonly folders: readonly string[];
  };
  readonly tenantTree: TenantTreeProvider;
  readonly tenantView: vscode.TreeView<TenantTreeNode>;
  readonly packageTree: PackageTreeProvider;
  readonly packageView: vscode.TreeView<PackageTreeNode>;
  readonly pinStatus: PinStatusBar;
  readonly enrollmentTree: EnrollmentTreeProvider;
  readonly vault: PinVault;
  /** Where VS Code writes the PinPack log, so tests can check that no secret reached it. */
  readonly logFolder: string;
}

let client: LanguageClient | undefined;

export function activate(context: vscode.ExtensionContext): PinPackTestApi | undefined {
  configureCoreL10n();
  const log = createOutputChannel();
  const prompts = new Prompts();
  context.subscriptions.push(log);

  registerCommand(context, log, prompts, 'pinpack.showOutput', () => log.show());

  // The provider checks credentials through `tenants`, which is created right after it.
  let tenants: Tenants | undefined;
  const auth = new NmdmAuthenticationProvider(context.secrets, context.globalState, prompts, (url, username, password) => tenants!.check(url, username, password));
  tenants = new Tenants(auth, log);
  context.subscriptions.push(
    auth,
    vscode.authentication.registerAuthenticationProvider(AUTH_PROVIDER_ID, vscode.l10n.t('Ivanti Neurons for MDM (PinPack)'), auth, { supportsMultipleAccounts: true }),
  );
  const tenantTree = new TenantTreeProvider(tenants);
  const tenantView = vscode.window.createTreeView('pinpack.tenants', { treeDataProvider: tenantTree, canSelectMany: true, showCollapseAll: true });
  context.subscriptions.push(tenants, tenantTree, tenantView);
  const syncContext = () => void vscode.commands.executeCommand('setContext', 'pinpack.connected', tenants.list().length > 0);
  context.subscriptions.push(tenants.onDidChange(syncContext));
  syncContext();
  const vault = new PinVault(context.secrets, context.globalState);
  context.subscriptions.push(vault);
  registerTenantCommands({ context, log, tenants, tree: tenantTree, view: tenantView, prompts, vault, auth });
  void tenants.restore();

  const workspaces = new PackageWorkspaces();
  const builds = new BuildRecords(context.workspaceState);
  const packageTree = new PackageTreeProvider(workspaces, builds);
  const packageView = vscode.window.createTreeView('pinpack.packages', { treeDataProvider: packageTree, showCollapseAll: true });
  context.subscriptions.push(workspaces, packageTree, packageView);
  const packageDeps = { context, log, prompts, tenants, workspaces, vault, tree: tenantTree };
  registerPackageCommands(packageDeps);
  registerImportCommand(packageDeps);
  registerCheckUsersCommand(packageDeps);
  const zips = new ZipFileSystem();
  context.subscriptions.push(vscode.workspace.registerFileSystemProvider(ZIP_SCHEME, zips, { isReadonly: true, isCaseSensitive: true }));
  registerBuildCommands({ ...packageDeps, zips, builds });
  const enrollmentTree = new EnrollmentTreeProvider(builds, tenants);
  const enrollmentView = vscode.window.createTreeView('pinpack.enrollment', { treeDataProvider: enrollmentTree, showCollapseAll: true });
  context.subscriptions.push(builds, enrollmentTree, enrollmentView);
  registerCommand(context, log, prompts, 'pinpack.refreshEnrollment', (node?: unknown) => {
    const target = node as EnrollmentTreeNode | undefined;
    enrollmentTree.refresh(target && 'record' in target ? target.record : undefined);
  });
  const pinStatus = new PinStatusBar(workspaces, vault);
  context.subscriptions.push(pinStatus);

  const languageClient = createLanguageClient(context, log);
  client = languageClient;
  context.subscriptions.push(createLanguageStatus(languageClient), logWorkspaceLints(languageClient, log));
  const ruleDocs = registerRuleDocumentation(languageClient);
  context.subscriptions.push(ruleDocs.provider);
  registerCommand(context, log, prompts, 'pinpack.showRuleDocumentation', ruleDocs.show);
  const started = async (what: string) => {
    const info = await languageClient.sendRequest(ServerProcessInfoRequest);
    log.info(`PinPack language server ${what} (process ${info.pid}).`);
  };
  registerCommand(context, log, prompts, 'pinpack.restartLanguageServer', async () => {
    await languageClient.restart();
    await started('restarted');
  });
  // Started in the background: activation does not wait for the server process.
  languageClient.start().then(
    () => started('started'),
    (error: unknown) => log.error(`The PinPack language server did not start: ${String(error)}`),
  );

  log.info(`PinPack ${PINPACK_VERSION} activated (VS Code ${vscode.version}).`);
  return context.extensionMode === vscode.ExtensionMode.Test
    ? { languageClient, prompts, tenants, auth, storage: {
          secrets: context.secrets,
          globalState: context.globalState,
          workspaceState: context.workspaceState,
          folders: [context.globalStorageUri.fsPath, ...(context.storageUri ? [context.storageUri.fsPath] : [])],
        }, tenantTree, tenantView, packageTree, packageView, pinStatus, enrollmentTree, vault, logFolder: context.logUri.fsPath }
    : undefined;
}

export function deactivate(): Promise<void> | undefined {
  return client?.stop();
}
