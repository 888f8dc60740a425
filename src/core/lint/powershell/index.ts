import { lastStartingAtOrBefore } from '../positions';
import { forEachNode, forEachNodePruned, type Command, type CommandParameter, type Expression, type FunctionDefinition, type Node, type Statement, loneExpression } from './ast';
import type { PowerShellParse } from './parser';
import type { TokenList } from './tokens';

/** The node interface whose `type` can be T (FlowStatement covers Break, Exit, ...). */
type NodeOf<T extends Node['type'], N = Node> = N extends { type: infer U } ? (T extends U ? N : never) : never;

/**
 * A parsed script with the lookups rules share, built once per lint in a single walk: nodes by
 * type and (on first use) each node's parent. Rules read from here instead of walking the tree
 * themselves.
 *
 * The incremental linter (../incremental-lint.ts) builds it from pieces instead: one index per
 * top-level statement, kept while the statement is unchanged, joined on demand.
 */
export class PowerShellIndex {
  private readonly byType = new Map<string, Node[]>();
  /** nodesInOrder's answers, worked out on first ask. */
  private inOrder: Map<string, readonly Node[]> | undefined;
  private splats: Map<string, string[] | undefined> | undefined;
  private parents: Map<Node, Node> | undefined;
  private pieces: readonly PowerShellIndex[] | undefined;
  private memos: Map<object, unknown> | undefined;
  /** The subtree this index covers: the whole script, or one top-level statement of it. */
  readonly root: Node;

  constructor(parse: PowerShellParse, text: string, root?: Node);
  constructor(
    public parse: PowerShellParse,
    public text: string,
    root?: Node,
  ) {
    this.root = root ?? parse.ast;
    const byType = this.byType;
    forEachNode(this.root, (node) => {
      const list = byType.get(node.type);
      if (list) list.push(node);
      else byType.set(node.type, [node]);
    });
  }

  /**
   * The index of a script that is a plain statement list (one implicit end block), from the
   * indexes of its top-level statements (built with `new PowerShellIndex(parse, text, statement)`).
   */
  static join(parse: PowerShellParse, text: string, pieces: readonly PowerShellIndex[]): PowerShellIndex {
    const index = Object.create(PowerShellIndex.prototype) as PowerShellIndex;
    const fields = index as unknown as { byType: Map<string, Node[]>; pieces: readonly PowerShellIndex[]; root: Node; parse: PowerShellParse; text: string };
    fields.parse = parse;
    fields.text = text;
    fields.root = parse.ast;
    fields.pieces = pieces;
    fields.byType = new Map();
    // The nodes outside every statement, in walk order: the script block and its end block.
    fields.byType.set('ScriptBlock', [parse.ast]);
    fields.byType.set('NamedBlock', parse.ast.blocks.slice());
    index.splats = undefined;
    index.inOrder = undefined;
    index.parents = undefined;
    index.chain = undefined;
    index.byName = undefined;
    index.byWrittenName = undefined;
    index.memos = undefined;
    return index;
  }

  /**
   * What rules work out from this index and share (rules/powershell/facts.ts), made on first ask
   * and kept with the index, by the key its maker chose.
   *
   * Kept here, not in a WeakMap keyed by the index: V8's young-generation collector keeps a
   * WeakMap's values alive through each of its collections, and these values hold nodes, so each
   * linted file's tree lived on through the collections after its lint. Measured on the bench
   * corpus over 7 full-lint passes (with allocation-site pretenuring off): 454 MB copied by those
   * collections and 1.8 s in them, against 129 MB and 0.54 s kept here.
   */
  memo<T>(key: object, make: () => T): T {
    const memos = (this.memos ??= new Map());
    let value = memos.get(key) as T | undefined;
    if (value === undefined) memos.set(key, (value = make()));
    return value;
  }

  /** Keys of the literal hashtable last assigned to `$name` (lower-case), or undefined. */
  hashtableKeys(name: string): string[] | undefined {
    const pieces = this.pieces;
    if (pieces) {
      // The last statement that assigns one wins; each statement's own table is kept with it.
      const lower = name.toLowerCase();
      const found = (this.splats ??= new Map());
      if (!found.has(lower)) {
        let keys: string[] | undefined;
        for (let i = pieces.length - 1; i >= 0 && !keys; i--) keys = (pieces[i] as PowerShellIndex).hashtableKeys(lower);
        found.set(lower, keys);
      }
      return found.get(lower);
    }
    if (!this.splats) {
      this.splats = new Map();
      for (const a of this.nodes('Assignment')) {
        if (a.left.type !== 'Variable') continue;
        const e = loneExpression(a.right);
        if (e?.type === 'Hashtable') {
          this.splats.set(a.left.name.toLowerCase(), e.pairs.map((p) => constantText(p.key)?.toLowerCase() ?? ''));
        }
      }
    }
    return this.splats.get(name.toLowerCase());
  }

  /**
   * Every node of this index's subtree, once, in lists of one node type each (a top-level
   * statement's index, not a joined one): the incremental re-parse moves a statement's offsets
   * list by list.
   */
  nodeLists(): Iterable<readonly Node[]> {
    // l10n-exempt: a programming assertion (only a statement's own index has such lists)
    if (this.pieces) throw new Error('nodeLists() of a joined index');
    return this.byType.values();
  }

  get tokens(): TokenList {
    return this.parse.tokens;
  }

  nodes<T extends Node['type']>(type: T): readonly NodeOf<T>[] {
    const pieces = this.pieces;
    if (!pieces) return (this.byType.get(type) ?? []) as NodeOf<T>[];
    const key = `+${type}`;
    let joined = this.byType.get(key);
    if (!joined) {
      joined = (this.byType.get(type) ?? []).slice();
      for (const piece of pieces) for (const n of piece.nodes(type)) joined.push(n);
      this.byType.set(key, joined);
    }
    return joined as NodeOf<T>[];
  }

  /**
   * The nodes of a type in source order: by start, and of two that start together the outer one
   * first. That is the walk's order, so the list of nodes() itself unless error recovery left
   * ranges that do not nest (then a sorted copy). Checked once per type and index.
   */
  nodesInOrder<T extends Node['type']>(type: T): readonly NodeOf<T>[] {
    const inOrder = (this.inOrder ??= new Map());
    let ordered = inOrder.get(type);
    if (!ordered) {
      const nodes = this.nodes(type);
      ordered = nodes;
      for (let i = 1; i < nodes.length; i++) {
        const a = nodes[i - 1] as Node;
        const b = nodes[i] as Node;
        if (a.start > b.start || (a.start === b.start && a.end < b.end)) {
          ordered = [...nodes].sort((x, y) => x.start - y.start || y.end - x.end);
          break;
        }
      }
      inOrder.set(type, ordered);
    }
    return ordered as NodeOf<T>[];
  }

  parent(node: Node): Node | undefined {
    const pieces = this.pieces;
    if (pieces) {
      if (node === this.root) return undefined;
      const block = this.parse.ast.blocks[0];
      if (node === block) return this.root;
      // Top-level statements are in order and do not overlap: find the one holding `node`.
      let lo = 0;
      let hi = pieces.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if ((pieces[mid] as PowerShellIndex).root.start <= node.start) lo = mid;
        else hi = mid - 1;
      }
      for (let i = lo; i >= 0 && i >= lo - 1; i--) {
        const piece = pieces[i] as PowerShellIndex;
        if (piece.root === node) return block;
        const parent = piece.parent(node);
        if (parent) return parent;
      }
      return undefined;
    }
    const root = this.root;
    if (node === root) return undefined;
    if (!this.parents) {
      // Rules walk up from a node parent by parent: the last search found the whole chain.
      const chain = this.chain;
      const i = chain ? chain.lastIndexOf(node) : -1;
      if (i > 0) return (chain as Node[])[i - 1];
      // Most rules ask about a few nodes: search only where the node's range says it lies.
      const parent = this.searchParent(node);
      if (parent) return parent;
      // Not found there: a tree whose ranges do not nest (some error recoveries leave a child
      // outside its parent), or a node outside this index's subtree. Map every node's parent,
      // once, in this index's subtree only (a top-level statement's index must not walk the
      // whole script).
      const parents = (this.parents = new Map());
      forEachNode(root, (child, parent) => {
        if (parent) parents.set(child, parent);
      });
    }
    return this.parents.get(node);
  }

  /**
   * The parent of a node, looked for only in the nodes whose range holds the node's (in a whole
   * script, only in the top-level statements that can hold it); undefined when not found so.
   */
  private searchParent(node: Node): Node | undefined {
    const root = this.root;
    if (root.type === 'ScriptBlock') {
      for (const block of root.blocks) {
        if (node === block) return root;
        const statements = block.statements;
        for (let i = lastStartingAtOrBefore(statements, node.start); i >= 0 && i < statements.length; i--) {
          const statement = statements[i] as Statement;
          if (statement.end < node.start) break;
          if (statement === node) return block;
          if (statement.start > node.start) continue;
          const parent = this.parentWithin(statement, node);
          if (parent) return parent;
        }
      }
    }
    // Also a script's param block and using statements, outside its named blocks.
    return this.parentWithin(root, node);
  }

  /** The nodes from a top-level statement (or the root) down to the parent of the node last looked for. */
  private chain: Node[] | undefined;

  /**
   * The parent of `node` in the subtree of `top`, descending only into nodes whose range holds
   * the node's; undefined when `node` is `top` or is not found that way. Keeps the chain of
   * nodes it descended through.
   */
  private parentWithin(top: Node, node: Node): Node | undefined {
    const start = node.start;
    const end = node.end;
    const chain: Node[] = [];
    let found = false;
    forEachNodePruned(top, (n, parent) => {
      if (found) return false;
      // Parents come before children, and only nodes descended into are on the chain.
      while (chain.length > 0 && chain[chain.length - 1] !== parent) chain.pop();
      if (n === node) {
        found = true;
        return false;
      }
      if (n.start > start || end > n.end) return false;
      chain.push(n);
      return true;
    });
    if (!found || chain.length === 0) return undefined;
    this.chain = chain;
    return chain[chain.length - 1];
  }

  /** The nearest function (or filter) definition around a node. */
  enclosingFunction(node: Node): FunctionDefinition | undefined {
    for (let p = this.parent(node); p; p = this.parent(p)) if (p.type === 'FunctionDefinition') return p;
    return undefined;
  }

  /** Commands by lower-case name as written, in source order. */
  private byWrittenName: Map<string, Command[]> | undefined;

  /**
   * Every command, grouped by its name lower-cased as written (module qualifier kept), each group
   * in source order. Rules that look up every command's name do it once per name this way, and
   * the incremental linter keeps each statement's groups while the statement is unchanged.
   */
  commandsByName(): ReadonlyMap<string, readonly Command[]> {
    if (!this.byWrittenName) {
      const groups = (this.byWrittenName = new Map<string, Command[]>());
      if (this.pieces) {
        for (const piece of this.pieces) {
          for (const [name, commands] of piece.commandsByName()) {
            const list = groups.get(name);
            if (list) for (const c of commands) list.push(c);
            else groups.set(name, commands.slice());
          }
        }
      } else {
        // Lowered once per name as written: toLowerCase costs more than finding the name in a map.
        const lowered = new Map<string, string>();
        for (const c of this.nodes('Command')) {
          let name = lowered.get(c.name);
          if (name === undefined) lowered.set(c.name, (name = c.name.toLowerCase()));
          const list = groups.get(name);
          if (list) list.push(c);
          else groups.set(name, [c]);
        }
      }
    }
    return this.byWrittenName;
  }

  /** Commands by lower-case name, module qualifier (`Microsoft.PowerShell.Utility\`) removed. */
  private byName: Map<string, Command[]> | undefined;

  /** Commands whose name, resolved through `aliases`, is one of `names` (lower-case), in source order. */
  commandsNamed(names: readonly string[], aliases: Readonly<Record<string, string>> = {}): Command[] {
    if (!this.byName) {
      this.byName = new Map();
      for (const [written, commands] of this.commandsByName()) {
        const name = written.replace(/^microsoft\.powershell\.\w+\\/, '');
        const list = this.byName.get(name);
        if (list) for (const c of commands) list.push(c);
        else this.byName.set(name, commands.slice());
      }
    }
    const wanted = new Set(names);
    const found: Command[] = [];
    for (const [name, commands] of this.byName) {
      if (wanted.has(name) || wanted.has(aliases[name]?.toLowerCase() ?? '')) found.push(...commands);
    }
    return found.sort((a, b) => a.start - b.start);
  }
}

/**
 * The parameter of `command` that PowerShell would bind to `name`: PowerShell accepts any
 * unambiguous prefix, so `-AsPlain` is `-AsPlainText`. `candidates` are the command's full
 * parameter names; the first whose prefix matches wins.
 */
export function findParameter(command: Command, name: string, minimumPrefix = 1): CommandParameter | undefined {
  const full = name.toLowerCase();
  return command.elements.find(
    (e): e is CommandParameter => e.type === 'CommandParameter' && e.name.length >= minimumPrefix && full.startsWith(e.name.toLowerCase()),
  );
}

/** The argument bound to a named parameter: `-X:value` or the element after `-X`. */
export function parameterArgument(command: Command, parameter: CommandParameter): Expression | undefined {
  if (parameter.argument) return parameter.argument;
  const i = command.elements.indexOf(parameter);
  const next = command.elements[i + 1];
  return next && next.type !== 'CommandParameter' ? next : undefined;
}

/**
 * `text.toLowerCase()`, but `text` itself when there is nothing to lower (no A-Z, all ASCII), as
 * with most variable names in scripts: rules lower every variable's name, and the scan costs a
 * fraction of the call.
 */
export function lowerCase(text: string): string {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 0x41 && c <= 0x5a) || c > 0x7f) return text.toLowerCase();
  }
  return text;
}

/** The text of a constant: a bare word, a number or a string without expansions. */
export function constantText(e: Expression | undefined): string | undefined {
  if (!e) return undefined;
  if (e.type === 'Word') return e.text;
  if (e.type === 'Number') return e.text;
  if (e.type === 'String' && (e.quote === 'single' || e.quote === 'here-single')) return e.raw.replace(/''/g, "'");
  if (e.type === 'String' && !/[$`]/.test(e.raw)) return e.raw;
  return undefined;
}

