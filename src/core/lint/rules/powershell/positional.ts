import * as l10n from '@vscode/l10n';
import docs from '../../../../../docs/rules/PP1021.md';
import type { Command, Node } from '../../powershell/ast';
import type { PowerShellIndex } from '../../powershell/index';
import { checkByFacts, type Rule, type StatementFacts } from '../../rule';
import { WINDOWS_POWERSHELL_ALIASES } from './aliases';
import { functionDependentFindings } from './facts';

/** Verb-Noun: the shape of a cmdlet or an advanced function, never of a native program. */
const VERB_NOUN = /^(\w+\\)?[a-z]+-[a-z]\w*$/i;

/**
 * Arguments bound by position, counted as PSScriptAnalyzer counts them: an argument not right
 * after a parameter name, plus the pipeline input when the command is not first in its
 * pipeline (added by the caller). Without the command's metadata, a parameter is taken to consume
 * the argument after it (PSScriptAnalyzer knows the switches of installed cmdlets; a switch before
 * an argument is rare enough that guessing the other way would cry wolf). -1 for a splatted command.
 */
function positionalCount(command: Command): number {
  let count = 0;
  const elements = command.elements;
  for (let i = 0; i < elements.length; i++) {
    const e = elements[i] as Command['elements'][number];
    if (e.type === 'CommandParameter') continue;
    if (e.type === 'Variable' && e.splatted) return -1;
    const before = elements[i - 1];
    if (before?.type === 'CommandParameter' && !before.argument) continue;
    count++;
  }
  return count;
}

/** The commands that take pipeline input: every element of a pipeline but its first. */
function pipedCommands(index: PowerShellIndex): Set<Node> {
  const piped = new Set<Node>();
  for (const p of index.nodes('Pipeline')) for (let i = 1; i < p.elements.length; i++) piped.add(p.elements[i] as Node);
  return piped;
}

/**
 * Each finding comes from one top-level statement; a command whose name is neither Verb-Noun nor
 * an alias counts only if the script defines a function of that name (anywhere): such findings
 * are kept per statement with that condition.
 */
const positionalFacts = functionDependentFindings((parsed, report) => {
  let piped: Set<Node> | undefined;
  // Grouped by lower-case name: the name tests run once per name, not once per command.
  for (const [name, commands] of parsed.commandsByName()) {
    // Native programs (robocopy, reg, icacls) take positional arguments by design; PowerShell
    // commands are cmdlets and functions: Verb-Noun names, aliases and this script's functions.
    const alias = !!WINDOWS_POWERSHELL_ALIASES[name];
    // Only ASCII passes VERB_NOUN, so a name that fails lower-cased fails as written too.
    const verbNoun = !alias && VERB_NOUN.test(name);
    let written: string | undefined;
    let powershell = verbNoun;
    for (const c of commands) {
      if (!c.nameToken || c.elements.length < 2) continue;
      if (verbNoun && c.name !== written) {
        written = c.name;
        powershell = VERB_NOUN.test(c.name);
      }
      const count = positionalCount(c);
      // Pipeline input adds one: only a count of exactly two needs to know.
      if (count < 2 || (count === 2 && !(piped ??= pipedCommands(parsed)).has(c))) continue;
      const finding = { start: c.start, end: c.end, message: l10n.t('Name the parameters of {0}: more than two positional arguments are hard to read and easy to get in the wrong order.', c.name) };
      // Not a cmdlet's name: it counts when the script defines a function of that name.
      report(finding, alias || powershell ? undefined : [name, true]);
    }
  }
});

export const positionalParameters: Rule<PowerShellIndex> = {
  id: 'PP1021',
  language: 'powershell',
  severity: 'info',
  pssa: 'PSAvoidUsingPositionalParameters',
  message: 'Name the parameters of this command: more than two positional arguments are hard to read and easy to get in the wrong order.',
  docs,
  fixable: false,
  facts: positionalFacts as StatementFacts<PowerShellIndex, unknown>,
  check: checkByFacts(positionalFacts),
};
