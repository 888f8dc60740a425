import * as vscode from 'vscode';
import { PinPackError } from '../../core/errors';
import { DEFAULT_DESTINATION, ManifestSchema } from '../../core/workspace/manifest';
import { scaffoldWorkspace, type Conflict, type ConflictChoice } from '../../core/workspace/scaffold';
import { TargetId, TARGETS } from '../../core/workspace/targets';
import { registerCommand } from '../commands';
import type { Account } from '../../core/tenant/schemas';
import type { Prompts } from '../prompts';
import { generatePinsFor } from '../tenants/commands';
import type { PinVault } from '../tenants/pin-vault';
import type { Tenant, Tenants } from '../tenants/tenants';
import type { TenantTreeProvider } from '../tenants/tree';
import type { PackageWorkspace, PackageWorkspaces } from './workspaces';

export interface PackageCommandDeps {
  readonly context: vscode.ExtensionContext;
  readonly log: vscode.LogOutputChannel;
  readonly prompts: Prompts;
  readonly tenants: Tenants;
  readonly workspaces: PackageWorkspaces;
  readonly vault: PinVault;
  readonly tree: TenantTreeProvider;
}

/** A validator for an input box from a zod schema: the first issue's message, or nothing. */
function validator(schema: { safeParse: (v: unknown) => { success: boolean; error?: { issues: { message: string }[] } } }) {
  return (value: string) => {
    const result = schema.safeParse(value);
    return result.success ? undefined : result.error?.issues[0]?.message;
  };
}

/** Who enrolls: picked from the connected tenant (a group or users found by a search), or nobody yet. */
async function pickEnrollees(deps: PackageCommandDeps): Promise<{ users: string[]; groups: string[] } | undefined> {
  const tenant = deps.tenants.list()[0];
  if (!tenant) return { users: [], groups: [] };
  const byGroup = vscode.l10n.t('A group of {0}', tenant.label);
  const byUsers = vscode.l10n.t('Users of {0}', tenant.label);
  const later = vscode.l10n.t('Nobody yet (edit pinpack.json later)');
  const how = await deps.prompts.pick([{ label: byGroup }, { label: byUsers }, { label: later }], { placeHolder: vscode.l10n.t('Who enrolls with this package?') });
  if (!how) return undefined;
  if (how.label === later) return { users: [], groups: [] };
  if (how.label === byGroup) {
    const groups = await tenant.client.listGroups();
    const picked = await deps.prompts.pickMany(groups.map((g) => ({ label: g.name, description: g.memberCount === undefined || g.memberCount === null ? undefined : vscode.l10n.t('{0} users', g.memberCount) })), {
      placeHolder: vscode.l10n.t('Choose the groups whose members enroll'),
    });
    return picked ? { users: [], groups: picked.map((p) => p.label) } : undefined;
  }
  const search = await deps.prompts.input({ prompt: vscode.l10n.t('Search users by name, user name or e-mail'), title: vscode.l10n.t('Users of {0}', tenant.label) });
  if (search === undefined) return undefined;
  const found = [];
  for await (const account of tenant.client.users(search.trim() ? { search: search.trim() } : {}, { limit: 200, pageSize: 200 })) found.push(account);
  const picked = await deps.prompts.pickMany(
    found.map((a) => ({ label: a.uid, description: a.displayName ?? undefined })),
    { placeHolder: vscode.l10n.t('Choose the users who enroll ({0} found)', found.length) },
  );
  return picked ? { users: picked.map((p) => p.label), groups: [] } : undefined;
}

/** Asks, for a file the admin changed, whether to keep it; "Show Diff" opens the change first. */
function conflictResolver(deps: PackageCommandDeps) {
  return async (conflict: Conflict): Promise<ConflictChoice> => {
    const keep = vscode.l10n.t('Keep Mine');
    const overwrite = vscode.l10n.t('Overwrite (a backup is kept)');
    const diff = vscode.l10n.t('Show Diff');
    for (;;) {
      const answer = await deps.prompts.confirm(
        vscode.l10n.t('{0} was changed since PinPack wrote it.', conflict.path),
        vscode.l10n.t('PinPack has a newer version of this file. Keep your version, or overwrite it with PinPack\'s?'),
        keep,
        overwrite,
        diff,
      );
      if (answer === diff) {
        const document = await vscode.workspace.openTextDocument({ language: 'diff', content: conflict.diff() });
        await vscode.window.showTextDocument(document, { preview: true });
        continue;
      }
      return answer === overwrite ? 'overwrite' : 'keep';
    }
  };
}

async function newPackageWorkspace(deps: PackageCommandDeps): Promise<void> {
  const root = vscode.workspace.workspaceFolders?.[0];
  if (!root) throw new PinPackError('usage', vscode.l10n.t('Open a folder first: PinPack creates the package workspace inside it.'));
  const target = await deps.prompts.pick(
    TargetId.options.map((id) => ({ label: id, description: TARGETS[id].label, id })),
    { title: vscode.l10n.t('New package workspace (1/4)'), placeHolder: vscode.l10n.t('How does the package reach the devices?') },
  );
  if (!target) return;
  const name = await deps.prompts.input({
    title: vscode.l10n.t('New package workspace (2/4)'),
    prompt: vscode.l10n.t('The package name: the zip and the provisioning package are named after it'),
    value: `pinpack-${target.id}`,
    validateInput: validator(ManifestSchema.shape.name),
  });
  if (name === undefined) return;
  const enrollees = await pickEnrollees(deps);
  if (!enrollees) return;
  let adDomain: string | undefined;
  if (TARGETS[target.id].needsAdDomain) {
    adDomain = await deps.prompts.input({
      title: vscode.l10n.t('New package workspace (3/4)'),
      prompt: vscode.l10n.t('The AD domain: this target enrolls <device name>@<AD domain>'),
      placeHolder: 'contoso.com',
      validateInput: validator(ManifestSchema.shape.device.unwrap().shape.adDomain.unwrap()),
    });
    if (adDomain === undefined) return;
  }
  let destination: string | undefined;
  if (target.id === 'sccm') {
    destination = await deps.prompts.input({
      title: vscode.l10n.t('New package workspace (3/4)'),
      prompt: vscode.l10n.t('Where the copier puts the package on each device'),
      value: DEFAULT_DESTINATION,
    });
    if (destination === undefined) return;
  }
  const folder = await deps.prompts.input({
    title: vscode.l10n.t('New package workspace (4/4)'),
    prompt: vscode.l10n.t('The folder for the workspace, relative to {0}', root.name),
    value: name,
    validateInput: (value) => (value.trim() && !value.includes('..') ? undefined : vscode.l10n.t('Enter a folder inside {0}.', root.name)),
  });
  if (folder === undefined) return;
  const dir = vscode.Uri.joinPath(root.uri, folder.trim());
  const report = await scaffoldWorkspace({
    dir: dir.fsPath,
    target: target.id,
    name,
    users: enrollees.users,
    groups: enrollees.groups,
    ...(adDomain ? { adDomain } : {}),
    ...(destination ? { destination } : {}),
    onConflict: conflictResolver(deps),
  });
  deps.log.info(
    `New package workspace ${name} (${target.id}) in ${dir.fsPath}: ${report.created.length} created, ${report.updated.length} updated, ${report.kept.length} kept, ${report.overwritten.length} overwritten.`,
  );
  deps.workspaces.refresh();
  await vscode.window.showTextDocument(vscode.Uri.joinPath(dir, 'pinpack.json'), { preview: false });
  void deps.prompts.notify(
    'info',
    vscode.l10n.t('Package workspace {0} is ready: {1} files written, {2} of your changes kept.', name, report.created.length + report.updated.length + report.overwritten.length, report.kept.length),
  );
}

/** The connected tenant a package belongs to: the one at its manifest's URL, else the only one. */
export function tenantOf(deps: Pick<PackageCommandDeps, 'tenants'>, workspace: PackageWorkspace): Tenant {
  const connected = deps.tenants.list();
  const host = workspace.manifest?.tenant ? new URL(workspace.manifest.tenant.url).host : undefined;
  const match = host ? connected.find((t) => new URL(t.url).host === host) : connected.length === 1 ? connected[0] : undefined;
  if (!match) {
    throw new PinPackError(
      'usage',
      host
        ? vscode.l10n.t('Connect to the tenant {0} first: the package {1} belongs to it.', host, workspace.manifest?.name ?? '')
        : vscode.l10n.t('Connect to exactly one tenant first, or set tenant.url in pinpack.json of {0}.', workspace.manifest?.name ?? ''),
    );
  }
  return match;
}

/** Regenerates the PINs of a package's enrollees: its users and the members of its groups. */
async function regeneratePackagePins(deps: PackageCommandDeps, folder: vscode.Uri | undefined): Promise<void> {
  const workspace = (await deps.workspaces.resolve(folder)).found;
  if (!workspace) {
    throw new PinPackError('usage', vscode.l10n.t('Open a file of the package whose PINs you want to regenerate, then run the command again.'));
  }
  const tenant = tenantOf(deps, workspace);
  const accounts: Account[] = [];
  for (const uid of workspace.manifest.enrollees.users) {
    const account = await tenant.client.getUserByUid(uid);
    if (!account) {
      throw new PinPackError('refused', vscode.l10n.t('{0} in pinpack.json of {1} is not a user of {2}: correct the user id or remove it.', uid, workspace.manifest.name, tenant.label));
    }
    accounts.push(account);
  }
  for (const group of workspace.manifest.enrollees.groups) {
    for await (const account of tenant.client.groupMembers(group)) accounts.push(account);
  }
  if (accounts.length === 0) {
    throw new PinPackError('usage', vscode.l10n.t('The package {0} has no enrollees: add users or groups to pinpack.json first.', workspace.manifest.name));
  }
  await deps.vault.setPackageEnrollees(workspace.folder.toString(), accounts.map((a) => a.uid));
  await generatePinsFor(deps, tenant, accounts, undefined);
}

export function registerPackageCommands(deps: PackageCommandDeps): void {
  registerCommand(deps.context, deps.log, deps.prompts, 'pinpack.regeneratePackagePins', (folder?: unknown) =>
    regeneratePackagePins(deps, folder instanceof vscode.Uri ? folder : undefined),
  );
  registerCommand(deps.context, deps.log, deps.prompts, 'pinpack.newPackageWorkspace', () => newPackageWorkspace(deps));
  registerCommand(deps.context, deps.log, deps.prompts, 'pinpack.refreshPackages', () => deps.workspaces.refresh());
}
