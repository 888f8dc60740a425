import * as l10n from '@vscode/l10n';
import type * as A from './ast';
import { loneExpression } from './ast';
import { isDash, isDoubleQuote, isIdentifierChar, isNewline, isSingleQuote, isWhitespace } from './chars';
import { intern, Lexer, type Mode } from './lexer';
import { DASH_OPERATORS, KIND, TokenList, UNARY_DASH_OPERATORS, type ParseError, type ScannedToken as Token } from './tokens';

export interface PowerShellParse {
  readonly ast: A.ScriptBlock;
  /** Every top-level token in order, comments and line continuations included. */
  readonly tokens: TokenList;
  readonly errors: readonly ParseError[];
}

/** Parses a whole script. Never throws: syntax errors are in `errors`, the tree covers what parsed. */
export function parsePowerShell(text: string): PowerShellParse {
  return parseWithCheckpoints(text).parse;
}

/**
 * Where the parser stood when it was about to parse a top-level statement of a script that is a
 * plain statement list (no param block, no using, no named blocks): the statement's first
 * offset and how many tokens, errors (before de-duplication) and statements came before it.
 * From such a point on, the parse depends only on the text that follows (and on whether an
 * error came before, which `switch` consults), which is what lets an edit re-parse only the
 * statements it touches (see ./incremental.ts).
 */
export interface Checkpoint {
  start: number;
  tokens: number;
  errors: number;
  statements: number;
}

/** A parse with what incremental re-parsing needs; `checkpoints` is undefined when the script is not a plain statement list. */
export interface CheckpointedParse {
  readonly parse: PowerShellParse;
  readonly text: string;
  /** The errors in the order the parser reported them, before `dedupe`. */
  readonly rawErrors: ParseError[];
  readonly checkpoints: Checkpoint[] | undefined;
}

export function parseWithCheckpoints(text: string): CheckpointedParse;
/** With `sync` (see resumeStatements): the parse may stop early at a top-level checkpoint, returned as `stoppedAt`. */
export function parseWithCheckpoints(text: string, sync: (at: Checkpoint) => boolean): CheckpointedParse & { stoppedAt: Checkpoint | undefined };
export function parseWithCheckpoints(text: string, sync?: (at: Checkpoint) => boolean): CheckpointedParse & { stoppedAt?: Checkpoint | undefined } {
  const tokens = TokenList.forText(text.length);
  const errors: ParseError[] = [];
  const lexer = new Lexer(text, tokens, errors, 0, text.length, 0);
  const parser = new Parser(lexer, errors);
  parser.checkpoints = [];
  parser.sync = sync;
  const ast = parser.script();
  lexer.finish();
  const checkpoints = parser.topLevel ? parser.checkpoints : undefined;
  if (parser.stoppedAt) return { parse: { ast, tokens, errors }, text, rawErrors: errors, checkpoints, stoppedAt: parser.stoppedAt };
  return { parse: { ast, tokens, errors: dedupe(errors) }, text, rawErrors: errors, checkpoints };
}

/**
 * Resumes parsing a plain statement list at `from` (a checkpoint of an earlier parse, whose
 * tokens and errors before it are in `tokens` and `errors`). Before each top-level statement
 * `sync` is asked whether the rest of the earlier parse can be reused from there; if so the
 * parse stops and returns the checkpoint it stopped at (not recorded in `checkpoints`).
 */
export function resumeStatements(
  text: string,
  from: number,
  tokens: TokenList,
  errors: ParseError[],
  sync: (at: Checkpoint) => boolean,
): { statements: A.Statement[]; checkpoints: Checkpoint[]; stoppedAt: Checkpoint | undefined; end: number } {
  const lexer = new Lexer(text, tokens, errors, from, text.length);
  const parser = new Parser(lexer, errors);
  parser.checkpoints = [];
  parser.sync = sync;
  const statements = parser.statementList(undefined, true);
  const stoppedAt = parser.stoppedAt;
  if (!stoppedAt) {
    // What script() does after its statement list.
    const t = parser.peekCommand();
    if (t.kind !== 'EndOfInput') parser.unexpectedAtEnd(t);
  }
  const end = parser.lastEnd();
  lexer.finish();
  return { statements, checkpoints: parser.checkpoints, stoppedAt, end };
}

/**
 * `list`, or a copy of it made to measure when it is short: an array grown by push holds room for
 * at least 16 elements, and a parse keeps all of its lists (its cost is the garbage collector
 * copying what it keeps). The copy is an array literal, not `slice()`: a literal has an
 * allocation site, which V8 pretenures like the nodes that hold the list, where a slice is
 * always young and a pointer from an old node to it is one more the scavenger follows and copies
 * (measured: a fifth fewer bytes surviving scavenges in a full lint). That holds where V8
 * pretenures, as in the extension host (the build's lint gate); pinpack lint and the language
 * server turn pretenuring off (../heap-tuning.ts), and there a literal and a slice are both young.
 */
function fit<T>(list: T[]): T[] {
  switch (list.length) {
    case 1: return [list[0] as T];
    case 2: return [list[0] as T, list[1] as T];
    case 3: return [list[0] as T, list[1] as T, list[2] as T];
    case 4: return [list[0] as T, list[1] as T, list[2] as T, list[3] as T];
    case 5: return [list[0] as T, list[1] as T, list[2] as T, list[3] as T, list[4] as T];
    case 6: return [list[0] as T, list[1] as T, list[2] as T, list[3] as T, list[4] as T, list[5] as T];
    case 7: return [list[0] as T, list[1] as T, list[2] as T, list[3] as T, list[4] as T, list[5] as T, list[6] as T];
    case 8: return [list[0] as T, list[1] as T, list[2] as T, list[3] as T, list[4] as T, list[5] as T, list[6] as T, list[7] as T];
    case 9: return [list[0] as T, list[1] as T, list[2] as T, list[3] as T, list[4] as T, list[5] as T, list[6] as T, list[7] as T, list[8] as T];
    default: return list;
  }
}

/** One error per position: recovery may trip over the same spot twice. */
export function dedupe(errors: ParseError[]): ParseError[] {
  const seen = new Set<number>();
  return errors
    .slice()
    .sort((a, b) => a.start - b.start)
    .filter((e) => (seen.has(e.start) ? false : (seen.add(e.start), true)));
}

/** Messages of expected tokens, built (translated) only when the token is missing; module-level so no closure is made per call. */
const missing = {
  openAfterParam: (): string => l10n.t('Add "(" after param.'),
  closeAttribute: (): string => l10n.t('Close the attribute with "]".'),
  closeTypeName: (): string => l10n.t('Close the type name with "]".'),
  closeArrayType: (): string => l10n.t('Close the array type with "]".'),
  closeGenericArguments: (): string => l10n.t('Close the generic type arguments with "]".'),
  closeCondition: (): string => l10n.t('Close the condition with ")".'),
  closeSwitchValue: (): string => l10n.t('Close the switch value with ")".'),
  openAfterForeach: (): string => l10n.t('Add "(" after foreach.'),
  closeForeachHeader: (): string => l10n.t('Close the foreach header with ")".'),
  openAfterFor: (): string => l10n.t('Add "(" after for.'),
  closeForHeader: (): string => l10n.t('Close the for header with ")".'),
  openBaseArguments: (): string => l10n.t('Add the base constructor arguments "( )".'),
  closeIndex: (): string => l10n.t('Close the index with "]".'),
};

/**
 * The one empty list of every node without redirections, and of every string without `$( )`: a
 * parse keeps all of its lists, and most of these are empty. Frozen, so that no one adds to it.
 */
const NO_REDIRECTIONS = Object.freeze([]) as unknown as A.Redirection[];
const NO_NESTED = Object.freeze([]) as unknown as A.Statement[][];

/** An expression as an element of a pipeline of several (or of one run in the background). */
function commandExpression(expression: A.Expression): A.CommandExpression {
  return { type: 'CommandExpression', start: expression.start, end: expression.end, expression, redirections: NO_REDIRECTIONS };
}

/** What pipelineElement returned, as a Pipeline's element. */
function pipeElement(element: A.Command | A.CommandExpression | A.Expression): A.Command | A.CommandExpression {
  return element.type === 'Command' || element.type === 'CommandExpression' ? element : commandExpression(element);
}

const ASSIGNMENT = new Set(['=', '+=', '-=', '*=', '/=', '%=', '??=']);
const STATEMENT_KEYWORDS = new Set([
  'if', 'switch', 'foreach', 'for', 'while', 'do', 'function', 'filter', 'workflow', 'try', 'trap',
  'break', 'continue', 'return', 'exit', 'throw', 'data', 'class', 'enum', 'using',
]);
const BLOCK_NAMES = new Set(['begin', 'process', 'end', 'dynamicparam', 'clean']);

/** The one token scanned ahead; a single mutable record, since the parser peeks for every token. */
interface Lookahead {
  token: Token;
  mode: Mode;
  tokenCount: number;
  /** Errors the lexer reported while scanning this token, withdrawn if it is rescanned. */
  scanErrors: ParseError[] | undefined;
}

/**
 * The token lists of the statements inside `$( )` in strings, one per depth, reused: such a
 * statement's tokens are not the script's (its nodes are), and are read only while it is parsed.
 */
const NESTED_TOKENS: TokenList[] = [];

function nestedTokens(depth: number): TokenList {
  return (NESTED_TOKENS[depth] ??= new TokenList(256));
}

const COMMENT = KIND.Comment;
const LINE_CONTINUATION = KIND.LineContinuation;
const NEWLINE = KIND.NewLine;
const OPERATOR = KIND.Operator;

const OPENERS: ReadonlySet<string> = new Set(['(', '$(', '@(', '@{', '{']);
const OPERAND_STARTS: ReadonlySet<string> = new Set(['(', '$(', '@(', '@{', '{', '[', '!', '-', '+', '++', '--', ',']);

/**
 * Tokens that read the same in every mode (PowerShell's TokenFlags.ParseModeInvariant), so a
 * change of mode needs no rescan; variables read the same in command and expression mode.
 */
function invariant(t: Token, from: Mode, to: Mode): boolean {
  switch (t.kind) {
    case 'NewLine':
    case 'EndOfInput':
    case 'StringLiteral':
    case 'StringExpandable':
    case 'HereStringLiteral':
    case 'HereStringExpandable':
      return true;
    case 'Variable':
      return from !== 'argument' && to !== 'argument';
    case 'Operator':
      switch (t.value) {
        case '(':
        case ')':
        case '{':
        case '}':
        case ';':
        case ',':
        case '|':
        case '||':
        case '&&':
        case '&':
        case '@(':
        case '@{':
        case '$(':
          return true;
        default:
          return false;
      }
    default:
      return false;
  }
}

/** A character that may start a member name after `.`: a name, `$var`, `(expr)`, `@(...)` or a quoted string. */
function startsMember(k: number): boolean {
  return isIdentifierChar(k) || k === 0x24 || k === 0x28 || k === 0x40 || isSingleQuote(k) || isDoubleQuote(k);
}

function isRedirection(t: Token): boolean {
  return t.kind === 'Operator' && (t.value.includes('>') || t.value === '<');
}

/**
 * Whether a number at the start of a command, followed by the character `c`, is part of a bare
 * word instead (a command name): PowerShell reads `1.5$x`, `0x10$y`, `1MB$null` or `1:x` there as
 * one generic token, but `1+2`, `1..3` or `1)` as a number. Checked with pwsh 7.6 for every
 * ASCII punctuation character after a number.
 */
function runsIntoCommandName(c: number): boolean {
  switch (c) {
    case 0x24: // $
    case 0x3a: // :
    case 0x3f: // ?
    case 0x40: // @
    case 0x5b: // [
    case 0x5c: // \
    case 0x5e: // ^
    case 0x7e: // ~
    case 0x60: // backtick
      return true;
    default:
      return false;
  }
}

/**
 * Whether PowerShell starts the next statement right after this one, with no new line or `;`
 * between them (`if ($a) { 1 } Write-Output 2`, `function f { } f`): after the keyword
 * statements, and an assignment of one (`$x = if ($a) { 1 } b`), but not after a pipeline or an
 * expression. Checked with pwsh 7.6 for each kind of statement.
 */
function needsNoSeparator(s: A.Statement): boolean {
  switch (s.type) {
    case 'If':
    case 'While':
    case 'DoWhile':
    case 'DoUntil':
    case 'For':
    case 'Foreach':
    case 'Switch':
    case 'Try':
    case 'Trap':
    case 'FunctionDefinition':
    case 'Data':
    case 'TypeDefinition':
      return true;
    case 'Assignment':
      return s.right !== undefined && needsNoSeparator(s.right);
    default:
      return false;
  }
}

class Parser {
  /** Set by parseWithCheckpoints/resumeStatements: the top-level statement checkpoints. */
  checkpoints: Checkpoint[] | undefined;
  /** True once the script turned out to be a plain top-level statement list. */
  topLevel = false;
  sync: ((at: Checkpoint) => boolean) | undefined;
  stoppedAt: Checkpoint | undefined;
  private la: Lookahead | undefined;
  private readonly box: Lookahead = { token: { kind: 'EndOfInput', start: 0, end: 0, value: '' }, mode: 'command', tokenCount: 0, scanErrors: undefined };

  constructor(
    private readonly lx: Lexer,
    private readonly errors: ParseError[],
    /** How deep in `$( )` inside strings this parser is: 0 for the script itself. */
    private readonly nesting = 0,
  ) {}

  // ---- token plumbing -------------------------------------------------------------------

  private peek(mode: Mode): Token {
    const la = this.la;
    if (la) {
      if (la.mode === mode) return la.token;
      if (invariant(la.token, la.mode, mode) || (mode === 'expression' && la.token.kind === 'Number' && !isDash(this.lx.text.charCodeAt(la.token.start)))) {
        // (A number read in command mode ends where a bare word would, at a blank, newline, `;`,
        // `|`, ..., which no number continues, so it reads the same in expression mode; a signed
        // one, `-5`, does not: there it is an operator and a number.)
        la.mode = mode;
        return la.token;
      }
      this.unscan(la);
    }
    this.lx.skipTrivia();
    const box = this.box;
    box.tokenCount = this.lx.count;
    const errorCount = this.errors.length;
    box.token = this.lx.scan(mode);
    box.mode = mode;
    box.scanErrors = this.errors.length > errorCount ? this.errors.slice(errorCount) : undefined;
    this.la = box;
    return box.token;
  }

  private next(mode: Mode): Token {
    const token = this.peek(mode);
    this.la = undefined;
    return token;
  }

  /** Forgets the lookahead so the lexer stands right after the last consumed token. */
  private drop(): void {
    if (this.la) this.unscan(this.la);
  }

  private unscan(la: Lookahead): void {
    this.lx.rewind(la.token, la.tokenCount);
    const scanErrors = la.scanErrors;
    if (scanErrors !== undefined) {
      for (const e of scanErrors) {
        const i = this.errors.lastIndexOf(e);
        if (i >= 0) this.errors.splice(i, 1);
      }
    }
    this.la = undefined;
  }

  private error(start: number, end: number, id: string, message: string): void {
    this.errors.push({ start, end, id, message });
  }

  /** A splatted variable used as a value: in an expression, or with a member or index after it. */
  private splatNotPermitted(t: Token): void {
    this.error(t.start, t.end, 'SplattingNotPermitted', l10n.t('Splatting (@name) works only in command arguments: use $name here.'));
  }

  private isOp(t: Token, value: string): boolean {
    return t.kind === 'Operator' && t.value === value;
  }

  private skipNewlines(mode: Mode = 'command'): void {
    while (this.peek(mode).kind === 'NewLine') this.next(mode);
  }

  /** `message` is a function so that the message is only translated when the token is missing. */
  private expectOp(value: string, mode: Mode, id: string, message: () => string): Token | undefined {
    const t = this.peek(mode);
    if (this.isOp(t, value)) return this.next(mode);
    this.error(t.start, t.start, id, message());
    return undefined;
  }

  private isTerminator(t: Token): boolean {
    if (t.kind === 'NewLine' || t.kind === 'EndOfInput') return true;
    return t.kind === 'Operator' && (t.value === ';' || t.value === ')' || t.value === '}' || t.value === '|' || t.value === '&&' || t.value === '||' || t.value === '&');
  }

  /** A token that ends a statement; `&` does not, since a pipeline may start with the call operator. */
  private endsStatement(t: Token): boolean {
    return this.isTerminator(t) && !this.isOp(t, '&');
  }

  /** The end of the last token consumed (comments, continuations and newlines not counted). */
  private get end(): number {
    const tokens = this.lx.tokens;
    for (let i = (this.la ? this.la.tokenCount : this.lx.count) - 1; i >= 0; i--) {
      const kind = tokens.code(i);
      if (kind !== COMMENT && kind !== LINE_CONTINUATION && kind !== NEWLINE) return tokens.end(i);
    }
    return this.lx.pos;
  }

  // ---- script blocks and statements --------------------------------------------------------

  script(): A.ScriptBlock {
    const body = this.scriptBlockBody(0, undefined);
    if (this.stoppedAt) return body;
    const t = this.peek('command');
    if (t.kind !== 'EndOfInput') this.unexpectedAtEnd(t);
    return body;
  }

  unexpectedAtEnd(t: Token): void {
    this.error(t.start, t.end, 'UnexpectedToken', l10n.t('Unexpected token: remove it or complete the statement before it.'));
  }

  peekCommand(): Token {
    return this.peek('command');
  }

  lastEnd(): number {
    return this.end;
  }

  /** The inside of `{ }` or of a whole file: an optional param block, then named blocks or statements. */
  private scriptBlockBody(start: number, closer: '}' | undefined): A.ScriptBlock {
    const block: A.ScriptBlock = { type: 'ScriptBlock', start, end: start, usings: [], paramBlock: undefined, blocks: [] };
    this.skipNewlinesAndSemis();
    this.usingStatements(block);
    block.paramBlock = this.paramBlock();
    this.skipNewlinesAndSemis();
    const first = this.peek('command');
    // A body that starts with a block name is one of named blocks, as in PowerShell: `process`
    // without its `{ }` there is a missing block, not a command.
    if (first.kind === 'Keyword' && BLOCK_NAMES.has(first.value)) {
      for (;;) {
        this.skipNewlinesAndSemis();
        const t = this.peek('command');
        if (t.kind === 'EndOfInput' || (closer && this.isOp(t, closer))) break;
        if (t.kind === 'Keyword' && BLOCK_NAMES.has(t.value)) {
          this.next('command');
          if (block.blocks.some((b) => b.name === t.value)) this.error(t.start, t.end, 'DuplicateScriptCommandClause', l10n.t('There are two {0} blocks: merge them.', t.value));
          const body = this.statementBlock(t.end, 'MissingNamedStatementBlock');
          block.blocks.push({ type: 'NamedBlock', start: t.start, end: body?.end ?? t.end, name: t.value, statements: body?.statements ?? [] });
        } else {
          this.error(t.start, t.end, 'MissingNamedBlocks', l10n.t('Only begin, process, end, clean and dynamicparam blocks may follow a named block.'));
          this.recoverToTerminator(closer);
          if (this.peek('command').kind === 'NewLine') this.next('command');
        }
      }
    } else {
      const top = closer === undefined && start === 0 && this.checkpoints !== undefined && block.usings.length === 0 && block.paramBlock === undefined;
      const statements = this.statementList(closer, top);
      block.blocks.push({ type: 'NamedBlock', start: this.startOf(statements, start), end: this.end, name: 'end', statements });
    }
    block.end = this.end;
    return block;
  }

  private startOf(statements: A.Statement[], fallback: number): number {
    return statements[0]?.start ?? fallback;
  }

  private skipNewlinesAndSemis(): void {
    for (;;) {
      const t = this.peek('command');
      if (t.kind === 'NewLine' || this.isOp(t, ';')) this.next('command');
      else return;
    }
  }

  private usingStatements(block: A.ScriptBlock): void {
    for (;;) {
      const t = this.peek('command');
      if (!(t.kind === 'Keyword' && t.value === 'using')) return;
      block.usings.push(this.usingStatement());
      this.skipNewlinesAndSemis();
    }
  }

  private usingStatement(): A.UsingStatement {
    const t = this.next('command');
    const words: string[] = [];
    for (;;) {
      const w = this.peek('command');
      if (this.isTerminator(w)) break;
      this.next('command');
      const lower = w.value.toLowerCase();
      if (words.length === 0 && (lower === 'namespace' || lower === 'module' || lower === 'assembly' || lower === 'type')) {
        this.lx.retag(w, 'Keyword', lower);
      } else if (w.kind === 'Keyword') {
        this.lx.retag(w, 'Word');
      }
      words.push(this.lx.text.slice(w.start, w.end));
    }
    if (words.length === 0 || !['namespace', 'module', 'assembly', 'type'].includes(words[0]?.toLowerCase() ?? '')) {
      this.error(t.end, t.end, 'MissingUsingStatementDirective', l10n.t('Add what to use after "using": namespace, module or assembly and a name.'));
    }
    return { type: 'Using', start: t.start, end: this.end, words };
  }

  /**
   * Where the parse stands, as if the lookahead were not scanned yet; the lookahead is kept, so the
   * token peeked before a snapshot (`[` of an attribute, say) is not scanned a second time.
   */
  private snapshot(): { pos: number; tokens: number; errors: number } {
    const la = this.la;
    if (la !== undefined) {
      // A lookahead with errors of its own is forgotten first, which withdraws them (not
      // necessarily the last errors reported).
      if (la.scanErrors === undefined) return { pos: la.token.start, tokens: la.tokenCount, errors: this.errors.length };
      this.unscan(la);
    }
    return { pos: this.lx.pos, tokens: this.lx.count, errors: this.errors.length };
  }

  private restore(s: { pos: number; tokens: number; errors: number }): void {
    this.la = undefined;
    this.lx.pos = s.pos;
    this.lx.count = s.tokens;
    this.errors.length = s.errors;
  }

  private paramBlock(): A.ParamBlock | undefined {
    const saved = this.snapshot();
    const attributes = this.attributeList(true).filter((a): a is A.AttributeNode => a.type === 'Attribute');
    this.skipNewlines();
    const t = this.peek('command');
    if (!(t.kind === 'Keyword' && t.value === 'param')) {
      this.restore(saved);
      return undefined;
    }
    this.next('command');
    this.skipNewlines();
    const open = this.expectOp('(', 'expression', 'MissingOpenParenthesisAfterKeyword', missing.openAfterParam);
    const parameters = open ? this.parameterList() : [];
    return { type: 'ParamBlock', start: attributes[0]?.start ?? t.start, end: this.end, attributes, parameters };
  }

  /** Parameters up to and including the closing `)`. */
  private parameterList(): A.ParameterNode[] {
    const parameters: A.ParameterNode[] = [];
    const names = new Set<string>();
    for (;;) {
      this.skipNewlines('expression');
      const t = this.peek('expression');
      if (this.isOp(t, ')')) {
        this.next('expression');
        break;
      }
      const attributes = this.attributeList(false);
      this.skipNewlines('expression');
      const v = this.peek('expression');
      if (v.kind !== 'Variable') {
        this.error(v.start, v.end, 'InvalidFunctionParameter', l10n.t('A parameter must be a $variable, optionally after attributes and a type.'));
        this.recoverInParens();
        break;
      }
      this.next('expression');
      const variable: A.VariableExpr = { type: 'Variable', start: v.start, end: v.end, name: v.value, splatted: false };
      const key = v.value.toLowerCase();
      if (names.has(key)) this.error(v.start, v.end, 'DuplicateFormalParameter', l10n.t('The parameter ${0} is declared twice: remove one.', v.value));
      names.add(key);
      const parameter: A.ParameterNode = { type: 'Parameter', start: attributes[0]?.start ?? v.start, end: v.end, attributes, variable, defaultValue: undefined };
      this.skipNewlines('expression');
      if (this.isOp(this.peek('expression'), '=')) {
        const eq = this.next('expression');
        this.skipNewlines('expression');
        parameter.defaultValue = this.expression(true);
        if (!parameter.defaultValue) this.error(eq.end, eq.end, 'MissingExpressionAfterToken', l10n.t('Add the default value after "=".'));
      }
      parameter.end = this.end;
      parameters.push(parameter);
      this.skipNewlines('expression');
      const sep = this.peek('expression');
      if (this.isOp(sep, ',')) {
        this.next('expression');
        this.skipNewlines('expression');
        const after = this.peek('expression');
        if (this.isOp(after, ')')) this.error(after.start, after.start, 'MissingExpressionAfterToken', l10n.t('Remove the trailing comma or add a parameter after it.'));
        continue;
      }
      if (this.isOp(sep, ')')) {
        this.next('expression');
        break;
      }
      this.error(sep.start, sep.start, 'MissingEndParenthesisInFunctionParameterList', l10n.t('Close the parameter list with ")" or separate parameters with ",".'));
      this.recoverInParens();
      break;
    }
    return fit(parameters);
  }

  private recoverInParens(): void {
    let depth = 0;
    for (;;) {
      const t = this.peek('expression');
      if (t.kind === 'EndOfInput') return;
      if (this.isOp(t, '(') || this.isOp(t, '@(') || this.isOp(t, '$(')) depth++;
      if (this.isOp(t, ')')) {
        this.next('expression');
        if (depth-- === 0) return;
        continue;
      }
      if (this.isOp(t, '{') || this.isOp(t, '}')) return;
      this.next('expression');
    }
  }

  /** `[Attr(...)]` and `[type]` items; with `standalone`, only attributes with parentheses count. */
  private attributeList(standalone: boolean): Array<A.AttributeNode | A.TypeConstraint> {
    const list: Array<A.AttributeNode | A.TypeConstraint> = [];
    for (;;) {
      this.skipNewlines('expression');
      const t = this.peek('expression');
      if (!this.isOp(t, '[')) return fit(list);
      const saved = this.snapshot();
      this.next('expression');
      const item = this.attributeOrType(t);
      if (!item || (standalone && item.type === 'TypeConstraint')) {
        if (standalone) {
          this.restore(saved);
          return fit(list);
        }
        if (!item) return fit(list);
      }
      list.push(item);
    }
  }

  private attributeOrType(open: Token): A.AttributeNode | A.TypeConstraint | undefined {
    this.drop();
    const name = this.lx.typeName();
    if (!name) {
      const t = this.peek('expression');
      this.error(t.start, t.start, 'MissingTypename', l10n.t('Add a type name inside "[ ]".'));
      return undefined;
    }
    if (this.lx.ch(this.lx.pos) === 0x28) {
      const attribute: A.AttributeNode = { type: 'Attribute', start: open.start, end: open.end, name: name.value, positional: [], named: [] };
      this.lx.op(this.lx.pos, 1, '(');
      this.attributeArguments(attribute);
      this.skipNewlines('expression');
      this.expectOp(']', 'expression', 'EndSquareBracketExpectedAtEndOfAttribute', missing.closeAttribute);
      attribute.end = this.end;
      return attribute;
    }
    this.typeNameRest();
    this.skipNewlines('expression');
    this.expectOp(']', 'expression', 'EndSquareBracketExpectedAtEndOfType', missing.closeTypeName);
    return { type: 'TypeConstraint', start: open.start, end: this.end, name: name.value };
  }

  private attributeArguments(attribute: A.AttributeNode): void {
    for (;;) {
      this.skipNewlines('expression');
      const t = this.peek('expression');
      if (this.isOp(t, ')')) {
        this.next('expression');
        return;
      }
      if (t.kind === 'Word' && isIdentifierChar(this.lx.text.charCodeAt(t.start))) {
        this.next('expression');
        this.skipNewlines('expression');
        if (this.isOp(this.peek('expression'), '=')) {
          const eq = this.next('expression');
          this.skipNewlines('expression');
          const value = this.expression(true);
          if (!value) this.error(eq.end, eq.end, 'MissingExpressionInNamedArgument', l10n.t('Add a value after "{0} =".', t.value));
          attribute.named.push({ name: t.value, value });
        } else {
          attribute.named.push({ name: t.value, value: undefined });
        }
      } else {
        const value = this.expression(true);
        if (!value) {
          this.error(t.start, t.start, 'MissingEndParenthesisInExpression', l10n.t('Close the attribute arguments with ")".'));
          this.recoverInParens();
          return;
        }
        attribute.positional.push(value);
      }
      this.skipNewlines('expression');
      const sep = this.peek('expression');
      if (this.isOp(sep, ',')) {
        this.next('expression');
        continue;
      }
      if (this.isOp(sep, ')')) {
        this.next('expression');
        return;
      }
      this.error(sep.start, sep.start, 'MissingEndParenthesisInExpression', l10n.t('Close the attribute arguments with ")".'));
      this.recoverInParens();
      return;
    }
  }

  /** Generic arguments and array ranks after a type name: `List[string]`, `int[]`, `int[,]`. */
  private typeNameRest(): void {
    for (;;) {
      this.drop();
      if (this.lx.ch(this.lx.pos) !== 0x5b) return;
      this.lx.op(this.lx.pos, 1, '[');
      this.lx.skipTrivia();
      const c = this.lx.ch(this.lx.pos);
      if (c === 0x5d || c === 0x2c) {
        while (this.lx.ch(this.lx.pos) === 0x2c) {
          this.lx.op(this.lx.pos, 1, ',');
          this.lx.skipTrivia();
        }
        this.expectOp(']', 'expression', 'EndSquareBracketExpectedAtEndOfType', missing.closeArrayType);
        continue;
      }
      for (;;) {
        this.skipNewlines('expression');
        const open = this.peek('expression');
        const bracketed = this.isOp(open, '[');
        if (bracketed) this.next('expression');
        this.drop();
        const arg = this.lx.typeName();
        if (!arg) {
          const t = this.peek('expression');
          this.error(t.start, t.start, 'MissingTypename', l10n.t('Add a type name inside "[ ]".'));
          return;
        }
        this.typeNameRest();
        if (bracketed) this.expectOp(']', 'expression', 'EndSquareBracketExpectedAtEndOfType', missing.closeTypeName);
        this.skipNewlines('expression');
        if (this.isOp(this.peek('expression'), ',')) {
          this.next('expression');
          continue;
        }
        break;
      }
      if (!this.expectOp(']', 'expression', 'EndSquareBracketExpectedAtEndOfType', missing.closeGenericArguments)) return;
    }
  }

  /** Statements up to `closer` (not consumed) or the end of input. */
  statementList(closer: ')' | '}' | undefined, top = false): A.Statement[] {
    const statements: A.Statement[] = [];
    if (top) this.topLevel = true;
    for (;;) {
      const t = this.peek('command');
      if (t.kind === 'NewLine' || this.isOp(t, ';')) {
        this.next('command');
        continue;
      }
      if (t.kind === 'EndOfInput' || (closer && this.isOp(t, closer))) return fit(statements);
      if (this.isOp(t, ')') || this.isOp(t, '}')) {
        if (closer) return fit(statements);
        this.error(t.start, t.end, 'UnexpectedToken', l10n.t('Unexpected "{0}": remove it or add the opening bracket it closes.', t.value));
        this.next('command');
        continue;
      }
      if (top) {
        const la = this.la as Lookahead;
        const at: Checkpoint = { start: t.start, tokens: la.tokenCount, errors: this.errors.length - (la.scanErrors?.length ?? 0), statements: statements.length };
        if (this.sync?.(at)) {
          this.stoppedAt = at;
          return statements;
        }
        this.checkpoints?.push(at);
      }
      const before = t.start;
      const statement = this.statement();
      if (statement) statements.push(statement);
      if (statement && this.afterBackground()) continue;
      const after = this.peek('command');
      if (after.start === before && !statement) {
        this.error(after.start, after.end, 'UnexpectedToken', l10n.t('Unexpected token: remove it or complete the statement before it.'));
        this.next('command');
        continue;
      }
      if (statement && needsNoSeparator(statement)) continue;
      if (!(after.kind === 'NewLine' || after.kind === 'EndOfInput' || this.isOp(after, ';') || this.isOp(after, ')') || this.isOp(after, '}'))) {
        this.error(after.start, after.end, 'UnexpectedToken', l10n.t('Unexpected token: end the statement with a new line or ";" before it.'));
        this.recoverToTerminator(closer);
      }
    }
  }

  /** True when the last consumed token is the background operator `&`, which also ends a statement. */
  private afterBackground(): boolean {
    const tokens = this.lx.tokens;
    for (let i = this.lx.count - 1 - (this.la ? 1 : 0); i >= 0; i--) {
      const kind = tokens.code(i);
      if (kind === COMMENT || kind === LINE_CONTINUATION) continue;
      return kind === OPERATOR && tokens.end(i) - tokens.start(i) === 1 && this.lx.text.charCodeAt(tokens.start(i)) === 0x26;
    }
    return false;
  }

  private recoverToTerminator(closer: string | undefined): void {
    for (;;) {
      const t = this.peek('command');
      if (t.kind === 'NewLine' || t.kind === 'EndOfInput' || this.isOp(t, ';') || (closer && this.isOp(t, closer))) return;
      this.next('command');
    }
  }

  private statement(): A.Statement | undefined {
    let t = this.peek('command');
    if (t.kind === 'Word' && this.lx.text.charCodeAt(t.start) === 0x3a) {
      this.drop();
      if (this.lx.label()) {
        t = this.peek('command');
        if (this.isTerminator(t)) return undefined;
      }
      t = this.peek('command');
    }
    if (t.kind === 'Keyword' && STATEMENT_KEYWORDS.has(t.value)) {
      switch (t.value) {
        case 'if':
          return this.ifStatement();
        case 'switch':
          return this.switchStatement();
        case 'foreach':
          return this.foreachStatement();
        case 'for':
          return this.forStatement();
        case 'while':
          return this.whileStatement();
        case 'do':
          return this.doStatement();
        case 'function':
        case 'filter':
        case 'workflow':
          return this.functionDefinition();
        case 'try':
          return this.tryStatement();
        case 'trap':
          return this.trapStatement();
        case 'break':
        case 'continue':
          return this.breakStatement();
        case 'return':
        case 'exit':
        case 'throw':
          return this.returnStatement();
        case 'data':
          return this.dataStatement();
        case 'class':
        case 'enum':
          return this.typeDefinition();
        case 'using':
          this.error(t.start, t.end, 'UsingMustBeAtStartOfScript', l10n.t('Move "using" statements to the top of the script.'));
          return this.usingStatement();
      }
    }
    return this.pipelineChain();
  }

  private statementBlock(after: number, missingId: string): A.StatementBlock | undefined {
    this.skipNewlines();
    const t = this.peek('command');
    if (!this.isOp(t, '{')) {
      this.error(after, after, missingId, l10n.t('Add the statement block "{ }" here.'));
      return undefined;
    }
    this.next('command');
    const statements = this.statementList('}');
    this.closeBrace(t);
    return { type: 'StatementBlock', start: t.start, end: this.end, statements };
  }

  private closeBrace(open: Token): void {
    const t = this.peek('command');
    if (this.isOp(t, '}')) {
      this.next('command');
      return;
    }
    this.error(open.start, open.end, 'MissingEndCurlyBrace', l10n.t('Missing closing "}" for this block: add it.'));
  }

  private condition(keyword: Token): A.Statement | undefined {
    this.skipNewlines();
    const open = this.peek('command');
    if (!this.isOp(open, '(')) {
      this.error(keyword.end, keyword.end, 'MissingOpenParenthesisInIfStatement', l10n.t('Add "(" and a condition after "{0}".', keyword.value));
      return undefined;
    }
    this.next('command');
    this.skipNewlines();
    const first = this.peek('command');
    const statement = this.isOp(first, ')') ? undefined : this.pipelineChain();
    if (!statement) this.error(open.end, open.end, 'IfStatementMissingCondition', l10n.t('Add a condition inside "{0} ( )".', keyword.value));
    this.skipNewlines();
    this.expectOp(')', 'command', 'MissingEndParenthesisAfterStatement', missing.closeCondition);
    return statement;
  }

  private ifStatement(): A.IfStatement {
    const keyword = this.next('command');
    const node: A.IfStatement = { type: 'If', start: keyword.start, end: keyword.end, clauses: [], elseBody: undefined };
    let current = keyword;
    for (;;) {
      const condition = this.condition(current);
      const body = this.statementBlock(this.end, 'MissingStatementBlock');
      if (body) node.clauses.push({ condition, body });
      const saved = this.snapshot();
      this.skipNewlines();
      const t = this.peek('command');
      if (t.kind === 'Keyword' && t.value === 'elseif') {
        current = this.next('command');
        continue;
      }
      if (t.kind === 'Keyword' && t.value === 'else') {
        this.next('command');
        const elseBody = this.statementBlock(t.end, 'MissingStatementBlockAfterElse');
        if (elseBody) node.elseBody = elseBody;
        break;
      }
      this.restore(saved);
      break;
    }
    node.end = this.end;
    return node;
  }

  private switchStatement(): A.SwitchStatement {
    const keyword = this.next('command');
    const node: A.SwitchStatement = { type: 'Switch', start: keyword.start, end: keyword.end, flags: [], condition: undefined, clauses: [] };
    let file = false;
    for (;;) {
      this.skipNewlines();
      const t = this.peek('command');
      if (t.kind !== 'Parameter') break;
      this.next('command');
      const flag = t.value.toLowerCase();
      const known = ['regex', 'wildcard', 'exact', 'casesensitive', 'file', 'parallel'].find((f) => flag.length > 0 && f.startsWith(flag));
      if (!known) this.error(t.start, t.end, 'InvalidSwitchFlag', l10n.t('Unknown switch option -{0}: use -Regex, -Wildcard, -Exact, -CaseSensitive or -File.', t.value));
      node.flags.push(known ?? flag);
      if (known === 'file') file = true;
    }
    this.skipNewlines();
    if (file) {
      const arg = this.commandArgument();
      if (arg) node.condition = arg;
    } else {
      const open = this.peek('command');
      if (this.isOp(open, '(')) {
        this.next('command');
        this.skipNewlines();
        const c = this.pipelineChain();
        if (c) node.condition = c;
        else this.error(open.end, open.end, 'PipelineValueRequired', l10n.t('Add the value to switch on inside "( )".'));
        this.skipNewlines();
        this.expectOp(')', 'command', 'MissingEndParenthesisInSwitchStatement', missing.closeSwitchValue);
      } else {
        this.error(keyword.end, keyword.end, 'PipelineValueRequired', l10n.t('Add "(value)" after switch.'));
      }
    }
    this.skipNewlines();
    const open = this.peek('command');
    if (!this.isOp(open, '{')) {
      this.error(open.start, open.start, 'MissingCurlyBraceInSwitchStatement', l10n.t('Add the switch body "{ }".'));
      node.end = this.end;
      return node;
    }
    this.next('command');
    for (;;) {
      this.skipNewlinesAndSemis();
      const t = this.peek('command');
      if (this.isOp(t, '}') || t.kind === 'EndOfInput') break;
      const pattern = this.commandArgument();
      if (pattern?.type === 'Word' && pattern.text.toLowerCase() === 'default') {
        const tokens = this.lx.tokens;
        for (let i = this.lx.count - 1; i >= 0; i--) {
          if (tokens.start(i) === pattern.start) {
            tokens.retag(i, 'Keyword');
            break;
          }
          if (tokens.start(i) < pattern.start) break;
        }
      }
      if (!pattern) {
        this.error(t.start, t.end, 'MissingSwitchConditionExpression', l10n.t('Add a condition, then its "{ }" block.'));
        this.recoverToTerminator('}');
        continue;
      }
      const body = this.statementBlock(this.end, 'MissingSwitchStatementClause');
      if (body) node.clauses.push({ pattern, body });
      else this.recoverToTerminator('}');
    }
    this.closeBrace(open);
    if (node.clauses.length === 0 && this.errors.length === 0) this.error(open.start, open.end, 'EmptySwitchStatement', l10n.t('Add at least one clause to the switch.'));
    node.end = this.end;
    return node;
  }

  private foreachStatement(): A.ForeachStatement {
    const keyword = this.next('command');
    const node: A.ForeachStatement = { type: 'Foreach', start: keyword.start, end: keyword.end, flags: [], variable: undefined, iterable: undefined, body: undefined };
    for (;;) {
      this.skipNewlines();
      const t = this.peek('command');
      if (t.kind !== 'Parameter') break;
      this.next('command');
      node.flags.push(t.value.toLowerCase());
      if (t.value.toLowerCase() === 'throttlelimit') this.commandArgument();
    }
    this.skipNewlines();
    if (!this.expectOp('(', 'command', 'MissingOpenParenthesisAfterKeyword', missing.openAfterForeach)) {
      node.end = this.end;
      return node;
    }
    this.skipNewlines('expression');
    const v = this.peek('expression');
    if (v.kind !== 'Variable') {
      this.error(v.start, v.start, 'MissingVariableNameAfterForeach', l10n.t('Add the loop variable: foreach ($item in $items).'));
      this.recoverInParens();
      node.end = this.end;
      return node;
    }
    this.next('expression');
    node.variable = { type: 'Variable', start: v.start, end: v.end, name: v.value, splatted: false };
    this.skipNewlines('expression');
    const inToken = this.peek('expression');
    if (inToken.kind === 'Word' && inToken.value.toLowerCase() === 'in') {
      this.next('expression');
      this.lx.retag(inToken, 'Keyword', 'in');
    } else {
      this.error(this.end, this.end, 'MissingInInForeach', l10n.t('Add "in" after the loop variable.'));
      this.recoverInParens();
      node.end = this.end;
      return node;
    }
    this.skipNewlines();
    const iterable = this.isOp(this.peek('command'), ')') ? undefined : this.pipelineChain();
    if (iterable) node.iterable = iterable;
    else this.error(inToken.end, inToken.end, 'MissingForeachExpression', l10n.t('Add the collection to loop over after "in".'));
    this.skipNewlines();
    this.expectOp(')', 'command', 'MissingEndParenthesisAfterForeach', missing.closeForeachHeader);
    const body = this.statementBlock(this.end, 'MissingForeachStatement');
    if (body) node.body = body;
    node.end = this.end;
    return node;
  }

  private forStatement(): A.LoopStatement {
    const keyword = this.next('command');
    const node: A.LoopStatement = { type: 'For', start: keyword.start, end: keyword.end, parts: [], body: undefined };
    this.skipNewlines();
    if (!this.expectOp('(', 'command', 'MissingOpenParenthesisAfterKeyword', missing.openAfterFor)) {
      node.end = this.end;
      return node;
    }
    for (let part = 0; part < 3; part++) {
      this.skipNewlines();
      const t = this.peek('command');
      if (this.isOp(t, ')')) break;
      if (this.isOp(t, ';')) {
        this.next('command');
        node.parts.push(undefined);
        continue;
      }
      node.parts.push(this.pipelineChain());
      const sep = this.peek('command');
      if (this.isOp(sep, ';') || sep.kind === 'NewLine') this.next('command');
    }
    this.skipNewlines();
    this.expectOp(')', 'command', 'MissingEndParenthesisAfterStatement', missing.closeForHeader);
    const body = this.statementBlock(this.end, 'MissingLoopStatement');
    if (body) node.body = body;
    node.end = this.end;
    return node;
  }

  private whileStatement(): A.LoopStatement {
    const keyword = this.next('command');
    const node: A.LoopStatement = { type: 'While', start: keyword.start, end: keyword.end, parts: [], body: undefined };
    node.parts.push(this.condition(keyword));
    const body = this.statementBlock(this.end, 'MissingLoopStatement');
    if (body) node.body = body;
    node.end = this.end;
    return node;
  }

  private doStatement(): A.LoopStatement {
    const keyword = this.next('command');
    const body = this.statementBlock(keyword.end, 'MissingLoopStatement');
    this.skipNewlines();
    const t = this.peek('command');
    const node: A.LoopStatement = { type: 'DoWhile', start: keyword.start, end: keyword.end, parts: [], body: undefined };
    if (body) node.body = body;
    if (t.kind === 'Keyword' && (t.value === 'while' || t.value === 'until')) {
      this.next('command');
      (node as { type: A.LoopStatement['type'] }).type = t.value === 'while' ? 'DoWhile' : 'DoUntil';
      node.parts.push(this.condition(t));
    } else {
      this.error(t.start, t.start, 'MissingWhileOrUntilInDoWhile', l10n.t('Add "while (...)" or "until (...)" after the do block.'));
    }
    node.end = this.end;
    return node;
  }

  private functionDefinition(): A.FunctionDefinition {
    const keyword = this.next('command');
    this.drop();
    this.lx.skipTrivia();
    const c = this.lx.ch(this.lx.pos);
    let name = '';
    let nameStart = this.lx.pos;
    if (c !== -1 && !isNewline(c) && c !== 0x7b && c !== 0x28 && c !== 0x7d && c !== 0x3b) {
      const t = this.lx.word(this.lx.pos);
      this.lx.retag(t, 'Word');
      name = this.lx.text.slice(t.start, t.end);
      nameStart = t.start;
    } else {
      this.error(keyword.end, keyword.end, 'MissingNameAfterKeyword', l10n.t('Add the {0} name after "{1}".', keyword.value, keyword.value));
    }
    this.skipNewlines();
    let parameters: A.ParameterNode[] = [];
    if (this.isOp(this.peek('expression'), '(')) {
      this.next('expression');
      parameters = this.parameterList();
    }
    this.skipNewlines();
    const open = this.peek('command');
    let body: A.ScriptBlock;
    if (this.isOp(open, '{')) {
      this.next('command');
      body = this.scriptBlockBody(open.start, '}');
      this.closeBrace(open);
      body.end = this.end;
    } else {
      this.error(open.start, open.start, 'MissingFunctionBody', l10n.t('Add the {0} body "{ }".', keyword.value));
      body = { type: 'ScriptBlock', start: open.start, end: open.start, usings: [], paramBlock: undefined, blocks: [] };
    }
    return { type: 'FunctionDefinition', start: keyword.start, end: this.end, keyword: keyword.value as 'function', name, nameStart, parameters, body };
  }

  private tryStatement(): A.TryStatement {
    const keyword = this.next('command');
    const body = this.statementBlock(keyword.end, 'MissingTryStatementBlock') ?? { type: 'StatementBlock', start: keyword.end, end: keyword.end, statements: [] };
    const node: A.TryStatement = { type: 'Try', start: keyword.start, end: this.end, body, catches: [], finallyBody: undefined };
    for (;;) {
      const saved = this.snapshot();
      this.skipNewlines();
      const t = this.peek('command');
      if (t.kind === 'Keyword' && t.value === 'catch') {
        this.next('command');
        const types: string[] = [];
        for (;;) {
          this.skipNewlines('expression');
          const open = this.peek('expression');
          if (!this.isOp(open, '[')) break;
          this.next('expression');
          const item = this.attributeOrType(open);
          if (item) types.push(item.name);
          this.skipNewlines('expression');
          if (this.isOp(this.peek('expression'), ',')) this.next('expression');
        }
        const catchBody = this.statementBlock(this.end, 'MissingCatchHandlerBlock');
        if (catchBody) node.catches.push({ start: t.start, end: this.end, types, body: catchBody });
        continue;
      }
      if (t.kind === 'Keyword' && t.value === 'finally') {
        this.next('command');
        const f = this.statementBlock(t.end, 'MissingFinallyStatementBlock');
        if (f) node.finallyBody = f;
        break;
      }
      this.restore(saved);
      break;
    }
    if (node.catches.length === 0 && !node.finallyBody) this.error(body.end, body.end, 'MissingCatchOrFinally', l10n.t('Add a catch or finally block after the try block.'));
    node.end = this.end;
    return node;
  }

  private trapStatement(): A.TrapStatement {
    const keyword = this.next('command');
    this.skipNewlines('expression');
    const open = this.peek('expression');
    let trapType: string | undefined;
    if (this.isOp(open, '[')) {
      this.next('expression');
      trapType = this.attributeOrType(open)?.name;
    }
    const node: A.TrapStatement = { type: 'Trap', start: keyword.start, end: keyword.end, trapType, body: undefined };
    const body = this.statementBlock(this.end, 'MissingTrapStatement');
    if (body) node.body = body;
    node.end = this.end;
    return node;
  }

  private breakStatement(): A.FlowStatement {
    const keyword = this.next('command');
    const type = keyword.value === 'break' ? 'Break' : 'Continue';
    const node: A.FlowStatement = { type, start: keyword.start, end: keyword.end, keywordEnd: keyword.end, label: undefined, pipeline: undefined };
    const t = this.peek('command');
    if (!this.isTerminator(t)) {
      const label = this.commandArgument();
      if (label && label.type === 'Word') node.label = label.text;
    }
    node.end = this.end;
    return node;
  }

  private returnStatement(): A.FlowStatement {
    const keyword = this.next('command');
    const type = keyword.value === 'return' ? 'Return' : keyword.value === 'exit' ? 'Exit' : 'Throw';
    const node: A.FlowStatement = { type, start: keyword.start, end: keyword.end, keywordEnd: keyword.end, label: undefined, pipeline: undefined };
    const t = this.peek('command');
    if (!this.endsStatement(t)) {
      const pipeline = this.pipelineChain();
      if (pipeline) node.pipeline = pipeline;
    }
    node.end = this.end;
    return node;
  }

  private dataStatement(): A.DataStatement {
    const keyword = this.next('command');
    for (;;) {
      this.skipNewlines();
      const t = this.peek('command');
      if (t.kind === 'Parameter') {
        this.next('command');
        this.commandArgument();
        continue;
      }
      if (t.kind === 'Word') {
        this.next('command');
        continue;
      }
      break;
    }
    const node: A.DataStatement = { type: 'Data', start: keyword.start, end: keyword.end, body: undefined };
    const body = this.statementBlock(this.end, 'MissingStatementBlockForDataSection');
    if (body) node.body = body;
    node.end = this.end;
    return node;
  }

  private typeDefinition(): A.TypeDefinition {
    const keyword = this.next('command');
    this.drop();
    const nameToken = this.lx.typeName();
    const node: A.TypeDefinition = { type: 'TypeDefinition', start: keyword.start, end: keyword.end, kind: keyword.value as 'class', name: nameToken?.value ?? '', members: [] };
    if (!nameToken) this.error(keyword.end, keyword.end, 'MissingNameAfterKeyword', l10n.t('Add the {0} name.', keyword.value));
    this.skipNewlines('expression');
    if (this.isOp(this.peek('expression'), ':')) {
      this.next('expression');
      for (;;) {
        this.skipNewlines('expression');
        this.drop();
        if (!this.lx.typeName()) {
          this.error(this.lx.pos, this.lx.pos, 'MissingTypename', l10n.t('Add the base type name after ":".'));
          break;
        }
        this.typeNameRest();
        this.skipNewlines('expression');
        if (!this.isOp(this.peek('expression'), ',')) break;
        this.next('expression');
      }
    }
    this.skipNewlines();
    const open = this.peek('command');
    if (!this.isOp(open, '{')) {
      this.error(open.start, open.start, 'MissingTypeBody', l10n.t('Add the {0} body "{ }".', keyword.value));
      node.end = this.end;
      return node;
    }
    this.next('command');
    if (keyword.value === 'enum') this.enumMembers(node);
    else this.classMembers(node);
    this.closeBrace(open);
    node.end = this.end;
    return node;
  }

  private enumMembers(node: A.TypeDefinition): void {
    for (;;) {
      this.skipNewlinesAndSemis();
      const t = this.peek('expression');
      if (this.isOp(t, '}') || t.kind === 'EndOfInput') return;
      if (t.kind !== 'Word') {
        this.error(t.start, t.end, 'MissingEnumeratorName', l10n.t('Each enum line is a name, optionally "= value".'));
        this.recoverToTerminator('}');
        continue;
      }
      this.next('expression');
      const member: A.EnumMember = { type: 'EnumMember', start: t.start, end: t.end, name: t.value, initializer: undefined };
      if (this.isOp(this.peek('expression'), '=')) {
        const eq = this.next('expression');
        const value = this.expression();
        if (value) member.initializer = value;
        else this.error(eq.end, eq.end, 'ExpectedValueExpression', l10n.t('Add the value after "=".'));
      }
      member.end = this.end;
      node.members.push(member);
    }
  }

  private classMembers(node: A.TypeDefinition): void {
    for (;;) {
      this.skipNewlinesAndSemis();
      const first = this.peek('expression');
      if (this.isOp(first, '}') || first.kind === 'EndOfInput') return;
      const attributes = this.attributeList(false);
      for (;;) {
        this.skipNewlines('expression');
        const m = this.peek('expression');
        if (m.kind === 'Word' && (m.value.toLowerCase() === 'static' || m.value.toLowerCase() === 'hidden')) {
          this.next('expression');
          this.lx.retag(m, 'Keyword', m.value.toLowerCase());
          continue;
        }
        break;
      }
      const more = this.attributeList(false);
      attributes.push(...more);
      this.skipNewlines('expression');
      const t = this.peek('expression');
      if (t.kind === 'Variable') {
        this.next('expression');
        const property: A.PropertyMember = { type: 'PropertyMember', start: attributes[0]?.start ?? t.start, end: t.end, name: t.value, attributes, initializer: undefined };
        if (this.isOp(this.peek('expression'), '=')) {
          const eq = this.next('expression');
          this.skipNewlines('expression');
          const value = this.expression();
          if (value) property.initializer = value;
          else this.error(eq.end, eq.end, 'ExpectedValueExpression', l10n.t('Add the initial value after "=".'));
        }
        property.end = this.end;
        node.members.push(property);
        continue;
      }
      if (t.kind === 'Word' && isIdentifierChar(this.lx.text.charCodeAt(t.start))) {
        this.next('expression');
        const method: A.MethodMember = { type: 'MethodMember', start: attributes[0]?.start ?? t.start, end: t.end, name: t.value, attributes, parameters: [], baseArguments: [], body: undefined };
        if (!this.expectOp('(', 'expression', 'MissingMethodParameterList', () => l10n.t('Add the parameter list "( )" after {0}.', t.value))) {
          this.recoverToTerminator('}');
          continue;
        }
        method.parameters.push(...this.parameterList());
        this.skipNewlines('expression');
        if (this.isOp(this.peek('expression'), ':')) {
          this.next('expression');
          this.skipNewlines('expression');
          const base = this.peek('expression');
          if (base.kind === 'Word' && base.value.toLowerCase() === 'base') {
            this.next('expression');
            this.lx.retag(base, 'Keyword', 'base');
            if (this.expectOp('(', 'expression', 'MissingMethodParameterList', missing.openBaseArguments)) {
              method.baseArguments.push(...this.invocationArguments());
            }
          } else {
            this.error(base.start, base.start, 'MissingBaseCtorCall', l10n.t('Add "base(...)" after ":".'));
          }
        }
        this.skipNewlines();
        const open = this.peek('command');
        if (this.isOp(open, '{')) {
          this.next('command');
          method.body = this.scriptBlockBody(open.start, '}');
          this.closeBrace(open);
          method.body.end = this.end;
        } else {
          this.error(open.start, open.start, 'MissingFunctionBody', l10n.t('Add the method body "{ }" for {0}.', t.value));
        }
        method.end = this.end;
        node.members.push(method);
        continue;
      }
      if (attributes.length > 0) this.error(this.end, this.end, 'IncompleteMemberDefinition', l10n.t('Complete the member: a property ([type] $Name) or a method (Name() { }).'));
      else this.error(t.start, t.end, 'UnexpectedToken', l10n.t('A class holds properties ([type] $Name) and methods (Name() { }).'));
      this.recoverToTerminator('}');
      if (this.isOp(this.peek('command'), '}')) return;
      this.next('command');
    }
  }

  // ---- pipelines and commands ----------------------------------------------------------------

  private pipelineChain(): A.Statement | undefined {
    const firstPipeline = this.pipeline();
    if (!firstPipeline) return undefined;
    let left: A.Statement = firstPipeline;
    for (;;) {
      const t = this.peek('command');
      if (this.isOp(t, '&&') || this.isOp(t, '||')) {
        this.next('command');
        this.skipNewlines();
        const right = this.pipeline();
        const chain: A.PipelineChain = { type: 'PipelineChain', start: left.start, end: this.end, left, operator: t.value as '&&', operatorStart: t.start, right: undefined };
        if (right) chain.right = right;
        else this.error(t.end, t.end, 'EmptyPipelineChainElement', l10n.t('Add a pipeline after "{0}".', t.value));
        left = chain;
        continue;
      }
      if (this.isOp(t, '&')) {
        this.next('command');
        if (left.type === 'Pipeline') left.background = true;
        // A lone expression run in the background keeps its pipeline, which says so.
        else if (left.type !== 'Assignment' && left.type !== 'PipelineChain') left = { type: 'Pipeline', start: left.start, end: left.end, elements: [commandExpression(left)], background: true };
      }
      return left;
    }
  }

  /** A pipeline; a lone expression is its own statement (see A.Statement), an assignment is one too. */
  private pipeline(): A.Pipeline | A.Assignment | A.Expression | undefined {
    // Most pipelines have one element: it is kept apart, and the array is made to measure at the
    // end (an array grown by push holds room for 16, and a parse keeps every one).
    let first: A.Command | A.CommandExpression | A.Expression | undefined;
    let elements: Array<A.Command | A.CommandExpression> | undefined;
    for (;;) {
      const element = this.pipelineElement(first === undefined);
      if (!element) {
        if (first !== undefined) {
          const at = this.end;
          this.error(at, at, 'EmptyPipeElement', l10n.t('An empty pipe element is not allowed: add a command after "|".'));
        }
        break;
      }
      if (first === undefined) {
        first = element;
        const lone = element.type === 'CommandExpression' ? (element.redirections.length === 0 ? element.expression : undefined) : element.type === 'Command' ? undefined : element;
        if (lone) {
          const op = this.peek('expression');
          if (op.kind === 'Operator' && ASSIGNMENT.has(op.value)) return this.assignment(lone, op);
        }
      } else if (elements === undefined) {
        elements = [pipeElement(first), pipeElement(element)];
      } else {
        elements.push(pipeElement(element));
      }
      const t = this.peek('command');
      if (this.isOp(t, '|')) {
        this.next('command');
        this.skipNewlines();
        continue;
      }
      break;
    }
    if (first === undefined) return undefined;
    if (elements === undefined && first.type !== 'Command' && first.type !== 'CommandExpression') return first;
    return { type: 'Pipeline', start: first.start, end: this.end, elements: elements ?? [pipeElement(first)], background: false };
  }

  private assignment(left: A.Expression, op: Token): A.Assignment {
    this.next('expression');
    if (!this.assignable(left)) this.error(left.start, left.end, 'InvalidLeftHandSide', l10n.t('Only a variable, a property, an array element or a list of them can be assigned.'));
    this.skipNewlines();
    const node: A.Assignment = { type: 'Assignment', start: left.start, end: op.end, left, operator: op.value, right: undefined };
    const right = this.endsStatement(this.peek('command')) ? undefined : this.statement();
    if (right) node.right = right;
    else this.error(op.end, op.end, 'ExpectedValueExpression', l10n.t('Add the value to assign after "{0}".', op.value));
    node.end = this.end;
    return node;
  }

  private assignable(e: A.Expression): boolean {
    switch (e.type) {
      case 'Variable':
        return !e.splatted;
      case 'Member':
        return !e.arguments;
      case 'Index':
        return true;
      case 'Convert':
        return e.operand !== undefined && this.assignable(e.operand);
      case 'ArrayLiteral':
        return e.elements.every((x) => this.assignable(x));
      case 'Paren': {
        const inner = loneExpression(e.statement);
        return inner !== undefined && this.assignable(inner);
      }
      default:
        return false;
    }
  }

  /** A word in argument mode that is a number in expression mode (`1..5`, `1.5.3`) starts an expression. */
  private isNumberStart(t: Token): boolean {
    const c = this.lx.text.charCodeAt(t.start);
    const n = this.lx.text.charCodeAt(t.start + 1);
    if (isDash(c) && (t.end === t.start + 1 || !isIdentifierChar(n))) return true;
    if (!((c >= 0x30 && c <= 0x39) || ((c === 0x2e || c === 0x2d) && n >= 0x30 && n <= 0x39))) return false;
    const number = this.peek('expression');
    if (number.kind === 'Number' && !runsIntoCommandName(this.lx.text.charCodeAt(number.end))) return true;
    this.peek('command');
    return false;
  }

  /**
   * A command, or an expression: bare when it has no redirections and ends where the element
   * does (pipeline() wraps it in a CommandExpression when it is one of several elements).
   */
  private pipelineElement(first: boolean): A.Command | A.CommandExpression | A.Expression | undefined {
    const t = this.peek('command');
    if (this.isTerminator(t) && !this.isOp(t, '&')) return undefined;
    const commandStart =
      (t.kind === 'Word' && this.lx.text.charCodeAt(t.start) !== 0x5b && !this.isNumberStart(t)) ||
      (t.kind === 'Keyword' && (!first || !STATEMENT_KEYWORDS.has(t.value))) ||
      this.isOp(t, '&') ||
      this.isOp(t, '.') ||
      this.isOp(t, '%') ||
      this.isOp(t, '?') ||
      (t.kind === 'Parameter' && isIdentifierChar(this.lx.text.charCodeAt(t.start + 1)) && !UNARY_DASH_OPERATORS.has(`-${t.value.toLowerCase()}`));
    if (commandStart) return this.command(t);
    if (isRedirection(t)) return this.command(t);
    if (!first) {
      this.error(t.start, t.end, 'ExpressionsMustBeFirstInPipeline', l10n.t('Expressions are only allowed as the first element of a pipeline: wrap it in ForEach-Object or move it first.'));
    }
    const expression = this.expression();
    if (!expression) {
      if (!first) return undefined;
      const e = this.peek('expression');
      if (!this.isTerminator(e)) this.error(e.start, e.end, 'UnexpectedToken', l10n.t('Unexpected token: remove it or complete the statement before it.'));
      return undefined;
    }
    // `$x = ...`: the expression ends at an assignment operator, which pipeline() reads next in
    // expression mode. Looking for redirections would rescan it in command mode (where `=` is a
    // bare word, so no redirection) and then once more in expression mode.
    const la = this.la;
    if (first && la !== undefined && la.mode === 'expression' && la.token.kind === 'Operator' && ASSIGNMENT.has(la.token.value)) return expression;
    const redirections = this.redirections();
    const end = this.end;
    if (redirections === NO_REDIRECTIONS && expression.end === end) return expression;
    return { type: 'CommandExpression', start: expression.start, end, expression, redirections };
  }

  private redirections(): A.Redirection[] {
    const list: A.Redirection[] = [];
    for (;;) {
      const t = this.peek('command');
      if (!isRedirection(t)) return list.length === 0 ? NO_REDIRECTIONS : fit(list);
      list.push(this.redirection());
    }
  }

  private redirection(): A.Redirection {
    const t = this.next('command');
    if (t.value === '<') this.error(t.start, t.end, 'RedirectionNotSupported', l10n.t('The "<" operator is reserved for future use: pipe the input instead (Get-Content file | command).'));
    const node: A.Redirection = { type: 'Redirection', start: t.start, end: t.end, operator: t.value, target: undefined };
    if (!t.value.includes('&')) {
      const target = this.commandArgument();
      if (target) node.target = target;
      else this.error(t.end, t.end, 'MissingFileSpecification', l10n.t('Add the file to redirect to after "{0}".', t.value));
    }
    node.end = this.end;
    return node;
  }

  private command(firstToken: Token): A.Command {
    let first = firstToken;
    const elements: Array<A.CommandParameter | A.Expression> = [];
    const redirections: A.Redirection[] = [];
    let invocation: '&' | '.' | undefined;
    let name = '';
    let nameToken: A.Command['nameToken'];
    while (isRedirection(this.peek('command'))) {
      const r = this.next('command');
      const node: A.Redirection = { type: 'Redirection', start: r.start, end: r.end, operator: r.value, target: undefined };
      if (!r.value.includes('&')) {
        const target = this.commandArgument();
        if (target) node.target = target;
      }
      node.end = this.end;
      redirections.push(node);
      first = this.peek('command');
      if (this.endsStatement(first)) return { type: 'Command', start: r.start, end: this.end, name, nameToken: undefined, invocation: undefined, elements, redirections };
    }
    if (this.isOp(first, '&') || this.isOp(first, '.')) {
      this.next('command');
      invocation = first.value as '&';
      // What follows the operator is read as an argument: `& $dir-x` runs the bare word `$dir-x`.
      const target = this.peek('argument');
      if (target.kind === 'Word' || target.kind === 'Keyword') {
        this.next('argument');
        name = target.kind === 'Word' ? target.value : this.lx.text.slice(target.start, target.end);
        this.lx.retag(target, 'Word');
        nameToken = { kind: 'Word', start: target.start, end: target.end };
      } else {
        const e = this.commandArgument();
        if (e) {
          if (e.type === 'String') name = e.raw;
          elements.push(e);
        } else {
          this.error(first.end, first.end, 'MissingExpression', l10n.t('Add the command to run after "{0}".', first.value));
        }
      }
    } else if (first.kind !== 'Word' && first.kind !== 'Keyword' && first.kind !== 'Parameter' && !this.isOp(first, '%') && !this.isOp(first, '?')) {
      const e = this.commandArgument();
      if (e) elements.push(e);
    } else {
      this.next('command');
      name = first.kind === 'Word' ? first.value : this.lx.text.slice(first.start, first.end);
      this.lx.retag(first, 'Word');
      nameToken = { kind: 'Word', start: first.start, end: first.end };
    }
    for (;;) {
      const t = this.peek('argument');
      if (this.isTerminator(t)) break;
      if (t.kind === 'Parameter') {
        this.next('argument');
        const p: A.CommandParameter = { type: 'CommandParameter', start: t.start, end: t.end, name: t.value, argument: undefined };
        if (this.lx.text.charCodeAt(t.end - 1) === 0x3a) {
          const arg = this.commandArgument();
          if (arg) p.argument = arg;
          else this.error(t.end, t.end, 'ParameterRequiresArgument', l10n.t('Add a value after "{0}".', this.lx.text.slice(t.start, t.end)));
          p.end = this.end;
        }
        elements.push(p);
        continue;
      }
      if (isRedirection(t)) {
        redirections.push(this.redirection());
        continue;
      }
      if (this.isOp(t, '--%')) {
        this.next('argument');
        const rest = this.peek('argument');
        if (rest.kind === 'Word') this.next('argument');
        continue;
      }
      const arg = this.commandArgument('argument');
      if (!arg) {
        this.error(t.start, t.end, 'UnexpectedToken', l10n.t('Unexpected token in the command arguments.'));
        this.next('argument');
        continue;
      }
      elements.push(arg);
    }
    const start = firstToken.start;
    const end = this.end;
    const list = fit(elements);
    return { type: 'Command', start, end, name, nameToken, invocation, elements: list, redirections: redirections.length === 0 ? NO_REDIRECTIONS : redirections };
  }

  /** One argument in argument mode, with `a,b,c` arrays. */
  private commandArgument(mode: Mode = 'command'): A.Expression | undefined {
    const first = this.commandPrimary(mode);
    if (!first) return undefined;
    if (!this.isOp(this.peek(mode), ',')) return first;
    const elements = [first];
    while (this.isOp(this.peek(mode), ',')) {
      const comma = this.next(mode);
      this.skipNewlines(mode);
      const e = this.commandPrimary(mode);
      if (!e) {
        this.error(comma.end, comma.end, 'MissingExpression', l10n.t('Add a value after ",".'));
        break;
      }
      elements.push(e);
    }
    for (const e of elements) {
      if (e.type === 'Variable' && e.splatted) {
        this.error(e.start, e.end, 'SplattingNotPermittedInArgumentList', l10n.t('A splatted variable (@name) cannot be one item of a comma-separated list of arguments: pass it on its own, or use $name in the list.'));
      }
    }
    return { type: 'ArrayLiteral', start: first.start, end: this.end, elements: fit(elements) };
  }

  private commandPrimary(mode: Mode): A.Expression | undefined {
    const t = this.peek(mode);
    switch (t.kind) {
      case 'Word':
      case 'Keyword':
        this.next(mode);
        // A Word token's value is its text; a keyword's is lower-cased, so it is read again.
        if (t.kind !== 'Word') {
          this.lx.retag(t, 'Word');
          return { type: 'Word', start: t.start, end: t.end, text: this.lx.text.slice(t.start, t.end) };
        }
        return { type: 'Word', start: t.start, end: t.end, text: t.value };
      case 'Number':
        this.next(mode);
        return { type: 'Number', start: t.start, end: t.end, text: intern(this.lx.text, t.start, t.end) };
      case 'Variable':
      case 'SplattedVariable':
      case 'StringLiteral':
      case 'StringExpandable':
      case 'HereStringLiteral':
      case 'HereStringExpandable': {
        const p = this.primary(mode);
        if (!p) return undefined;
        const e = this.postfix(p, mode);
        // `@a.b`, `@a[0]`, `@a::b`: a member of a splatted variable is a value, not a splat.
        if (e !== p && t.kind === 'SplattedVariable') this.splatNotPermitted(t);
        return e;
      }
      case 'Operator':
        if (OPENERS.has(t.value)) {
          const p = this.primary(mode);
          return p ? this.postfix(p, mode) : undefined;
        }
        if (t.value === '%' || t.value === '?' || t.value === '.' || t.value === '::' || t.value === '[' || t.value === ']') {
          this.next(mode);
          this.lx.retag(t, 'Word');
          return { type: 'Word', start: t.start, end: t.end, text: t.value };
        }
        return undefined;
      default:
        return undefined;
    }
  }

  // ---- expressions -------------------------------------------------------------------------------

  /** `noComma`: in argument lists, where `,` separates values instead of building an array. */
  expression(noComma = false): A.Expression | undefined {
    const condition = this.binary(1, noComma);
    if (!condition) return undefined;
    const t = this.peek('expression');
    if (!this.isOp(t, '?')) return condition;
    this.next('expression');
    this.skipNewlines('expression');
    const node: A.TernaryExpr = { type: 'Ternary', start: condition.start, end: t.end, condition, questionStart: t.start, ifTrue: undefined, ifFalse: undefined };
    const ifTrue = this.expression();
    if (!ifTrue) {
      this.error(t.end, t.end, 'ExpectedValueExpression', l10n.t('Add the value for the true case after "?".'));
      return node;
    }
    node.ifTrue = ifTrue;
    this.skipNewlines('expression');
    const colon = this.peek('expression');
    if (!this.isOp(colon, ':')) {
      this.error(colon.start, colon.start, 'MissingColonInTernaryExpression', l10n.t('Add ": value" for the false case.'));
      node.end = this.end;
      return node;
    }
    this.next('expression');
    this.skipNewlines('expression');
    const ifFalse = this.expression();
    if (ifFalse) node.ifFalse = ifFalse;
    else this.error(colon.end, colon.end, 'ExpectedValueExpression', l10n.t('Add the value for the false case after ":".'));
    node.end = this.end;
    return node;
  }

  private precedence(t: Token): number {
    if (t.kind !== 'Operator') return 0;
    switch (t.value) {
      case '+':
      case '-':
        return 9;
      case '*':
      case '/':
      case '%':
        return 10;
      case '..':
        return 13;
      case '??':
        return 7;
      default:
        // Only dash operators have a precedence beyond the ones above (`)`, `,`, `|`, ... have none).
        return t.value.charCodeAt(0) === 0x2d ? (DASH_OPERATORS.get(t.value) ?? 0) : 0;
    }
  }

  private binary(min: number, noComma = false): A.Expression | undefined {
    let left = noComma ? this.unary() : this.arrayLiteral();
    if (!left) return undefined;
    for (;;) {
      const t = this.peek('expression');
      const prec = this.precedence(t);
      if (prec === 0 || prec < min) return left;
      this.next('expression');
      this.skipNewlines('expression');
      const right = this.binary(prec + 1, noComma);
      const node: A.BinaryExpr = { type: 'Binary', start: left.start, end: this.end, operator: t.value, operatorStart: t.start, left, right: undefined };
      if (right) node.right = right;
      else {
        this.error(t.end, t.end, 'ExpectedValueExpression', l10n.t('Add a value after the "{0}" operator.', t.value));
        return node;
      }
      left = node;
    }
  }

  private arrayLiteral(): A.Expression | undefined {
    const first = this.unary();
    if (!first) return undefined;
    if (!this.isOp(this.peek('expression'), ',')) return first;
    const elements = [first];
    while (this.isOp(this.peek('expression'), ',')) {
      const comma = this.next('expression');
      this.skipNewlines('expression');
      const e = this.unary();
      if (!e) {
        this.error(comma.end, comma.end, 'MissingExpressionAfterToken', l10n.t('Add a value after ",".'));
        break;
      }
      elements.push(e);
    }
    return { type: 'ArrayLiteral', start: first.start, end: this.end, elements: fit(elements) };
  }

  private unary(): A.Expression | undefined {
    const t = this.peek('expression');
    if (t.kind === 'Operator') {
      const v = t.value;
      const after = t.end < this.lx.limit ? this.lx.text.charCodeAt(t.end) : -1;
      if (v === '-' && ((after >= 0x30 && after <= 0x39) || after === 0x2e)) {
        this.drop();
        const n = this.lx.signedNumber();
        if (n) return this.postfix({ type: 'Number', start: n.start, end: n.end, text: intern(this.lx.text, n.start, n.end) });
        this.peek('expression');
      }
      if (v === '!' || v === '+' || v === '-' || v === '++' || v === '--' || v === ',' || UNARY_DASH_OPERATORS.has(v)) {
        this.next('expression');
        this.skipNewlines('expression');
        const operand = v === ',' ? this.unary() : this.unary();
        const node: A.UnaryExpr = { type: 'Unary', start: t.start, end: this.end, operator: v, operand: undefined, postfix: false };
        if (operand) node.operand = operand;
        else this.error(t.end, t.end, 'MissingExpressionAfterOperator', l10n.t('Add a value after the "{0}" operator.', v));
        if (operand && (v === '++' || v === '--') && !this.assignable(operand)) {
          this.error(t.start, operand.end, 'OperatorRequiresVariableOrProperty', l10n.t('"{0}" needs a variable or property.', v));
        }
        return node;
      }
      if (v === '[') return this.typeOrCast();
    }
    const p = this.primary('expression');
    return p ? this.postfix(p) : undefined;
  }

  private typeOrCast(): A.Expression | undefined {
    const open = this.next('expression');
    const item = this.attributeOrType(open);
    if (!item) return undefined;
    const typeName = item.name;
    this.drop();
    const c = this.lx.ch(this.lx.pos);
    if (c === 0x2e || c === 0x3a) {
      return this.postfix({ type: 'TypeLiteral', start: open.start, end: this.end, typeName });
    }
    const saved = this.snapshot();
    const t = this.peek('expression');
    if (this.startsOperand(t)) {
      const operand = this.unary();
      if (operand) return { type: 'Convert', start: open.start, end: this.end, typeName, operand };
    }
    this.restore(saved);
    if (item.type === 'Attribute') {
      this.skipNewlines('expression');
      const after = this.peek('expression');
      if (this.startsOperand(after)) {
        const operand = this.unary();
        if (operand) return { type: 'Convert', start: open.start, end: this.end, typeName, operand };
      }
      this.error(item.start, item.end, 'UnexpectedAttribute', l10n.t('The attribute [{0}(...)] is not followed by what it applies to: add param(...) or a variable after it.', typeName));
    }
    return { type: 'TypeLiteral', start: open.start, end: this.end, typeName };
  }

  private startsOperand(t: Token): boolean {
    switch (t.kind) {
      case 'Variable':
      case 'SplattedVariable':
      case 'Number':
      case 'StringLiteral':
      case 'StringExpandable':
      case 'HereStringLiteral':
      case 'HereStringExpandable':
        return true;
      case 'Operator':
        return OPERAND_STARTS.has(t.value) || UNARY_DASH_OPERATORS.has(t.value);
      default:
        return false;
    }
  }

  private primary(mode: Mode): A.Expression | undefined {
    const t = this.peek(mode);
    switch (t.kind) {
      case 'Variable':
        this.next(mode);
        return { type: 'Variable', start: t.start, end: t.end, name: t.value, splatted: false };
      case 'SplattedVariable':
        this.next(mode);
        if (mode === 'expression') this.splatNotPermitted(t);
        return { type: 'Variable', start: t.start, end: t.end, name: t.value, splatted: true };
      case 'Number':
        this.next(mode);
        return { type: 'Number', start: t.start, end: t.end, text: intern(this.lx.text, t.start, t.end) };
      case 'StringLiteral':
      case 'StringExpandable':
      case 'HereStringLiteral':
      case 'HereStringExpandable':
        this.next(mode);
        return this.stringNode(t);
      case 'Operator':
        switch (t.value) {
          case '(':
            return this.paren(mode);
          case '$(':
          case '@(': {
            this.next(mode);
            const statements = this.statementList(')');
            const close = this.peek('command');
            if (this.isOp(close, ')')) this.next('command');
            else this.error(t.start, t.end, 'MissingEndParenthesisInSubexpression', l10n.t('Missing closing ")" for "{0}": add it.', t.value));
            return { type: t.value === '$(' ? 'SubExpression' : 'ArrayExpression', start: t.start, end: this.end, statements };
          }
          case '@{':
            return this.hashtable(mode);
          case '{': {
            this.next(mode);
            const body = this.scriptBlockBody(t.start, '}');
            this.closeBrace(t);
            body.end = this.end;
            return { type: 'ScriptBlockExpression', start: t.start, end: this.end, body };
          }
        }
        return undefined;
      default:
        return undefined;
    }
  }

  private stringNode(t: Token): A.StringExpr {
    const text = this.lx.text;
    const here = t.kind === 'HereStringLiteral' || t.kind === 'HereStringExpandable';
    const single = t.kind === 'StringLiteral' || t.kind === 'HereStringLiteral';
    let raw: string;
    if (here) {
      let s = t.start + 2;
      while (s < t.end && !isNewline(text.charCodeAt(s))) s++;
      if (text.charCodeAt(s) === 0x0d && text.charCodeAt(s + 1) === 0x0a) s += 2;
      else s++;
      let e = t.end - 2;
      if (text.charCodeAt(e - 1) === 0x0a) e--;
      if (text.charCodeAt(e - 1) === 0x0d) e--;
      raw = s <= e ? text.slice(s, e) : '';
    } else {
      const closed = t.end - t.start >= 2 && (single ? isSingleQuote(text.charCodeAt(t.end - 1)) : isDoubleQuote(text.charCodeAt(t.end - 1)));
      raw = intern(text, t.start + 1, closed ? t.end - 1 : t.end);
    }
    const ranges = t.kind === 'StringExpandable' || t.kind === 'HereStringExpandable' ? this.lx.nestedIn(t.start) : undefined;
    let nested = NO_NESTED;
    if (ranges !== undefined) {
      nested = [];
      for (const [s, e] of ranges) nested.push(this.nestedStatements(s, e));
    }
    return { type: 'String', start: t.start, end: t.end, quote: here ? (single ? 'here-single' : 'here-double') : single ? 'single' : 'double', raw, nested };
  }

  /** Parses the inside of a `$( )` in an expandable string; its errors are the script's. */
  private nestedStatements(start: number, end: number): A.Statement[] {
    const lexer = new Lexer(this.lx.text, nestedTokens(this.nesting), this.errors, start, Math.max(start, end), 0);
    const parser = new Parser(lexer, this.errors, this.nesting + 1);
    const statements = parser.statementList(undefined);
    return statements;
  }

  private paren(mode: Mode): A.ParenExpr {
    const open = this.next(mode);
    this.skipNewlines();
    const node: A.ParenExpr = { type: 'Paren', start: open.start, end: open.end, statement: undefined };
    const t = this.peek('command');
    if (!this.isOp(t, ')')) {
      const statement = this.statement();
      if (statement) node.statement = statement;
    } else {
      // `()` is not an empty value in PowerShell but an error (`@()` is the empty array),
      // reported right after the "(" as PowerShell does.
      this.error(open.end, open.end, 'ExpectedExpression', l10n.t('Put an expression between "(" and ")", or write @() for an empty array.'));
    }
    this.skipNewlines();
    const close = this.peek('command');
    if (this.isOp(close, ')')) this.next('command');
    else this.error(close.start, close.start, 'MissingEndParenthesisInExpression', l10n.t('Missing closing ")" in the expression: add it.'));
    node.end = this.end;
    return node;
  }

  private hashtable(mode: Mode): A.HashtableExpr {
    const open = this.next(mode);
    const node: A.HashtableExpr = { type: 'Hashtable', start: open.start, end: open.end, pairs: [] };
    const keys = new Set<string>();
    for (;;) {
      this.skipNewlinesAndSemis();
      const t = this.peek('command');
      if (this.isOp(t, '}')) {
        this.next('command');
        break;
      }
      if (t.kind === 'EndOfInput') {
        this.error(open.start, open.end, 'MissingEndCurlyBrace', l10n.t('Missing closing "}" for the hashtable "@{": add it.'));
        break;
      }
      const key = this.hashKey();
      if (!key) {
        const bad = this.peek('expression');
        this.error(bad.start, bad.end, 'MissingEqualsInHashLiteral', l10n.t('Each hashtable entry is "key = value".'));
        this.recoverToTerminator('}');
        continue;
      }
      const literal = key.type === 'Word' ? key.text : key.type === 'String' && (key.quote === 'single' || !key.raw.includes('$')) ? key.raw : key.type === 'Number' ? key.text : undefined;
      if (literal !== undefined) {
        const k = literal.toLowerCase();
        if (keys.has(k)) this.error(key.start, key.end, 'DuplicateKeyInHashLiteral', l10n.t('The key "{0}" appears twice in this hashtable: remove one.', literal));
        keys.add(k);
      }
      this.skipNewlines('expression');
      const eq = this.peek('expression');
      if (!this.isOp(eq, '=')) {
        this.error(eq.start, eq.start, 'MissingEqualsInHashLiteral', l10n.t('Add "=" and a value after the hashtable key.'));
        this.recoverToTerminator('}');
        continue;
      }
      this.next('expression');
      this.skipNewlines();
      const value = this.endsStatement(this.peek('command')) ? undefined : this.statement();
      if (!value) this.error(eq.end, eq.end, 'MissingStatementInHashLiteral', l10n.t('Add a value after "=".'));
      node.pairs.push({ key, value });
      const after = this.peek('command');
      if (!(after.kind === 'NewLine' || this.isOp(after, ';') || this.isOp(after, '}'))) {
        this.error(after.start, after.start, 'MissingEndCurlyBrace', l10n.t('Separate hashtable entries with ";" or a new line, and close it with "}".'));
        this.recoverToTerminator('}');
      }
    }
    node.end = this.end;
    return node;
  }

  private hashKey(): A.Expression | undefined {
    this.drop();
    this.lx.skipTrivia();
    const c = this.lx.ch(this.lx.pos);
    if (isIdentifierChar(c) && !(c >= 0x30 && c <= 0x39)) {
      const start = this.lx.pos;
      let i = start;
      while (i < this.lx.limit) {
        const ch = this.lx.text.charCodeAt(i);
        if (isIdentifierChar(ch) || ch === 0x2d) i++;
        else break;
      }
      this.lx.push('Word', start, i, this.lx.text.slice(start, i));
      return { type: 'Word', start, end: i, text: this.lx.text.slice(start, i) };
    }
    return this.unary();
  }

  private invocationArguments(): A.Expression[] {
    const args: A.Expression[] = [];
    this.skipNewlines('expression');
    if (this.isOp(this.peek('expression'), ')')) {
      this.next('expression');
      return args;
    }
    for (;;) {
      this.skipNewlines('expression');
      const e = this.expression(true);
      if (!e) {
        const t = this.peek('expression');
        this.error(t.start, t.start, 'MissingExpressionAfterToken', l10n.t('Add a method argument or close the call with ")".'));
        this.recoverInParens();
        return args;
      }
      args.push(e);
      this.skipNewlines('expression');
      const sep = this.peek('expression');
      if (this.isOp(sep, ',')) {
        this.next('expression');
        continue;
      }
      if (this.isOp(sep, ')')) {
        this.next('expression');
        return args;
      }
      this.error(sep.start, sep.start, 'MissingEndParenthesisInMethodCall', l10n.t('Close the method call with ")".'));
      this.recoverInParens();
      return args;
    }
  }

  /** Member access, calls and indexing directly after an expression (no blank in between). */
  private postfix(target: A.Expression, mode: Mode = 'expression'): A.Expression {
    let expr = target;
    for (;;) {
      this.drop();
      const lx = this.lx;
      const p = lx.pos;
      const c = lx.ch(p);
      const n = lx.ch(p + 1);
      let isStatic = false;
      let nullConditional = false;
      if (c === 0x2e && n !== 0x2e && !startsMember(n) && mode === 'expression' && (n === -1 || isWhitespace(n) || isNewline(n))) {
        lx.op(p, 1, '.');
        this.error(p + 1, p + 1, 'MissingPropertyName', l10n.t('Add a property or method name after the dot.'));
        return expr;
      }
      if (c === 0x2e && n !== 0x2e && startsMember(n)) {
        lx.op(p, 1, '.');
      } else if (c === 0x3a && n === 0x3a) {
        lx.op(p, 2, '::');
        isStatic = true;
      } else if (c === 0x3f && n === 0x2e) {
        lx.op(p, 2, '?.');
        nullConditional = true;
      } else if (c === 0x5b || (c === 0x3f && n === 0x5b)) {
        nullConditional = c === 0x3f;
        const open = lx.op(p, nullConditional ? 2 : 1, nullConditional ? '?[' : '[');
        this.skipNewlines('expression');
        const index = this.expression();
        const node: A.IndexExpr = { type: 'Index', start: expr.start, end: open.end, target: expr, index: undefined, nullConditional };
        if (index) node.index = index;
        else this.error(open.end, open.end, 'MissingArrayIndexExpression', l10n.t('Add the index inside "[ ]".'));
        this.skipNewlines('expression');
        this.expectOp(']', 'expression', 'MissingEndSquareBracket', missing.closeIndex);
        node.end = this.end;
        expr = node;
        continue;
      } else if ((c === 0x2b && n === 0x2b) || (c === 0x2d && n === 0x2d)) {
        lx.op(p, 2, c === 0x2b ? '++' : '--');
        if (!this.assignable(expr)) this.error(expr.start, p + 2, 'OperatorRequiresVariableOrProperty', l10n.t('"{0}" needs a variable or property.', c === 0x2b ? '++' : '--'));
        expr = { type: 'Unary', start: expr.start, end: p + 2, operator: c === 0x2b ? '++' : '--', operand: expr, postfix: true };
        continue;
      } else {
        return expr;
      }
      const nameToken = lx.memberName();
      let node: A.MemberExpr;
      if (nameToken) {
        node = { type: 'Member', start: expr.start, end: nameToken.end, target: expr, static: isStatic, nullConditional, name: nameToken.value, member: undefined, arguments: undefined };
      } else {
        const m = lx.ch(lx.pos);
        const member =
          m === 0x24 || m === 0x28 || isSingleQuote(m) || isDoubleQuote(m) || m === 0x40 ? this.primary('expression') : undefined;
        if (!member) {
          this.error(lx.pos, lx.pos, 'MissingPropertyName', l10n.t('Add a property or method name after the dot.'));
          return expr;
        }
        node = member.type === 'String' && member.quote !== 'double'
          ? { type: 'Member', start: expr.start, end: member.end, target: expr, static: isStatic, nullConditional, name: member.raw, member, arguments: undefined }
          : { type: 'Member', start: expr.start, end: member.end, target: expr, static: isStatic, nullConditional, name: undefined, member, arguments: undefined };
      }
      this.drop();
      if (lx.ch(lx.pos) === 0x28) {
        lx.op(lx.pos, 1, '(');
        node.arguments = this.invocationArguments();
        node.end = this.end;
      } else if (lx.ch(lx.pos) === 0x7b && nameToken) {
        const open = this.next('expression');
        const body = this.scriptBlockBody(open.start, '}');
        this.closeBrace(open);
        body.end = this.end;
        node.arguments = [{ type: 'ScriptBlockExpression', start: open.start, end: this.end, body }];
        node.end = this.end;
      }
      expr = node;
    }
  }
}
