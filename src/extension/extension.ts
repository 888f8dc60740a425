import * as vscode from 'vscode';
import { registerCommand } from './commands';
import { createOutputChannel } from './output';

export function activate(context: vscode.ExtensionContext): void {
  const log = createOutputChannel();
  context.subscriptions.push(log);

  registerCommand(context, log, 'pinpack.showOutput', () => log.show());

  log.info(`PinPack ${PINPACK_VERSION} activated (VS Code ${vscode.version}).`);
}

export function deactivate(): void {
  // Everything PinPack creates is disposed through context.subscriptions.
}
