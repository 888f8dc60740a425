import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
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
  const path = fileURLToPath(uri);
  let bom: Buffer;
  try {
    // Runs at every keystroke: the BOM is in the first 3 bytes, so read only those.
    bom = readHead(path, 3);
  } catch {
    return fromText(text);
  }
  const { encoding, hasBom } = decode(bom);
  const buffer = fromText(text, { encoding, hasBom });
  // A batch file saved as CP932 (VS Code's "Japanese (Shift JIS)") stays CP932 when saved again:
  // the batch encoding rule must judge the buffer as CP932 text, not as UTF-8. Only a batch file
  // with non-ASCII text pays for decoding the bytes on disk.
  if (hasBom || buffer.firstNonAscii < 0 || languageOf(path) !== 'batch') return buffer;
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    return buffer;
  }
  return decode(bytes).validUtf8 ? buffer : { ...buffer, validUtf8: false };
}

function readHead(path: string, length: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(length);
    return head.subarray(0, readSync(fd, head, 0, length, 0));
  } finally {
    closeSync(fd);
  }
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
