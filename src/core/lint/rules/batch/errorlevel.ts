import * as l10n from '@vscode/l10n';
import copyDocs from '../../../../../docs/rules/PP2013.md';
import compareDocs from '../../../../../docs/rules/PP2015.md';
import type { BatchCommand, BatchParse } from '../../batch/parser';
import type { Rule } from '../../rule';

const ERRORLEVEL_REFERENCE = /%errorlevel%|!errorlevel!/i;

function isCopy(c: BatchCommand): boolean {
  return c.name === 'copy' || /(^|[\\/])xcopy(\.exe)?$/.test(c.name.replace(/"/g, ''));
}

/** Whether a command looks at the exit code the command before it left. */
function readsErrorlevel(c: BatchCommand): boolean {
  if (c.name === 'if') {
    const words = c.args.map((a) => a.text.toLowerCase());
    const at = words[0] === 'not' ? 1 : words[0] === '/i' ? (words[1] === 'not' ? 2 : 1) : 0;
    if (words[at] === 'errorlevel') return true;
  }
  // `exit /b` without a code and `goto :eof` pass the current error level on, as the end of the file does.
  if (c.name === 'exit' && c.args.every((a) => a.text.toLowerCase() === '/b')) return true;
  if (c.name === 'goto' && /^:?eof$/i.test(c.args[0]?.text ?? '')) return true;
  return c.args.some((a) => ERRORLEVEL_REFERENCE.test(a.text)) || c.redirections.some((r) => ERRORLEVEL_REFERENCE.test(r.text));
}

/** Commands that leave the error level alone, so a check may come after them. */
const TRANSPARENT = new Set(['rem', 'echo']);

export const copyWithoutCheck: Rule<BatchParse> = {
  id: 'PP2013',
  language: 'batch',
  severity: 'warning',
  message: 'Check the exit code after copy or xcopy (|| exit /b 1, or if errorlevel 1 ...): otherwise a failed copy goes unnoticed and the deployment reports success.',
  docs: copyDocs,
  fixable: false,
  check({ parsed, report }) {
    const commands = parsed.commands;
    for (let i = 0; i < commands.length; i++) {
      const c = commands[i] as BatchCommand;
      if (!isCopy(c)) continue;
      let next: BatchCommand | undefined;
      for (let j = i + 1; j < commands.length; j++) {
        const candidate = commands[j] as BatchCommand;
        if (candidate.after === '&&' || candidate.after === '||') {
          next = candidate;
          break;
        }
        if (TRANSPARENT.has(candidate.name)) continue;
        next = candidate;
        break;
      }
      // The last command of the file: its exit code is the script's.
      if (!next) continue;
      if (next.after === '&&' || next.after === '||' || readsErrorlevel(next)) continue;
      const name = c.name === 'copy' ? 'copy' : 'xcopy';
      report({ start: c.nameStart, end: c.nameEnd, message: l10n.t('Check the exit code after {0} (|| exit /b 1, or if errorlevel 1 ...): otherwise a failed copy goes unnoticed and the deployment reports success.', name) });
    }
  },
};

/** `%errorlevel%==1`, `%errorlevel% == 1`, `%errorlevel% EQU 1`, with or without quotes. */
function comparison(c: BatchCommand): { value: string; start: number; end: number } | undefined {
  const args = c.args;
  let i = 0;
  if (args[i]?.text.toLowerCase() === '/i') i++;
  if (args[i]?.text.toLowerCase() === 'not') i++;
  const first = args[i];
  if (!first) return undefined;
  const unquote = (s: string) => s.replace(/"/g, '');
  const joined = [first, args[i + 1], args[i + 2]].filter((a) => a !== undefined).map((a) => a.text);
  let left: string;
  let right: string | undefined;
  let last = first;
  if (first.text.includes('==') && !first.text.endsWith('==')) {
    [left, right] = first.text.split('==') as [string, string];
  } else if (first.text.endsWith('==')) {
    left = first.text.slice(0, -2);
    right = joined[1];
    last = args[i + 1] ?? first;
  } else if (joined[1] === '==' || /^equ$/i.test(joined[1] ?? '')) {
    left = first.text;
    right = joined[2];
    last = args[i + 2] ?? first;
  } else if (joined[1]?.startsWith('==')) {
    left = first.text;
    right = joined[1].slice(2);
    last = args[i + 1] ?? first;
  } else {
    return undefined;
  }
  if (right === undefined || unquote(left).toLowerCase() !== '%errorlevel%') return undefined;
  const value = unquote(right);
  if (!/^\d+$/.test(value)) return undefined;
  return { value: String(Number(value)), start: first.start, end: last.end };
}

/**
 * cmd expands %VAR% once per line, and once for a whole ( ) block: an `if` that follows another
 * command on its line (`copy a b & if %ERRORLEVEL%==1 ...`), in the same block or in a `for` body
 * sees the error level from before that command ran.
 */
function readBeforeItRuns(c: BatchCommand, previous: BatchCommand | undefined): boolean {
  let root = c;
  while (root.parent) {
    if (root.parent.name === 'for') return true;
    root = root.parent;
  }
  if (root.after !== '') return true;
  return c.depth > 0 && previous !== undefined && previous.depth >= c.depth;
}

export const errorlevelEquals: Rule<BatchParse> = {
  id: 'PP2015',
  language: 'batch',
  severity: 'warning',
  message: 'Write if errorlevel 1 (1 or more) to catch a failure: if %ERRORLEVEL%==1 matches exit code 1 only, so codes such as 2, 4 or 5 pass as success.',
  docs: compareDocs,
  fixable: false,
  check({ parsed, report }) {
    const commands = parsed.commands;
    for (let i = 0; i < commands.length; i++) {
      const c = commands[i] as BatchCommand;
      if (c.name !== 'if') continue;
      const found = comparison(c);
      if (!found) continue;
      if (readBeforeItRuns(c, commands[i - 1])) {
        const instead = found.value === '0' ? 'if not errorlevel 1' : `if errorlevel ${found.value}`;
        report({ start: found.start, end: found.end, message: l10n.t('%ERRORLEVEL% here is expanded when cmd reads the whole line or ( ) block, before the command that sets it runs: use {0} (or !ERRORLEVEL! with EnableDelayedExpansion).', instead) });
      } else if (found.value === '1') {
        report({ start: found.start, end: found.end });
      }
    }
  },
};
