/**
 * Tokens of the PowerShell front end. The kinds are families of PowerShell's own `TokenKind`
 * (see `oracleFamily` in the tests for the mapping): keywords and operators keep their exact
 * spelling in `value`, lower-cased, so rules compare strings rather than enum members.
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

export interface Token {
  kind: TokenKind;
  /** UTF-16 offsets into the decoded text, end exclusive (as PowerShell's Extent offsets). */
  readonly start: number;
  readonly end: number;
  /**
   * Keywords and operators: the canonical lower-case spelling (`-eq`, `(`, `foreach`).
   * Variables: the name without sigil or braces (`env:Path`). Parameters: the name without dash or colon.
   */
  value: string;
  /** True when the parser used this token as a command name. */
  commandName: boolean;
  /** Expandable strings: the `$( )` ranges inside, [start, end) of their contents. */
  nested: Array<[number, number]> | undefined;
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
