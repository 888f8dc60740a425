import * as vscode from 'vscode';
import { PinPackError } from '../../core/errors';
import { pinSkipReason } from '../../core/tenant/pin-eligibility';
import { generatePins, type PinResult } from '../../core/tenant/pin-generation';
import type { Account } from '../../core/tenant/schemas';
import { registerCommand } from '../commands';
import { withCancellableProgress } from '../progress';
import type { Prompts } from '../prompts';
import type { NmdmAuthenticationProvider } from './auth-provider';
import type { PinVault } from './pin-vault';
import type { Tenant, Tenants } from './tenants';
import type { TenantTreeNode, TenantTreeProvider } from './tree';

export interface TenantCommandDeps {
  readonly context: vscode.ExtensionContext;
  readonly log: vscode.LogOutputChannel;
  readonly tenants: Tenants;
  readonly tree: TenantTreeProvider;
  readonly view: vscode.TreeView<TenantTreeNode>;
  readonly prompts: Prompts;
  readonly vault: PinVault;
  readonly auth: NmdmAuthenticationProvider;
}

/** The tenant a command acts on: the one under the clicked node, the only one, or the user's pick. */
async function pickTenant(deps: TenantCommandDeps, node: TenantTreeNode | undefined): Promise<Tenant | undefined> {
  if (node && 'tenant' in node) return node.tenant;
  const tenants = deps.tenants.list();
  if (tenants.length === 0) {
    throw new PinPackError('usage', vscode.l10n.t('PinPack is not connected to a tenant: run "PinPack: Connect to Tenant" or "PinPack: Try the Demo Tenant" first.'));
  }
  if (tenants.length === 1) return tenants[0];
  const picked = await deps.prompts.pick(
    tenants.map((t) => ({ label: t.label, description: t.demo ? vscode.l10n.t('demo') : t.url, tenant: t })),
    { placeHolder: vscode.l10n.t('Choose a tenant') },
  );
  return picked?.tenant;
}

/** The accounts a Generate PIN acts on: the selected users, or every member of a group. */
async function targetAccounts(deps: TenantCommandDeps, node: TenantTreeNode | undefined, selected: readonly TenantTreeNode[] | undefined) {
  const nodes = selected && selected.length > 0 ? selected : node ? [node] : [...deps.view.selection];
  const accounts = nodes.filter((n): n is Extract<TenantTreeNode, { kind: 'account' }> => n.kind === 'account');
  if (accounts.length > 0) return { tenant: accounts[0]!.tenant, accounts: accounts.map((n) => n.account), what: undefined };
  const group = nodes.find((n): n is Extract<TenantTreeNode, { kind: 'group' }> => n.kind === 'group');
  if (!group) {
    throw new PinPackError('usage', vscode.l10n.t('Select one or more users, or a group, in the Tenants view, then run "PinPack: Generate PINs" again.'));
  }
  const members: Account[] = [];
  await withCancellableProgress(vscode.l10n.t('Loading the members of {0}', group.group.name), async (_progress, signal) => {
    for await (const account of group.tenant.client.groupMembers(group.group.name, { signal })) members.push(account);
  });
  return { tenant: group.tenant, accounts: members, what: group.group.name };
}

function summarize(results: readonly PinResult[]) {
  const count = (status: PinResult['status']) => results.filter((r) => r.status === status).length;
  return { issued: count('issued'), failed: count('failed'), skipped: count('skipped'), cancelled: count('cancelled') };
}

async function generatePinsCommand(deps: TenantCommandDeps, node?: TenantTreeNode, selected?: readonly TenantTreeNode[]): Promise<void> {
  const { tenant, accounts, what } = await targetAccounts(deps, node, selected);
  await generatePinsFor(deps, tenant, accounts, what);
}

/**
 * Generates PINs for accounts of one tenant: a confirmation with counts and exclusions,
 * cancellable progress, PINs into SecretStorage, a summary. `what` names the group, if any.
 */
export async function generatePinsFor(
  deps: Pick<TenantCommandDeps, 'log' | 'tree' | 'prompts' | 'vault'>,
  tenant: Tenant,
  accounts: readonly Account[],
  what: string | undefined,
): Promise<void> {
  const unique = [...new Map(accounts.map((a) => [a.id, a])).values()];
  const excluded = unique.filter((a) => pinSkipReason(a) !== undefined);
  const eligible = unique.length - excluded.length;
  if (eligible === 0) {
    throw new PinPackError('refused', vscode.l10n.t('None of the {0} chosen users can get a PIN (disabled, locked, or a space in the user name): fix them in the N-MDM console or choose other users.', unique.length));
  }
  const title = what
    ? vscode.l10n.t('Generate PINs for {0} users of group {1} on {2}?', eligible, what, tenant.label)
    : vscode.l10n.t('Generate PINs for {0} users on {1}?', eligible, tenant.label);
  const detail = [
    vscode.l10n.t('Each PIN is valid for 24 hours and replaces the user\'s current PIN.'),
    excluded.length ? vscode.l10n.t('{0} users are excluded: {1}.', excluded.length, excluded.slice(0, 5).map((a) => a.uid).join(', ') + (excluded.length > 5 ? ', …' : '')) : '',
  ].filter(Boolean).join('\n');
  const go = vscode.l10n.t('Generate PINs');
  if ((await deps.prompts.confirm(title, detail, go)) !== go) return;

  const results = await withCancellableProgress(
    vscode.l10n.t('Generating PINs on {0}', tenant.label),
    async (progress, signal) => {
      let reported = 0;
      return generatePins(tenant.client, unique, {
        signal,
        onProgress: (p) => {
          const percent = (p.done / p.total) * 100;
          progress.report({ increment: percent - reported, message: vscode.l10n.t('{0} of {1}', p.done, p.total) });
          reported = percent;
        },
      });
    },
  );
  for (const result of results) {
    if (result.status === 'issued') await deps.vault.put(tenant.id, result.account.uid, result.pin, result.expiresAt);
    else if (result.status !== 'cancelled') deps.log.warn(`PIN ${result.status} for ${result.account.uid}: ${result.reason}`);
  }
  deps.log.info(`Generate PINs on ${tenant.label}: ${JSON.stringify(summarize(results))}`);
  deps.tree.refresh();

  const { issued, failed, skipped, cancelled } = summarize(results);
  const earliest = results.flatMap((r) => (r.status === 'issued' ? [r.expiresAt.getTime()] : [])).sort((a, b) => a - b)[0];
  const until = earliest ? new Date(earliest).toLocaleString(vscode.env.language) : '-';
  const message = vscode.l10n.t('{0} PINs issued (valid until {1}), {2} failed, {3} skipped, {4} cancelled.', issued, until, failed, skipped, cancelled);
  const details = vscode.l10n.t('Show Details');
  // Not awaited: a notification resolves only when the user acts on it or dismisses it.
  void deps.prompts.notify(failed > 0 ? 'warning' : 'info', message, ...(failed + skipped > 0 ? [details] : [])).then((answer) => {
    if (answer === details) deps.log.show();
  });
}

async function copyPinCommand(deps: TenantCommandDeps, node?: TenantTreeNode): Promise<void> {
  const target = node ?? deps.view.selection[0];
  if (target?.kind !== 'account') {
    throw new PinPackError('usage', vscode.l10n.t('Select a user in the Tenants view, then run "PinPack: Copy PIN" again.'));
  }
  const stored = await deps.vault.get(target.tenant.id, target.account.uid);
  const fresh = stored ? undefined : await target.tenant.client.getUserByUid(target.account.uid);
  const pin = stored?.pin ?? fresh?.registrationPin?.pin ?? undefined;
  if (!pin) {
    throw new PinPackError('refused', vscode.l10n.t('{0} has no PIN yet: run "PinPack: Generate PINs" for this user first.', target.account.uid));
  }
  await vscode.env.clipboard.writeText(pin);
  void deps.prompts.notify('info', vscode.l10n.t('The PIN of {0} is on the clipboard.', target.account.uid));
}

/** Signs in to a tenant through PinPack's N-MDM authentication provider (Accounts menu). */
async function connectCommand(deps: TenantCommandDeps): Promise<void> {
  let session: vscode.AuthenticationSession;
  try {
    session = await deps.auth.createSession([]);
  } catch (error) {
    if (error instanceof vscode.CancellationError) return;
    throw error;
  }
  await deps.tenants.sync();
  void deps.prompts.notify('info', vscode.l10n.t('Connected to {0}.', session.account.label));
}

export function registerTenantCommands(deps: TenantCommandDeps): void {
  const { context, log, prompts } = deps;
  registerCommand(context, log, prompts, 'pinpack.connect', () => connectCommand(deps));
  registerCommand(context, log, prompts, 'pinpack.tryDemoTenant', async () => {
    const tenant = await deps.tenants.startDemo();
    await vscode.commands.executeCommand('pinpack.tenants.focus');
    void deps.prompts.notify('info', vscode.l10n.t('The demo tenant runs on {0}: its users, PINs and devices are made up.', tenant.url));
  });
  registerCommand(context, log, prompts, 'pinpack.disconnect', async (node?: unknown) => {
    const tenant = await pickTenant(deps, node as TenantTreeNode | undefined);
    if (tenant) await deps.tenants.disconnect(tenant.id);
  });
  registerCommand(context, log, prompts, 'pinpack.refresh', (node?: unknown) => deps.tree.refresh(node as TenantTreeNode | undefined));
  registerCommand(context, log, prompts, 'pinpack.loadMore', (node?: unknown) => {
    const target = node as TenantTreeNode | undefined;
    if (target?.kind === 'load-more') return deps.tree.loadMore(target);
    return undefined;
  });
  registerCommand(context, log, prompts, 'pinpack.searchUsers', async (node?: unknown) => {
    const tenant = await pickTenant(deps, node as TenantTreeNode | undefined);
    if (!tenant) return;
    const query = await deps.prompts.input({
      title: vscode.l10n.t('Search the users of {0}', tenant.label),
      prompt: vscode.l10n.t('Name, user name or e-mail, searched on the tenant; empty shows every user'),
      value: deps.tree.searchOf(tenant) ?? '',
    });
    if (query !== undefined) deps.tree.search(tenant, query.trim() || undefined);
  });
  registerCommand(context, log, prompts, 'pinpack.generatePins', (node?: unknown, selected?: unknown) =>
    generatePinsCommand(deps, node as TenantTreeNode | undefined, selected as TenantTreeNode[] | undefined),
  );
  registerCommand(context, log, prompts, 'pinpack.copyPin', (node?: unknown) => copyPinCommand(deps, node as TenantTreeNode | undefined));
}
