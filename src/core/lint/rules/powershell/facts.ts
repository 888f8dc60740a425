import type { Assignment, Command, CommandParameter, Node } from '../../powershell/ast';
import type { Finding, RuleContext, StatementFacts } from '../../rule';
import type { PowerShellIndex } from '../../powershell/index';

/**
 * Lookups several rules share, built on first use from what the index exposes and kept with the
 * index (the incremental linter keeps a statement's index while the statement is unchanged, so
 * these are kept with it). Rules that test every parameter or assignment name with a regex test
 * each distinct name once this way, and the tree is walked once for all of them instead of once
 * per rule: on a large script the walk, not the test, is what costs.
 */
interface Facts {
  parameters?: Map<string, Array<Command | CommandParameter>>;
  assignments?: Map<string, Assignment[]>;
}

/** The key of these facts in each index's memo. */
const FACTS = {};

function factsOf(index: PowerShellIndex): Facts {
  return index.memo<Facts>(FACTS, () => ({}));
}

/**
 * Every parameter passed to a command, grouped by its name as written (`ComputerName`, `cn`):
 * each group is a flat list of pairs, the command then the parameter, in source order.
 */
export function parametersByName(index: PowerShellIndex): ReadonlyMap<string, ReadonlyArray<Command | CommandParameter>> {
  const f = factsOf(index);
  if (!f.parameters) {
    const groups = (f.parameters = new Map());
    for (const c of index.nodes('Command')) {
      for (const e of c.elements) {
        if (e.type !== 'CommandParameter') continue;
        const list = groups.get(e.name);
        if (list) list.push(c, e);
        else groups.set(e.name, [c, e]);
      }
    }
  }
  return f.parameters;
}

/**
 * Assignments to a variable or a property (`$x = `, `[string]$x = `, `$o.Name = `), grouped by
 * the name as written (a variable's with its scope: `env:USERNAME`), in source order.
 */
export function assignmentsByTargetName(index: PowerShellIndex): ReadonlyMap<string, readonly Assignment[]> {
  const f = factsOf(index);
  if (!f.assignments) {
    const groups = (f.assignments = new Map());
    for (const a of index.nodes('Assignment')) {
      const target = a.left.type === 'Convert' ? a.left.operand : a.left;
      const name = target?.type === 'Variable' ? target.name : target?.type === 'Member' ? target.name : undefined;
      if (name === undefined) continue;
      const list = groups.get(name);
      if (list) list.push(a);
      else groups.set(name, [a]);
    }
  }
  return f.assignments;
}

/**
 * What a file-scope rule finds inside one top-level statement, kept with the statement: its
 * findings at offsets from the statement's start (the statement may move), and the statement.
 */
export interface LocalFindings {
  readonly root: Node;
  readonly findings: readonly Finding[];
}

const NO_FINDINGS: readonly Finding[] = [];
const NO_NAMES: readonly string[] = [];

function moved(f: Finding, by: number): Finding {
  if (by === 0) return f;
  const out: { -readonly [K in keyof Finding]: Finding[K] } = { start: f.start + by, end: f.end + by };
  if (f.message !== undefined) out.message = f.message;
  if (f.fix) out.fix = f.fix.map((e) => ({ start: e.start + by, end: e.end + by, text: e.text }));
  return out;
}

/** Runs `find` on an index (a statement's, or the whole script's) and keeps its findings relative to the index's root. */
export function localFindings(parsed: PowerShellIndex, find: (parsed: PowerShellIndex, report: (f: Finding) => void) => void): LocalFindings {
  const root = parsed.root;
  let findings: Finding[] | undefined;
  find(parsed, (f) => (findings ??= []).push(moved(f, -root.start)));
  return { root, findings: findings ?? NO_FINDINGS };
}

/** Reports kept local findings where their statements are now. */
export function reportLocal(facts: readonly LocalFindings[], report: (f: Finding) => void): void {
  for (const { root, findings } of facts) for (const f of findings) report(moved(f, root.start));
}

/**
 * Statement facts for a rule whose findings each come from one top-level statement (as with
 * `scope: 'statement'`), but which may be turned off by something file-wide (`#Requires`, the
 * script's param block, comments): `find` runs per statement, `file` on every lint, and decides
 * whether the kept findings count; it may report file-wide findings of its own.
 */
export function statementFindings(
  find: (parsed: PowerShellIndex, report: (f: Finding) => void) => void,
  file: (context: RuleContext<PowerShellIndex>) => boolean = () => true,
): StatementFacts<PowerShellIndex, LocalFindings> {
  return {
    collect: (parsed) => localFindings(parsed, find),
    combine(context, facts) {
      if (file(context)) reportLocal(facts, context.report);
    },
  };
}

/** Local findings, each of which may count only if a function of its name is (or is not) defined in the script. */
export interface FunctionDependentFindings extends LocalFindings {
  /** Per finding: undefined (it counts), or the lower-case name and whether the function must be defined for it to count. */
  readonly conditions: ReadonlyArray<readonly [string, boolean] | undefined>;
  /** The names (lower-case) of the functions the statement defines, nested ones included. */
  readonly functions: readonly string[];
}

/**
 * Statement facts for a rule whose findings come from one top-level statement each but depend on
 * the functions the whole script defines (`function gc { }` makes `gc` no alias): `find` reports
 * with a condition, `combine` keeps the findings whose condition the script's functions meet.
 */
export function functionDependentFindings(
  find: (parsed: PowerShellIndex, report: (f: Finding, condition?: readonly [string, boolean]) => void) => void,
): StatementFacts<PowerShellIndex, FunctionDependentFindings> {
  return {
    collect(parsed) {
      const root = parsed.root;
      const findings: Finding[] = [];
      const conditions: Array<readonly [string, boolean] | undefined> = [];
      find(parsed, (f, condition) => {
        findings.push(moved(f, -root.start));
        conditions.push(condition);
      });
      const definitions = parsed.nodes('FunctionDefinition');
      const functions = definitions.length === 0 ? NO_NAMES : definitions.map((f) => f.name.toLowerCase());
      return { root, findings: findings.length === 0 ? NO_FINDINGS : findings, conditions, functions };
    },
    combine({ report }, facts) {
      let defined: Set<string> | undefined;
      for (const { root, findings, conditions } of facts) {
        for (let i = 0; i < findings.length; i++) {
          const condition = conditions[i];
          if (condition) {
            defined ??= new Set(facts.flatMap((f) => f.functions));
            if (defined.has(condition[0]) !== condition[1]) continue;
          }
          report(moved(findings[i] as Finding, root.start));
        }
      }
    },
  };
}
