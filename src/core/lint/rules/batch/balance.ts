import * as l10n from '@vscode/l10n';
import balanceDocs from '../../../../../docs/rules/PP2014.md';
import type { BatchCommand, BatchParse } from '../../batch/parser';
import type { Finding, Rule } from '../../rule';

/**
 * Follows the flow of a batch file from its first line and from every `call :label` entry, through
 * `goto` jumps, and tracks how many `pushd` and `setlocal` levels can be open at each command.
 * A command under an `if`, in a ( ) block or after `&&` / `||` may or may not run, so the states
 * are sets of depths; a finding needs every path that reaches the command to agree, which keeps
 * if/else pairs (`if x (pushd a) else (pushd b)`) quiet at the cost of missing some leaks.
 */

/** setlocal fails after 32 nested levels; depths are capped just above that. */
const SETLOCAL_LIMIT = 32;
const CAP = SETLOCAL_LIMIT + 1;

interface Node {
  readonly command: BatchCommand;
  readonly conditional: boolean;
}

function isConditional(c: BatchCommand): boolean {
  return c.parent !== undefined || c.depth > 0 || c.after === '&&' || c.after === '||';
}

function gotoTarget(c: BatchCommand): string | undefined {
  if (c.name !== 'goto') return undefined;
  const target = c.args[0]?.text.replace(/^:/, '').toLowerCase();
  return target && !/[%!]/.test(target) ? target : undefined;
}

/** `exit`, `goto :eof` and a `goto` to a variable label end this flow (or the call). */
function ends(c: BatchCommand): boolean {
  if (c.name === 'exit') return true;
  if (c.name !== 'goto') return false;
  const target = c.args[0]?.text.replace(/^:/, '').toLowerCase() ?? '';
  return target === 'eof' || /[%!]/.test(target);
}

type Effect = 'open' | 'close' | undefined;

/**
 * `callEntry`: the depths a `call :label` subroutine starts with; `sharedWithCalls`: whether what a
 * subroutine does to the stack outlives the call. Setlocal levels are the subroutine's own (cmd ends
 * them when the call returns); the pushd stack is shared with the caller, whose depth is unknown there.
 */
function flow(parse: BatchParse, effect: (c: BatchCommand) => Effect, callEntry: readonly number[], sharedWithCalls: boolean): { before: Map<number, Set<number>>; exits: Array<{ at: number; depths: Set<number> }> } {
  const nodes: Node[] = parse.commands.map((command) => ({ command, conditional: isConditional(command) }));
  const firstAfter = (offset: number) => {
    const index = nodes.findIndex((n) => n.command.start >= offset);
    return index < 0 ? nodes.length : index;
  };
  const labels = new Map<string, number>();
  for (const l of parse.labels) if (!labels.has(l.name)) labels.set(l.name, firstAfter(l.end));
  const before = new Map<number, Set<number>>();
  const exits: Array<{ at: number; depths: Set<number> }> = [];
  const work: Array<[number, Set<number>]> = [[0, new Set([0])]];
  for (const j of parse.jumps) {
    const entry = j.kind === 'call' ? labels.get(j.target) : undefined;
    if (entry !== undefined) work.push([entry, new Set(callEntry)]);
  }
  /** Whether the straight run of a subroutine, up to its first certain end, changes the depth. */
  const touches = (entry: number) => {
    for (let i = entry; i < nodes.length; i++) {
      const n = nodes[i] as Node;
      if (effect(n.command) !== undefined) return true;
      if (!n.conditional && (ends(n.command) || gotoTarget(n.command) !== undefined)) return false;
    }
    return false;
  };
  const exitAt = (at: number, depths: Set<number>) => {
    const known = exits.find((e) => e.at === at);
    if (known) for (const d of depths) known.depths.add(d);
    else exits.push({ at, depths: new Set(depths) });
  };
  while (work.length > 0) {
    const [index, incoming] = work.pop() as [number, Set<number>];
    if (index >= nodes.length) {
      exitAt(nodes.length, incoming);
      continue;
    }
    const seen = before.get(index) ?? new Set<number>();
    const added = [...incoming].filter((d) => !seen.has(d));
    if (before.has(index) && added.length === 0) continue;
    for (const d of added) seen.add(d);
    before.set(index, seen);
    const node = nodes[index] as Node;
    const c = node.command;
    const change = effect(c);
    const applied = new Set(added.map((d) => (change === 'open' ? Math.min(d + 1, CAP) : change === 'close' ? Math.max(d - 1, 0) : d)));
    const after = node.conditional ? new Set([...added, ...applied]) : applied;
    const target = gotoTarget(c);
    const called = c.name === 'call' && c.args[0]?.text.startsWith(':') ? labels.get(c.args[0].text.slice(1).toLowerCase()) : undefined;
    if (called !== undefined && sharedWithCalls && touches(called)) {
      // The subroutine moves this stack by an amount this reading does not track: any nearby depth may follow.
      const widened = new Set([...after].flatMap((d) => [Math.max(d - 1, 0), d, Math.min(d + 1, CAP)]));
      work.push([index + 1, widened]);
      continue;
    }
    if (ends(c)) {
      // `pushd X || exit /b 1`: the exit runs only when the pushd (or popd) before it failed.
      const previous = nodes[index - 1]?.command;
      const failed = c.after === '||' && previous !== undefined && effect(previous) !== undefined ? before.get(index - 1) : undefined;
      exitAt(index, failed ?? applied);
      if (node.conditional) work.push([index + 1, new Set(added)]);
      continue;
    }
    if (target !== undefined) {
      const to = labels.get(target);
      if (to !== undefined) work.push([to, applied]);
      if (node.conditional) work.push([index + 1, new Set(added)]);
      continue;
    }
    work.push([index + 1, after]);
  }
  return { before, exits };
}

const min = (s: Set<number>) => Math.min(...s);

export const unbalancedStacks: Rule<BatchParse> = {
  id: 'PP2014',
  language: 'batch',
  severity: 'warning',
  message: 'Balance pushd with popd (and setlocal with endlocal) on every path, exit /b included: a pushd left open keeps the caller in the wrong folder and a mapped drive letter behind.',
  docs: balanceDocs,
  fixable: false,
  check({ parsed, report }) {
    const commands = parsed.commands;
    if (!commands.some((c) => c.name === 'pushd' || c.name === 'popd' || c.name === 'setlocal' || c.name === 'endlocal')) return;
    const findings: Finding[] = [];
    const pushd = flow(parsed, (c) => (c.name === 'pushd' ? 'open' : c.name === 'popd' ? 'close' : undefined), [0, 1], true);
    for (const [index, depths] of pushd.before) {
      const c = commands[index] as BatchCommand;
      if (c.name === 'popd' && min(depths) === 0 && Math.max(...depths) === 0) {
        findings.push({ start: c.nameStart, end: c.nameEnd, message: l10n.t('This popd has no pushd before it on any path: remove it or add the pushd it belongs to.') });
      }
    }
    for (const exit of pushd.exits) {
      if (exit.depths.size === 0 || min(exit.depths) === 0) continue;
      if (exit.at >= commands.length) {
        const last = commands[commands.length - 1] as BatchCommand;
        findings.push({ start: last.nameStart, end: last.nameEnd, message: l10n.t('The file ends here with a pushd still open: add popd before the end, or the caller stays in the pushd folder.') });
      } else {
        const c = commands[exit.at] as BatchCommand;
        findings.push({ start: c.nameStart, end: c.nameEnd, message: l10n.t('This {0} leaves a pushd open: run popd before it, or the caller stays in the pushd folder (and a drive mapped for a UNC path stays mapped).', c.name === 'goto' ? 'goto :eof' : 'exit') });
      }
    }
    // cmd ends every open setlocal when the script (or the call) ends, so a missing endlocal at
    // the end is harmless; an endlocal with nothing to end and a setlocal that nests in a loop are not.
    const setlocal = flow(parsed, (c) => (c.name === 'setlocal' ? 'open' : c.name === 'endlocal' ? 'close' : undefined), [0], false);
    for (const [index, depths] of setlocal.before) {
      const c = commands[index] as BatchCommand;
      if (c.name === 'endlocal' && Math.max(...depths) === 0) {
        findings.push({ start: c.nameStart, end: c.nameEnd, message: l10n.t('This endlocal has no setlocal before it on any path, so it does nothing: remove it or add the setlocal it belongs to.') });
      } else if (c.name === 'setlocal' && Math.max(...depths) >= SETLOCAL_LIMIT) {
        findings.push({ start: c.nameStart, end: c.nameEnd, message: l10n.t('This setlocal runs again in a loop before its endlocal: after 32 levels cmd stops with "Maximum setlocal recursion level reached"; add endlocal inside the loop.') });
      }
    }
    findings.sort((a, b) => a.start - b.start);
    for (const f of findings) report(f);
  },
};
