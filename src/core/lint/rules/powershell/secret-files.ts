import * as l10n from '@vscode/l10n';
import docs from '../../../../../docs/rules/PP1024.md';
import { firstStartingAtOrAfter } from '../../positions';
import type { Assignment, Expression, Node, Statement, VariableExpr } from '../../powershell/ast';
import { constantText, findParameter, lowerCase, parameterArgument, type PowerShellIndex } from '../../powershell/index';
import { checkByFacts, type Rule, type RuleContext, type StatementFacts } from '../../rule';
import { assignmentsByTargetName } from './facts';

type Kind = 'pin' | 'xml' | 'ppkg';

/** A file name that holds PINs: `pins.json`, `pinpack-pins.json`, `PIN.txt` (not `mapping.json`, `pinpack-settings.json`). */
const PIN_FILE = /(^|[^a-z])pins?([^a-z]|$)/i;
const XML_FILE = /customi[sz]ations?[^\\/]*\.xml$/i;
const PPKG_FILE = /\.ppkg$/i;

function kindOfPath(path: string): Kind | undefined {
  const leaf = path.split(/[\\/]/).pop() ?? '';
  if (PPKG_FILE.test(leaf)) return 'ppkg';
  if (XML_FILE.test(leaf)) return 'xml';
  if (PIN_FILE.test(leaf.replace(/\.[^.]*$/, ''))) return 'pin';
  return undefined;
}

/** The text of the constant end of a path expression: `'x.json'`, `"$dir\x.json"`, `Join-Path $d 'x.json'`, `$d + '\x'`. */
function pathText(node: Statement | Expression | undefined): string | undefined {
  if (!node) return undefined;
  switch (node.type) {
    case 'String':
      return node.raw;
    case 'Word':
      return node.text;
    case 'Paren':
      return pathText(node.statement);
    case 'Binary':
      return node.operator === '+' ? pathText(node.right) : undefined;
    case 'Convert':
      return pathText(node.operand);
    case 'Pipeline': {
      if (node.elements.length !== 1) return undefined;
      const e = node.elements[0];
      if (e?.type === 'CommandExpression') return pathText(e.expression);
      if (e?.type === 'Command' && /^join-path$/i.test(e.name)) {
        const child = findParameter(e, 'childpath', 1);
        return pathText(child ? parameterArgument(e, child) : e.elements.filter((x): x is Expression => x.type !== 'CommandParameter')[1]);
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

const REMOVE_COMMANDS = new Set(['remove-item', 'del', 'erase', 'rd', 'ri', 'rm', 'rmdir']);
const WRITE_COMMANDS = new Set(['set-content', 'add-content', 'out-file', 'export-clixml', 'export-csv', 'new-item', 'sc', 'ac', 'ni', 'epcsv']);
/** A variable that holds a PIN: `$pin`, `$pins`, `$userPin`, `$PIN`, `$secret` (not `$spin`, `$pinFile`). */
const PIN_VALUE = (name: string) => /(^|[^A-Za-z]|[a-z](?=P))(pin|PIN|Pin)(s|code|Code)?$|(^|[^A-Za-z]|[a-z](?=S))([sS]ecret|SECRET)$/.test(name.replace(/^\w+:/, ''));

/** A variable's name without its scope (`script:`, `env:`), lower-case. */
const bare = (name: string) => lowerCase(name.includes(':') ? name.replace(/^\w+:/, '') : name);

interface Candidate {
  kind: Kind;
  /** A variable (lower-case, no scope) or a literal path. */
  variable?: string;
  literal?: string;
  /** Where it is reported. */
  node: Node;
}

/** The variables and literal paths a deletion names. */
interface Removals {
  readonly variables: string[];
  readonly literals: string[];
}

/** What PP1024 knows of a script or of one of its top-level statements. */
interface SecretFacts {
  /**
   * The files that must be deleted, in the order they are considered (the first of each
   * variable or path is the one reported): by how they were found, then in source order.
   */
  readonly candidates: readonly (readonly Candidate[])[];
  /** The rest, worked out only when the script has candidates (most have none). */
  readonly deletions: () => Deletions;
}

interface Deletions {
  /**
   * The variables a variable (lower-case, no scope) was built from (`$xml = Join-Path $run
   * 'x.xml'`: xml -> [run]), in no particular order; worked out only for the names asked about.
   */
  readonly sourcesOf: (name: string) => readonly string[];
  /** The commands called in finally blocks (lower-case). */
  readonly called: ReadonlySet<string>;
  /** What is deleted in finally blocks. */
  readonly inFinally: Removals;
  /** What is deleted elsewhere inside functions: it counts when one of them is called in a finally block. */
  readonly inFunctions: ReadonlyArray<{ readonly functions: readonly string[]; readonly removed: Removals }>;
}

/** Every way in names one of these; most scripts name none, and cost nothing more. */
const MENTIONS = /pin|secret|\.xml|\.ppkg|customizationxml|packagepath/i;

const secretFacts = {
  collect(parsed: PowerShellIndex): SecretFacts {
    const root = parsed.root;
    const mentions = MENTIONS.test(root === parsed.parse.ast ? parsed.text : parsed.text.slice(root.start, root.end));
    return { candidates: mentions ? candidatesIn(parsed) : [], deletions: once(() => deletionsIn(parsed)) };
  },
  combine({ parsed, report }: RuleContext<PowerShellIndex>, facts: readonly SecretFacts[]): void {
    const candidates: Candidate[] = [];
    for (let group = 0; group < GROUPS; group++) for (const f of facts) for (const c of f.candidates[group] ?? []) candidates.push(c);
    if (candidates.length === 0) return;

    const all = facts.map((f) => f.deletions());
    const called = (name: string) => all.some((d) => d.called.has(name));
    const removedVariables = new Set<string>();
    const removedLiterals: string[] = [];
    const add = (r: Removals) => {
      for (const v of r.variables) removedVariables.add(v);
      for (const l of r.literals) removedLiterals.push(l);
    };
    for (const d of all) {
      add(d.inFinally);
      for (const f of d.inFunctions) if (f.functions.some(called)) add(f.removed);
    }

    const removed = (name: string) => {
      const seen = new Set<string>();
      const queue = [name];
      while (queue.length) {
        const n = queue.pop() as string;
        if (seen.has(n)) continue;
        seen.add(n);
        if (removedVariables.has(n)) return true;
        for (const d of all) for (const x of d.sourcesOf(n)) queue.push(x);
      }
      return false;
    };
    let prefixes: Array<[string, string]> | undefined;
    const literalRemoved = (path: string) => {
      const lower = path.toLowerCase();
      prefixes ??= removedLiterals.map((r) => r.toLowerCase().replace(/\*.*$/, '')).filter((p) => p.length > 0).map((p) => [p, p.replace(/^.*[\\/]/, '')]);
      return prefixes.some(([prefix, leaf]) => lower.startsWith(prefix) || lower.endsWith(leaf));
    };

    const reported = new Set<string>();
    for (const c of candidates) {
      const key = c.variable !== undefined ? `$${c.variable}` : (c.literal ?? '').toLowerCase();
      if (reported.has(key)) continue;
      reported.add(key);
      if (c.variable !== undefined ? removed(c.variable) : literalRemoved(c.literal ?? '')) continue;
      const { start, end } = c.node;
      const written = parsed.text.slice(start, end);
      const what = c.variable === undefined ? ((c.literal ?? '').split(/[\\/]/).pop() ?? '') : /^\$[\w:{}]+$/.test(written) ? written : `$${c.variable}`;
      const message =
        c.kind === 'ppkg'
          ? l10n.t('Delete {0} in a finally block: the provisioning package carries the PIN, and the vendor requires it gone from the device whether enrollment succeeds or fails.', what)
          : c.kind === 'xml'
            ? l10n.t('Delete {0} in a finally block: the customizations XML holds the PIN, and the vendor requires it gone from the device whether enrollment succeeds or fails.', what)
            : l10n.t('Delete {0} in a finally block: it holds the PIN, and the vendor requires it gone from the device whether enrollment succeeds or fails.', what);
      report({ start, end, message });
    }
  },
};

/** Candidates come in this many groups: assignments, strings, words, written files, .NET writes. */
const GROUPS = 5;

function candidatesIn(parsed: PowerShellIndex): Candidate[][] {
  const groups: Candidate[][] = Array.from({ length: GROUPS }, () => []);
  const [assignments, strings, words, written, members] = groups as [Candidate[], Candidate[], Candidate[], Candidate[], Candidate[]];
  let variables: readonly VariableExpr[] | undefined;
  const variablesIn = (start: number, end: number) => within((variables ??= parsed.nodesInOrder('Variable')), start, end);

  for (const a of parsed.nodes('Assignment')) {
    if (a.left.type !== 'Variable') continue;
    const path = pathText(a.right);
    const kind = path === undefined ? undefined : kindOfPath(path);
    // A .ppkg counts when ICD.exe builds it (below): a package shipped ready-made is the vendor's business.
    if (kind && kind !== 'ppkg') assignments.push({ kind, variable: bare(a.left.name), node: a.left });
  }
  const fromPathExpression = (into: Candidate[], kind: Kind, e: Expression | undefined) => {
    if (!e) return;
    const vars = variablesIn(e.start, e.end);
    const last = vars[vars.length - 1];
    if (e.type === 'Variable' || (last && !constantText(e))) {
      if (last) into.push({ kind, variable: bare(last.name), node: last });
      return;
    }
    const literal = constantText(e);
    if (literal) into.push({ kind, literal, node: e });
  };
  // ICD.exe's arguments, however the command line is put together.
  const icdArgument = (into: Candidate[], s: Expression, text: string, expands: boolean) => {
    if (text.charCodeAt(0) !== 0x2f) return;
    const m = /^\/(CustomizationXML|PackagePath):(.*)$/is.exec(text);
    if (!m) return;
    const kind: Kind = (m[1] as string).toLowerCase() === 'packagepath' ? 'ppkg' : 'xml';
    const rest = (m[2] as string).replace(/^["']|["']$/g, '');
    if (rest) {
      const v = expands ? /\$\{?((?:\w+:)?\w+)\}?$/.exec(rest) : null;
      into.push(v ? { kind, variable: bare(v[1] as string), node: s } : { kind, literal: rest, node: s });
      return;
    }
    const parent = parsed.parent(s);
    if (parent?.type === 'Binary' && parent.left === s && parent.operator === '+') fromPathExpression(into, kind, parent.right);
  };
  for (const s of parsed.nodes('String')) icdArgument(strings, s, s.raw, s.quote === 'double' || s.quote === 'here-double');
  // In argument mode a bare /PackagePath:$ppkg is one word that expands.
  for (const w of parsed.nodes('Word')) icdArgument(words, w, w.text, true);
  // A file written with a PIN in it.
  for (const c of parsed.commandsNamed([...WRITE_COMMANDS])) {
    const pipeline = parsed.parent(c);
    const range = pipeline?.type === 'Pipeline' ? pipeline : c;
    if (!variablesIn(range.start, range.end).some((v) => PIN_VALUE(v.name))) continue;
    const p = findParameter(c, 'path', 1) ?? findParameter(c, 'literalpath', 1) ?? findParameter(c, 'filepath', 1);
    fromPathExpression(written, 'pin', p ? parameterArgument(c, p) : c.elements.find((e): e is Expression => e.type !== 'CommandParameter'));
  }
  for (const m of parsed.nodes('Member')) {
    if (!m.static || !m.arguments?.length || !/^(write|append)all/i.test(m.name ?? '')) continue;
    if (m.target.type !== 'TypeLiteral' || !/^(system\.)?io\.file$/i.test(m.target.typeName)) continue;
    if (!m.arguments.slice(1).some((x) => variablesIn(x.start, x.end).some((v) => PIN_VALUE(v.name)))) continue;
    fromPathExpression(members, 'pin', m.arguments[0]);
  }
  return groups.some((g) => g.length > 0) ? groups : [];
}

function deletionsIn(parsed: PowerShellIndex): Deletions {
  const variables = parsed.nodesInOrder('Variable');
  // The assignments by target name as written, shared with other rules; grouped by bare name on first ask.
  let byBareName: Map<string, Array<readonly Assignment[]>> | undefined;
  const sources = new Map<string, string[]>();
  const sourcesOf = (name: string): readonly string[] => {
    let found = sources.get(name);
    if (found) return found;
    if (!byBareName) {
      byBareName = new Map();
      for (const [written, assignments] of assignmentsByTargetName(parsed)) {
        const key = bare(written);
        const groups = byBareName.get(key);
        if (groups) groups.push(assignments);
        else byBareName.set(key, [assignments]);
      }
    }
    sources.set(name, (found = []));
    for (const assignments of byBareName.get(name) ?? []) {
      for (const a of assignments) {
        if (a.left.type !== 'Variable' || !a.right) continue;
        for (const v of within(variables, a.right.start, a.right.end)) found.push(bare(v.name));
      }
    }
    return found;
  };

  const finallyRanges: Array<[number, number]> = [];
  for (const t of parsed.nodes('Try')) if (t.finallyBody) finallyRanges.push([t.finallyBody.start, t.finallyBody.end]);
  const inRanges = (ranges: Array<[number, number]>, at: number) => ranges.some(([s, e]) => at >= s && at < e);
  const called = new Set<string>();
  if (finallyRanges.length > 0) {
    for (const [name, commands] of parsed.commandsByName()) if (commands.some((c) => inRanges(finallyRanges, c.start))) called.add(name);
  }
  const functions = parsed.nodes('FunctionDefinition');

  const strings = parsed.nodesInOrder('String');
  const words = parsed.nodesInOrder('Word');
  const inFinally: Removals = { variables: [], literals: [] };
  const inFunctions: Array<{ functions: string[]; removed: Removals }> = [];
  const removedIn = (into: Removals, start: number, end: number) => {
    for (const v of within(variables, start, end)) into.variables.push(bare(v.name));
    for (const s of within(strings, start, end)) into.literals.push(constantText(s) ?? s.raw);
    for (const w of within(words, start, end)) into.literals.push(w.text);
  };
  const site = (node: Node) => {
    let into: Removals;
    if (inRanges(finallyRanges, node.start)) into = inFinally;
    else {
      const around = functions.filter((f) => node.start >= f.start && node.start < f.end).map((f) => f.name.toLowerCase());
      if (around.length === 0) return;
      into = { variables: [], literals: [] };
      inFunctions.push({ functions: around, removed: into });
    }
    const pipeline = parsed.parent(node);
    const range = pipeline?.type === 'Pipeline' ? pipeline : node;
    removedIn(into, range.start, range.end);
    for (let p = parsed.parent(node); p; p = parsed.parent(p)) {
      if (p.type === 'Foreach' && p.iterable) removedIn(into, p.iterable.start, p.iterable.end);
      if (p.type === 'Command' && /^(foreach-object|%|foreach)$/i.test(p.name)) {
        const pipe = parsed.parent(p);
        if (pipe?.type === 'Pipeline') removedIn(into, pipe.start, p.start);
      }
    }
  };
  for (const [name, commands] of parsed.commandsByName()) if (isRemoval(name)) for (const c of commands) site(c);
  for (const m of parsed.nodes('Member')) if (m.arguments && /^delete$/i.test(m.name ?? '')) site(m);
  return { sourcesOf, called, inFinally, inFunctions };
}

function once<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
}

/**
 * A file that holds a PIN, the customizations XML that carries it to ICD.exe, or the `.ppkg`
 * built from it, that is not deleted in a `finally` block: the vendor requires the PIN gone from
 * the device whether the enrollment succeeds or fails, and only `finally` runs on both paths.
 * Recognised: paths assigned with a PIN-file or customizations-XML name; ICD.exe's
 * `/CustomizationXML:` and `/PackagePath:` (the built package); a file written with a `$pin`.
 * Deleted: `Remove-Item` (and aliases), any `Remove-*` command, `.Delete()`, inside a `finally`
 * or a function called from one, on the path, the folder it was joined from, or a `foreach` list
 * holding it.
 *
 * Its facts decompose by top-level statement (the language server keeps them while a statement
 * is unchanged): the candidates, what each statement's finally blocks and functions delete, and
 * the variables each is built from, joined for the whole script.
 */
export const secretFileCleanup: Rule<PowerShellIndex> = {
  id: 'PP1024',
  language: 'powershell',
  severity: 'error',
  message: 'Delete this file in a finally block: it holds the PIN, and the vendor requires it gone from the device whether enrollment succeeds or fails.',
  docs,
  fixable: false,
  facts: secretFacts as StatementFacts<PowerShellIndex, unknown>,
  check: checkByFacts(secretFacts),
};

/** The nodes of a list sorted by start that lie inside [start, end). */
function within<T extends Node>(list: readonly T[], start: number, end: number): T[] {
  const out: T[] = [];
  for (let i = firstStartingAtOrAfter(list, start); i < list.length && (list[i] as T).start < end; i++) if ((list[i] as T).end <= end) out.push(list[i] as T);
  return out;
}

/** Whether a command, by its lower-case name as written, deletes files. */
function isRemoval(written: string): boolean {
  const name = written.replace(/^microsoft\.powershell\.\w+\\/, '');
  return REMOVE_COMMANDS.has(name) || /^remove-/.test(name);
}
