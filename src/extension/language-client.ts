import * as vscode from 'vscode';
import { LintedNotification, RuleDocumentationRequest, ServerProcessInfoRequest, WorkspaceLintedNotification } from '../core/lint/server-protocol';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  State,
  TransportKind,
  type CloseHandlerResult,
  type ErrorHandler,
  type ErrorHandlerResult,
} from 'vscode-languageclient/node';

/** How many crashes within the window the client restarts the server after, before it gives up. */
const MAX_RESTARTS = 4;
const RESTART_WINDOW_MS = 3 * 60 * 1000;

/** The documents PinPack lints: the package scripts and the workspace manifest. */
export const LINTED_DOCUMENTS: { scheme: string; language?: string; pattern?: string }[] = [
  { scheme: 'file', language: 'powershell' },
  { scheme: 'file', language: 'bat' },
  { scheme: 'file', pattern: '**/pinpack.json' },
  // The scripts of a package zip opened for review, linted from memory.
  { scheme: 'pinpack-zip', language: 'powershell' },
  { scheme: 'pinpack-zip', language: 'bat' },
];

/** What the server serves: the linted documents, and device logs for their error-code hovers. */
const SERVED_DOCUMENTS = [...LINTED_DOCUMENTS, { scheme: 'file', language: 'pinpack-log' }];

/**
 * Restarts a crashed server at most MAX_RESTARTS times in RESTART_WINDOW_MS and says so each time,
 * then gives up with a message that names the command to start it again.
 */
class RestartingErrorHandler implements ErrorHandler {
  private crashes: number[] = [];

  constructor(private readonly log: vscode.LogOutputChannel) {}

  error(_error: Error, _message: unknown, count: number | undefined): ErrorHandlerResult {
    return { action: count !== undefined && count <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown };
  }

  closed(): CloseHandlerResult {
    const now = Date.now();
    this.crashes = [...this.crashes.filter((t) => now - t < RESTART_WINDOW_MS), now];
    if (this.crashes.length > MAX_RESTARTS) {
      const message = vscode.l10n.t(
        'The PinPack language server stopped {0} times in 3 minutes and was not restarted: run "PinPack: Restart Language Server" to start it again, and see the PinPack output for the cause.',
        this.crashes.length,
      );
      this.log.error(message);
      return { action: CloseAction.DoNotRestart, message };
    }
    const message = vscode.l10n.t('The PinPack language server stopped unexpectedly and was restarted ({0} of {1}).', this.crashes.length, MAX_RESTARTS);
    this.log.warn(message);
    return { action: CloseAction.Restart, message };
  }
}

/** Creates the client for dist/server.js over Node IPC; the caller starts and disposes it. */
export function createLanguageClient(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): LanguageClient {
  const module = context.asAbsolutePath('dist/server.js');
  return new LanguageClient(
    'pinpack',
    vscode.l10n.t('PinPack Language Server'),
    {
      run: { module, transport: TransportKind.ipc },
      debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
    },
    {
      documentSelector: SERVED_DOCUMENTS,
      // Tells the server when a pinpack.* setting changes; it then pulls pinpack.lint and re-lints.
      synchronize: { configurationSection: 'pinpack' },
      outputChannel: log,
      errorHandler: new RestartingErrorHandler(log),
    },
  );
}

/** Logs each background lint of the workspace, so the output says what the Problems panel holds. */
export function logWorkspaceLints(client: LanguageClient, log: vscode.LogOutputChannel): vscode.Disposable {
  return client.onNotification(WorkspaceLintedNotification, (p) => {
    const what = `${p.files} file(s), ${p.findings} finding(s), ${(p.durationMs / 1000).toFixed(1)} s`;
    log.info(p.cancelled ? `PinPack's background lint of the workspace stopped after ${what}.` : `PinPack linted the workspace in the background: ${what}.`);
  });
}

/** The language status item: whether PinPack is linting the active file, and when it last did. */
export function createLanguageStatus(client: LanguageClient): vscode.Disposable {
  const item = vscode.languages.createLanguageStatusItem('pinpack.lint', LINTED_DOCUMENTS);
  item.name = 'PinPack';
  item.command = { title: vscode.l10n.t('Restart'), command: 'pinpack.restartLanguageServer' };
  const show = (state: State) => {
    item.busy = state === State.Starting;
    item.severity = state === State.Stopped ? vscode.LanguageStatusSeverity.Error : vscode.LanguageStatusSeverity.Information;
    item.text =
      state === State.Running ? vscode.l10n.t('PinPack: linting') : state === State.Starting ? vscode.l10n.t('PinPack: starting') : vscode.l10n.t('PinPack: stopped');
  };
  show(client.state);
  const listener = client.onDidChangeState((e) => show(e.newState));
  const linted = client.onNotification(LintedNotification, (params) => {
    if (vscode.window.activeTextEditor?.document.uri.toString() !== params.uri) return;
    item.detail = vscode.l10n.t('last lint {0}, {1} ms, {2} findings', new Date().toLocaleTimeString(vscode.env.language), params.durationMs.toFixed(1), params.findings);
  });
  return vscode.Disposable.from(item, listener, linted);
}

/** The language server as the rest of the extension uses it, once this module is loaded. */
export interface LanguageFeatures {
  readonly client: LanguageClient;
  /** A rule's documentation page, which the server holds (the extension does not bundle the linter). */
  ruleDocumentation(rule: string): Promise<string | null>;
  restart(): Promise<void>;
}

/**
 * Creates the client, its status item and its log, and starts the server in the background: the
 * extension imports this module after activate() returns and never waits for the server process.
 */
export function startLanguageFeatures(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): LanguageFeatures {
  const client = createLanguageClient(context, log);
  context.subscriptions.push(createLanguageStatus(client), logWorkspaceLints(client, log));
  const started = async (what: string) => {
    const info = await client.sendRequest(ServerProcessInfoRequest);
    log.info(`PinPack language server ${what} (process ${info.pid}).`);
  };
  client.start().then(
    () => started('started'),
    (error: unknown) => log.error(`The PinPack language server did not start: ${String(error)}`),
  );
  return {
    client,
    ruleDocumentation: (rule) => client.sendRequest(RuleDocumentationRequest, { rule }),
    restart: async () => {
      await client.restart();
      await started('restarted');
    },
  };
}
