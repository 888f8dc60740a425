import * as l10n from '@vscode/l10n';
import docs from '../../../../../docs/rules/PP1021.md';
import type { Command } from '../../powershell/ast';
import type { PowerShellIndex } from '../../powershell/index';
import type { Rule } from '../../rule';
import { WINDOWS_POWERSHELL_ALIASES } from './aliases';

/** Verb-Noun: the shape of a cmdlet or an advanced function, never of a native program. */
const VERB_NOUN = /^(\w+\\)?[a-z]+-[a-z]\w*$/i;

/**
 * Arguments bound by position, counted as PSScriptAnalyzer counts them: an argument not right
 * after a parameter name, plus the pipeline input when the command is not first in its
 * pipeline. Without the command's metadata, a parameter is taken to consume the argument after
 * it (PSScriptAnalyzer knows the switches of installed cmdlets; a switch before an argument is
 * rare enough that guessing the other way would cry wolf).
 */
function positionalCount(index: PowerShellIndex, command: Command): number {
  let count = 0;
  const elements = command.elements;
  for (let i = 0; i < elements.length; i++) {
    const e = elements[i];
    if (!e || e.type === 'CommandParameter') continue;
    if (e.type === 'Variable' && e.splatted) return 0;
    const before = elements[i - 1];
    if (before?.type === 'CommandParameter' && !before.argument) continue;
    count++;
  }
  const pipeline = index.parent(command);
  if (pipeline?.type === 'Pipeline' && pipeline.elements.length > 1 && pipeline.elements[0] !== command) count++;
  return count;
}

export const positionalParameters: Rule<PowerShellIndex> = {
  id: 'PP1021',
  language: 'powershell',
  severity: 'info',
  pssa: 'PSAvoidUsingPositionalParameters',
  get message() {
    return l10n.t('Name the parameters of this command: more than two positional arguments are hard to read and easy to get in the wrong order.');
  },
  docs,
  fixable: false,
  check({ parsed, report }) {
    const functions = new Set(parsed.nodes('FunctionDefinition').map((f) => f.name.toLowerCase()));
    for (const c of parsed.nodes('Command')) {
      // Native programs (robocopy, reg, icacls) take positional arguments by design; PowerShell
      // commands are cmdlets and functions: Verb-Noun names, aliases and this script's functions.
      if (!c.nameToken || c.elements.length < 2) continue;
      const name = c.name.toLowerCase();
      if (!VERB_NOUN.test(c.name) && !WINDOWS_POWERSHELL_ALIASES[name] && !functions.has(name)) continue;
      if (positionalCount(parsed, c) <= 2) continue;
      report({ start: c.start, end: c.end, message: l10n.t('Name the parameters of {0}: more than two positional arguments are hard to read and easy to get in the wrong order.', c.name) });
    }
  },
};
