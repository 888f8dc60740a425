import type { Assignment, Command, CommandParameter } from '../../powershell/ast';
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

const facts = new WeakMap<PowerShellIndex, Facts>();

function factsOf(index: PowerShellIndex): Facts {
  let f = facts.get(index);
  if (!f) facts.set(index, (f = {}));
  return f;
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
