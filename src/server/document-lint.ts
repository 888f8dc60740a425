import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DiagnosticSeverity, type Diagnostic, type Range } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { decode, fromText, type DecodedText } from '../core/lint/decode';
import { languageOf, type LintFinding, type RuleConfig } from '../core/lint/engine';
import { IncrementalLint } from '../core/lint/incremental-lint';

const SEVERITY = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, info: DiagnosticSeverity.Information } as const;

/** The path the linter judges a document by: its file path, or the entry path of a zip under review. */
export function documentPath(uri: string): string {
  return uri.startsWith('file:') ? fileURLToPath(uri) : decodeURIComponent(new URL(uri).pathname);
}

/**
 * The editor's text, with the encoding facts of the file it was loaded from: the buffer has no BOM
 * of its own, but saving keeps the file's, and Windows PowerShell 5.1 cares which one it is.
 */
function decoded(uri: string, text: string): DecodedText {
  if (!uri.startsWith('file:')) return fromText(text);
  let bytes: Buffer;
  try {
    bytes = readFileSync(fileURLToPath(uri));
  } catch {
    return fromText(text);
  }
  const { encoding, hasBom } = decode(bytes.subarray(0, 3));
  const buffer = fromText(text, { encoding, hasBom });
  // A batch file saved as CP932 (VS Code's "Japanese (Shift JIS)") stays CP932 when saved again:
  // the batch encoding rule must judge the buffer as CP932 text, not as UTF-8. Only a batch file
  // with non-ASCII text pays for decoding the bytes on disk.
  const cp932 = !hasBom && buffer.firstNonAscii >= 0 && languageOf(documentPath(uri)) === 'batch' && !decode(bytes).validUtf8;
  return cp932 ? { ...buffer, validUtf8: false } : buffer;
}

export interface DocumentLint {
  readonly version: number;
  readonly findings: readonly LintFinding[];
  readonly diagnostics: Diagnostic[];
}

/** What each open document's last lint kept, so the next one re-lints only what an edit touched. */
const linters = new Map<string, IncrementalLint>();

/** Drops what was kept for a document (call it when the document closes). */
export function forgetDocument(uri: string): void {
  linters.delete(uri);
}

/** Lints a document; `hidePssa` leaves out the findings of rules that mirror PSScriptAnalyzer. */
export function lintDocument(document: TextDocument, config: RuleConfig, hidePssa = false): DocumentLint | undefined {
  const path = documentPath(document.uri);
  if (!languageOf(path)) return undefined;
  let linter = linters.get(document.uri);
  if (!linter) linters.set(document.uri, (linter = new IncrementalLint()));
  const result = linter.lint(path, decoded(document.uri, document.getText()), config);
  if (!result) return undefined;
  const findings = hidePssa ? result.findings.filter((f) => !f.pssa) : result.findings;
  const diagnostics = findings.map((f) => diagnosticOf(f, { start: document.positionAt(f.start), end: document.positionAt(f.end) }));
  return { version: document.version, findings, diagnostics };
}

/** The LSP diagnostic of a finding: source `pinpack`, the rule id as code, the PSSA name where it mirrors one. */
export function diagnosticOf(f: LintFinding, range: Range): Diagnostic {
  return { range, severity: SEVERITY[f.severity], code: f.rule, source: 'pinpack', message: f.pssa ? `${f.message} (${f.pssa})` : f.message };
}
