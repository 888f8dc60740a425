import * as vscode from 'vscode';

/**
 * A notification with progress whose Cancel button aborts the task's signal: the form every
 * long PinPack command takes, since core functions stop on an AbortSignal.
 */
export function withCancellableProgress<T>(title: string, task: (progress: vscode.Progress<{ message?: string; increment?: number }>, signal: AbortSignal) => Promise<T>): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
    const controller = new AbortController();
    token.onCancellationRequested(() => controller.abort());
    return task(progress, controller.signal);
  });
}
