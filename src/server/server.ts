/**
 * PinPack's language server. The extension starts it as a separate process through
 * vscode-languageclient; the transport (`--node-ipc` or `--stdio`) comes from the command line.
 * It lints the open PowerShell, batch and manifest documents with core/lint as they change,
 * and offers the rules' fixes, suppressions and documentation.
 */
import * as l10n from '@vscode/l10n';
import {
  CodeActionKind,
  createConnection,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type CodeAction,
  type InitializeResult,
  type TextEdit,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { languageOf, type LintFinding } from '../core/lint/engine';
import { languageOfLocale, useLanguage, type DisplayLanguage } from '../core/language';
import { ruleDocs } from '../core/lint/rule-docs';
import { LintedNotification, ServerProcessInfoRequest } from '../core/lint/server-protocol';
import { documentPath, lintDocument, type DocumentLint } from './document-lint';
import { LintConfigs } from './lint-config';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.pinpack`;

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
/** VS Code's display language, from the client's initialize request: messages and rule pages follow it. */
let language: DisplayLanguage = 'en';

async function pullSettings(): Promise<void> {
  if (!canPullSettings) return;
  const pulled = (await connection.workspace.getConfiguration('pinpack.lint')) as Partial<LintSettings> | null;
  settings = { scope: pulled?.scope === 'everywhere' ? 'everywhere' : 'packages', hidePssaRules: pulled?.hidePssaRules === true };
}

connection.onInitialize(
  (params): InitializeResult => {
    canPullSettings = params.capabilities.workspace?.configuration === true;
    language = languageOfLocale(params.locale);
    useLanguage(language);
    return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
      hoverProvider: true,
    },
    serverInfo: { name: 'pinpack', version: PINPACK_VERSION },
    };
  },
);

connection.onInitialized(() => void pullSettings().then(relintAll));
connection.onDidChangeConfiguration(() => void pullSettings().then(relintAll));

function relintAll(): void {
  for (const document of documents.all()) schedule(document);
}

connection.onRequest(ServerProcessInfoRequest, () => ({ pid: process.pid, version: PINPACK_VERSION }));

/** Lints on the next turn of the event loop, so a burst of changes costs one lint. */
function schedule(document: TextDocument): void {
  const queued = pending.get(document.uri);
  if (queued) clearImmediate(queued);
  pending.set(
    document.uri,
    setImmediate(() => {
      pending.delete(document.uri);
      const current = documents.get(document.uri);
      if (!current) return;
      const started = performance.now();
      const path = documentPath(current.uri);
      const config = current.uri.startsWith('file:') ? configs.forFile(path) : { rules: {}, inPackage: true };
      const lint = config.inPackage || settings.scope === 'everywhere' ? lintDocument(current, config.rules, settings.hidePssaRules) : undefined;
      if (!lint) {
        if (results.delete(current.uri)) void connection.sendDiagnostics({ uri: current.uri, diagnostics: [] });
        return;
      }
      results.set(current.uri, lint);
      void connection.sendDiagnostics({ uri: current.uri, version: current.version, diagnostics: lint.diagnostics });
      void connection.sendNotification(LintedNotification, { uri: current.uri, durationMs: performance.now() - started, findings: lint.findings.length });
    }),
  );
}

documents.onDidOpen((e) => schedule(e.document));
documents.onDidChangeContent((e) => schedule(e.document));
documents.onDidClose((e) => {
  results.delete(e.document.uri);
  void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
});

function toLsp(document: TextDocument, edits: readonly { start: number; end: number; text: string }[]): TextEdit[] {
  return edits.map((e) => ({ range: { start: document.positionAt(e.start), end: document.positionAt(e.end) }, newText: e.text }));
}

/** A comment above the finding's line that suppresses its rule there, indented like the line. */
function suppression(document: TextDocument, finding: LintFinding): TextEdit {
  const line = finding.line - 1;
  const text = document.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } });
  const indent = /^[ \t]*/.exec(text)?.[0] ?? '';
  const eol = text.endsWith('\r\n') ? '\r\n' : '\n';
  const comment = languageOf(documentPath(document.uri)) === 'batch' ? 'REM' : '#';
  return { range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `${indent}${comment} pinpack-disable-next-line ${finding.rule}${eol}` };
}

connection.onCodeAction(({ textDocument, range, context }) => {
  const document = documents.get(textDocument.uri);
  const lint = results.get(textDocument.uri);
  if (!document || !lint || lint.version !== document.version) return [];
  const actions: CodeAction[] = [];
  const only = context.only;
  if (!only || only.some((k) => FIX_ALL_KIND.startsWith(k))) {
    const edits = lint.findings.flatMap((f) => f.edits ?? []);
    if (edits.length > 0) {
      actions.push({ title: l10n.t('Fix all PinPack findings that have a safe fix'), kind: FIX_ALL_KIND, edit: { changes: { [document.uri]: toLsp(document, nonOverlapping(edits)) } } });
    }
  }
  if (only && !only.some((k) => CodeActionKind.QuickFix.startsWith(k))) return actions;
  const start = document.offsetAt(range.start);
  const end = document.offsetAt(range.end);
  for (const finding of lint.findings) {
    if (finding.end < start || finding.start > end) continue;
    const diagnostic = lint.diagnostics[lint.findings.indexOf(finding)];
    if (finding.edits) {
      actions.push({
        title: l10n.t('Fix: {0}', finding.message),
        kind: CodeActionKind.QuickFix,
        isPreferred: true,
        ...(diagnostic ? { diagnostics: [diagnostic] } : {}),
        edit: { changes: { [document.uri]: toLsp(document, finding.edits) } },
      });
    }
    actions.push({
      title: l10n.t('Disable {0} for this line', finding.rule),
      kind: CodeActionKind.QuickFix,
      ...(diagnostic ? { diagnostics: [diagnostic] } : {}),
      edit: { changes: { [document.uri]: [suppression(document, finding)] } },
    });
  }
  return actions;
});

/** Edits that do not overlap, earlier ones first: what fix-all can apply in one go. */
function nonOverlapping<T extends { start: number; end: number }>(edits: readonly T[]): T[] {
  const kept: T[] = [];
  let reach = -1;
  for (const e of [...edits].sort((a, b) => a.start - b.start || a.end - b.end)) {
    if (e.start < reach) continue;
    kept.push(e);
    reach = e.end;
  }
  return kept;
}

connection.onHover(({ textDocument, position }) => {
  const document = documents.get(textDocument.uri);
  const lint = results.get(textDocument.uri);
  if (!document || !lint) return null;
  const offset = document.offsetAt(position);
  const line = document.getText({ start: { line: position.line, character: 0 }, end: { line: position.line + 1, character: 0 } });
  const suppressed = /pinpack-disable-next-line\s+([^\r\n]*)/i.exec(line)?.[1]?.match(/[A-Za-z]+\d+/g) ?? [];
  const ids = [...new Set([...lint.findings.filter((f) => f.start <= offset && offset <= f.end).map((f) => f.rule), ...suppressed.map((id) => id.toUpperCase())])];
  const docs = ids.flatMap((id) => ruleDocs(id, language) ?? []);
  return docs.length > 0 ? { contents: { kind: 'markdown', value: docs.join('\n\n---\n\n') } } : null;
});

documents.listen(connection);
connection.listen();
