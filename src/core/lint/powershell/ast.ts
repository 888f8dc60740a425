import type { Token } from './tokens';

/**
 * The syntax tree of the PowerShell front end: what rules need, not a full mirror of
 * System.Management.Automation.Language. Offsets are UTF-16 positions in the decoded text.
 */
interface Base {
  readonly start: number;
  end: number;
}

export interface ScriptBlock extends Base {
  readonly type: 'ScriptBlock';
  /** `using namespace/module/assembly` statements at the top of the script. */
  readonly usings: UsingStatement[];
  paramBlock?: ParamBlock;
  /** Named blocks (`begin`, `process`, `end`, ...); an unnamed body is one `end` block. */
  readonly blocks: NamedBlock[];
}

export interface NamedBlock extends Base {
  readonly type: 'NamedBlock';
  readonly name: string;
  readonly statements: Statement[];
}

export interface ParamBlock extends Base {
  readonly type: 'ParamBlock';
  readonly attributes: AttributeNode[];
  readonly parameters: ParameterNode[];
}

export interface ParameterNode extends Base {
  readonly type: 'Parameter';
  readonly attributes: Array<AttributeNode | TypeConstraint>;
  readonly variable: VariableExpr;
  defaultValue?: Expression;
}

export interface AttributeNode extends Base {
  readonly type: 'Attribute';
  readonly name: string;
  readonly positional: Expression[];
  readonly named: Array<{ name: string; value?: Expression }>;
}

export interface TypeConstraint extends Base {
  readonly type: 'TypeConstraint';
  readonly name: string;
}

export interface StatementBlock extends Base {
  readonly type: 'StatementBlock';
  readonly statements: Statement[];
}

export interface FunctionDefinition extends Base {
  readonly type: 'FunctionDefinition';
  readonly keyword: 'function' | 'filter' | 'workflow';
  readonly name: string;
  readonly nameStart: number;
  readonly parameters: ParameterNode[];
  body: ScriptBlock;
}

export interface IfStatement extends Base {
  readonly type: 'If';
  readonly clauses: Array<{ condition?: Statement; body: StatementBlock }>;
  elseBody?: StatementBlock;
}

export interface SwitchStatement extends Base {
  readonly type: 'Switch';
  readonly flags: string[];
  condition?: Statement | Expression;
  readonly clauses: Array<{ pattern?: Expression; body: StatementBlock }>;
}

export interface ForeachStatement extends Base {
  readonly type: 'Foreach';
  readonly flags: string[];
  variable?: VariableExpr;
  iterable?: Statement;
  body?: StatementBlock;
}

export interface LoopStatement extends Base {
  readonly type: 'For' | 'While' | 'DoWhile' | 'DoUntil';
  readonly parts: Array<Statement | undefined>;
  body?: StatementBlock;
}

export interface TryStatement extends Base {
  readonly type: 'Try';
  readonly body: StatementBlock;
  readonly catches: Array<{ start: number; end: number; types: string[]; body: StatementBlock }>;
  finallyBody?: StatementBlock;
}

export interface TrapStatement extends Base {
  readonly type: 'Trap';
  readonly trapType?: string;
  body?: StatementBlock;
}

export interface FlowStatement extends Base {
  readonly type: 'Break' | 'Continue' | 'Return' | 'Exit' | 'Throw';
  readonly keywordEnd: number;
  label?: string;
  pipeline?: Statement;
}

export interface DataStatement extends Base {
  readonly type: 'Data';
  body?: StatementBlock;
}

export interface TypeDefinition extends Base {
  readonly type: 'TypeDefinition';
  readonly kind: 'class' | 'enum';
  readonly name: string;
  readonly members: Array<PropertyMember | MethodMember | EnumMember>;
}

export interface PropertyMember extends Base {
  readonly type: 'PropertyMember';
  readonly name: string;
  readonly attributes: Array<AttributeNode | TypeConstraint>;
  initializer?: Expression;
}

export interface MethodMember extends Base {
  readonly type: 'MethodMember';
  readonly name: string;
  readonly attributes: Array<AttributeNode | TypeConstraint>;
  readonly parameters: ParameterNode[];
  readonly baseArguments: Expression[];
  body?: ScriptBlock;
}

export interface EnumMember extends Base {
  readonly type: 'EnumMember';
  readonly name: string;
  initializer?: Expression;
}

export interface UsingStatement extends Base {
  readonly type: 'Using';
  readonly words: string[];
}

export interface Pipeline extends Base {
  readonly type: 'Pipeline';
  readonly elements: Array<Command | CommandExpression>;
  background: boolean;
}

export interface PipelineChain extends Base {
  readonly type: 'PipelineChain';
  readonly left: Statement;
  readonly operator: '&&' | '||';
  readonly operatorStart: number;
  right?: Statement;
}

export interface Assignment extends Base {
  readonly type: 'Assignment';
  readonly left: Expression;
  readonly operator: string;
  right?: Statement;
}

export interface Command extends Base {
  readonly type: 'Command';
  /** The command name as written (`Get-Item`, `iex`, `.\tool.exe`); empty when it is computed (`& $x`). */
  readonly name: string;
  readonly nameToken?: Token;
  readonly invocation?: '&' | '.';
  readonly elements: Array<CommandParameter | Expression>;
  readonly redirections: Redirection[];
}

export interface CommandParameter extends Base {
  readonly type: 'CommandParameter';
  /** The name without the dash and colon, as written. */
  readonly name: string;
  /** `-Name:value` */
  argument?: Expression;
}

export interface Redirection extends Base {
  readonly type: 'Redirection';
  readonly operator: string;
  target?: Expression;
}

export interface CommandExpression extends Base {
  readonly type: 'CommandExpression';
  readonly expression: Expression;
  readonly redirections: Redirection[];
}

/**
 * A statement. One that is an expression alone, without redirections (`$x`, `$list.Add(1)`,
 * `1..5`, a condition), is the expression itself: the Pipeline and CommandExpression that
 * PowerShell's tree puts around it would be a quarter of a script's nodes. `loneExpression`
 * reads a statement's expression in either form.
 */
export type Statement =
  | FunctionDefinition
  | IfStatement
  | SwitchStatement
  | ForeachStatement
  | LoopStatement
  | TryStatement
  | TrapStatement
  | FlowStatement
  | DataStatement
  | TypeDefinition
  | UsingStatement
  | Pipeline
  | PipelineChain
  | Assignment
  | Expression;

export interface BinaryExpr extends Base {
  readonly type: 'Binary';
  readonly operator: string;
  readonly operatorStart: number;
  readonly left: Expression;
  right?: Expression;
}

export interface UnaryExpr extends Base {
  readonly type: 'Unary';
  readonly operator: string;
  operand?: Expression;
  readonly postfix: boolean;
}

export interface TernaryExpr extends Base {
  readonly type: 'Ternary';
  readonly condition: Expression;
  readonly questionStart: number;
  ifTrue?: Expression;
  ifFalse?: Expression;
}

export interface ConvertExpr extends Base {
  readonly type: 'Convert';
  readonly typeName: string;
  operand?: Expression;
}

export interface TypeExpr extends Base {
  readonly type: 'TypeLiteral';
  readonly typeName: string;
}

export interface VariableExpr extends Base {
  readonly type: 'Variable';
  /** The name as written, scope included (`global:Count`, `env:ProgramData`). */
  readonly name: string;
  readonly splatted: boolean;
}

export interface ConstantExpr extends Base {
  readonly type: 'Number';
  readonly text: string;
}

export interface StringExpr extends Base {
  readonly type: 'String';
  readonly quote: 'single' | 'double' | 'here-single' | 'here-double';
  /** The text between the quotes, escapes not yet applied. */
  readonly raw: string;
  /** Statements of the `$( )` subexpressions inside an expandable string. */
  readonly nested: Statement[][];
}

/** A bare word used as an argument, e.g. `C:\Temp` or `-` or `Stop`. */
export interface WordExpr extends Base {
  readonly type: 'Word';
  readonly text: string;
}

export interface ArrayLiteral extends Base {
  readonly type: 'ArrayLiteral';
  readonly elements: Expression[];
}

export interface SubExpression extends Base {
  readonly type: 'SubExpression' | 'ArrayExpression';
  readonly statements: Statement[];
}

export interface ParenExpr extends Base {
  readonly type: 'Paren';
  statement?: Statement;
}

export interface HashtableExpr extends Base {
  readonly type: 'Hashtable';
  readonly pairs: Array<{ key: Expression; value?: Statement }>;
}

export interface ScriptBlockExpr extends Base {
  readonly type: 'ScriptBlockExpression';
  readonly body: ScriptBlock;
}

export interface MemberExpr extends Base {
  readonly type: 'Member';
  readonly target: Expression;
  readonly static: boolean;
  readonly nullConditional: boolean;
  /** The member name when it is a bare word or a constant string. */
  readonly name?: string;
  readonly member?: Expression;
  /** Present for method calls `$x.Method(...)`. */
  arguments?: Expression[];
}

export interface IndexExpr extends Base {
  readonly type: 'Index';
  readonly target: Expression;
  index?: Expression;
  readonly nullConditional: boolean;
}

export type Expression =
  | BinaryExpr
  | UnaryExpr
  | TernaryExpr
  | ConvertExpr
  | TypeExpr
  | VariableExpr
  | ConstantExpr
  | StringExpr
  | WordExpr
  | ArrayLiteral
  | SubExpression
  | ParenExpr
  | HashtableExpr
  | ScriptBlockExpr
  | MemberExpr
  | IndexExpr;

/** The type of every Expression: what tells a statement that is an expression from the others. */
const EXPRESSION_TYPES: ReadonlySet<string> = new Set(
  Object.keys({
    Binary: 1, Unary: 1, Ternary: 1, Convert: 1, TypeLiteral: 1, Variable: 1, Number: 1, String: 1, Word: 1, ArrayLiteral: 1,
    SubExpression: 1, ArrayExpression: 1, Paren: 1, Hashtable: 1, ScriptBlockExpression: 1, Member: 1, Index: 1,
  } satisfies Record<Expression['type'], 1>),
);

function isExpression(node: Node): node is Expression {
  return EXPRESSION_TYPES.has(node.type);
}

/**
 * The expression a statement consists of (`$h = @{...}`: the hashtable), or undefined when it is
 * something else (a command, an assignment, a pipeline of several elements): the statement
 * itself when it is an expression, or the expression of a one-element pipeline around one (an
 * expression with redirections, or run in the background with `&`).
 */
export function loneExpression(s: Statement | undefined): Expression | undefined {
  if (s === undefined) return undefined;
  if (s.type === 'Pipeline') {
    if (s.elements.length !== 1) return undefined;
    const e = s.elements[0];
    return e?.type === 'CommandExpression' ? e.expression : undefined;
  }
  return isExpression(s) ? s : undefined;
}

export type Node =
  | ScriptBlock
  | NamedBlock
  | ParamBlock
  | ParameterNode
  | AttributeNode
  | TypeConstraint
  | StatementBlock
  | Statement
  | Command
  | CommandParameter
  | CommandExpression
  | Redirection
  | PropertyMember
  | MethodMember
  | EnumMember
  | Expression;


/** The fields of each node type that hold child nodes, so the walk reads only those. */
const CHILD_KEYS: Readonly<Record<Node['type'], readonly string[]>> = {
  ScriptBlock: ['usings', 'paramBlock', 'blocks'],
  NamedBlock: ['statements'],
  ParamBlock: ['attributes', 'parameters'],
  Parameter: ['attributes', 'variable', 'defaultValue'],
  Attribute: ['positional', 'named'],
  TypeConstraint: [],
  StatementBlock: ['statements'],
  FunctionDefinition: ['parameters', 'body'],
  If: ['clauses', 'elseBody'],
  Switch: ['condition', 'clauses'],
  Foreach: ['variable', 'iterable', 'body'],
  For: ['parts', 'body'],
  While: ['parts', 'body'],
  // The condition of a do loop follows its body in the text: visited after it, node lists stay in source order.
  DoWhile: ['body', 'parts'],
  DoUntil: ['body', 'parts'],
  Try: ['body', 'catches', 'finallyBody'],
  Trap: ['body'],
  Break: ['pipeline'],
  Continue: ['pipeline'],
  Return: ['pipeline'],
  Exit: ['pipeline'],
  Throw: ['pipeline'],
  Data: ['body'],
  TypeDefinition: ['members'],
  PropertyMember: ['attributes', 'initializer'],
  MethodMember: ['attributes', 'parameters', 'baseArguments', 'body'],
  EnumMember: ['initializer'],
  Using: [],
  Pipeline: ['elements'],
  PipelineChain: ['left', 'right'],
  Assignment: ['left', 'right'],
  Command: ['elements', 'redirections'],
  CommandParameter: ['argument'],
  Redirection: ['target'],
  CommandExpression: ['expression', 'redirections'],
  Binary: ['left', 'right'],
  Unary: ['operand'],
  Ternary: ['condition', 'ifTrue', 'ifFalse'],
  Convert: ['operand'],
  TypeLiteral: [],
  Variable: [],
  Number: [],
  String: ['nested'],
  Word: [],
  ArrayLiteral: ['elements'],
  SubExpression: ['statements'],
  ArrayExpression: ['statements'],
  Paren: ['statement'],
  Hashtable: ['pairs'],
  ScriptBlockExpression: ['body'],
  Member: ['target', 'member', 'arguments'],
  Index: ['target', 'index'],
};

/** The fields of the records inside child arrays (if clauses, switch clauses, catches, hashtable pairs, named attribute arguments). */
const RECORD_KEYS = ['condition', 'pattern', 'key', 'value', 'body'] as const;

function visitChildren(value: unknown, parent: Node, visit: Visit): void {
  if (value === undefined || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) visitChildren(value[i], parent, visit);
    return;
  }
  const record = value as Record<string, unknown>;
  if (typeof record.type === 'string' && typeof record.start === 'number') {
    visitNode(record as unknown as Node, parent, visit);
    return;
  }
  for (let k = 0; k < RECORD_KEYS.length; k++) visitChildren(record[RECORD_KEYS[k] as string], parent, visit);
}

/** Returning false skips the node's children (forEachNodePruned); forEachNode's visitors return nothing. */
type Visit = (node: Node, parent: Node | undefined) => unknown;

function visitList(list: readonly (Node | undefined)[], parent: Node, visit: Visit): void {
  for (let i = 0; i < list.length; i++) {
    const n = list[i];
    if (n !== undefined) visitNode(n, parent, visit);
  }
}

function visitOptional(n: Node | undefined, parent: Node, visit: Visit): void {
  if (n !== undefined) visitNode(n, parent, visit);
}

/**
 * One case per node type, reading the fields of CHILD_KEYS in their order (so each field read sees
 * one object shape); the generic walk over CHILD_KEYS is kept for anything else.
 */
function visitNode(node: Node, parent: Node | undefined, visit: Visit): void {
  if (visit(node, parent) === false) return;
  switch (node.type) {
    case 'Variable':
    case 'Number':
    case 'Word':
    case 'TypeLiteral':
    case 'TypeConstraint':
    case 'Using':
      return;
    case 'Pipeline':
      visitList(node.elements, node, visit);
      return;
    case 'CommandExpression':
      visitNode(node.expression, node, visit);
      visitList(node.redirections, node, visit);
      return;
    case 'Command':
      visitList(node.elements, node, visit);
      visitList(node.redirections, node, visit);
      return;
    case 'String': {
      const nested = node.nested;
      for (let i = 0; i < nested.length; i++) visitList(nested[i] as Statement[], node, visit);
      return;
    }
    case 'Assignment':
      visitNode(node.left, node, visit);
      visitOptional(node.right, node, visit);
      return;
    case 'CommandParameter':
      visitOptional(node.argument, node, visit);
      return;
    case 'Member':
      visitNode(node.target, node, visit);
      visitOptional(node.member, node, visit);
      if (node.arguments !== undefined) visitList(node.arguments, node, visit);
      return;
    case 'Binary':
      visitNode(node.left, node, visit);
      visitOptional(node.right, node, visit);
      return;
    case 'StatementBlock':
    case 'NamedBlock':
      visitList(node.statements, node, visit);
      return;
    case 'ScriptBlock':
      visitList(node.usings, node, visit);
      visitOptional(node.paramBlock, node, visit);
      visitList(node.blocks, node, visit);
      return;
    case 'Parameter':
      visitList(node.attributes, node, visit);
      visitNode(node.variable, node, visit);
      visitOptional(node.defaultValue, node, visit);
      return;
    case 'If': {
      const clauses = node.clauses;
      for (let i = 0; i < clauses.length; i++) {
        const c = clauses[i] as IfStatement['clauses'][number];
        visitOptional(c.condition, node, visit);
        visitOptional(c.body, node, visit);
      }
      visitOptional(node.elseBody, node, visit);
      return;
    }
    case 'ArrayLiteral':
      visitList(node.elements, node, visit);
      return;
    case 'Paren':
      visitOptional(node.statement, node, visit);
      return;
    case 'Unary':
    case 'Convert':
      visitOptional(node.operand, node, visit);
      return;
    case 'Index':
      visitNode(node.target, node, visit);
      visitOptional(node.index, node, visit);
      return;
    case 'Hashtable': {
      const pairs = node.pairs;
      for (let i = 0; i < pairs.length; i++) {
        const p = pairs[i] as HashtableExpr['pairs'][number];
        visitOptional(p.key, node, visit);
        visitOptional(p.value, node, visit);
      }
      return;
    }
    case 'ScriptBlockExpression':
      visitNode(node.body, node, visit);
      return;
    case 'SubExpression':
    case 'ArrayExpression':
      visitList(node.statements, node, visit);
      return;
    case 'ParamBlock':
      visitList(node.attributes, node, visit);
      visitList(node.parameters, node, visit);
      return;
    case 'Attribute': {
      visitList(node.positional, node, visit);
      const named = node.named;
      for (let i = 0; i < named.length; i++) visitOptional((named[i] as AttributeNode['named'][number]).value, node, visit);
      return;
    }
    case 'FunctionDefinition':
      visitList(node.parameters, node, visit);
      visitOptional(node.body, node, visit);
      return;
    case 'Break':
    case 'Continue':
    case 'Return':
    case 'Exit':
    case 'Throw':
      visitOptional(node.pipeline, node, visit);
      return;
    default: {
      const keys = CHILD_KEYS[node.type];
      const fields = node as unknown as Record<string, unknown>;
      for (let k = 0; k < keys.length; k++) visitChildren(fields[keys[k] as string], node, visit);
    }
  }
}

/**
 * Visits every node depth-first, parents before children, with its parent. Allocates nothing:
 * the index walks every tree once per lint, so this is on the hot path.
 */
export function forEachNode(root: Node, visit: (node: Node, parent: Node | undefined) => void): void {
  visitNode(root, undefined, visit);
}

/**
 * Visits nodes depth-first as forEachNode does, but not the children of a node for which `visit`
 * returns false: a search that knows where its target lies walks only that part of the tree.
 */
export function forEachNodePruned(root: Node, visit: (node: Node, parent: Node | undefined) => boolean): void {
  visitNode(root, undefined, visit);
}

/**
 * Visits every node depth-first, parents before children, with the chain of ancestors
 * (nearest last).
 */
export function walk(root: Node, visit: (node: Node, ancestors: readonly Node[]) => void): void {
  const ancestors: Node[] = [];
  forEachNode(root, (node, parent) => {
    // Parents come before children, so the chain up to `parent` is already on the stack.
    while (ancestors.length > 0 && ancestors[ancestors.length - 1] !== parent) ancestors.pop();
    visit(node, ancestors);
    ancestors.push(node);
  });
}
