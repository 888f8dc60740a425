import * as l10n from '@vscode/l10n';
import {
  AsciiWordTable,
  endsGenericWord,
  isDash,
  isDigit,
  isDoubleQuote,
  isHexDigit,
  isIdentifierChar,
  isNewline,
  isSingleQuote,
  isVariableChar,
  isWhitespace,
} from './chars';
import { CONTEXT_KEYWORDS, DASH_OPERATORS, KEYWORDS, type ParseError, type ScannedToken as Token, type TokenKind, type TokenList } from './tokens';

/**
 * How the parser wants the next characters read, as in PowerShell: in command mode `-x` is a
 * parameter and `a.b` one word; in expression mode `-eq` is an operator and `.` member access.
 * `argument` is command mode after the command name, where `$a++b` or `@a-b` are bare words.
 */
export type Mode = 'command' | 'argument' | 'expression';

/** Each dash operator's spelling by its name without the dash: a lookup that returns the one shared string. */
const DASH_SPELLINGS = new AsciiWordTable([...DASH_OPERATORS.keys()].map((k) => [k.slice(1), k] as const));

/** Keywords the tokenizer returns wherever they stand, by their lower-case spelling. */
const ALWAYS_KEYWORDS = new AsciiWordTable([...KEYWORDS].filter((k) => !CONTEXT_KEYWORDS.has(k)));

/**
 * Token text of 13 to 40 characters seen lately, by a hash of its characters: scripts repeat the
 * same long command, variable and parameter names, so such a token's text is usually found here.
 * A `slice` of 13 characters or more is a view that keeps the whole script alive (an edited
 * document's earlier versions, through the statements the incremental linter keeps); the strings
 * here are copies. Shorter text is copied by `slice` itself, which costs less than a look-up here
 * (measured: interning them too made a parse of the bench corpus ~9% slower for no gain in lint
 * time). Direct-mapped and bounded: a clash replaces.
 */
const INTERN_SIZE = 4096;
const internTable: Array<string | undefined> = new Array<string | undefined>(INTERN_SIZE).fill(undefined);

/** `text.slice(start, end)`; from 13 to 40 characters, a copy shared with an earlier identical string where there is one. */
export function intern(text: string, start: number, end: number): string {
  const length = end - start;
  if (length < 13 || length > 40) return text.slice(start, end);
  let h = length;
  for (let i = start; i < end; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
  const slot = (h ^ (h >>> 13)) & (INTERN_SIZE - 1);
  const seen = internTable[slot];
  if (seen !== undefined && seen.length === length) {
    let same = true;
    for (let i = 0; i < length; i++) {
      if (seen.charCodeAt(i) !== text.charCodeAt(start + i)) {
        same = false;
        break;
      }
    }
    if (same) return seen;
  }
  // A copy, not a slice that would keep the whole script alive.
  const copy = (' ' + text.slice(start, end)).slice(1);
  internTable[slot] = copy;
  return copy;
}

/**
 * A hand-written scanner over char codes, driven by the parser (PowerShell's tokenizer is too:
 * what a character means depends on the mode). Every token scanned is stored in `tokens` at
 * `count`; the parser rewinds with `rewind` when it rescans a token in the other mode, and
 * `finish` cuts the list to `count`. The parser gets each token as a record of its own too,
 * which it drops once it has read it.
 */
export class Lexer {
  pos: number;
  /** How many entries of `tokens` are tokens of the parse. */
  count: number;

  constructor(
    readonly text: string,
    readonly tokens: TokenList,
    readonly errors: ParseError[],
    start: number,
    readonly limit: number,
    /** How many entries of `tokens` are already tokens (by default all of them). */
    count = tokens.length,
  ) {
    this.pos = start;
    this.count = count;
  }

  /** Cuts `tokens` to the tokens of the parse. */
  finish(): void {
    this.tokens.length = this.count;
  }

  ch(i: number): number {
    return i < this.limit ? this.text.charCodeAt(i) : -1;
  }

  error(start: number, end: number, id: string, message: string): void {
    this.errors.push({ start, end, id, message });
  }

  /**
   * Expandable strings with `$( )` inside: the ranges of their contents, [start, end), by the
   * string's start. Kept here rather than on every token record: the lexer makes one record per
   * token scanned (about 1.1 million a pass over the bench corpus), and few strings have any.
   */
  private nested: Map<number, Array<[number, number]>> | undefined;

  push(kind: TokenKind, start: number, end: number, value: string): Token {
    this.tokens.put(this.count++, kind, start, end);
    // Every token gets every field up front: one object shape keeps the parser's access fast.
    const token: Token = { kind, start, end, value };
    this.pos = end;
    return token;
  }

  /** The `$( )` ranges inside the expandable string that starts at `start` (none: undefined). */
  nestedIn(start: number): Array<[number, number]> | undefined {
    return this.nested?.get(start);
  }

  private pushString(kind: TokenKind, start: number, end: number, nested: Array<[number, number]>): Token {
    if (nested.length > 0) (this.nested ??= new Map()).set(start, nested);
    else this.nested?.delete(start);
    return this.push(kind, start, end, '');
  }

  /**
   * Re-labels a token the parser has read (a word it reads as a keyword, or the reverse): the
   * record and the stored token alike.
   */
  retag(token: Token, kind: TokenKind, value: string = token.value): void {
    const t = token as { kind: TokenKind; value: string };
    t.kind = kind;
    t.value = value;
    // Tokens do not overlap and a retagged one is never empty: its start finds the stored one.
    const i = this.tokens.startingAt(token.start, this.count);
    // l10n-exempt: a programming assertion (the parser retags only tokens it has read)
    if (i < 0) throw new Error(`retag: no token at ${token.start}`);
    this.tokens.retag(i, kind);
  }

  /** Moves back to `token`, forgetting it and what was scanned after it. */
  rewind(token: Token, tokenCount: number): void {
    this.count = tokenCount;
    this.pos = token.start;
  }

  /** Skips blanks, comments and line continuations; comments and continuations become tokens. */
  skipTrivia(): void {
    for (;;) {
      const c = this.ch(this.pos);
      if (c === -1) return;
      if (isWhitespace(c)) {
        this.pos++;
      } else if (c === 0x23 /* # */) {
        let i = this.pos + 1;
        while (i < this.limit && !isNewline(this.text.charCodeAt(i))) i++;
        if (this.text.startsWith('requires', this.pos + 1) || /^#requires\b/i.test(this.text.slice(this.pos, this.pos + 10))) this.checkRequires(this.pos, i);
        this.push('Comment', this.pos, i, '');
      } else if (c === 0x3c /* < */ && this.ch(this.pos + 1) === 0x23) {
        const close = this.text.indexOf('#>', this.pos + 2);
        if (close < 0 || close + 2 > this.limit) {
          this.error(this.pos, this.limit, 'MissingTerminatorMultiLineComment', l10n.t('The block comment is missing its closing "#>".'));
          this.push('Comment', this.pos, this.limit, '');
        } else {
          this.push('Comment', this.pos, close + 2, '');
        }
      } else if (c === 0x60 && isWhitespace(this.ch(this.pos + 1))) {
        this.pos += 2;
      } else if (c === 0x60 /* ` */ && isNewline(this.ch(this.pos + 1))) {
        const end = this.ch(this.pos + 1) === 0x0d && this.ch(this.pos + 2) === 0x0a ? this.pos + 3 : this.pos + 2;
        this.push('LineContinuation', this.pos, end, '');
      } else {
        return;
      }
    }
  }

  /** `#Requires` takes only the options PowerShell knows (it checks them at parse time). */
  private checkRequires(start: number, end: number): void {
    const before = start === 0 ? -1 : this.text.charCodeAt(start - 1);
    if (start > 0 && !isNewline(before)) return;
    const known = ['version', 'psedition', 'modules', 'runasadministrator', 'shellid', 'assembly', 'pssnapin'];
    const body = this.text.slice(start + 9, end);
    if (!/^\s/.test(body)) return;
    let offset = start + 9;
    for (const word of body.split(/(\s+)/)) {
      if (isDash(word.charCodeAt(0))) {
        const name = word.slice(1).toLowerCase();
        if (!name || !known.some((k) => k.startsWith(name))) {
          this.error(offset, offset + word.length, 'ScriptRequiresInvalidFormat', l10n.t('#Requires does not know the option {0}: use -Version, -PSEdition, -Modules or -RunAsAdministrator.', word));
          return;
        }
      }
      offset += word.length;
    }
  }

  /** The next token in `mode`; the caller has skipped the trivia before it (`skipTrivia`). */
  scan(mode: Mode): Token {
    const start = this.pos;
    const c = this.ch(start);
    if (c === -1) return this.push('EndOfInput', start, start, '');
    const n = this.ch(start + 1);
    switch (c) {
      case 0x0d:
        return this.push('NewLine', start, n === 0x0a ? start + 2 : start + 1, '\n');
      case 0x0a:
        return this.push('NewLine', start, start + 1, '\n');
      case 0x7b:
        return this.op(start, 1, '{');
      case 0x7d:
        return this.op(start, 1, '}');
      case 0x28:
        return this.op(start, 1, '(');
      case 0x29:
        return this.op(start, 1, ')');
      case 0x3b:
        return this.op(start, 1, ';');
      case 0x2c:
        return this.op(start, 1, ',');
      case 0x5b:
        return mode === 'expression' ? this.op(start, 1, '[') : this.word(start);
      case 0x5d:
        return mode === 'expression' ? this.op(start, 1, ']') : this.word(start);
      case 0x7c:
        return n === 0x7c ? this.op(start, 2, '||') : this.op(start, 1, '|');
      case 0x26:
        return n === 0x26 ? this.op(start, 2, '&&') : this.op(start, 1, '&');
      case 0x40:
        return this.at(start, mode);
      case 0x24:
        return this.variable(start, mode);
    }
    if (mode !== 'expression' && (c === 0x3d || (c === 0x2b && n !== 0x2b) || (c === 0x2a && n !== 0x3e) || c === 0x2f)) return this.word(start);
    if (mode !== 'expression' && c === 0x25 && n !== -1 && !endsGenericWord(n)) return this.word(start);
    switch (c) {
      case 0x3d:
        return this.op(start, 1, '=');
      case 0x21:
        return this.op(start, 1, '!');
      case 0x2b:
        if (n === 0x2b) return this.op(start, 2, '++');
        if (n === 0x3d) return this.op(start, 2, '+=');
        return this.op(start, 1, '+');
      case 0x2a:
        if (n === 0x3e) return this.redirection(start, 1);
        if (n === 0x3d) return this.op(start, 2, '*=');
        return this.op(start, 1, '*');
      case 0x2f:
        return n === 0x3d ? this.op(start, 2, '/=') : this.op(start, 1, '/');
      case 0x25:
        return n === 0x3d ? this.op(start, 2, '%=') : this.op(start, 1, '%');
      case 0x3e:
        return this.redirection(start, 0);
      case 0x3c:
        return this.op(start, 1, '<');
      case 0x3a:
        if (n === 0x3a) return this.op(start, 2, '::');
        return mode === 'expression' ? this.op(start, 1, ':') : this.word(start);
      case 0x3f:
        if (mode !== 'expression' && n !== -1 && !endsGenericWord(n)) return this.word(start);
        if (n === 0x3f) return this.ch(start + 2) === 0x3d ? this.op(start, 3, '??=') : this.op(start, 2, '??');
        return this.op(start, 1, '?');
      case 0x2e:
        return this.dot(start, mode);
    }
    if (c >= 0x31 && c <= 0x36 && n === 0x3e) return this.redirection(start, 1);
    if (isSingleQuote(c)) return this.push('StringLiteral', start, this.singleQuoted(start), '');
    if (isDoubleQuote(c)) return this.expandable(start);
    if (isDigit(c)) {
      const end = this.number(start, mode);
      return end > 0 ? this.push('Number', start, end, '') : this.word(start);
    }
    if (isDash(c)) return this.dash(start, mode);
    if (c === 0x60 && n === -1) this.error(start, start + 1, 'IncompleteString', l10n.t('A backtick at the end of the script escapes nothing: remove it.'));
    return mode !== 'expression' ? this.word(start) : this.expressionWord(start);
  }

  op(start: number, length: number, value: string): Token {
    return this.push('Operator', start, start + length, value);
  }

  private redirection(start: number, streamLength: number): Token {
    let i = start + streamLength + 1;
    if (this.ch(i) === 0x3e) i++;
    else if (this.ch(i) === 0x26 && (this.ch(i + 1) === 0x31 || (this.ch(i + 1) === 0x32 && this.ch(start) === 0x31))) i += 2;
    return this.push('Operator', start, i, intern(this.text, start, i));
  }

  private dot(start: number, mode: Mode): Token {
    const n = this.ch(start + 1);
    if (isDigit(n)) {
      const end = this.number(start, mode);
      if (end > 0) return this.push('Number', start, end, '');
    }
    if (mode === 'expression' && n === 0x2e) return this.op(start, 2, '..');
    if (n === -1 || isWhitespace(n) || isNewline(n)) return this.op(start, 1, '.');
    if (mode === 'expression' && (n === 0x24 || n === 0x28 || isSingleQuote(n) || isDoubleQuote(n))) return this.op(start, 1, '.');
    return this.word(start);
  }

  private dash(start: number, mode: Mode): Token {
    const n = this.ch(start + 1);
    if (mode !== 'expression') {
      if (isDash(n)) {
        if (this.ch(start + 2) === 0x25 /* % */) return this.stopParsing(start);
        return this.word(start);
      }
      if (isDigit(n) || (n === 0x2e && isDigit(this.ch(start + 2)))) {
        const end = this.number(start, mode);
        return end > 0 ? this.push('Number', start, end, '') : this.word(start);
      }
      if (n === -1 || endsGenericWord(n) || !(isIdentifierChar(n) || n === 0x3f || n === 0x5f)) return this.word(start);
      return this.parameter(start);
    }
    if (isDash(n)) return this.op(start, 2, '--');
    if (n === 0x3d) return this.op(start, 2, '-=');
    if (isIdentifierChar(n) && !isDigit(n)) {
      let i = start + 1;
      while (isIdentifierChar(this.ch(i))) i++;
      // Only a name of 1 to 12 characters can be an operator (-f ... -inotcontains); the value
      // kept is the table's own string, so every `-eq` of a script shares one.
      if (i - start <= 13) {
        const name = DASH_SPELLINGS.get(this.text, start + 1, i);
        if (name !== undefined) return this.op(start, i - start, name);
      }
      return this.parameter(start);
    }
    return this.op(start, 1, '-');
  }

  private parameter(start: number): Token {
    let i = start + 1;
    for (;;) {
      const c = this.ch(i);
      if (c === -1 || endsGenericWord(c) || c === 0x2e || isSingleQuote(c) || isDoubleQuote(c)) break;
      i++;
      if (c === 0x3a) break;
    }
    return this.push('Parameter', start, i, intern(this.text, start + 1, this.text.charCodeAt(i - 1) === 0x3a && i - 1 > start ? i - 1 : i));
  }

  /** `--%`: the rest of the line goes to the native command verbatim. */
  private stopParsing(start: number): Token {
    const token = this.op(start, 3, '--%');
    let i = this.pos;
    while (i < this.limit && isWhitespace(this.text.charCodeAt(i))) i++;
    let end = i;
    while (end < this.limit && !isNewline(this.text.charCodeAt(end))) end++;
    if (end > i) this.push('Word', i, end, this.text.slice(i, end));
    return token;
  }

  private at(start: number, mode: Mode): Token {
    const n = this.ch(start + 1);
    if (n === 0x28) return this.op(start, 2, '@(');
    if (n === 0x7b) return this.op(start, 2, '@{');
    if (isSingleQuote(n) || isDoubleQuote(n)) return this.hereString(start, isDoubleQuote(n));
    if (isVariableChar(n)) {
      const i = this.nameEnd(start + 1);
      if (mode === 'argument' && !this.variableEnds(i, false)) return this.word(start);
      this.driveWithoutName(start, i);
      return this.push('SplattedVariable', start, i, intern(this.text, start + 1, i));
    }
    if (n === -1 || isWhitespace(n) || isNewline(n)) this.error(start, start + 1, 'UnrecognizedToken', l10n.t('A lone "@" means nothing: write @(...), @{...} or @name.'));
    return mode !== 'expression' ? this.word(start) : this.expressionWord(start);
  }

  private variable(start: number, mode: Mode): Token {
    const n = this.ch(start + 1);
    if (n === 0x28) return this.op(start, 2, '$(');
    if (n === 0x7b) {
      const i = this.bracedEnd(start, false);
      if (i < 0) return this.push('Variable', start, this.limit, this.text.slice(start + 2, this.limit));
      if (i === start + 2) this.error(start, i + 1, 'EmptyVariableReference', l10n.t('Empty ${} variable reference: put a variable name between the braces.'));
      if (mode === 'argument' && !this.variableEnds(i + 1, true)) return this.word(start);
      return this.push('Variable', start, i + 1, intern(this.text, start + 2, i));
    }
    if (n === 0x24 || n === 0x5e) return this.push('Variable', start, start + 2, String.fromCharCode(n));
    if (n === 0x3f && !isVariableChar(this.ch(start + 2))) return this.push('Variable', start, start + 2, '?');
    if (!isVariableChar(n)) return mode !== 'expression' ? this.word(start) : this.expressionWord(start);
    const i = this.nameEnd(start + 1);
    if (mode === 'argument' && !this.variableEnds(i, false)) return this.word(start);
    this.driveWithoutName(start, i);
    return this.push('Variable', start, i, intern(this.text, start + 1, i));
  }

  /**
   * The offset of the `}` that closes the `${` at `start`, or -1 when the script ends first (an
   * error unless `quiet`). A backtick escapes the next character; an unescaped `{` inside is an
   * error, as in PowerShell. In a bare `${...}` and in one inside an expandable string alike: there
   * too the name runs to its `}`, quotes included (`"${a"b}"` is one string).
   */
  private bracedEnd(start: number, quiet: boolean): number {
    for (let i = start + 2; ; ) {
      const c = this.ch(i);
      if (c === -1) {
        if (!quiet) this.error(start + 1, this.limit, 'IncompleteDollarVariableReference', l10n.t('The ${...} variable reference is missing its closing "}".'));
        return -1;
      }
      if (c === 0x7d) return i;
      if (c === 0x7b && !quiet) {
        this.error(i + 1, i + 1, 'OpenBraceNeedsToBeBackTickedInVariableName', l10n.t('Put a backtick before the "{" in this ${...} variable name: `{.'));
      }
      i += c === 0x60 ? 2 : 1;
    }
  }

  /** The position after the `${...}` at `at` inside a word or a string: after its `}`, or the end of the script. */
  private pastBraced(at: number, quiet: boolean): number {
    const close = this.bracedEnd(at, quiet);
    return close < 0 ? this.limit : close + 1;
  }

  /**
   * The end of a variable name that starts at `from`, after its sigil: name characters, and a
   * colon after a drive or scope (`env:Path`, `script:x`) but not `::` (`$a::b` is a static member).
   */
  private nameEnd(from: number): number {
    let i = from;
    for (;;) {
      const c = this.ch(i);
      if (isVariableChar(c)) i++;
      else if (c === 0x3a && this.ch(i + 1) !== 0x3a) i++;
      else break;
    }
    return i;
  }

  /** `$env:` or `@env:`: a drive or scope with no name after it, from the sigil at `start` to `end`. */
  private driveWithoutName(start: number, end: number): void {
    if (this.text.charCodeAt(end - 1) !== 0x3a) return;
    this.error(start, end, 'InvalidVariableReferenceWithDrive', l10n.t('Variable reference is not valid: ":" was not followed by a variable name. Use {0} to delimit the name.', `\${${this.text.slice(start + 1, end)}}`));
  }

  /**
   * In argument mode, whether a variable whose text ends before `at` is a token of its own, or runs
   * into a bare word (`$dir\x`, `@args-x`, `${a}:b`) that PowerShell reads as one generic token. A
   * terminator ends it, and so does a member, an index or a static member after it: `$a.b`,
   * `@a[0]`, `$a::b`. After `$name` or `@name`, `=` does too (`$a=1` is the variable and the bare
   * word `=1`), but not after `${name}` (`${a}=1` is one word). The same rule for `$` and `@`:
   * checked against pwsh 7.6 for every ASCII punctuation character after each.
   */
  private variableEnds(at: number, braced: boolean): boolean {
    const c = this.ch(at);
    if (c === -1 || endsGenericWord(c) || c === 0x2e /* . */ || c === 0x5b /* [ */) return true;
    // After a full name, a colon can only be the start of `::`.
    return !braced && (c === 0x3a || c === 0x3d /* = */);
  }

  /** Returns the end of a number starting at `start`, or -1 when the characters are not one. */
  private number(start: number, mode: Mode): number {
    let i = start;
    if (isDash(this.ch(i))) i++;
    let digits = 0;
    const c0 = this.ch(i);
    const c1 = this.ch(i + 1) | 0x20;
    if (c0 === 0x30 && c1 === 0x78) {
      i += 2;
      while (isHexDigit(this.ch(i))) (i++, digits++);
    } else if (c0 === 0x30 && c1 === 0x62 && (this.ch(i + 2) === 0x30 || this.ch(i + 2) === 0x31)) {
      i += 2;
      while (this.ch(i) === 0x30 || this.ch(i) === 0x31) (i++, digits++);
    } else {
      while (isDigit(this.ch(i))) (i++, digits++);
      if (this.ch(i) === 0x2e && this.ch(i + 1) !== 0x2e) {
        i++;
        while (isDigit(this.ch(i))) (i++, digits++);
      }
      if (digits > 0 && (this.ch(i) | 0x20) === 0x65) {
        let j = i + 1;
        if (this.ch(j) === 0x2b || isDash(this.ch(j))) j++;
        if (isDigit(this.ch(j))) {
          while (isDigit(this.ch(j))) j++;
          i = j;
        }
      }
    }
    if (digits === 0) return -1;
    // A type suffix (ul, lu, uy, us, u, l, d, y, s, n; the first that matches), then a multiplier (kb ... pb).
    const s0 = this.ch(i) | 0x20;
    const s1 = this.ch(i + 1) | 0x20;
    if (s0 === 0x75 /* u */) i += s1 === 0x6c || s1 === 0x79 || s1 === 0x73 ? 2 : 1;
    else if (s0 === 0x6c /* l */) i += s1 === 0x75 ? 2 : 1;
    else if (s0 === 0x64 || s0 === 0x79 || s0 === 0x73 || s0 === 0x6e /* d y s n */) i++;
    const m0 = this.ch(i) | 0x20;
    if ((m0 === 0x6b || m0 === 0x6d || m0 === 0x67 || m0 === 0x74 || m0 === 0x70) /* k m g t p */ && (this.ch(i + 1) | 0x20) === 0x62 /* b */) i += 2;
    const next = this.ch(i);
    if (isIdentifierChar(next)) return -1;
    if (mode !== 'expression' && next !== -1 && !endsGenericWord(next)) return -1;
    return i;
  }

  /** A bare word in argument mode: runs to whitespace or a pipeline/statement delimiter. */
  word(start: number): Token {
    const end = this.genericEnd(start);
    // Keywords are 2 to 13 ASCII letters; only such words are looked up.
    if (end - start >= 2 && end - start <= 13) {
      const keyword = ALWAYS_KEYWORDS.get(this.text, start, end);
      if (keyword !== undefined) return this.push('Keyword', start, end, keyword);
    }
    return this.push('Word', start, end, intern(this.text, start, end));
  }

  genericEnd(start: number): number {
    let i = start;
    for (;;) {
      const c = this.ch(i);
      if (c === -1 || endsGenericWord(c)) return i;
      if (c === 0x60) {
        const n = this.ch(i + 1);
        if (n === -1 || (i === start && isNewline(n))) return i + 1;
        // As in PowerShell, a backtick inside a word escapes the next character even when it is a
        // line break: `a` + LF + `b` is one word (holding a newline), and of CR LF only the CR is
        // escaped, so the LF ends the word and the line. A continuation needs a blank before it.
        i += 2;
      } else if (i > start && (isSingleQuote(c) || isDoubleQuote(c))) {
        i = isSingleQuote(c) ? this.singleQuoted(i) : this.doubleQuoted(i);
      } else if (c === 0x24 && this.ch(i + 1) === 0x28) {
        i = this.subexpressionEnd(i, 'word');
      } else if (c === 0x24 && this.ch(i + 1) === 0x7b) {
        i = this.pastBraced(i, true);
      } else {
        i++;
      }
    }
  }

  /** A bare word in expression mode: identifier characters only. */
  expressionWord(start: number): Token {
    let i = start;
    while (isIdentifierChar(this.ch(i))) i++;
    if (i === start) i = this.genericEnd(start);
    if (i === start) i = start + 1;
    return this.push('Word', start, i, intern(this.text, start, i));
  }

  /** A member name after `.` or `::` (no blank before it), or undefined when it is not a bare name. */
  memberName(): Token | undefined {
    const start = this.pos;
    let i = start;
    while (isIdentifierChar(this.ch(i))) i++;
    if (i === start) return undefined;
    return this.push(isDigit(this.text.charCodeAt(start)) ? 'Number' : 'Word', start, i, intern(this.text, start, i));
  }

  /** A signed number where an operand is expected (`-5`), or undefined. */
  signedNumber(): Token | undefined {
    const end = this.number(this.pos, 'expression');
    return end > 0 ? this.push('Number', this.pos, end, '') : undefined;
  }

  /** A type name inside `[ ]`: dotted, with `+` for nested types and backtick escapes. */
  typeName(): Token | undefined {
    this.skipTrivia();
    const start = this.pos;
    let i = start;
    for (;;) {
      const c = this.ch(i);
      if (isIdentifierChar(c) || (i > start && (c === 0x2e || c === 0x2b))) i++;
      else if (c === 0x60 && this.ch(i + 1) !== -1) i += 2;
      else break;
    }
    if (i === start) return undefined;
    return this.push('Word', start, i, intern(this.text, start, i));
  }

  /** `:name` at the start of a statement. */
  label(): Token | undefined {
    const start = this.pos;
    if (this.ch(start) !== 0x3a || !isIdentifierChar(this.ch(start + 1))) return undefined;
    let i = start + 1;
    while (isIdentifierChar(this.ch(i))) i++;
    if (this.ch(i) !== -1 && !endsGenericWord(this.ch(i))) return undefined;
    return this.push('Label', start, i, intern(this.text, start + 1, i));
  }

  singleQuoted(start: number, quiet = false): number {
    let i = start + 1;
    for (;;) {
      const c = this.ch(i);
      if (c === -1) {
        if (!quiet) this.error(start, this.limit, 'TerminatorExpectedAtEndOfString', l10n.t('The string is missing its closing quote.'));
        return this.limit;
      }
      if (isSingleQuote(c)) {
        if (isSingleQuote(this.ch(i + 1))) i += 2;
        else return i + 1;
      } else {
        i++;
      }
    }
  }

  /** The end of a double-quoted string; collects the `$( )` ranges inside into `nested`. */
  doubleQuoted(start: number, nested?: Array<[number, number]>, quiet = false): number {
    let i = start + 1;
    for (;;) {
      const c = this.ch(i);
      if (c === -1) {
        if (!quiet) this.error(start, this.limit, 'TerminatorExpectedAtEndOfString', l10n.t('The string is missing its closing quote.'));
        return this.limit;
      }
      if (c === 0x60) {
        i += 2;
      } else if (isDoubleQuote(c)) {
        if (isDoubleQuote(this.ch(i + 1))) i += 2;
        else return i + 1;
      } else if (c === 0x24 && this.ch(i + 1) === 0x28) {
        const end = this.subexpressionEnd(i, quiet ? undefined : 'string');
        nested?.push([i + 2, end - 1]);
        i = end;
      } else if (c === 0x24 && this.ch(i + 1) === 0x7b) {
        i = this.pastBraced(i, quiet);
      } else {
        i++;
      }
    }
  }

  private expandable(start: number): Token {
    const nested: Array<[number, number]> = [];
    return this.pushString('StringExpandable', start, this.doubleQuoted(start, nested), nested);
  }

  private hereString(start: number, expandable: boolean): Token {
    const kind: TokenKind = expandable ? 'HereStringExpandable' : 'HereStringLiteral';
    let i = start + 2;
    while (isWhitespace(this.ch(i))) i++;
    if (!isNewline(this.ch(i))) {
      this.error(i, i + 1, 'UnexpectedCharactersAfterHereStringHeader', l10n.t('Nothing may follow a here-string header on its line: start the text on the next line.'));
      let end = i;
      while (end < this.limit && !isNewline(this.text.charCodeAt(end))) end++;
      return this.push(kind, start, end, '');
    }
    const isQuote = expandable ? isDoubleQuote : isSingleQuote;
    const nested: Array<[number, number]> = [];
    let lineStart = true;
    for (;;) {
      const c = this.ch(i);
      if (c === -1) {
        this.error(start, start + 2, 'TerminatorExpectedAtEndOfString', l10n.t('The here-string is missing its terminator: put "@ (or \'@) at the start of a line.'));
        return this.push(kind, start, this.limit, '');
      }
      if (lineStart && isQuote(c) && this.ch(i + 1) === 0x40 && i > start + 2) {
        return this.pushString(kind, start, i + 2, nested);
      }
      if (isNewline(c)) {
        lineStart = true;
        i++;
        continue;
      }
      lineStart = false;
      if (expandable && c === 0x24 && this.ch(i + 1) === 0x28) {
        const end = this.subexpressionEnd(i, 'string');
        nested.push([i + 2, end - 1]);
        i = end;
      } else if (expandable && c === 0x24 && this.ch(i + 1) === 0x7b) {
        i = this.pastBraced(i, false);
      } else if (expandable && c === 0x60) {
        i += 2;
      } else {
        i++;
      }
    }
  }

  /**
   * The end of the `$( )` at `at`, after its `)`; when the script ends first, the end of the
   * script, reported as PowerShell does (in a string or a bare word) unless `where` is undefined.
   */
  private subexpressionEnd(at: number, where: 'string' | 'word' | undefined): number {
    const end = this.closingParen(at + 2);
    if (end >= 0) return end;
    if (where !== undefined) {
      const message = where === 'word' ? l10n.t('The "$(" in this word is missing its closing ")".') : l10n.t('The "$(" in this string is missing its closing ")".');
      this.error(at, at + 2, 'IncompleteDollarSubexpressionReference', message);
    }
    return this.limit;
  }

  /** From just inside `(`, the position after the matching `)`, skipping strings and comments; -1 when the script ends first. */
  private closingParen(from: number): number {
    let depth = 1;
    let i = from;
    for (;;) {
      const c = this.ch(i);
      if (c === -1) return -1;
      if (c === 0x28) {
        depth++;
        i++;
      } else if (c === 0x29) {
        i++;
        if (--depth === 0) return i;
      } else if (isSingleQuote(c)) {
        i = this.singleQuoted(i, true);
      } else if (isDoubleQuote(c)) {
        i = this.doubleQuoted(i, undefined, true);
      } else if (c === 0x40 && (isSingleQuote(this.ch(i + 1)) || isDoubleQuote(this.ch(i + 1)))) {
        i = this.skipHereString(i);
      } else if (c === 0x60) {
        i += 2;
      } else if (c === 0x3c && this.ch(i + 1) === 0x23) {
        const close = this.text.indexOf('#>', i + 2);
        i = close < 0 || close + 2 > this.limit ? this.limit : close + 2;
      } else if (c === 0x23 && (i === from || isWhitespace(this.ch(i - 1)) || isNewline(this.ch(i - 1)) || this.ch(i - 1) === 0x3b)) {
        while (i < this.limit && !isNewline(this.text.charCodeAt(i))) i++;
      } else {
        i++;
      }
    }
  }

  private skipHereString(start: number): number {
    const expandable = isDoubleQuote(this.ch(start + 1));
    let i = start + 2;
    while (isWhitespace(this.ch(i))) i++;
    if (!isNewline(this.ch(i))) return start + 2;
    const isQuote = expandable ? isDoubleQuote : isSingleQuote;
    for (;;) {
      const c = this.ch(i);
      if (c === -1) return this.limit;
      if (isNewline(c) && isQuote(this.ch(i + 1)) && this.ch(i + 2) === 0x40) return i + 3;
      if (isNewline(c) && c === 0x0d && this.ch(i + 1) === 0x0a && isQuote(this.ch(i + 2)) && this.ch(i + 3) === 0x40) return i + 4;
      i++;
    }
  }
}
