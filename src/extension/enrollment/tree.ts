import * as vscode from 'vscode';
import { describeError } from '../../core/errors';
import type { Device } from '../../core/tenant/schemas';
import type { Tenant, Tenants } from '../tenants/tenants';
import type { BuildRecord, BuildRecords } from './builds';

/** Enrollees looked up at once: enough to be quick, few enough to stay under a tenant's rate limit. */
const CONCURRENCY = 4;

export interface EnrolleeState {
  readonly uid: string;
  /** Windows desktops registered for the user since the build, newest first. */
  readonly devices: readonly Device[];
  /** Why this one user could not be looked up; the others are still shown. */
  readonly error?: string;
}

/** One look-up of a package's enrollees, or why it could not start. */
export type PackageEnrollment = { readonly enrollees: readonly EnrolleeState[]; readonly error?: undefined } | { readonly enrollees?: undefined; readonly error: string };

export type EnrollmentTreeNode =
  | { readonly kind: 'package'; readonly record: BuildRecord }
  | { readonly kind: 'enrollee'; readonly record: BuildRecord; readonly state: EnrolleeState }
  | { readonly kind: 'error'; readonly record: BuildRecord; readonly message: string };

/** Runs `task` over `items`, at most `limit` at a time, keeping the order of the results. */
async function pooled<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * The Enrollment view: for each package built with PINs, which enrollees have a Windows desktop
 * registered since the build (device look-up by the user's e-mail on the package's tenant).
 * Looked up when a package is expanded and again on Refresh; a failure shows as an error item
 * with a retry, and the rest of the view stays as it was.
 */
export class EnrollmentTreeProvider implements vscode.TreeDataProvider<EnrollmentTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<EnrollmentTreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly lookups = new Map<string, Promise<PackageEnrollment>>();
  private readonly done = new Map<string, PackageEnrollment>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly builds: BuildRecords,
    private readonly tenants: Tenants,
  ) {
    this.subscriptions = [builds.onDidChange(() => this.refresh()), tenants.onDidChange(() => this.refresh())];
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }

  /** Looks every package up again (or the one given) the next time the view asks. */
  refresh(record?: BuildRecord): void {
    for (const key of record ? [record.folder] : [...this.lookups.keys()]) {
      this.lookups.delete(key);
      this.done.delete(key);
    }
    this.changed.fire(undefined);
  }

  private tenantFor(record: BuildRecord): Tenant | undefined {
    const host = new URL(record.tenantUrl).host;
    return this.tenants.list().find((t) => new URL(t.url).host === host);
  }

  /** The enrollees of a built package and their devices since the build; cached until refresh. */
  enrollment(record: BuildRecord): Promise<PackageEnrollment> {
    let lookup = this.lookups.get(record.folder);
    if (!lookup) {
      lookup = this.lookUp(record).then((result) => {
        this.done.set(record.folder, result);
        this.changed.fire(undefined);
        return result;
      });
      this.lookups.set(record.folder, lookup);
    }
    return lookup;
  }

  private async lookUp(record: BuildRecord): Promise<PackageEnrollment> {
    const tenant = this.tenantFor(record);
    if (!tenant) {
      return { error: vscode.l10n.t('Connect to {0} to see who has enrolled: the package {1} was built with its PINs.', new URL(record.tenantUrl).host, record.name) };
    }
    const since = new Date(record.builtAt);
    let spaceId: number;
    try {
      spaceId = await tenant.client.defaultSpaceId();
    } catch (error) {
      return { error: describeError(error) };
    }
    const enrollees = await pooled(record.uids, CONCURRENCY, async (uid): Promise<EnrolleeState> => {
      try {
        const account = await tenant.client.getUserByUid(uid);
        const email = account?.emailAddress ?? uid;
        return { uid, devices: await tenant.client.enrolledSince(email, since, { spaceId }) };
      } catch (error) {
        return { uid, devices: [], error: describeError(error) };
      }
    });
    // Every look-up failing the same way (tenant down, password changed) reads as one error.
    const failures = enrollees.filter((e) => e.error !== undefined);
    if (enrollees.length > 0 && failures.length === enrollees.length) return { error: failures[0]!.error! };
    return { enrollees };
  }

  getTreeItem(node: EnrollmentTreeNode): vscode.TreeItem {
    const time = (d: Date) => d.toLocaleString(vscode.env.language, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
    switch (node.kind) {
      case 'package': {
        const { record } = node;
        const item = new vscode.TreeItem(record.name, vscode.TreeItemCollapsibleState.Expanded);
        item.id = `enrollment:${record.folder}`;
        const result = this.done.get(record.folder);
        const enrolled = result?.enrollees?.filter((e) => e.devices.length > 0).length;
        item.description =
          enrolled === undefined
            ? vscode.l10n.t('built {0}', time(new Date(record.builtAt)))
            : vscode.l10n.t('{0} of {1} enrolled since the build at {2}', enrolled, record.uids.length, time(new Date(record.builtAt)));
        item.tooltip = `${vscode.workspace.asRelativePath(vscode.Uri.file(record.zip))}\nSHA-256 ${record.sha256}\n${record.tenantUrl}`;
        item.iconPath = new vscode.ThemeIcon('package');
        item.contextValue = 'pinpack.enrollment.package';
        return item;
      }
      case 'enrollee': {
        const { state } = node;
        const item = new vscode.TreeItem(state.uid, vscode.TreeItemCollapsibleState.None);
        item.id = `enrollment:${node.record.folder}/${state.uid}`;
        const [latest] = state.devices;
        if (state.error) {
          item.description = state.error;
          item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
        } else if (latest) {
          const at = latest.lastRegistrationTime ? time(latest.lastRegistrationTime) : '';
          item.description =
            state.devices.length > 1
              ? vscode.l10n.t('enrolled: {0} at {1} (+{2} more)', latest.deviceName ?? String(latest.id), at, state.devices.length - 1)
              : vscode.l10n.t('enrolled: {0} at {1}', latest.deviceName ?? String(latest.id), at);
          item.iconPath = new vscode.ThemeIcon('pass-filled', new vscode.ThemeColor('testing.iconPassed'));
          item.tooltip = state.devices.map((d) => `${d.deviceName ?? d.id} · ${d.registrationState ?? ''} · ${d.lastRegistrationTime?.toISOString() ?? ''}`).join('\n');
        } else {
          item.description = vscode.l10n.t('not enrolled yet');
          item.iconPath = new vscode.ThemeIcon('circle-large-outline');
        }
        item.contextValue = state.devices.length > 0 ? 'pinpack.enrollment.enrolled' : 'pinpack.enrollment.pending';
        return item;
      }
      case 'error': {
        const item = new vscode.TreeItem(node.message, vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
        item.tooltip = node.message;
        item.description = vscode.l10n.t('click to retry');
        item.command = { title: vscode.l10n.t('Retry'), command: 'pinpack.refreshEnrollment', arguments: [{ kind: 'package', record: node.record }] };
        item.contextValue = 'pinpack.error';
        return item;
      }
    }
  }

  async getChildren(node?: EnrollmentTreeNode): Promise<EnrollmentTreeNode[]> {
    if (!node) {
      return this.builds
        .list()
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((record) => ({ kind: 'package', record }));
    }
    if (node.kind !== 'package') return [];
    const result = await this.enrollment(node.record);
    if (result.error !== undefined) return [{ kind: 'error', record: node.record, message: result.error }];
    // Enrolled first, newest on top; then the ones still to come, by uid.
    const newest = (s: EnrolleeState) => s.devices[0]?.lastRegistrationTime?.getTime() ?? 0;
    return [...result.enrollees]
      .sort((a, b) => newest(b) - newest(a) || a.uid.localeCompare(b.uid))
      .map((state) => ({ kind: 'enrollee', record: node.record, state }));
  }
}
