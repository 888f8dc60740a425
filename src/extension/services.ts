import * as vscode from 'vscode';
import { BuildRecords } from './enrollment/builds';
import { EnrollmentTreeProvider, type EnrollmentTreeNode } from './enrollment/tree';
import { PinStatusBar } from './packages/pin-status';
import { PackageTreeProvider, type PackageTreeNode } from './packages/tree';
import { PackageWorkspaces } from './packages/workspaces';
import type { ZipFileSystem } from './packages/zip-fs';
import type { Prompts } from './prompts';
import { NmdmAuthenticationProvider } from './tenants/auth-provider';
import { PinVault } from './tenants/pin-vault';
import { Tenants } from './tenants/tenants';
import { TenantTreeProvider, type TenantTreeNode } from './tenants/tree';

/** What activate() created before this module was loaded: the views and the zip file system. */
export interface ActivationParts {
  readonly context: vscode.ExtensionContext;
  readonly log: vscode.LogOutputChannel;
  readonly prompts: Prompts;
  readonly zips: ZipFileSystem;
  readonly tenantView: vscode.TreeView<TenantTreeNode>;
  readonly packageView: vscode.TreeView<PackageTreeNode>;
  readonly enrollmentView: vscode.TreeView<EnrollmentTreeNode>;
}

export type Services = ReturnType<typeof startServices>;

/**
 * PinPack's state and the real providers behind the views and the account provider: the tenants
 * and their credentials, the PIN vault, the package workspaces and their builds, the PIN status
 * bar. activate() imports this module without waiting for it (it and zod, which validates what
 * PinPack stored, are most of the code activation would otherwise load), and the commands and
 * stand-in providers it registered wait for it on first use.
 */
export function startServices(parts: ActivationParts) {
  const { context, log, prompts, zips } = parts;
  // The provider checks credentials through `tenants`, which is created right after it.
  let tenants: Tenants | undefined;
  const auth = new NmdmAuthenticationProvider(context.secrets, context.globalState, prompts, (url, username, password) => tenants!.check(url, username, password));
  tenants = new Tenants(auth, log);
  const tenantTree = new TenantTreeProvider(tenants);
  context.subscriptions.push(auth, tenants, tenantTree);
  const syncContext = () => void vscode.commands.executeCommand('setContext', 'pinpack.connected', tenants.list().length > 0);
  context.subscriptions.push(tenants.onDidChange(syncContext));
  syncContext();
  const vault = new PinVault(context.secrets, context.globalState);
  context.subscriptions.push(vault);
  void tenants.restore();

  const workspaces = new PackageWorkspaces();
  const builds = new BuildRecords(context.workspaceState);
  const packageTree = new PackageTreeProvider(workspaces, builds);
  context.subscriptions.push(workspaces, packageTree);
  const enrollmentTree = new EnrollmentTreeProvider(builds, tenants);
  context.subscriptions.push(builds, enrollmentTree);
  const pinStatus = new PinStatusBar(workspaces, vault);
  context.subscriptions.push(pinStatus);

  const tenantDeps = { context, log, tenants, tree: tenantTree, view: parts.tenantView, prompts, vault, auth };
  const packageDeps = { context, log, prompts, tenants, workspaces, vault, tree: tenantTree };
  return { auth, tenants, tenantTree, vault, workspaces, builds, packageTree, enrollmentTree, pinStatus, tenantDeps, packageDeps, buildDeps: { ...packageDeps, zips, builds } };
}
