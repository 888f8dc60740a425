import docs from '../../../../../docs/rules/PP1000.md';
import type { PowerShellIndex } from '../../powershell/index';
import type { Rule } from '../../rule';

export const powershellSyntax: Rule<PowerShellIndex> = {
  id: 'PP1000',
  language: 'powershell',
  severity: 'error',
  message: 'Fix this syntax error: PowerShell refuses to run a script that does not parse.',
  docs,
  fixable: false,
  check({ parsed, report }) {
    for (const e of parsed.parse.errors) report({ start: e.start, end: e.end, message: e.message });
  },
};
