import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ServerProcessInfoRequest } from '../core/lint/server-protocol';
import { registerCommand } from './commands';
import { createLanguageClient, createLanguageStatus } from './language-client';
import { createOutputChannel } from './output';

/** What the integration tests reach, returned from activate() only when VS Code runs tests. */
export interface PinPackTestApi {
  readonly languageClient: LanguageClient;
}

let client: LanguageClient | undefined;

export function activate(context: vscode.ExtensionContext): PinPackTestApi | undefined {
  const log = createOutputChannel();
  context.subscriptions.push(log);

  registerCommand(context, log, 'pinpack.showOutput', () => log.show());

  const languageClient = createLanguageClient(context, log);
  client = languageClient;
  context.subscriptions.push(createLanguageStatus(languageClient));
  const started = async (what: string) => {
    const info = await languageClient.sendRequest(ServerProcessInfoRequest);
    log.info(`PinPack language server ${what} (process ${info.pid}).`);
  };
  registerCommand(context, log, 'pinpack.restartLanguageServer', async () => {
    await languageClient.restart();
    await started('restarted');
  });
  // Started in the background: activation does not wait for the server process.
  languageClient.start().then(
    () => started('started'),
    (error: unknown) => log.error(`The PinPack language server did not start: ${String(error)}`),
  );

  log.info(`PinPack ${PINPACK_VERSION} activated (VS Code ${vscode.version}).`);
  return context.extensionMode === vscode.ExtensionMode.Test ? { languageClient } : undefined;
}

export function deactivate(): Promise<void> | undefined {
  return client?.stop();
}
