import * as l10n from '@vscode/l10n';
import encodingDocs from '../../../../../docs/rules/PP2016.md';
import type { BatchCommand, BatchParse } from '../../batch/parser';
import type { Rule, TextEdit } from '../../rule';

/** The first character above U+007F outside `rem` and `::` comments, from `from` on; -1 if none. */
function firstNonAsciiUse(text: string, parse: BatchParse, from: number): number {
  const comments = parse.comments;
  let c = 0;
  for (let i = from; i < text.length; i++) {
    if (text.charCodeAt(i) <= 0x7f) continue;
    while (c < comments.length && (comments[c] as { end: number }).end <= i) c++;
    const comment = comments[c];
    if (comment && comment.start <= i && i < comment.end) {
      i = comment.end - 1;
      continue;
    }
    return i;
  }
  return -1;
}

function isChcp65001(c: BatchCommand): boolean {
  return /(^|[\\/])chcp(\.com)?$/.test(c.name) && c.args[0]?.text === '65001';
}

/** `chcp 65001 >nul` on its own line after the leading `@echo off`, else `@chcp 65001 >nul` at the top. */
function chcpFix(text: string, parse: BatchParse, newline: string): TextEdit {
  const first = parse.commands.find((c) => c.name !== 'rem');
  if (first && first.name === 'echo' && first.args[0]?.text.toLowerCase() === 'off' && first.after === '' && first.depth === 0) {
    const next = parse.lineStarts[first.line + 1];
    if (next !== undefined && next <= text.length) return { start: next, end: next, text: `chcp 65001 >nul${newline}` };
  }
  return { start: 0, end: 0, text: `@chcp 65001 >nul${newline}` };
}

export const batchEncoding: Rule<BatchParse> = {
  id: 'PP2016',
  language: 'batch',
  severity: 'error',
  message: 'Save this batch file as CP932 (Shift-JIS), or as UTF-8 with chcp 65001 before its first non-ASCII text: cmd.exe reads .bat files in the OEM code page, so UTF-8 text turns into garbage and breaks paths.',
  docs: encodingDocs,
  fixable: true,
  check({ file, parsed, report }) {
    const text = file.text;
    if (file.encoding === 'utf16le' || file.encoding === 'utf16be') {
      report({ start: 0, end: 0, message: l10n.t('cmd.exe cannot run a UTF-16 batch file: save it as CP932 (Shift-JIS) or as UTF-8 without a byte-order mark.') });
      return;
    }
    if (file.encoding === 'utf8bom') {
      const first = parsed.commands[0];
      report({ start: 0, end: first ? first.nameEnd : 0, message: l10n.t('Save this batch file without a byte-order mark: cmd.exe reads the BOM as part of the first command, which then fails (with @echo off, every command is echoed).') });
    }
    if (file.firstNonAscii < 0) return;
    const chcp = parsed.commands.find(isChcp65001);
    if (!file.validUtf8) {
      // Read as CP932 (see batch/codepage.ts): U+FFFD marks bytes that CP932 cannot decode either.
      const bad = text.indexOf('\ufffd');
      if (bad >= 0) {
        report({ start: bad, end: bad + 1, message: l10n.t('This batch file is neither UTF-8 nor CP932 (Shift-JIS) text: cmd.exe reads these bytes as garbage; re-save the file as CP932, or as UTF-8 with chcp 65001 at the top.') });
        return;
      }
      const use = chcp ? firstNonAsciiUse(text, parsed, chcp.end) : -1;
      if (chcp && use >= 0) {
        report({ start: chcp.nameStart, end: chcp.end, message: l10n.t('This file is saved as CP932 (Shift-JIS), but after chcp 65001 cmd.exe reads the rest as UTF-8: remove chcp 65001, or save the file as UTF-8.') });
      }
      return;
    }
    const use = firstNonAsciiUse(text, parsed, 0);
    if (use < 0) return;
    if (chcp && chcp.end <= use) return;
    const newline = file.lineEndings.lf > file.lineEndings.crlf ? '\n' : '\r\n';
    const fix = chcpFix(text, parsed, newline);
    const safe = !chcp && fix.start <= use;
    report({
      start: use,
      end: use + 1,
      message: chcp
        ? l10n.t('chcp 65001 comes after the first non-ASCII text: cmd.exe reads the lines before it in the OEM code page (CP932 on Japanese Windows); move chcp 65001 up.')
        : l10n.t('This batch file is UTF-8, but cmd.exe reads it in the OEM code page (CP932 on Japanese Windows): add chcp 65001 >nul before the first non-ASCII text, or save the file as CP932.'),
      ...(safe ? { fix: [fix] } : {}),
    });
  },
};
