import * as vscode from 'vscode';
import { describeError } from '../core/errors';
import type { Prompts } from './prompts';

/**
 * Registers a command with the error handling every PinPack command shares: a failure is logged
 * and shown once as a clear message, never as an unhandled rejection with a stack trace.
 */
export function registerCommand(
  context: vscode.ExtensionContext,
  log: vscode.LogOutputChannel,
  prompts: Prompts,
  id: string,
  handler: (...args: unknown[]) => unknown,
): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await handler(...args);
      } catch (error) {
        const message = describeError(error);
        log.error(`${id}: ${message}`);
        void prompts.notify('error', message);
        return undefined;
      }
    }),
  );
}
