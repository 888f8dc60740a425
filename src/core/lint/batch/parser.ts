import * as l10n from '@vscode/l10n';
import type { ParseError } from '../powershell/tokens';
import { lineIndexAt } from '../lines';

/**
 * A line-oriented reading of a cmd.exe batch file, as cmd reads it: `^` continues a line,
 * `&`, `&&`, `||` and `|` chain commands, parentheses open blocks at command positions, `if` and
 * `for` carry a command of their own, `:name` is a label and `::` a comment.
 */
export interface BatchWord {
  /** The word as written, quotes included. */
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

export interface BatchCommand {
  /** Lower-case name without `@` or quotes (`robocopy`, `if`, `goto`, `c:\tools\x.exe`). */
  readonly name: string;
  readonly nameStart: number;
  readonly nameEnd: number;
  readonly args: BatchWord[];
  readonly redirections: BatchWord[];
  /** 0-based index of the physical line the command starts on. */
  readonly line: number;
  /** How deep in parenthesised blocks it sits. */
  readonly depth: number;
  /** The operator before it on its line: '' at the start, else `&`, `&&`, `||` or `|`. */
  readonly after: string;
  /** For the command of an `if` or `for`: that `if`/`for` command. */
  readonly parent?: BatchCommand;
  readonly start: number;
  end: number;
}

export interface BatchLabel {
  /** Lower-case, as cmd compares labels. */
  readonly name: string;
  readonly start: number;
  readonly end: number;
  readonly line: number;
}

export interface BatchJump {
  readonly kind: 'goto' | 'call';
  /** Lower-case label name without the colon. */
  readonly target: string;
  readonly start: number;
  readonly end: number;
}

export interface BatchVariable {
  readonly name: string;
  /** `!name!` (delayed expansion) rather than `%name%`. */
  readonly delayed: boolean;
  /** `~dp` of `%~dp0`; empty for a plain reference. */
  readonly modifiers: string;
  readonly start: number;
  readonly end: number;
}

export interface BatchComment {
  readonly text: string;
  readonly start: number;
  readonly end: number;
  readonly line: number;
}

export interface BatchParse {
  /** Start offset of every physical line. */
  readonly lineStarts: number[];
  readonly commands: BatchCommand[];
  readonly labels: BatchLabel[];
  readonly jumps: BatchJump[];
  readonly variables: BatchVariable[];
  readonly comments: BatchComment[];
  readonly errors: ParseError[];
}

const IF_OPERATORS = new Set(['equ', 'neq', 'lss', 'leq', 'gtr', 'geq']);

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x3b /* ; */ || c === 0x2c /* , */ || c === 0x3d /* = */ || c === 0x0b || c === 0x0c;
}

/** Word separators for command names: cmd also splits `echo.` `cd\` and `echo(`. */
function endsName(c: number): boolean {
  return isSpace(c) || c === 0x2f /* / */ || c === 0x2b /* + */ || c === 0x28 || c === 0x29 || c === 0x26 || c === 0x7c || c === 0x3c || c === 0x3e;
}

interface Token {
  readonly kind: 'word' | 'op' | 'redirect';
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

export function parseBatch(text: string): BatchParse {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) lineStarts.push(i + 1);
    else if (c === 0x0d && text.charCodeAt(i + 1) !== 0x0a) lineStarts.push(i + 1);
  }
  const parse: BatchParse = { lineStarts, commands: [], labels: [], jumps: [], variables: [], comments: [], errors: [] };
  scanVariables(text, parse.variables);
  const blocks: number[] = [];
  let line = 0;
  while (line < lineStarts.length) {
    // A logical line runs to a newline that no `^` escapes.
    const start = lineStarts[line] as number;
    let end = start;
    let last = line;
    for (;;) {
      while (end < text.length && text.charCodeAt(end) !== 0x0a && text.charCodeAt(end) !== 0x0d) end++;
      let carets = 0;
      for (let k = end - 1; k >= start && text.charCodeAt(k) === 0x5e; k--) carets++;
      if (carets % 2 === 1 && end < text.length && last + 1 < lineStarts.length) {
        last++;
        end = lineStarts[last] as number;
        continue;
      }
      break;
    }
    parseLine(text, start, end, line, blocks, parse);
    line = last + 1;
  }
  for (const open of blocks) {
    parse.errors.push({ start: open, end: open + 1, id: 'MissingCloseParenthesis', message: l10n.t('This "(" block is never closed: add the matching ")".') });
  }
  return parse;
}

function lineOf(parse: BatchParse, offset: number): number {
  return lineIndexAt(parse.lineStarts, offset);
}

function parseLine(text: string, start: number, end: number, line: number, blocks: number[], parse: BatchParse): void {
  let i = start;
  while (i < end && (isSpace(text.charCodeAt(i)) || text.charCodeAt(i) === 0x40)) i++;
  if (i >= end) return;
  if (text.charCodeAt(i) === 0x3a) {
    if (text.charCodeAt(i + 1) === 0x3a) {
      parse.comments.push({ text: text.slice(i, end), start: i, end, line });
      return;
    }
    let j = i + 1;
    while (j < end && !isSpace(text.charCodeAt(j)) && text.charCodeAt(j) !== 0x2b && text.charCodeAt(j) !== 0x3a) j++;
    if (j > i + 1) parse.labels.push({ name: text.slice(i + 1, j).toLowerCase(), start: i, end: j, line });
    return;
  }
  const tokens = tokenize(text, i, end);
  let k = 0;
  let after = '';
  const commandAt = (parent?: BatchCommand): BatchCommand | undefined => {
    // Block openers at command position.
    while (k < tokens.length && tokens[k]?.kind === 'op' && tokens[k]?.text === '(') {
      blocks.push((tokens[k] as Token).start);
      k++;
    }
    const first = tokens[k];
    if (!first || first.kind === 'op') return undefined;
    if (first.kind === 'redirect') {
      k++;
      return commandAt(parent);
    }
    k++;
    let nameText = first.text;
    let nameEnd = first.end;
    if (nameText.startsWith('@')) nameText = nameText.slice(1);
    // cmd ends a command name at `.`, `/`, `\`, `(`, `:` only for internal commands such as `echo.`
    let n = 0;
    while (n < nameText.length && !endsName(nameText.charCodeAt(n))) n++;
    const bare = nameText.slice(0, n).replace(/"/g, '');
    const lower = bare.toLowerCase();
    const internal = /^(echo|cd|chdir|md|mkdir|rd|rmdir|call|goto|rem|set|if|for|exit|type|title|pushd|popd|setlocal|endlocal|shift|cls|ver|vol|color|prompt|path|pause|start|copy|del|erase|move|ren|rename|dir|verify|break|date|time|assoc|ftype|mklink)(?=[.\\:/(+]|$)/i.exec(bare);
    const name = internal ? (internal[1] as string).toLowerCase() : lower;
    if (internal && (internal[1] as string).length < bare.length) nameEnd = first.start + (first.text.startsWith('@') ? 1 : 0) + (internal[1] as string).length;
    const command: BatchCommand = {
      name,
      nameStart: first.text.startsWith('@') ? first.start + 1 : first.start,
      nameEnd,
      args: [],
      redirections: [],
      line: lineOf(parse, first.start),
      depth: blocks.length,
      after,
      ...(parent ? { parent } : {}),
      start: first.start,
      end: first.end,
    };
    parse.commands.push(command);
    if (name === 'rem') {
      command.end = end;
      parse.comments.push({ text: text.slice(first.start, end), start: first.start, end, line: command.line });
      k = tokens.length;
      return command;
    }
    if (internal && (internal[1] as string).length < bare.length) {
      // `echo.` / `cd\`: the rest of the first word is the first argument.
      const restStart = nameEnd;
      command.args.push({ text: text.slice(restStart, first.end), start: restStart, end: first.end });
    }
    if (name === 'if') return ifCommand(command);
    if (name === 'for') return forCommand(command);
    readArguments(command);
    if (name === 'goto' || name === 'call') jump(command);
    return command;
  };
  const readArguments = (command: BatchCommand): void => {
    while (k < tokens.length) {
      const t = tokens[k] as Token;
      if (t.kind === 'op') {
        if (t.text === ')' && blocks.length === 0) {
          command.args.push({ text: t.text, start: t.start, end: t.end });
          command.end = t.end;
          k++;
          continue;
        }
        if (t.text === '(') {
          command.args.push({ text: t.text, start: t.start, end: t.end });
          command.end = t.end;
          k++;
          continue;
        }
        return;
      }
      if (t.kind === 'redirect') command.redirections.push({ text: t.text, start: t.start, end: t.end });
      else command.args.push({ text: t.text, start: t.start, end: t.end });
      command.end = t.end;
      k++;
    }
  };
  const jump = (command: BatchCommand): void => {
    const target = command.args[0];
    if (!target) return;
    const raw = target.text;
    if (command.name === 'call' && !raw.startsWith(':')) return;
    const name = raw.replace(/^:/, '').toLowerCase();
    if (command.name === 'goto' && name === 'eof') return;
    if (command.name === 'call' && name === 'eof') return;
    if (name.includes('%') || name.includes('!')) return;
    parse.jumps.push({ kind: command.name as 'goto', target: name, start: target.start, end: target.end });
  };
  const word = (): Token | undefined => {
    const t = tokens[k];
    if (t && t.kind === 'word') {
      k++;
      return t;
    }
    return undefined;
  };
  const ifCommand = (command: BatchCommand): BatchCommand => {
    const take = () => {
      const t = word();
      if (t) {
        command.args.push({ text: t.text, start: t.start, end: t.end });
        command.end = t.end;
      }
      return t;
    };
    let t = take();
    if (t && t.text.toLowerCase() === '/i') t = take();
    if (t && t.text.toLowerCase() === 'not') t = take();
    if (!t) {
      parse.errors.push({ start: command.start, end: command.end, id: 'IncompleteIf', message: l10n.t('This "if" has no condition: write if <condition> <command>.') });
      return command;
    }
    const kw = t.text.toLowerCase();
    if (kw === 'errorlevel' || kw === 'exist' || kw === 'defined' || kw === 'cmdextversion') {
      take();
    } else if (t.text.includes('==')) {
      if (t.text.endsWith('==')) take();
    } else {
      const op = tokens[k];
      if (op && op.kind === 'word' && (op.text === '==' || op.text.startsWith('=='))) {
        take();
        if (op.text === '==') take();
      } else if (op && op.kind === 'word' && IF_OPERATORS.has(op.text.toLowerCase())) {
        take();
        take();
      } else {
        parse.errors.push({ start: t.start, end: t.end, id: 'IncompleteIf', message: l10n.t('This "if" condition is incomplete: compare with ==, EQU, NEQ, LSS, LEQ, GTR or GEQ.') });
      }
    }
    after = '';
    const inner = commandAt(command);
    if (!inner && !(tokens[k - 1]?.text === '(')) {
      parse.errors.push({ start: command.start, end: command.end, id: 'IncompleteIf', message: l10n.t('This "if" has no command to run: add one after the condition.') });
    }
    elseClause(command);
    return command;
  };
  const elseClause = (command: BatchCommand): void => {
    // `) else (` on the line that closes the if block, or `else` right after a one-line command.
    const t = tokens[k];
    if (t && t.kind === 'word' && t.text.toLowerCase() === 'else') {
      k++;
      commandAt(command);
    }
  };
  const forCommand = (command: BatchCommand): BatchCommand => {
    let t = word();
    while (t) {
      command.args.push({ text: t.text, start: t.start, end: t.end });
      command.end = t.end;
      if (t.text.toLowerCase() === 'in') break;
      t = word();
    }
    // The set in parentheses: one token run up to the matching ')'.
    const open = tokens[k];
    if (open && open.kind === 'op' && open.text === '(') {
      k++;
      let depth = 1;
      while (k < tokens.length && depth > 0) {
        const x = tokens[k] as Token;
        if (x.kind === 'op' && x.text === '(') depth++;
        if (x.kind === 'op' && x.text === ')') depth--;
        command.end = x.end;
        k++;
      }
    }
    const doWord = word();
    if (!doWord || doWord.text.toLowerCase() !== 'do') {
      parse.errors.push({ start: command.start, end: command.end, id: 'IncompleteFor', message: l10n.t('This "for" is incomplete: write for %%x in (set) do <command>.') });
      return command;
    }
    after = '';
    commandAt(command);
    return command;
  };

  while (k < tokens.length) {
    const t = tokens[k] as Token;
    if (t.kind === 'op' && t.text === ')') {
      k++;
      if (blocks.length === 0) {
        parse.errors.push({ start: t.start, end: t.end, id: 'UnexpectedCloseParenthesis', message: l10n.t('This ")" closes no block: remove it or escape it as ^).') });
      } else {
        blocks.pop();
      }
      const e = tokens[k];
      if (e && e.kind === 'word' && e.text.toLowerCase() === 'else') {
        k++;
        after = '';
        commandAt();
      }
      continue;
    }
    if (t.kind === 'op' && t.text !== '(') {
      after = t.text;
      k++;
      continue;
    }
    const before = k;
    commandAt();
    after = '';
    if (k === before) k++;
  }
}

/** Words, quotes kept; `^` escapes the next character; operators and redirections apart. */
function tokenize(text: string, from: number, to: number): Token[] {
  const tokens: Token[] = [];
  let i = from;
  while (i < to) {
    const c = text.charCodeAt(i);
    if (c === 0x3d && text.charCodeAt(i + 1) === 0x3d) {
      // `if a == b`: a free-standing == is the comparison, although cmd skips a single = as a delimiter.
      tokens.push({ kind: 'word', text: '==', start: i, end: i + 2 });
      i += 2;
      continue;
    }
    if (isSpace(c) || c === 0x0a || c === 0x0d) {
      i++;
      continue;
    }
    if (c === 0x5e && (text.charCodeAt(i + 1) === 0x0d || text.charCodeAt(i + 1) === 0x0a)) {
      // A continued line: the caret and the line break are not part of any word.
      i += text.charCodeAt(i + 1) === 0x0d && text.charCodeAt(i + 2) === 0x0a ? 3 : 2;
      continue;
    }
    if (c === 0x26 || c === 0x7c) {
      const two = text.charCodeAt(i + 1) === c;
      tokens.push({ kind: 'op', text: two ? (c === 0x26 ? '&&' : '||') : String.fromCharCode(c), start: i, end: i + (two ? 2 : 1) });
      i += two ? 2 : 1;
      continue;
    }
    if (c === 0x28 || c === 0x29) {
      tokens.push({ kind: 'op', text: String.fromCharCode(c), start: i, end: i + 1 });
      i++;
      continue;
    }
    const redirect = /^[0-9]?(>>|>|<)(&[0-9])?/.exec(text.slice(i, Math.min(to, i + 5)));
    if (redirect && (c === 0x3e || c === 0x3c || (c >= 0x30 && c <= 0x39 && (text.charCodeAt(i + 1) === 0x3e || text.charCodeAt(i + 1) === 0x3c)))) {
      let j = i + redirect[0].length;
      if (!redirect[2]) {
        while (j < to && isSpace(text.charCodeAt(j))) j++;
        j = wordEnd(text, j, to);
      }
      tokens.push({ kind: 'redirect', text: text.slice(i, j), start: i, end: j });
      i = j;
      continue;
    }
    const j = wordEnd(text, i, to);
    tokens.push({ kind: 'word', text: text.slice(i, j), start: i, end: j });
    i = j > i ? j : i + 1;
  }
  return tokens;
}

function wordEnd(text: string, from: number, to: number): number {
  let i = from;
  let quoted = false;
  while (i < to) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      quoted = !quoted;
      i++;
      continue;
    }
    if (quoted) {
      i++;
      continue;
    }
    if (c === 0x5e) {
      if (text.charCodeAt(i + 1) === 0x0d || text.charCodeAt(i + 1) === 0x0a) break;
      i += 2;
      continue;
    }
    if (isSpace(c) && c !== 0x3d && c !== 0x2c && c !== 0x3b) break;
    if (c === 0x0a || c === 0x0d || c === 0x26 || c === 0x7c || c === 0x28 || c === 0x29 || c === 0x3c || c === 0x3e) {
      // `(` inside a word is text (`echo f(x`); `)` always ends it, since inside a block it closes the block.
      if (c === 0x28 && i > from) {
        i++;
        continue;
      }
      break;
    }
    i++;
  }
  return Math.min(i, to);
}

/** `%name%`, `%1`, `%~dp0`, `%%i`, `%~nx1` and `!name!` references, with their offsets. */
function scanVariables(text: string, out: BatchVariable[]): void {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x25) {
      const n = text.charCodeAt(i + 1);
      if (n === 0x25) {
        if (/[A-Za-z]/.test(text[i + 2] ?? '')) {
          out.push({ name: text[i + 2] as string, delayed: false, modifiers: '', start: i, end: i + 3 });
          i += 2;
        } else {
          i++;
        }
        continue;
      }
      const mod = /^%(~[a-z$:]*)?([0-9*])/i.exec(text.slice(i, i + 20));
      if (mod) {
        out.push({ name: mod[2] as string, delayed: false, modifiers: mod[1] ?? '', start: i, end: i + mod[0].length });
        i += mod[0].length - 1;
        continue;
      }
      let j = i + 1;
      while (j < text.length && text.charCodeAt(j) !== 0x25 && text.charCodeAt(j) !== 0x0a && text.charCodeAt(j) !== 0x0d) j++;
      if (text.charCodeAt(j) === 0x25 && j > i + 1) {
        const inner = text.slice(i + 1, j);
        out.push({ name: inner.split(':')[0] as string, delayed: false, modifiers: '', start: i, end: j + 1 });
        i = j;
      }
    } else if (c === 0x21) {
      let j = i + 1;
      while (j < text.length && /[A-Za-z0-9_.\-:~$#@\[\]]/.test(text[j] as string)) j++;
      if (text.charCodeAt(j) === 0x21 && j > i + 1) {
        out.push({ name: (text.slice(i + 1, j).split(':')[0] as string), delayed: true, modifiers: '', start: i, end: j + 1 });
        i = j;
      }
    }
  }
}
