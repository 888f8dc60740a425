import * as vscode from 'vscode';
import { describeError } from '../../core/errors';
import { pinStatus } from '../../core/pins/lifetime';
import type { Page } from '../../core/tenant/paging';
import { pinSkipReason, uidHasSpace } from '../../core/tenant/pin-eligibility';
import type { Account, Group, Space } from '../../core/tenant/schemas';
import { pinWarningMs } from '../settings';
import type { Tenant, Tenants } from './tenants';

/** Users are loaded this many at a time; the rest waits behind a "Load more" item. */
export const USERS_PAGE_SIZE = 50;

/** A list of accounts loaded page by page, so a tenant of 100,000 users costs one page to open. */
export class AccountList {
  readonly accounts: Account[] = [];
  total: number | undefined;
  error: string | undefined;
  private pages: AsyncGenerator<Page<Account>> | undefined;
  private finished = false;

  /** `open(start)` pages through the list from `start`. */
  constructor(private readonly open: (start: number) => AsyncGenerator<Page<Account>>) {}

  get complete(): boolean {
    return this.finished;
  }

  /** Loads the next page; a failure is kept for the view to show, and the next call resumes. */
  async loadMore(): Promise<void> {
    this.error = undefined;
    // After a failure the generator is finished: a new one starts where the loaded rows end.
    this.pages ??= this.open(this.accounts.length);
    try {
      const next = await this.pages.next();
      if (next.done) {
        this.finished = true;
        return;
      }
      this.accounts.push(...next.value.items);
      this.total = next.value.totalCount;
      this.finished = this.accounts.length >= next.value.totalCount;
    } catch (error) {
      this.pages = undefined;
      this.error = describeError(error);
    }
  }
}

export type TenantTreeNode =
  | { readonly kind: 'tenant'; readonly tenant: Tenant }
  | { readonly kind: 'users'; readonly tenant: Tenant }
  | { readonly kind: 'groups'; readonly tenant: Tenant }
  | { readonly kind: 'spaces'; readonly tenant: Tenant }
  | { readonly kind: 'group'; readonly tenant: Tenant; readonly group: Group; readonly count: number | undefined }
  | { readonly kind: 'space'; readonly tenant: Tenant; readonly space: Space }
  | { readonly kind: 'account'; readonly tenant: Tenant; readonly account: Account }
  | { readonly kind: 'load-more'; readonly tenant: Tenant; readonly list: AccountList; readonly parent: TenantTreeNode }
  /** A failed load; clicking it runs `retry` (resume a list, or reload the parent). */
  | { readonly kind: 'error'; readonly message: string; readonly retry: vscode.Command };

/** How a PIN reads in the tree: never the PIN itself. */
export function describePin(account: Account, now: Date): string {
  const record = account.registrationPin;
  const status = pinStatus(
    { ...(record?.createdAt ? { createdAt: record.createdAt } : {}), ...(record?.expiresAt ? { expiresAt: record.expiresAt } : {}), used: record?.used ?? false },
    now,
    // A PIN that lapses within this margin is shown as expiring (a build refuses it).
    pinWarningMs(),
  );
  const time = (d: Date) => d.toLocaleTimeString(vscode.env.language, { hour: '2-digit', minute: '2-digit' });
  switch (status.state) {
    case 'none':
      return vscode.l10n.t('no PIN');
    case 'used':
      return vscode.l10n.t('PIN used');
    case 'expired':
      return vscode.l10n.t('PIN expired');
    case 'expiring':
      return vscode.l10n.t('PIN expires at {0}', time(status.expiresAt));
    case 'valid':
      return vscode.l10n.t('PIN valid until {0}', time(status.expiresAt));
  }
}

/** The flags a user row shows: the reasons PinPack will not generate a PIN for the account. */
export function accountFlags(account: Account): string[] {
  const flags: string[] = [];
  if (account.enabled === false) flags.push(vscode.l10n.t('disabled'));
  if (account.locked === true) flags.push(vscode.l10n.t('locked'));
  if (uidHasSpace(account.uid)) flags.push(vscode.l10n.t('space in user name'));
  return flags;
}

/**
 * The Tenants view: each connection, then its users (paged, with server-side search), groups
 * with their members, and spaces. A load that fails shows as an error item with a retry.
 */
export class TenantTreeProvider implements vscode.TreeDataProvider<TenantTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TenantTreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly lists = new Map<string, AccountList>();
  private readonly searches = new Map<string, string>();
  private readonly subscription: vscode.Disposable;

  constructor(private readonly tenants: Tenants) {
    this.subscription = tenants.onDidChange(() => this.refresh());
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }

  /** Forgets what was loaded under `node` (everything when absent) and shows it again. */
  refresh(node?: TenantTreeNode): void {
    if (!node) this.lists.clear();
    else for (const key of [...this.lists.keys()]) if (key.startsWith(this.keyOf(node))) this.lists.delete(key);
    this.changed.fire(node);
  }

  search(tenant: Tenant, query: string | undefined): void {
    if (query) this.searches.set(tenant.id, query);
    else this.searches.delete(tenant.id);
    this.refresh({ kind: 'users', tenant });
  }

  searchOf(tenant: Tenant): string | undefined {
    return this.searches.get(tenant.id);
  }

  private keyOf(node: TenantTreeNode): string {
    switch (node.kind) {
      case 'tenant':
        return `${node.tenant.id}/`;
      case 'users':
        return `${node.tenant.id}/users`;
      case 'group':
        return `${node.tenant.id}/groups/${node.group.name}`;
      default:
        return `${'tenant' in node ? node.tenant.id : ''}/${node.kind}`;
    }
  }

  /** The accounts loaded under a users or group node, for commands on the whole list. */
  async listOf(node: TenantTreeNode): Promise<AccountList> {
    const key = this.keyOf(node);
    let list = this.lists.get(key);
    if (!list) {
      const tenant = (node as { tenant: Tenant }).tenant;
      const search = this.searches.get(tenant.id);
      const filter = node.kind === 'group' ? { group: node.group.name } : search ? { search } : {};
      list = new AccountList((start) => tenant.client.userPages(filter, { pageSize: USERS_PAGE_SIZE, start }));
      this.lists.set(key, list);
      await list.loadMore();
    }
    return list;
  }

  async loadMore(node: Extract<TenantTreeNode, { kind: 'load-more' }>): Promise<void> {
    await node.list.loadMore();
    this.changed.fire(node.parent);
  }

  getTreeItem(node: TenantTreeNode): vscode.TreeItem {
    const collapsed = vscode.TreeItemCollapsibleState.Collapsed;
    switch (node.kind) {
      case 'tenant': {
        const item = new vscode.TreeItem(node.tenant.label, vscode.TreeItemCollapsibleState.Expanded);
        item.id = `tenant:${node.tenant.id}`;
        item.description = node.tenant.demo ? vscode.l10n.t('demo, on this computer') : new URL(node.tenant.url).host;
        item.iconPath = new vscode.ThemeIcon(node.tenant.demo ? 'beaker' : 'cloud');
        item.contextValue = node.tenant.demo ? 'pinpack.tenant.demo' : 'pinpack.tenant';
        item.tooltip = `${node.tenant.url}\n${node.tenant.username}`;
        return item;
      }
      case 'users': {
        const item = new vscode.TreeItem(vscode.l10n.t('Users'), collapsed);
        const search = this.searches.get(node.tenant.id);
        item.id = `tenant:${node.tenant.id}/users`;
        item.description = search ? vscode.l10n.t('matching "{0}"', search) : undefined;
        item.iconPath = new vscode.ThemeIcon('person');
        item.contextValue = 'pinpack.users';
        return item;
      }
      case 'groups': {
        const item = new vscode.TreeItem(vscode.l10n.t('Groups'), collapsed);
        item.id = `tenant:${node.tenant.id}/groups`;
        item.iconPath = new vscode.ThemeIcon('organization');
        return item;
      }
      case 'spaces': {
        const item = new vscode.TreeItem(vscode.l10n.t('Spaces'), collapsed);
        item.id = `tenant:${node.tenant.id}/spaces`;
        item.iconPath = new vscode.ThemeIcon('layers');
        return item;
      }
      case 'group': {
        const item = new vscode.TreeItem(node.group.name, collapsed);
        item.id = `tenant:${node.tenant.id}/groups/${node.group.name}`;
        item.description = node.count === undefined ? undefined : vscode.l10n.t('{0} users', node.count);
        item.iconPath = new vscode.ThemeIcon('organization');
        item.contextValue = 'pinpack.group';
        return item;
      }
      case 'space': {
        const item = new vscode.TreeItem(node.space.name, vscode.TreeItemCollapsibleState.None);
        item.id = `tenant:${node.tenant.id}/spaces/${node.space.id}`;
        item.description = node.space.defaultPartition ? vscode.l10n.t('default') : undefined;
        item.iconPath = new vscode.ThemeIcon('layers');
        return item;
      }
      case 'account': {
        const { account } = node;
        const item = new vscode.TreeItem(account.displayName || account.uid, vscode.TreeItemCollapsibleState.None);
        const flags = accountFlags(account);
        item.description = [account.uid, describePin(account, new Date()), ...flags].join(' · ');
        item.iconPath = new vscode.ThemeIcon(flags.length ? 'warning' : 'account');
        item.contextValue = pinSkipReason(account) ? 'pinpack.user.ineligible' : 'pinpack.user';
        item.tooltip = new vscode.MarkdownString(
          [`**${account.displayName ?? account.uid}**`, `\`${account.uid}\``, account.emailAddress ?? '', pinSkipReason(account) ?? '']
            .filter(Boolean)
            .join('\n\n'),
        );
        return item;
      }
      case 'load-more': {
        const item = new vscode.TreeItem(vscode.l10n.t('Load more…'), vscode.TreeItemCollapsibleState.None);
        item.description = vscode.l10n.t('{0} of {1} shown', node.list.accounts.length, node.list.total ?? '?');
        item.iconPath = new vscode.ThemeIcon('more');
        item.command = { title: vscode.l10n.t('Load more'), command: 'pinpack.loadMore', arguments: [node] };
        item.contextValue = 'pinpack.loadMore';
        return item;
      }
      case 'error': {
        const item = new vscode.TreeItem(node.message, vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
        item.tooltip = node.message;
        item.command = node.retry;
        item.description = vscode.l10n.t('click to retry');
        item.contextValue = 'pinpack.error';
        return item;
      }
    }
  }

  /** Parents of the nodes that can be revealed: a tenant's folders. */
  getParent(node: TenantTreeNode): TenantTreeNode | undefined {
    return node.kind === 'users' || node.kind === 'groups' || node.kind === 'spaces' ? { kind: 'tenant', tenant: node.tenant } : undefined;
  }

  async getChildren(node?: TenantTreeNode): Promise<TenantTreeNode[]> {
    if (!node) return this.tenants.list().map((tenant) => ({ kind: 'tenant', tenant }));
    const retry = (command: string, argument: TenantTreeNode): vscode.Command => ({ title: vscode.l10n.t('Retry'), command, arguments: [argument] });
    const failed = (error: unknown): TenantTreeNode[] => [{ kind: 'error', message: describeError(error), retry: retry('pinpack.refresh', node) }];
    switch (node.kind) {
      case 'tenant':
        return (['users', 'groups', 'spaces'] as const).map((kind) => ({ kind, tenant: node.tenant }));
      case 'users':
      case 'group': {
        const list = await this.listOf(node);
        const rows: TenantTreeNode[] = list.accounts.map((account) => ({ kind: 'account', tenant: node.tenant, account }));
        const more: TenantTreeNode = { kind: 'load-more', tenant: node.tenant, list, parent: node };
        if (list.error) rows.push({ kind: 'error', message: list.error, retry: retry('pinpack.loadMore', more) });
        else if (!list.complete) rows.push(more);
        return rows;
      }
      case 'groups':
        try {
          const groups = await node.tenant.client.listGroups();
          return groups.map((group) => ({ kind: 'group', tenant: node.tenant, group, count: group.memberCount ?? undefined }));
        } catch (error) {
          return failed(error);
        }
      case 'spaces':
        try {
          const spaces = await node.tenant.client.listSpaces();
          return spaces.map((space) => ({ kind: 'space', tenant: node.tenant, space }));
        } catch (error) {
          return failed(error);
        }
      default:
        return [];
    }
  }
}
