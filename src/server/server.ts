/**
 * PinPack's language server. The extension starts it as a separate process through
 * vscode-languageclient; the transport (`--node-ipc` or `--stdio`) comes from the command line.
 * It lints the open PowerShell, batch and manifest documents with core/lint as they change, the
 * rest of the workspace in the background, and offers the rules' fixes, suppressions and
 * documentation; in `*.pinpack.log` files it explains Windows MDM enrollment errors.
 */
// First, before the other modules load.
import '../core/lint/tune-heap';
import { fileURLToPath } from 'node:url';
import {
  CodeActionKind,
  createConnection,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { languageOfLocale, useLanguage, type DisplayLanguage } from '../core/language';
import { ruleDocs } from '../core/lint/rule-docs';
import { LintedNotification, RuleDocumentationRequest, ServerProcessInfoRequest, WorkspaceLintedNotification } from '../core/lint/server-protocol';
import { codeActions, FIX_ALL_KIND } from './code-actions';
import { documentPath, forgetDocument, lintDocument, type DocumentLint } from './document-lint';
import { logHover, ruleHover } from './hover';
import { LintConfigs } from './lint-config';
import { WorkspaceLint } from './workspace-lint';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const configs = new LintConfigs();
const results = new Map<string, DocumentLint>();
const pending = new Map<string, NodeJS.Immediate>();

/** The `pinpack.lint` settings, pulled from the client at start and on every change. */
interface LintSettings {
  /** `packages`: only files inside a folder with a pinpack.json; `everywhere`: every script. */
  scope: 'packages' | 'everywhere';
  /** Leave the rules that mirror PSScriptAnalyzer to the PowerShell extension. */
  hidePssaRules: boolean;
}
let settings: LintSettings = { scope: 'packages', hidePssaRules: false };
let canPullSettings = false;
let canWatchFiles = false;
let hasFolderEvents = false;
/** VS Code's display language, from the client's initialize request: messages and rule pages follow it. */
let language: DisplayLanguage = 'en';

const isOpen = (path: string) => documents.all().some((d) => d.uri.startsWith('file:') && fileURLToPath(d.uri) === path);

const workspace = new WorkspaceLint({
  configs,
  settings: () => settings,
  isOpen,
  publish: (uri, diagnostics) => void connection.sendDiagnostics({ uri, diagnostics }),
  progress: () => connection.window.createWorkDoneProgress(),
  finished: (params) => void connection.sendNotification(WorkspaceLintedNotification, params),
  log: (message) => connection.console.warn(message),
});

async function pullSettings(): Promise<void> {
  if (!canPullSettings) return;
  const pulled = (await connection.workspace.getConfiguration('pinpack.lint')) as Partial<LintSettings> | null;
  settings = { scope: pulled?.scope === 'everywhere' ? 'everywhere' : 'packages', hidePssaRules: pulled?.hidePssaRules === true };
}

connection.onInitialize((params): InitializeResult => {
  // The client sends VS Code's display language; the server's own strings and lint messages follow it.
  language = languageOfLocale(params.locale);
  useLanguage(language);
  canPullSettings = params.capabilities.workspace?.configuration === true;
  canWatchFiles = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
  hasFolderEvents = params.capabilities.workspace?.workspaceFolders === true;
  workspace.setFolders(params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []));
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
      hoverProvider: true,
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: 'pinpack', version: PINPACK_VERSION },
  };
});

connection.onInitialized(() => {
  if (hasFolderEvents) {
    connection.workspace.onDidChangeWorkspaceFolders((e) => {
      workspace.changeFolders(
        e.added.map((f) => f.uri),
        e.removed.map((f) => f.uri),
      );
      void workspace.restart();
    });
  }
  if (canWatchFiles) {
    void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/{*.ps1,*.psm1,*.psd1,*.bat,*.cmd,pinpack.json}' }] });
  }
  void pullSettings().then(relintAll);
});
connection.onDidChangeConfiguration(() => void pullSettings().then(relintAll));

/** Re-lints the open documents now and the rest of the workspace in the background. */
function relintAll(): void {
  for (const document of documents.all()) schedule(document);
  void workspace.restart();
}

connection.onDidChangeWatchedFiles(({ changes }) => {
  // A manifest appearing, changing or going changes which files are in a package and their rule levels.
  if (changes.some((c) => c.uri.toLowerCase().endsWith('pinpack.json'))) {
    for (const document of documents.all()) schedule(document);
    void workspace.restart();
    return;
  }
  for (const change of changes) {
    if (!change.uri.startsWith('file:')) continue;
    const path = fileURLToPath(change.uri);
    if (change.type === FileChangeType.Deleted) workspace.clear(path);
    else void workspace.refresh(path);
  }
});

connection.onRequest(ServerProcessInfoRequest, () => {
  const { rss, heapUsed } = process.memoryUsage();
  const { user, system } = process.cpuUsage();
  return { pid: process.pid, version: PINPACK_VERSION, memory: { rss, heapUsed }, cpuMs: (user + system) / 1000 };
});
connection.onRequest(RuleDocumentationRequest, ({ rule }) => ruleDocs(rule.toUpperCase(), language) ?? null);

/** Lints on the next turn of the event loop, so a burst of changes costs one lint. */
function schedule(document: TextDocument): void {
  const queued = pending.get(document.uri);
  if (queued) clearImmediate(queued);
  pending.set(
    document.uri,
    setImmediate(() => lintNow(document.uri)),
  );
}

/** Lints an open document now (cancelling a scheduled lint of it), publishes and keeps the result. */
function lintNow(uri: string): DocumentLint | undefined {
  const queued = pending.get(uri);
  if (queued) clearImmediate(queued);
  pending.delete(uri);
  const current = documents.get(uri);
  if (!current) return undefined;
  const started = performance.now();
  const path = documentPath(current.uri);
  const config = current.uri.startsWith('file:') ? configs.forFile(path) : { rules: {}, inPackage: true };
  const lint = config.inPackage || settings.scope === 'everywhere' ? lintDocument(current, config.rules, settings.hidePssaRules) : undefined;
  if (!lint) {
    if (results.delete(current.uri)) void connection.sendDiagnostics({ uri: current.uri, diagnostics: [] });
    return undefined;
  }
  results.set(current.uri, lint);
  void connection.sendDiagnostics({ uri: current.uri, version: current.version, diagnostics: lint.diagnostics });
  void connection.sendNotification(LintedNotification, { uri: current.uri, durationMs: performance.now() - started, findings: lint.findings.length });
  return lint;
}

documents.onDidOpen((e) => {
  // The editor's text now decides this file's diagnostics, under the editor's URI.
  if (e.document.uri.startsWith('file:')) workspace.clear(fileURLToPath(e.document.uri));
  schedule(e.document);
});
documents.onDidChangeContent((e) => schedule(e.document));
documents.onDidClose((e) => {
  results.delete(e.document.uri);
  forgetDocument(e.document.uri);
  void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  // Closed unsaved edits are gone: the file on disk is what the Problems panel shows again.
  if (e.document.uri.startsWith('file:')) void workspace.refresh(fileURLToPath(e.document.uri));
});

connection.onCodeAction(({ textDocument, range, context }) => {
  const document = documents.get(textDocument.uri);
  if (!document) return [];
  // A request can overtake the lint its document's last change scheduled: editor.codeActionsOnSave
  // asks for source.fixAll.pinpack right after the edit it saves. Answer from a lint of this text.
  const kept = results.get(textDocument.uri);
  const lint = kept && kept.version === document.version && !pending.has(document.uri) ? kept : lintNow(document.uri);
  if (!lint || lint.version !== document.version) return [];
  return codeActions(document, lint, range, context.only);
});

connection.onHover(({ textDocument, position }) => {
  const document = documents.get(textDocument.uri);
  if (!document) return null;
  if (document.uri.toLowerCase().endsWith('.pinpack.log')) return logHover(document, position, language === 'ja');
  return ruleHover(document, results.get(textDocument.uri), position, language);
});

documents.listen(connection);
connection.listen();
