import * as vscode from 'vscode';
import { pinWarningMs } from '../settings';
import type { PinVault } from '../tenants/pin-vault';
import type { PackageWorkspaces } from './workspaces';


/** `5h 12m`, `12m`: how long is left, for the status bar. */
export function formatRemaining(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  const hours = Math.floor(minutes / 60);
  return hours > 0 ? `${hours}h ${minutes % 60}m` : `${minutes}m`;
}

/**
 * The soonest expiry among the package's enrollees that have a PIN in the vault: its users, and
 * the members its groups resolved to when its PINs were last generated.
 */
export function soonestExpiry(uids: Iterable<string>, expiries: ReadonlyMap<string, Date>): { uid: string; at: Date } | undefined {
  let soonest: { uid: string; at: Date } | undefined;
  for (const uid of uids) {
    const at = expiries.get(uid);
    if (at && (!soonest || at < soonest.at)) soonest = { uid, at };
  }
  return soonest;
}

/**
 * The status bar countdown to the active package's soonest PIN expiry: a warning under 2 h (or
 * under the build's PIN margin when larger), an
 * error once expired; a click regenerates the package's PINs.
 */
export class PinStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('pinpack.pinExpiry', vscode.StatusBarAlignment.Left, 50);
  private readonly subscriptions: vscode.Disposable[];
  private readonly timer: NodeJS.Timeout;
  private shown = false;

  constructor(
    private readonly workspaces: PackageWorkspaces,
    private readonly vault: PinVault,
  ) {
    this.item.name = vscode.l10n.t('PinPack PIN expiry');
    const update = () => void this.update();
    this.subscriptions = [vscode.window.onDidChangeActiveTextEditor(update), workspaces.onDidChange(update), vault.onDidChange(update)];
    this.timer = setInterval(update, 30_000);
    update();
  }

  async update(now = new Date()): Promise<void> {
    const workspace = (await this.workspaces.resolve()).found;
    if (!workspace) {
      this.item.hide();
      this.shown = false;
      return;
    }
    const name = workspace.manifest.name;
    const uids = [...workspace.manifest.enrollees.users, ...this.vault.packageEnrollees(workspace.folder.toString())];
    const soonest = soonestExpiry(uids, this.vault.expiries());
    this.item.command = { title: vscode.l10n.t('Regenerate PINs'), command: 'pinpack.regeneratePackagePins', arguments: [workspace.folder] };
    if (!soonest) {
      this.item.text = `$(key) ${vscode.l10n.t('No PINs')}`;
      this.item.tooltip = vscode.l10n.t('No PIN of {0} is known in this window: click to generate them.', name);
      this.item.backgroundColor = undefined;
    } else {
      const remaining = soonest.at.getTime() - now.getTime();
      const time = soonest.at.toLocaleString(vscode.env.language);
      if (remaining <= 0) {
        this.item.text = `$(key) ${vscode.l10n.t('PINs expired')}`;
        this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
        this.item.tooltip = vscode.l10n.t('The PIN of {0} in {1} expired at {2}: click to regenerate the PINs.', soonest.uid, name, time);
      } else {
        this.item.text = `$(key) ${vscode.l10n.t('PINs {0}', formatRemaining(remaining))}`;
        this.item.backgroundColor = remaining < pinWarningMs(workspace.folder) ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
        this.item.tooltip = vscode.l10n.t('The soonest PIN of {0} ({1}) expires at {2}: click to regenerate the PINs.', name, soonest.uid, time);
      }
    }
    this.item.show();
    this.shown = true;
  }

  /** What the item shows, for tests. */
  get state(): { text: string; visible: boolean; warning: boolean; error: boolean } {
    const color = (this.item.backgroundColor as vscode.ThemeColor | undefined)?.id;
    return { text: this.item.text, visible: this.shown, warning: color === 'statusBarItem.warningBackground', error: color === 'statusBarItem.errorBackground' };
  }

  dispose(): void {
    clearInterval(this.timer);
    for (const s of this.subscriptions) s.dispose();
    this.item.dispose();
  }
}
