import * as l10n from '@vscode/l10n';
import type { Hover, Position } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { enrollmentErrorAt, hresultText } from '../core/device-log/enrollment-errors';
import type { DisplayLanguage } from '../core/language';
import { ruleDocs } from '../core/lint/rule-docs';
import { directiveIn } from '../core/lint/suppressions';
import type { DocumentLint } from './document-lint';

const MDM_ERRORS_PAGE = 'https://learn.microsoft.com/windows/win32/mdmreg/mdm-registration-constants';

function lineAt(document: TextDocument, position: Position): string {
  return document.getText({ start: { line: position.line, character: 0 }, end: { line: position.line + 1, character: 0 } }).replace(/\r?\n$/, '');
}

/**
 * The documentation of the rules under the cursor: of the findings there, or of the rules a
 * `pinpack-disable-next-line` / `pinpack-disable-file` comment names (the id under the cursor
 * only, when it is on one).
 */
export function ruleHover(document: TextDocument, lint: DocumentLint | undefined, position: Position, language: DisplayLanguage): Hover | null {
  const offset = document.offsetAt(position);
  const ids = new Set((lint?.findings ?? []).filter((f) => f.start <= offset && offset <= f.end).map((f) => f.rule));
  const line = lineAt(document, position);
  const directive = directiveIn(line);
  if (directive && directive.ids !== 'all') {
    const word = [...line.matchAll(/PP\d{4}/gi)].find((m) => m.index <= position.character && position.character <= m.index + m[0].length);
    for (const id of word ? [word[0].toUpperCase()] : directive.ids) ids.add(id);
  }
  const docs = [...ids].flatMap((id) => ruleDocs(id, language) ?? []);
  return docs.length > 0 ? { contents: { kind: 'markdown', value: docs.join('\n\n---\n\n') } } : null;
}

/** What a Windows MDM enrollment HRESULT under the cursor in a `*.pinpack.log` means, in the display language. */
export function logHover(document: TextDocument, position: Position, japanese: boolean): Hover | null {
  const found = enrollmentErrorAt(lineAt(document, position), position.character);
  if (!found) return null;
  const value = [
    `**${hresultText(found.code)}** \`${found.error.name}\``,
    japanese ? found.error.ja : found.error.en,
    `[${l10n.t('Microsoft: MDM registration error values')}](${MDM_ERRORS_PAGE})`,
  ].join('\n\n');
  return { contents: { kind: 'markdown', value }, range: { start: { line: position.line, character: found.start }, end: { line: position.line, character: found.end } } };
}
