import iexDocs from '../../../../../docs/rules/PP1006.md';
import plainTextDocs from '../../../../../docs/rules/PP1007.md';
import { findParameter, type PowerShellIndex } from '../../powershell/index';
import type { Rule } from '../../rule';
import { WINDOWS_POWERSHELL_ALIASES } from './aliases';

export const invokeExpression: Rule<PowerShellIndex> = {
  id: 'PP1006',
  language: 'powershell',
  scope: 'statement',
  severity: 'warning',
  pssa: 'PSAvoidUsingInvokeExpression',
  message: 'Avoid Invoke-Expression: call the command directly (& $command @arguments) so no text is run as code.',
  docs: iexDocs,
  fixable: false,
  check({ parsed, report }) {
    for (const c of parsed.commandsNamed(['invoke-expression'], WINDOWS_POWERSHELL_ALIASES)) {
      if (c.nameToken) report({ start: c.nameToken.start, end: c.nameToken.end });
    }
  },
};

export const plainTextSecureString: Rule<PowerShellIndex> = {
  id: 'PP1007',
  language: 'powershell',
  scope: 'statement',
  severity: 'error',
  pssa: 'PSAvoidUsingConvertToSecureStringWithPlainText',
  message: 'Do not build a SecureString from plain text: the secret is already in the script or its log; read it from a protected source instead.',
  docs: plainTextDocs,
  fixable: false,
  check({ parsed, report }) {
    for (const c of parsed.commandsNamed(['convertto-securestring'])) {
      // PowerShell binds any unambiguous prefix: -AsPlain, -AsP and even -A are -AsPlainText.
      const p = findParameter(c, 'asplaintext');
      if (p) report({ start: p.start, end: p.end });
    }
  },
};
