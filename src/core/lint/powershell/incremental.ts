import { firstStartingAtOrAfter } from '../positions';
import { forEachNode, type NamedBlock, type Node, type ScriptBlock, type Statement } from './ast';
import { dedupe, parseWithCheckpoints, resumeStatements, type Checkpoint, type CheckpointedParse } from './parser';
import type { ParseError, TokenList } from './tokens';

/**
 * Re-parses a script after an edit, reusing the top-level statements the edit cannot have
 * changed: those before it are kept as they are, the parser resumes at the last checkpoint
 * that only unchanged text can have led to, and it stops as soon as it reaches a top-level
 * statement that starts in the unchanged tail at a checkpoint of the earlier parse, whose
 * statements, tokens and errors are then reused with their offsets moved. The result equals
 * `parseWithCheckpoints(text)` (test/unit/core/lint/powershell/incremental.test.ts checks it on
 * random edits). `previous` is consumed: its tail is moved in place.
 */
export function reparse(previous: CheckpointedParse | undefined, text: string, nodesOf?: NodesOf): CheckpointedParse {
  if (!previous?.checkpoints || previous.checkpoints.length === 0) return parseWithCheckpoints(text);
  const old = previous.text;
  if (old === text) return previous;
  const cps = previous.checkpoints;

  const max = Math.min(old.length, text.length);
  // Whole chunks first (string comparison is native), then character by character.
  let p = 0;
  for (let n = 4096; n >= 1; n >>= 3) while (p + n <= max && old.slice(p, p + n) === text.slice(p, p + n)) p += n;
  let q = 0;
  for (let n = 4096; n >= 1; n >>= 3) while (q + n <= max - p && old.slice(old.length - q - n, old.length - q) === text.slice(text.length - q - n, text.length - q)) q += n;
  const delta = text.length - old.length;
  const unchangedTail = old.length - q;

  // The parse up to checkpoint c read no further than the start of statement c + 1.
  let k = 0;
  while (k < cps.length && (cps[k] as Checkpoint).start < p) k++;
  const c = k - 2;

  let m = firstStartingAtOrAfter(cps, unchangedTail);
  const sync = (at: Checkpoint): boolean => {
    const oldStart = at.start - delta;
    if (oldStart < unchangedTail) return false;
    while (m < cps.length && (cps[m] as Checkpoint).start < oldStart) m++;
    const candidate = cps[m];
    // A switch without clauses is an error only in a script that has none before it.
    return candidate !== undefined && candidate.start === oldStart && (candidate.errors === 0) === (at.errors === 0);
  };

  const oldStatements = (previous.parse.ast.blocks[0] as NamedBlock).statements;
  if (c < 0) {
    const fresh = parseWithCheckpoints(text, sync);
    const stop = fresh.stoppedAt;
    if (!stop || !fresh.checkpoints) return fresh.stoppedAt ? parseWithCheckpoints(text) : fresh;
    const block = fresh.parse.ast.blocks[0] as NamedBlock;
    return splice(previous, text, delta, cps[m] as Checkpoint, m, stop, fresh.parse.tokens, 0, fresh.rawErrors, [...block.statements], fresh.checkpoints, nodesOf);
  }

  const from = cps[c] as Checkpoint;
  const tokens = previous.parse.tokens.head(from.tokens);
  const errors = previous.rawErrors.slice(0, from.errors);
  const resumed = resumeStatements(text, from.start, tokens, errors, sync);
  const statements = oldStatements.slice(0, from.statements);
  for (const s of resumed.statements) statements.push(s);
  const checkpoints = cps.slice(0, c);
  for (const cp of resumed.checkpoints) checkpoints.push({ ...cp, statements: cp.statements + from.statements });
  if (resumed.stoppedAt) {
    const stop = { ...resumed.stoppedAt, statements: resumed.stoppedAt.statements + from.statements };
    return splice(previous, text, delta, cps[m] as Checkpoint, m, stop, tokens, from.tokens, errors, statements, checkpoints, nodesOf);
  }
  return { parse: { ast: root(statements, resumed.end), tokens, errors: dedupe(errors) }, text, rawErrors: errors, checkpoints };
}

/** The tree parseWithCheckpoints builds for a plain statement list. */
function root(statements: Statement[], end: number): ScriptBlock {
  const block: ScriptBlock = { type: 'ScriptBlock', start: 0, end, usings: [], paramBlock: undefined, blocks: [] };
  block.blocks.push({ type: 'NamedBlock', start: statements[0]?.start ?? 0, end, name: 'end', statements });
  return block;
}

/** Above this many new tokens, the tail is copied after them instead of them into the earlier token list. */
const MOST_SPLICED = 8192;

/**
 * Joins the new head (up to checkpoint `stop`) with the earlier parse's tail from its checkpoint
 * `m` on. `tokens` holds the new head's tokens, of which the first `shared` are the earlier
 * parse's own.
 */
function splice(
  previous: CheckpointedParse,
  text: string,
  delta: number,
  oldStop: Checkpoint,
  m: number,
  stop: Checkpoint,
  tokens: TokenList,
  shared: number,
  errors: ParseError[],
  statements: Statement[],
  checkpoints: Checkpoint[],
  nodesOf: NodesOf | undefined,
): CheckpointedParse {
  tokens.length = stop.tokens;
  errors.length = stop.errors;
  statements.length = stop.statements;
  const oldStatements = (previous.parse.ast.blocks[0] as NamedBlock).statements;
  if (delta !== 0) for (let i = oldStop.statements; i < oldStatements.length; i++) shift(oldStatements[i] as Statement, delta, nodesOf);
  const oldTokens = previous.parse.tokens;
  if (delta !== 0) oldTokens.shift(oldStop.tokens, oldTokens.length, delta);
  let allTokens = tokens;
  const fresh = stop.tokens - shared;
  if (fresh <= MOST_SPLICED && oldTokens.length - oldStop.tokens > fresh) {
    // The earlier list is consumed: replace its changed middle in place (a native move) rather
    // than copy its whole tail after the new head. Its first `shared` tokens are the new head's.
    oldTokens.replace(shared, oldStop.tokens, tokens, shared, stop.tokens);
    allTokens = oldTokens;
  } else {
    tokens.append(oldTokens, oldStop.tokens, oldTokens.length);
  }
  const oldErrors = previous.rawErrors;
  for (let i = oldStop.errors; i < oldErrors.length; i++) {
    const e = oldErrors[i] as ParseError;
    errors.push(delta === 0 ? e : { ...e, start: e.start + delta, end: e.end + delta });
  }
  for (let i = oldStop.statements; i < oldStatements.length; i++) statements.push(oldStatements[i] as Statement);
  const cps = previous.checkpoints as Checkpoint[];
  for (let i = m; i < cps.length; i++) {
    const cp = cps[i] as Checkpoint;
    checkpoints.push({
      start: cp.start + delta,
      tokens: cp.tokens - oldStop.tokens + stop.tokens,
      errors: cp.errors - oldStop.errors + stop.errors,
      statements: cp.statements - oldStop.statements + stop.statements,
    });
  }
  const end = previous.parse.ast.end + delta;
  return { parse: { ast: root(statements, end), tokens: allTokens, errors: dedupe(errors) }, text, rawErrors: errors, checkpoints };
}

/**
 * Every node of a top-level statement of the earlier parse (itself included), in lists of one
 * node type each, when the caller keeps them (the incremental linter's index of the statement
 * does): moving lists is faster than walking the tree, and a list of one type moves with one
 * test of the type and stores to one object layout.
 */
export type NodesOf = (statement: Statement) => Iterable<readonly Node[]> | undefined;

type Mutable = Record<string, unknown> & { start: number; end: number };

/** Moves every offset in a statement's subtree, its commands' name tokens (each command's own record) included. */
function shift(statement: Statement, delta: number, nodesOf: NodesOf | undefined): void {
  const lists = nodesOf?.(statement);
  if (lists) for (const list of lists) moveList(list, delta);
  else forEachNode(statement, (node) => move(node, delta));
}

/** Moves a list of nodes of one type: their offsets, then their type's other offsets. */
function moveList(nodes: readonly Node[], delta: number): void {
  const first = nodes[0];
  if (first === undefined) return;
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i] as unknown as Mutable;
    n.start += delta;
    n.end += delta;
  }
  // The first node tells whether the list's type has more offsets: if not, the rest have none either.
  if (moveMore(first, delta)) for (let i = 1; i < nodes.length; i++) moveMore(nodes[i] as Node, delta);
}

function move(node: Node, delta: number): void {
  const n = node as unknown as Mutable;
  n.start += delta;
  n.end += delta;
  moveMore(node, delta);
}

/** Moves a node's offsets besides start and end; false for a type that has none. */
function moveMore(node: Node, delta: number): boolean {
  const n = node as unknown as Mutable;
  switch (node.type) {
    case 'Command': {
      const token = node.nameToken as { start: number; end: number } | undefined;
      if (token) {
        token.start += delta;
        token.end += delta;
      }
      break;
    }
    case 'FunctionDefinition':
      n.nameStart = (n.nameStart as number) + delta;
      break;
    case 'Break':
    case 'Continue':
    case 'Return':
    case 'Exit':
    case 'Throw':
      n.keywordEnd = (n.keywordEnd as number) + delta;
      break;
    case 'PipelineChain':
    case 'Binary':
      n.operatorStart = (n.operatorStart as number) + delta;
      break;
    case 'Ternary':
      n.questionStart = (n.questionStart as number) + delta;
      break;
    case 'Try':
      for (const c of node.catches as Array<{ start: number; end: number }>) {
        c.start += delta;
        c.end += delta;
      }
      break;
    default:
      return false;
  }
  return true;
}
