import { forEachNode, type Command, type CommandParameter, type Expression, type FunctionDefinition, type Node } from './ast';
import type { PowerShellParse } from './parser';
import type { Token } from './tokens';

/** The node interface whose `type` can be T (FlowStatement covers Break, Exit, ...). */
type NodeOf<T extends Node['type'], N = Node> = N extends { type: infer U } ? (T extends U ? N : never) : never;

/**
 * A parsed script with the lookups rules share, built once per lint in a single walk: nodes by
 * type and (on first use) each node's parent. Rules read from here instead of walking the tree
 * themselves.
 */
export class PowerShellIndex {
  private readonly byType = new Map<string, Node[]>();
  private splats: Map<string, string[]> | undefined;
  private parents: Map<Node, Node> | undefined;

  constructor(
    readonly parse: PowerShellParse,
    readonly text: string,
  ) {
    const byType = this.byType;
    forEachNode(parse.ast, (node) => {
      const list = byType.get(node.type);
      if (list) list.push(node);
      else byType.set(node.type, [node]);
    });
  }

  /** Keys of the literal hashtable last assigned to `$name` (lower-case), or undefined. */
  hashtableKeys(name: string): string[] | undefined {
    if (!this.splats) {
      this.splats = new Map();
      for (const a of this.nodes('Assignment')) {
        if (a.left.type !== 'Variable') continue;
        const s = a.right;
        const e = s?.type === 'Pipeline' && s.elements.length === 1 ? s.elements[0] : undefined;
        if (e?.type === 'CommandExpression' && e.expression.type === 'Hashtable') {
          this.splats.set(a.left.name.toLowerCase(), e.expression.pairs.map((p) => constantText(p.key)?.toLowerCase() ?? ''));
        }
      }
    }
    return this.splats.get(name.toLowerCase());
  }

  get tokens(): readonly Token[] {
    return this.parse.tokens;
  }

  nodes<T extends Node['type']>(type: T): readonly NodeOf<T>[] {
    return (this.byType.get(type) ?? []) as NodeOf<T>[];
  }

  parent(node: Node): Node | undefined {
    if (!this.parents) {
      const parents = (this.parents = new Map());
      forEachNode(this.parse.ast, (child, parent) => {
        if (parent) parents.set(child, parent);
      });
    }
    return this.parents.get(node);
  }

  /** The nearest function (or filter) definition around a node. */
  enclosingFunction(node: Node): FunctionDefinition | undefined {
    for (let p = this.parent(node); p; p = this.parent(p)) if (p.type === 'FunctionDefinition') return p;
    return undefined;
  }

  /** Commands by lower-case name, module qualifier (`Microsoft.PowerShell.Utility\`) removed. */
  private byName: Map<string, Command[]> | undefined;

  /** Commands whose name, resolved through `aliases`, is one of `names` (lower-case), in source order. */
  commandsNamed(names: readonly string[], aliases: Readonly<Record<string, string>> = {}): Command[] {
    if (!this.byName) {
      this.byName = new Map();
      for (const c of this.nodes('Command')) {
        const name = c.name.toLowerCase().replace(/^microsoft\.powershell\.\w+\\/, '');
        const list = this.byName.get(name);
        if (list) list.push(c);
        else this.byName.set(name, [c]);
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

/** The text of a constant: a bare word, a number or a string without expansions. */
export function constantText(e: Expression | undefined): string | undefined {
  if (!e) return undefined;
  if (e.type === 'Word') return e.text;
  if (e.type === 'Number') return e.text;
  if (e.type === 'String' && (e.quote === 'single' || e.quote === 'here-single')) return e.raw.replace(/''/g, "'");
  if (e.type === 'String' && !/[$`]/.test(e.raw)) return e.raw;
  return undefined;
}
