import { firstAtOrAbove } from '../positions';
/**
 * Tokens of the PowerShell front end. The kinds are families of PowerShell's own `TokenKind`
 * (see `oracleFamily` in the tests for the mapping). The parser reads each token's `value`
 * (keywords and operators in their exact lower-case spelling, so it compares strings rather than
 * enum members); a parse keeps kinds and offsets only.
 */
export type TokenKind =
  | 'Variable'
  | 'SplattedVariable'
  | 'Parameter'
  | 'Number'
  /** A bare word: PowerShell's Generic and Identifier tokens (command names, arguments, members, type names). */
  | 'Word'
  | 'StringLiteral'
  | 'StringExpandable'
  | 'HereStringLiteral'
  | 'HereStringExpandable'
  | 'Comment'
  | 'NewLine'
  | 'LineContinuation'
  | 'Label'
  | 'Keyword'
  /** Operators and punctuation, redirections included. */
  | 'Operator'
  | 'EndOfInput';

/** A token of a parse, as rules read it (TokenList.at): its text is the source's, from start to end. */
export interface Token {
  readonly kind: TokenKind;
  /** UTF-16 offsets into the decoded text, end exclusive (as PowerShell's Extent offsets). */
  readonly start: number;
  readonly end: number;
}

/**
 * A token as the lexer hands it to the parser: a short-lived record (the parse keeps its tokens in
 * a TokenList, not these), with its value and what else only the parser reads.
 */
export interface ScannedToken extends Token {
  /**
   * Keywords and operators: the canonical lower-case spelling (`-eq`, `(`, `foreach`).
   * Variables: the name without sigil or braces (`env:Path`). Parameters: the name without dash or colon.
   */
  readonly value: string;
}

/** Every TokenKind, by the small number a TokenList stores. */
const KIND_NAMES: readonly TokenKind[] = [
  'Variable', 'SplattedVariable', 'Parameter', 'Number', 'Word', 'StringLiteral', 'StringExpandable', 'HereStringLiteral',
  'HereStringExpandable', 'Comment', 'NewLine', 'LineContinuation', 'Label', 'Keyword', 'Operator', 'EndOfInput',
];
/** The small number a TokenList stores for each kind: `tokens.code(i) === KIND.Comment`. */
export const KIND: Readonly<Record<TokenKind, number>> = Object.freeze(Object.fromEntries(KIND_NAMES.map((k, i) => [k, i])) as Record<TokenKind, number>);

/**
 * KIND[kind], as a switch: the tokenizer stores a code per token, and a look-up of a computed key
 * in KIND was 3% of a lint (profiled), where these reads of named keys of a frozen object are
 * constants to the compiler. The most frequent kinds come first.
 */
function codeOf(kind: TokenKind): number {
  switch (kind) {
    case 'Operator': return KIND.Operator;
    case 'Word': return KIND.Word;
    case 'NewLine': return KIND.NewLine;
    case 'Variable': return KIND.Variable;
    case 'Keyword': return KIND.Keyword;
    case 'StringLiteral': return KIND.StringLiteral;
    case 'Number': return KIND.Number;
    case 'Parameter': return KIND.Parameter;
    case 'StringExpandable': return KIND.StringExpandable;
    case 'Comment': return KIND.Comment;
    case 'EndOfInput': return KIND.EndOfInput;
    case 'SplattedVariable': return KIND.SplattedVariable;
    case 'LineContinuation': return KIND.LineContinuation;
    case 'HereStringLiteral': return KIND.HereStringLiteral;
    case 'HereStringExpandable': return KIND.HereStringExpandable;
    case 'Label': return KIND.Label;
  }
}

const FIRST_STRING = KIND.StringLiteral;
const LAST_STRING = KIND.HereStringExpandable;

/**
 * The tokens of a parse, stored column-wise: kinds and offsets in typed arrays rather than one
 * object per token. A parse keeps all of its tokens (about one per six characters) until the lint
 * is done; as objects they were over a third of what a parse allocated, and the garbage
 * collector copied each of them while the parse was live (the bench corpus parsed twice as fast
 * without them). The columns are typed arrays, outside the collected heap. The values the parser
 * read (variable names and the like) are not kept, which also spares the collector a pointer per
 * token to a new string: a token's text is the source's, from start to end.
 *
 * Entries from `length` up to the capacity are room, not tokens.
 */
export class TokenList {
  length = 0;
  private kinds: Uint8Array;
  private starts: Int32Array;
  private ends: Int32Array;

  /** `capacity`: room for this many tokens before the arrays grow (they grow as needed). */
  constructor(capacity = 16) {
    const n = Math.max(16, capacity);
    this.kinds = new Uint8Array(n);
    this.starts = new Int32Array(n);
    this.ends = new Int32Array(n);
  }

  /**
   * An empty list with room for the tokens of `length` characters of script: real scripts have
   * about one per six characters, so a list made for one per five rarely grows (growing copies every column).
   */
  static forText(length: number): TokenList {
    return new TokenList(Math.min(1 << 22, Math.ceil(length / 5) + 16));
  }

  /** Stores a token at `i` (at most `length`; the list is cut there: what came after is forgotten). */
  put(i: number, kind: TokenKind, start: number, end: number): void {
    if (i >= this.kinds.length) this.grow(i + 1);
    this.kinds[i] = codeOf(kind);
    this.starts[i] = start;
    this.ends[i] = end;
    this.length = i + 1;
  }

  kind(i: number): TokenKind {
    return KIND_NAMES[this.kinds[i] as number] as TokenKind;
  }

  /** The kind as its small number (see KIND). */
  code(i: number): number {
    return this.kinds[i] as number;
  }

  start(i: number): number {
    return this.starts[i] as number;
  }

  end(i: number): number {
    return this.ends[i] as number;
  }

  /** Whether the token is a string of any kind (literal, expandable, here-string). */
  isString(i: number): boolean {
    const kind = this.kinds[i] as number;
    return kind >= FIRST_STRING && kind <= LAST_STRING;
  }

  /** Re-labels a token (the parser does, for words it reads as keywords or the reverse). */
  retag(i: number, kind: TokenKind): void {
    this.kinds[i] = codeOf(kind);
  }

  /** The token at `i` as a record of its own. */
  at(i: number): Token {
    return { kind: this.kind(i), start: this.starts[i] as number, end: this.ends[i] as number };
  }

  /** Every token as a record of its own (tests, tools): a lint reads the columns instead. */
  toArray(): Token[] {
    const out: Token[] = [];
    for (let i = 0; i < this.length; i++) out.push(this.at(i));
    return out;
  }

  /** JSON.stringify writes the tokens, not the columns and their spare room. */
  toJSON(): Token[] {
    return this.toArray();
  }

  /** The index of the first token that starts at or after `offset`; `length` when none does. */
  firstStartingAtOrAfter(offset: number): number {
    return firstAtOrAbove(this.starts, this.length, offset);
  }

  /**
   * The index of the token starting at `offset` among the first `count`; -1 when none does. Of
   * two that start there (an empty token, such as the end of input, then another), the last.
   */
  startingAt(offset: number, count: number): number {
    const i = firstAtOrAbove(this.starts, Math.min(count, this.length), offset + 1) - 1;
    return i >= 0 && (this.starts[i] as number) === offset ? i : -1;
  }

  /** The index of the token that holds `offset` (start <= offset < end); -1 when it falls between tokens. */
  holding(offset: number): number {
    // Tokens are in order and do not overlap: only the last one starting at or before `offset` can hold it.
    const i = firstAtOrAbove(this.starts, this.length, offset + 1) - 1;
    return i >= 0 && (this.ends[i] as number) > offset ? i : -1;
  }

  /** A copy of the first `count` tokens, with room for as many more. */
  head(count: number): TokenList {
    const copy = new TokenList(count * 2);
    copy.kinds.set(this.kinds.subarray(0, count));
    copy.starts.set(this.starts.subarray(0, count));
    copy.ends.set(this.ends.subarray(0, count));
    copy.length = count;
    return copy;
  }

  /** Moves the offsets of tokens [from, to) by `delta` (an edit before them changed the text's length). */
  shift(from: number, to: number, delta: number): void {
    const starts = this.starts;
    const ends = this.ends;
    for (let i = from; i < to; i++) {
      starts[i] = (starts[i] as number) + delta;
      ends[i] = (ends[i] as number) + delta;
    }
  }

  /**
   * Replaces tokens [from, to) with tokens [sourceFrom, sourceTo) of `source`, moving the ones
   * after them: a native move of the columns, not a copy one token at a time.
   */
  replace(from: number, to: number, source: TokenList, sourceFrom: number, sourceTo: number): void {
    const added = sourceTo - sourceFrom;
    const length = this.length - (to - from) + added;
    if (length > this.kinds.length) this.grow(length);
    const tail = from + added;
    this.kinds.copyWithin(tail, to, this.length);
    this.starts.copyWithin(tail, to, this.length);
    this.ends.copyWithin(tail, to, this.length);
    this.kinds.set(source.kinds.subarray(sourceFrom, sourceTo), from);
    this.starts.set(source.starts.subarray(sourceFrom, sourceTo), from);
    this.ends.set(source.ends.subarray(sourceFrom, sourceTo), from);
    this.length = length;
  }

  /** Appends tokens [from, to) of `source`. */
  append(source: TokenList, from: number, to: number): void {
    const length = this.length + (to - from);
    if (length > this.kinds.length) this.grow(length);
    this.kinds.set(source.kinds.subarray(from, to), this.length);
    this.starts.set(source.starts.subarray(from, to), this.length);
    this.ends.set(source.ends.subarray(from, to), this.length);
    this.length = length;
  }

  private grow(needed: number): void {
    const n = Math.max(needed, this.kinds.length * 2);
    const kinds = new Uint8Array(n);
    kinds.set(this.kinds);
    this.kinds = kinds;
    const starts = new Int32Array(n);
    starts.set(this.starts);
    this.starts = starts;
    const ends = new Int32Array(n);
    ends.set(this.ends);
    this.ends = ends;
  }
}

export interface ParseError {
  readonly start: number;
  readonly end: number;
  /** PowerShell's ErrorId where there is one, so the tests can compare with the real parser. */
  readonly id: string;
  readonly message: string;
}

export const KEYWORDS: ReadonlySet<string> = new Set([
  'begin', 'break', 'catch', 'class', 'clean', 'configuration', 'continue', 'data', 'define', 'do', 'dynamicparam',
  'else', 'elseif', 'end', 'enum', 'exit', 'filter', 'finally', 'for', 'foreach', 'from', 'function', 'hidden',
  'if', 'in', 'inlinescript', 'parallel', 'param', 'process', 'return', 'sequence', 'static', 'switch', 'throw',
  'trap', 'try', 'until', 'using', 'var', 'while', 'workflow', 'interface', 'module', 'namespace', 'assembly', 'type',
  'base',
]);

/** Keywords the tokenizer returns only in the positions where the parser asks for them. */
export const CONTEXT_KEYWORDS: ReadonlySet<string> = new Set(['base', 'hidden', 'static', 'module', 'namespace', 'assembly', 'type', 'interface', 'in']);

/** Dash operators with their binary precedence (PowerShell's TokenFlags.BinaryPrecedence*); 0 = unary only. */
export const DASH_OPERATORS: ReadonlyMap<string, number> = (() => {
  const map = new Map<string, number>();
  const comparison = ['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'like', 'notlike', 'match', 'notmatch', 'replace', 'contains', 'notcontains', 'in', 'notin', 'split'];
  for (const op of comparison) {
    map.set(`-${op}`, 5);
    map.set(`-i${op}`, 5);
    map.set(`-c${op}`, 5);
  }
  for (const op of ['is', 'isnot', 'as', 'shl', 'shr', 'join']) map.set(`-${op}`, 5);
  for (const op of ['and', 'or', 'xor']) map.set(`-${op}`, 1);
  for (const op of ['band', 'bor', 'bxor']) map.set(`-${op}`, 2);
  map.set('-f', 12);
  map.set('-not', 0);
  map.set('-bnot', 0);
  return map;
})();

/** Operators that may start a unary expression. */
export const UNARY_DASH_OPERATORS: ReadonlySet<string> = new Set(['-not', '-bnot', '-split', '-isplit', '-csplit', '-join']);
