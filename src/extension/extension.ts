import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { registerCommand, registerDeferredCommands } from './commands';
import { configureCoreL10n } from './core-l10n';
import { BuildRecords } from './enrollment/builds';
import { EnrollmentTreeProvider, type EnrollmentTreeNode } from './enrollment/tree';
import type { LanguageFeatures } from './language-client';
import { createOutputChannel } from './output';
import { PinStatusBar } from './packages/pin-status';
import { PackageTreeProvider, type PackageTreeNode } from './packages/tree';
import { PackageWorkspaces } from './packages/workspaces';
import { ZIP_SCHEME, ZipFileSystem } from './packages/zip-fs';
import { Prompts } from './prompts';
import { AUTH_PROVIDER_ID, NmdmAuthenticationProvider } from './tenants/auth-provider';
import { PinVault } from './tenants/pin-vault';
import { Tenants } from './tenants/tenants';
import { TenantTreeProvider, type TenantTreeNode } from './tenants/tree';

/** What the integration tests reach, returned from activate() only when VS Code runs tests. */
export interface PinPackTestApi {
  /** The language client, once its module is loaded (after activation; it may still be starting). */
  readonly languageClient: Promise<LanguageClient>;
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

/** Loaded after activate() returns, see startLanguageFeatures. */
let language: Promise<LanguageFeatures> | undefined;

/** The commands whose implementation is loaded on first use, by module (see registerDeferredCommands). */
const TENANT_COMMANDS = ['pinpack.connect', 'pinpack.tryDemoTenant', 'pinpack.disconnect', 'pinpack.refresh', 'pinpack.loadMore', 'pinpack.searchUsers', 'pinpack.generatePins', 'pinpack.copyPin'];
const PACKAGE_COMMANDS = ['pinpack.regeneratePackagePins', 'pinpack.newPackageWorkspace', 'pinpack.refreshPackages'];
const IMPORT_COMMANDS = ['pinpack.importConsolePackage'];
const BUILD_COMMANDS = ['pinpack.buildPackage', 'pinpack.buildRedactedPackage', 'pinpack.openPackageZip', 'pinpack.compareZipWithWorkspace'];

const RULE_SCHEME = 'pinpack-rule';

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
  const tenantDeps = { context, log, tenants, tree: tenantTree, view: tenantView, prompts, vault, auth };
  registerDeferredCommands(context, log, prompts, TENANT_COMMANDS, async () => (await import('./tenants/commands.js')).registerTenantCommands(tenantDeps));
  void tenants.restore();

  const workspaces = new PackageWorkspaces();
  const builds = new BuildRecords(context.workspaceState);
  const packageTree = new PackageTreeProvider(workspaces, builds);
  const packageView = vscode.window.createTreeView('pinpack.packages', { treeDataProvider: packageTree, showCollapseAll: true });
  context.subscriptions.push(workspaces, packageTree, packageView);
  const packageDeps = { context, log, prompts, tenants, workspaces, vault, tree: tenantTree };
  registerDeferredCommands(context, log, prompts, PACKAGE_COMMANDS, async () => (await import('./packages/commands.js')).registerPackageCommands(packageDeps));
  registerDeferredCommands(context, log, prompts, IMPORT_COMMANDS, async () => (await import('./packages/import-command.js')).registerImportCommand(packageDeps));
  const zips = new ZipFileSystem();
  context.subscriptions.push(vscode.workspace.registerFileSystemProvider(ZIP_SCHEME, zips, { isReadonly: true, isCaseSensitive: true }));
  registerDeferredCommands(context, log, prompts, BUILD_COMMANDS, async () => (await import('./packages/build-commands.js')).registerBuildCommands({ ...packageDeps, zips, builds }));
  const enrollmentTree = new EnrollmentTreeProvider(builds, tenants);
  const enrollmentView = vscode.window.createTreeView('pinpack.enrollment', { treeDataProvider: enrollmentTree, showCollapseAll: true });
  context.subscriptions.push(builds, enrollmentTree, enrollmentView);
  registerCommand(context, log, prompts, 'pinpack.refreshEnrollment', (node?: unknown) => {
    const target = node as EnrollmentTreeNode | undefined;
    enrollmentTree.refresh(target && 'record' in target ? target.record : undefined);
  });
  const pinStatus = new PinStatusBar(workspaces, vault);
  context.subscriptions.push(pinStatus);

  // The language client is most of the extension's code: it is loaded once activation is over.
  const features = import('./language-client.js').then((m) => m.startLanguageFeatures(context, log));
  features.catch((error: unknown) => log.error(`The PinPack language server did not start: ${String(error)}`));
  language = features;
  // "Show documentation for PPxxxx": the rule's page, from the server, read-only in the Markdown preview.
  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(RULE_SCHEME, {
      provideTextDocumentContent: async (uri) => {
        const rule = uri.path.replace(/^\//, '').replace(/\.md$/, '');
        return (await (await features).ruleDocumentation(rule)) ?? vscode.l10n.t('PinPack has no rule {0}.', rule);
      },
    }),
  );
  registerCommand(context, log, prompts, 'pinpack.showRuleDocumentation', async (rule: unknown) => {
    if (typeof rule !== 'string' || !/^PP\d{4}$/i.test(rule)) throw new Error(vscode.l10n.t('Give a PinPack rule id such as PP1001.'));
    await vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.from({ scheme: RULE_SCHEME, path: `/${rule.toUpperCase()}.md` }));
  });
  registerCommand(context, log, prompts, 'pinpack.restartLanguageServer', async () => (await features).restart());

  log.info(`PinPack ${PINPACK_VERSION} activated (VS Code ${vscode.version}).`);
  return context.extensionMode === vscode.ExtensionMode.Test
    ? { languageClient: features.then((f) => f.client), prompts, tenants, auth, storage: {
          secrets: context.secrets,
          globalState: context.globalState,
          workspaceState: context.workspaceState,
          folders: [context.globalStorageUri.fsPath, ...(context.storageUri ? [context.storageUri.fsPath] : [])],
        }, tenantTree, tenantView, packageTree, packageView, pinStatus, enrollmentTree, vault, logFolder: context.logUri.fsPath }
    : undefined;
}

export async function deactivate(): Promise<void> {
  const features = await language?.catch(() => undefined);
  await features?.client.stop();
}
