import * as vscode from 'vscode';
import { describeError } from '../core/errors';
import type { Prompts } from './prompts';

type Handler = (...args: unknown[]) => unknown;

/** The handlers of commands registered as deferred, once their module has registered them. */
const deferredHandlers = new Map<string, Handler | undefined>();

/**
 * Registers a command with the error handling every PinPack command shares: a failure is logged
 * and shown once as a clear message, never as an unhandled rejection with a stack trace.
 * A command already registered as deferred (see registerDeferredCommands) gets `handler` as its
 * implementation instead of a second registration.
 */
export function registerCommand(context: vscode.ExtensionContext, log: vscode.LogOutputChannel, prompts: Prompts, id: string, handler: Handler): void {
  if (deferredHandlers.has(id)) {
    deferredHandlers.set(id, handler);
    return;
  }
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

/**
 * Registers commands whose implementation is a module that activation does not load: each id is
 * registered at once (so the palette, menus and keybindings find it), and its first use imports
 * the module through `load`, which registers the real handlers with registerCommand. Activation
 * then costs one stub per command, and a command's code is loaded only when someone runs it.
 */
export function registerDeferredCommands(
  context: vscode.ExtensionContext,
  log: vscode.LogOutputChannel,
  prompts: Prompts,
  ids: readonly string[],
  load: () => Promise<void>,
): void {
  let loading: Promise<void> | undefined;
  const loaded = async () => {
    loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    await loading;
  };
  for (const id of ids) {
    registerCommand(context, log, prompts, id, async (...args: unknown[]) => {
      await loaded();
      const handler = deferredHandlers.get(id);
      if (!handler) throw new Error(`PinPack's module for ${id} did not register it.`);
      return handler(...args);
    });
    // Marked after the stub is registered, so that the module's own registration lands here.
    deferredHandlers.set(id, undefined);
  }
}
