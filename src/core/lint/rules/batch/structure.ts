import * as l10n from '@vscode/l10n';
import syntaxDocs from '../../../../../docs/rules/PP2000.md';
import lfDocs from '../../../../../docs/rules/PP2001.md';
import undefinedLabelDocs from '../../../../../docs/rules/PP2002.md';
import duplicateLabelDocs from '../../../../../docs/rules/PP2003.md';
import echoOffDocs from '../../../../../docs/rules/PP2004.md';
import exitDocs from '../../../../../docs/rules/PP2007.md';
import delayedDocs from '../../../../../docs/rules/PP2008.md';
import type { BatchParse } from '../../batch/parser';
import type { Rule, TextEdit } from '../../rule';

export const batchSyntax: Rule<BatchParse> = {
  id: 'PP2000',
  language: 'batch',
  severity: 'error',
  message: 'Fix this batch syntax error: cmd.exe would run something else than written.',
  docs: syntaxDocs,
  fixable: false,
  check({ parsed, report }) {
    for (const e of parsed.errors) report({ start: e.start, end: e.end, message: e.message });
  },
};

export const lfLineEndings: Rule<BatchParse> = {
  id: 'PP2001',
  language: 'batch',
  severity: 'error',
  message: 'Save this batch file with CRLF line endings: with LF only, cmd.exe can miss goto and call labels.',
  docs: lfDocs,
  fixable: true,
  check({ file, report }) {
    const { lf, cr } = file.lineEndings;
    if (lf === 0 && cr === 0) return;
    const text = file.text;
    const edits: TextEdit[] = [];
    let first = -1;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x0d && text.charCodeAt(i + 1) === 0x0a) {
        i++;
      } else if (c === 0x0a) {
        if (first < 0) first = i;
        edits.push({ start: i, end: i, text: '\r' });
      } else if (c === 0x0d) {
        if (first < 0) first = i;
        edits.push({ start: i + 1, end: i + 1, text: '\n' });
      }
    }
    report({ start: first, end: first + 1, fix: edits });
  },
};

export const undefinedLabel: Rule<BatchParse> = {
  id: 'PP2002',
  language: 'batch',
  severity: 'error',
  message: 'This label is not defined: add it or fix the name.',
  docs: undefinedLabelDocs,
  fixable: false,
  check({ parsed, report }) {
    const labels = new Set(parsed.labels.map((l) => l.name));
    for (const j of parsed.jumps) {
      if (!labels.has(j.target)) {
        report({ start: j.start, end: j.end, message: l10n.t('{0}: the label :{1} is not defined in this file; add it or fix the name.', `${j.kind} ${j.kind === 'call' ? ':' : ''}${j.target}`, j.target) });
      }
    }
  },
};

export const duplicateLabel: Rule<BatchParse> = {
  id: 'PP2003',
  language: 'batch',
  severity: 'warning',
  message: 'This label is defined twice: rename one, since goto finds whichever comes first after the current line.',
  docs: duplicateLabelDocs,
  fixable: false,
  check({ parsed, report }) {
    const seen = new Map<string, number>();
    for (const l of parsed.labels) {
      const first = seen.get(l.name);
      if (first !== undefined) report({ start: l.start, end: l.end, message: l10n.t(':{0} is already defined on line {1}: rename one of them.', l.name, first + 1) });
      else seen.set(l.name, l.line);
    }
  },
};

export const echoOff: Rule<BatchParse> = {
  id: 'PP2004',
  language: 'batch',
  severity: 'warning',
  message: 'Start the file with @echo off, so every command is not echoed into the deployment log.',
  docs: echoOffDocs,
  fixable: true,
  check({ file, parsed, report }) {
    const first = parsed.commands[0];
    const newline = file.lineEndings.crlf > 0 || (file.lineEndings.lf === 0 && file.lineEndings.cr === 0) ? '\r\n' : '\n';
    if (first && first.name === 'echo' && first.args[0]?.text.toLowerCase() === 'off') {
      const at = first.nameStart;
      if (file.text.charCodeAt(at - 1) !== 0x40) report({ start: at, end: first.end, message: l10n.t('Write @echo off, so the echo off line itself is not echoed.'), fix: [{ start: at, end: at, text: '@' }] });
      return;
    }
    report({ start: 0, end: 0, fix: [{ start: 0, end: 0, text: `@echo off${newline}` }] });
  },
};

export const exitWithoutB: Rule<BatchParse> = {
  id: 'PP2007',
  language: 'batch',
  severity: 'warning',
  message: 'Use exit /b: a plain exit closes the cmd.exe that called the script, and the caller loses the exit code.',
  docs: exitDocs,
  fixable: true,
  check({ parsed, report }) {
    for (const c of parsed.commands) {
      if (c.name !== 'exit') continue;
      if (c.args[0]?.text.toLowerCase() === '/b') continue;
      report({ start: c.nameStart, end: c.nameEnd, fix: [{ start: c.nameEnd, end: c.nameEnd, text: ' /b' }] });
    }
  },
};

export const delayedExpansion: Rule<BatchParse> = {
  id: 'PP2008',
  language: 'batch',
  severity: 'warning',
  message: 'Add setlocal EnableDelayedExpansion before using !name!, or write %name%: without it !name! stays literal text.',
  docs: delayedDocs,
  fixable: false,
  check({ parsed, report }) {
    const enabled = parsed.commands
      .filter((c) => (c.name === 'setlocal' || c.name === 'cmd') && c.args.some((a) => /enabledelayedexpansion|\/v:on/i.test(a.text)))
      .map((c) => c.start);
    const firstEnabled = enabled.length ? Math.min(...enabled) : Infinity;
    for (const v of parsed.variables) {
      if (v.delayed && v.start < firstEnabled) report({ start: v.start, end: v.end, message: l10n.t('!{0}! is used without setlocal EnableDelayedExpansion before it: add that line or write %{0}%.', v.name) });
    }
  },
};
