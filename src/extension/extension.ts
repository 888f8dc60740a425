import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { registerCommand, registerDeferredCommands } from './commands';
import { configureCoreL10n } from './core-l10n';
import { DeferredAuthenticationProvider, DeferredTreeDataProvider } from './deferred';
import type { EnrollmentTreeNode, EnrollmentTreeProvider } from './enrollment/tree';
import type { LanguageFeatures } from './language-client';
import { createOutputChannel } from './output';
import type { PinStatusBar } from './packages/pin-status';
import type { PackageTreeNode, PackageTreeProvider } from './packages/tree';
import { ZIP_SCHEME, ZipFileSystem } from './packages/zip-fs';
import { Prompts } from './prompts';
import type { Services } from './services';
import { AUTH_PROVIDER_ID } from './tenants/auth-id';
import type { NmdmAuthenticationProvider } from './tenants/auth-provider';
import type { PinVault } from './tenants/pin-vault';
import type { Tenants } from './tenants/tenants';
import type { TenantTreeNode, TenantTreeProvider } from './tenants/tree';

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
const CHECK_USERS_COMMANDS = ['pinpack.checkPackageUsers'];
const BUILD_COMMANDS = ['pinpack.buildPackage', 'pinpack.buildRedactedPackage', 'pinpack.openPackageZip', 'pinpack.compareZipWithWorkspace'];

const RULE_SCHEME = 'pinpack-rule';

/**
 * Runs `load` in a task of its own once activate() has returned. An `import()` reads, compiles
 * and links its chunk before it returns its promise (tens of milliseconds for the services and
 * the language client): done inside activate(), that work held up VS Code's extension host (and
 * every extension activating after PinPack) until it was over.
 */
function afterActivation<T>(load: () => Promise<T>): Promise<T> {
  return new Promise<void>((resolve) => setImmediate(resolve)).then(load);
}

/**
 * Activation registers what VS Code must find at once and nothing more: every command (most as
 * stubs that load their module on first use), the three views and the account provider (stand-ins
 * that forward to services.ts), the zip file system and the rule-documentation scheme. The
 * services and the language client are imported right after activate() returns, without being
 * awaited. In ExtensionMode.Test the test API is returned once the services are loaded.
 */
export function activate(context: vscode.ExtensionContext): Promise<PinPackTestApi> | undefined {
  configureCoreL10n();
  const log = createOutputChannel();
  const prompts = new Prompts();
  context.subscriptions.push(log);
  registerCommand(context, log, prompts, 'pinpack.showOutput', () => log.show());

  const zips = new ZipFileSystem();
  context.subscriptions.push(vscode.workspace.registerFileSystemProvider(ZIP_SCHEME, zips, { isReadonly: true, isCaseSensitive: true }));

  const services: Promise<Services> = afterActivation(() => import('./services.js')).then((m) => m.startServices({ context, log, prompts, zips, tenantView, packageView, enrollmentView }));
  services.catch((error: unknown) => log.error(`PinPack did not start: ${String(error)}`));
  const auth = new DeferredAuthenticationProvider(services.then((s) => s.auth));
  const tenantTree = new DeferredTreeDataProvider<TenantTreeNode>(services.then((s) => s.tenantTree));
  const tenantView = vscode.window.createTreeView('pinpack.tenants', { treeDataProvider: tenantTree, canSelectMany: true, showCollapseAll: true });
  const packageTree = new DeferredTreeDataProvider<PackageTreeNode>(services.then((s) => s.packageTree));
  const packageView = vscode.window.createTreeView('pinpack.packages', { treeDataProvider: packageTree, showCollapseAll: true });
  const enrollmentTree = new DeferredTreeDataProvider<EnrollmentTreeNode>(services.then((s) => s.enrollmentTree));
  const enrollmentView = vscode.window.createTreeView('pinpack.enrollment', { treeDataProvider: enrollmentTree, showCollapseAll: true });
  context.subscriptions.push(
    auth,
    vscode.authentication.registerAuthenticationProvider(AUTH_PROVIDER_ID, vscode.l10n.t('Ivanti Neurons for MDM (PinPack)'), auth, { supportsMultipleAccounts: true }),
    tenantTree,
    tenantView,
    packageTree,
    packageView,
    enrollmentTree,
    enrollmentView,
  );

  registerDeferredCommands(context, log, prompts, TENANT_COMMANDS, async () => {
    const { tenantDeps } = await services;
    (await import('./tenants/commands.js')).registerTenantCommands(tenantDeps);
  });
  registerDeferredCommands(context, log, prompts, PACKAGE_COMMANDS, async () => {
    const { packageDeps } = await services;
    (await import('./packages/commands.js')).registerPackageCommands(packageDeps);
  });
  registerDeferredCommands(context, log, prompts, IMPORT_COMMANDS, async () => {
    const { packageDeps } = await services;
    (await import('./packages/import-command.js')).registerImportCommand(packageDeps);
  });
  registerDeferredCommands(context, log, prompts, CHECK_USERS_COMMANDS, async () => {
    const { packageDeps } = await services;
    (await import('./packages/check-users.js')).registerCheckUsersCommand(packageDeps);
  });
  registerDeferredCommands(context, log, prompts, BUILD_COMMANDS, async () => {
    const { buildDeps } = await services;
    (await import('./packages/build-commands.js')).registerBuildCommands(buildDeps);
  });
  registerCommand(context, log, prompts, 'pinpack.refreshEnrollment', async (node?: unknown) => {
    const target = node as EnrollmentTreeNode | undefined;
    (await services).enrollmentTree.refresh(target && 'record' in target ? target.record : undefined);
  });

  // The language client is most of the extension's code: it is loaded once activation is over.
  const features = afterActivation(() => import('./language-client.js')).then((m) => m.startLanguageFeatures(context, log));
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
  if (context.extensionMode !== vscode.ExtensionMode.Test) return undefined;
  return services.then((s) => ({
    languageClient: features.then((f) => f.client),
    prompts,
    tenants: s.tenants,
    auth: s.auth,
    storage: {
      secrets: context.secrets,
      globalState: context.globalState,
      workspaceState: context.workspaceState,
      folders: [context.globalStorageUri.fsPath, ...(context.storageUri ? [context.storageUri.fsPath] : [])],
    },
    tenantTree: s.tenantTree,
    tenantView,
    packageTree: s.packageTree,
    packageView,
    pinStatus: s.pinStatus,
    enrollmentTree: s.enrollmentTree,
    vault: s.vault,
    logFolder: context.logUri.fsPath,
  }));
}

export async function deactivate(): Promise<void> {
  const features = await language?.catch(() => undefined);
  await features?.client.stop();
}
