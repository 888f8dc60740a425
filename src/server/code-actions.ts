import * as l10n from '@vscode/l10n';
import { CodeActionKind, type CodeAction, type Range, type TextEdit } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { languageOf, type LintFinding } from '../core/lint/engine';
import { directiveIn } from '../core/lint/suppressions';
import { documentPath, type DocumentLint } from './document-lint';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.pinpack`;

/** The extension's command that opens a rule's documentation page; the argument is the rule id. */
export const SHOW_RULE_DOCS_COMMAND = 'pinpack.showRuleDocumentation';

function toLsp(document: TextDocument, edits: readonly { start: number; end: number; text: string }[]): TextEdit[] {
  return edits.map((e) => ({ range: { start: document.positionAt(e.start), end: document.positionAt(e.end) }, newText: e.text }));
}

function commentStart(document: TextDocument): string {
  return languageOf(documentPath(document.uri)) === 'batch' ? 'REM' : '#';
}

function lineText(document: TextDocument, line: number): string {
  return document.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } });
}

/** A comment above the finding's line that suppresses its rule there, indented like the line. */
function disableForLine(document: TextDocument, finding: LintFinding): TextEdit {
  const line = finding.line - 1;
  const text = lineText(document, line);
  const indent = /^[ \t]*/.exec(text)?.[0] ?? '';
  const eol = text.endsWith('\r\n') ? '\r\n' : '\n';
  return { range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `${indent}${commentStart(document)} pinpack-disable-next-line ${finding.rule}${eol}` };
}

const FILE_DIRECTIVE_LINE = /^[ \t]*(?:#|rem\b|::)[^\r\n]*pinpack-disable-file\b[^\r\n]*/im;

/**
 * Adds the rule to the file's `pinpack-disable-file` comment, or writes one: at the top of a
 * PowerShell script (comments may precede its param block and its help), below a leading
 * `@echo off` in a batch file (so the comment is not echoed).
 */
function disableInFile(document: TextDocument, finding: LintFinding): TextEdit {
  const text = document.getText();
  const existing = FILE_DIRECTIVE_LINE.exec(text);
  if (existing && directiveIn(existing[0])?.ids !== 'all') {
    const end = document.positionAt(existing.index + existing[0].trimEnd().length);
    return { range: { start: end, end }, newText: `, ${finding.rule}` };
  }
  const eol = /\r\n/.test(text) || !/\n/.test(text) ? '\r\n' : '\n';
  const line = commentStart(document) === 'REM' && /^[ \t]*@echo\s+off\b/i.test(lineText(document, 0)) ? 1 : 0;
  // A lone `@echo off` without a line break: the comment goes on a new line after it.
  const alone = line === 1 && document.lineCount === 1;
  const at = alone ? document.positionAt(text.length) : { line, character: 0 };
  const before = alone ? eol : '';
  return { range: { start: at, end: at }, newText: `${before}${commentStart(document)} pinpack-disable-file ${finding.rule}${eol}` };
}

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

/**
 * The code actions for a range of a linted document: each finding's fix, "disable for this
 * line", "disable in this file" and "show documentation"; and fix-all (`source.fixAll.pinpack`,
 * what editor.codeActionsOnSave asks for) over the whole document.
 */
export function codeActions(document: TextDocument, lint: DocumentLint, range: Range, only: readonly string[] | undefined): CodeAction[] {
  const actions: CodeAction[] = [];
  if (!only || only.some((k) => FIX_ALL_KIND.startsWith(k))) {
    const edits = lint.findings.flatMap((f) => f.edits ?? []);
    if (edits.length > 0) {
      actions.push({ title: l10n.t('Fix all PinPack findings that have a safe fix'), kind: FIX_ALL_KIND, edit: { changes: { [document.uri]: toLsp(document, nonOverlapping(edits)) } } });
    }
  }
  if (only && !only.some((k) => CodeActionKind.QuickFix.startsWith(k))) return actions;
  const start = document.offsetAt(range.start);
  const end = document.offsetAt(range.end);
  const documented = new Set<string>();
  const later: CodeAction[] = [];
  // JSON has no comments: a manifest rule is turned off in lint.rules, not by a comment.
  const commentable = languageOf(documentPath(document.uri)) !== 'manifest';
  lint.findings.forEach((finding, i) => {
    if (finding.end < start || finding.start > end) return;
    const diagnostic = lint.diagnostics[i];
    const about = diagnostic ? { diagnostics: [diagnostic] } : {};
    if (finding.edits) {
      actions.push({ title: l10n.t('Fix: {0}', finding.message), kind: CodeActionKind.QuickFix, isPreferred: true, ...about, edit: { changes: { [document.uri]: toLsp(document, finding.edits) } } });
    }
    if (commentable) actions.push({ title: l10n.t('Disable {0} for this line', finding.rule), kind: CodeActionKind.QuickFix, ...about, edit: { changes: { [document.uri]: [disableForLine(document, finding)] } } });
    if (documented.has(finding.rule)) return;
    documented.add(finding.rule);
    if (commentable) later.push({ title: l10n.t('Disable {0} in this file', finding.rule), kind: CodeActionKind.QuickFix, ...about, edit: { changes: { [document.uri]: [disableInFile(document, finding)] } } });
    const title = l10n.t('Show documentation for {0}', finding.rule);
    later.push({ title, kind: CodeActionKind.QuickFix, ...about, command: { title, command: SHOW_RULE_DOCS_COMMAND, arguments: [finding.rule] } });
  });
  return [...actions, ...later];
}
