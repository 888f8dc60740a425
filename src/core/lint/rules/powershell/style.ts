import * as l10n from '@vscode/l10n';
import writeHostDocs from '../../../../../docs/rules/PP1008.md';
import emptyCatchDocs from '../../../../../docs/rules/PP1009.md';
import globalDocs from '../../../../../docs/rules/PP1010.md';
import aliasDocs from '../../../../../docs/rules/PP1011.md';
import nullDocs from '../../../../../docs/rules/PP1012.md';
import type { PowerShellIndex } from '../../powershell/index';
import { checkByFacts, type Rule, type StatementFacts } from '../../rule';
import { WINDOWS_POWERSHELL_ALIASES } from './aliases';
import { functionDependentFindings } from './facts';
import { startsWithIgnoreCase } from './text';

const isShow = (name: string) => /^show-/i.test(name.replace(/^\w+:/, ''));

export const writeHost: Rule<PowerShellIndex> = {
  id: 'PP1008',
  language: 'powershell',
  scope: 'statement',
  severity: 'warning',
  pssa: 'PSAvoidUsingWriteHost',
  message: 'Use Write-Output, Write-Verbose or the log file instead of Write-Host: unattended runs have no console to show it.',
  docs: writeHostDocs,
  fixable: false,
  check({ parsed, report }) {
    let shows: boolean | undefined;
    for (const c of parsed.commandsNamed(['write-host'])) {
      // The enclosing function needs the index's parent map (a walk of the whole tree): only
      // looked for when the script defines a Show-* function at all.
      shows ??= parsed.nodes('FunctionDefinition').some((f) => isShow(f.name));
      const fn = shows ? parsed.enclosingFunction(c) : undefined;
      if (fn && isShow(fn.name)) continue;
      if (c.nameToken) report({ start: c.nameToken.start, end: c.nameToken.end });
    }
  },
};

export const emptyCatch: Rule<PowerShellIndex> = {
  id: 'PP1009',
  language: 'powershell',
  scope: 'statement',
  severity: 'warning',
  pssa: 'PSAvoidUsingEmptyCatchBlock',
  message: 'Do not swallow errors: log the error in this catch block, or rethrow it with throw.',
  docs: emptyCatchDocs,
  fixable: false,
  check({ parsed, report }) {
    for (const t of parsed.nodes('Try')) {
      for (const c of t.catches) if (c.body.statements.length === 0) report({ start: c.start, end: c.end });
    }
  },
};

export const globalVariables: Rule<PowerShellIndex> = {
  id: 'PP1010',
  language: 'powershell',
  scope: 'statement',
  severity: 'warning',
  pssa: 'PSAvoidGlobalVars',
  message: 'Avoid $global: variables: use $script: scope or pass the value as a parameter.',
  docs: globalDocs,
  fixable: false,
  check({ parsed, report }) {
    for (const v of parsed.nodes('Variable')) if (startsWithIgnoreCase(v.name, 'global:')) report({ start: v.start, end: v.end });
  },
};

/**
 * Each finding comes from one top-level statement, but a function the script defines anywhere
 * under an alias's name makes it no alias: the findings are kept per statement with that condition.
 */
const aliasFacts = functionDependentFindings((parsed, report) => {
  for (const [lower, commands] of parsed.commandsByName()) {
    const full = WINDOWS_POWERSHELL_ALIASES[lower];
    if (!full) continue;
    for (const c of commands) {
      const token = c.nameToken;
      if (!token || c.invocation) continue;
      report({ start: token.start, end: token.end, message: l10n.t('Write {0} instead of the alias {1}.', full, c.name), fix: [{ start: token.start, end: token.end, text: full }] }, [lower, false]);
    }
  }
});

export const cmdletAliases: Rule<PowerShellIndex> = {
  id: 'PP1011',
  language: 'powershell',
  severity: 'warning',
  pssa: 'PSAvoidUsingCmdletAliases',
  message: 'Write the full command name instead of an alias.',
  docs: aliasDocs,
  fixable: true,
  facts: aliasFacts as StatementFacts<PowerShellIndex, unknown>,
  check: checkByFacts(aliasFacts),
};

const EQUALITY = new Set(['-eq', '-ne', '-ieq', '-ine', '-ceq', '-cne']);

export const nullOnTheRight: Rule<PowerShellIndex> = {
  id: 'PP1012',
  language: 'powershell',
  scope: 'statement',
  severity: 'warning',
  pssa: 'PSPossibleIncorrectComparisonWithNull',
  message: 'Put $null on the left of the comparison: with a collection on the left, -eq filters it instead of testing for $null.',
  docs: nullDocs,
  fixable: true,
  check({ parsed, report }) {
    const text = parsed.text;
    for (const b of parsed.nodes('Binary')) {
      if (!EQUALITY.has(b.operator) || !b.right) continue;
      const right = b.right;
      if (right.type !== 'Variable' || right.name.toLowerCase() !== 'null') continue;
      if (b.left.type === 'Variable' && b.left.name.toLowerCase() === 'null') continue;
      const leftText = text.slice(b.left.start, b.left.end);
      const rightText = text.slice(right.start, right.end);
      report({
        start: b.start,
        end: b.end,
        fix: [
          { start: b.left.start, end: b.left.end, text: rightText },
          { start: right.start, end: right.end, text: leftText },
        ],
      });
    }
  },
};
