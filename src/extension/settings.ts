import * as vscode from 'vscode';

/** Below this much validity left a PIN is flagged as expiring, whatever the build margin. */
const MIN_WARNING_MS = 2 * 60 * 60 * 1000;

/** The `pinpack.build.*` settings (the "Build" section), read for a package's own folder. */
export function buildSettings(folder?: vscode.Uri): { pinMarginMs: number; maxWarnings?: number } {
  const config = vscode.workspace.getConfiguration('pinpack.build', folder);
  const hours = config.get<number>('pinMarginHours', 2);
  const maxWarnings = config.get<number | null>('maxWarnings', null);
  return {
    // Clamped as the settings schema says, in case settings.json was edited by hand.
    pinMarginMs: Math.min(23, Math.max(0, Number.isFinite(hours) ? hours : 2)) * 3_600_000,
    ...(typeof maxWarnings === 'number' && maxWarnings >= 0 ? { maxWarnings: Math.floor(maxWarnings) } : {}),
  };
}

/**
 * How close to expiry a PIN is shown as expiring (tree, status bar): under 2 h, or under the
 * build's PIN margin when that is larger, since the build refuses such a PIN.
 */
export function pinWarningMs(folder?: vscode.Uri): number {
  return Math.max(MIN_WARNING_MS, buildSettings(folder).pinMarginMs);
}
