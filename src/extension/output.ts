import * as vscode from 'vscode';

/**
 * PinPack's one output channel, a LogOutputChannel so the user picks the level and VS Code adds
 * timestamps. Nothing logged here may contain a PIN or a password (DESIGN.md §3): callers log
 * user ids, counts and outcomes, never secret values.
 */
export function createOutputChannel(): vscode.LogOutputChannel {
  return vscode.window.createOutputChannel('PinPack', { log: true });
}
