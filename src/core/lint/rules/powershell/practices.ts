import * as l10n from '@vscode/l10n';
import wmiDocs from '../../../../../docs/rules/PP1014.md';
import policyDocs from '../../../../../docs/rules/PP1015.md';
import computerDocs from '../../../../../docs/rules/PP1016.md';
import passwordDocs from '../../../../../docs/rules/PP1017.md';
import backtickDocs from '../../../../../docs/rules/PP1018.md';
import gluedBacktickDocs from '../../../../../docs/rules/PP1028.md';
import { constantText, findParameter, parameterArgument, type PowerShellIndex } from '../../powershell/index';
import { KIND } from '../../powershell/tokens';
import type { Command, CommandParameter } from '../../powershell/ast';
import type { Rule } from '../../rule';
import { parametersByName } from './facts';
import { isPrefixIgnoreCase } from './text';

/** A backtick followed by blanks and then a line break or the end of the text. */
const isBlank = (c: number) => c === 0x20 || c === 0x09;
import { WINDOWS_POWERSHELL_ALIASES } from './aliases';

export const wmiCmdlets: Rule<PowerShellIndex> = {
  id: 'PP1014',
  language: 'powershell',
  scope: 'statement',
  severity: 'warning',
  pssa: 'PSAvoidUsingWMICmdlet',
  message: 'Use the CIM cmdlets (Get-CimInstance, Invoke-CimMethod) instead of the WMI ones, which PowerShell 7 no longer has.',
  docs: wmiDocs,
  fixable: false,
  check({ parsed, report }) {
    const wmi = ['get-wmiobject', 'set-wmiinstance', 'invoke-wmimethod', 'remove-wmiobject', 'register-wmievent'];
    for (const c of parsed.commandsNamed(wmi, WINDOWS_POWERSHELL_ALIASES)) if (c.nameToken) report({ start: c.nameToken.start, end: c.nameToken.end });
  },
};

export const machineExecutionPolicy: Rule<PowerShellIndex> = {
  id: 'PP1015',
  language: 'powershell',
  scope: 'statement',
  severity: 'warning',
  message: 'Do not change the execution policy of the machine: run the script with -ExecutionPolicy Bypass, or use Set-ExecutionPolicy -Scope Process.',
  docs: policyDocs,
  fixable: false,
  check({ parsed, report }) {
    for (const c of parsed.commandsNamed(['set-executionpolicy'])) {
      const scope = findParameter(c, 'scope', 2);
      const value = scope ? constantText(parameterArgument(c, scope))?.toLowerCase() : undefined;
      if (value === 'process') continue;
      if (c.nameToken) report({ start: c.nameToken.start, end: c.nameToken.end });
    }
  },
};

export const hardcodedComputerName: Rule<PowerShellIndex> = {
  id: 'PP1016',
  language: 'powershell',
  scope: 'statement',
  severity: 'error',
  pssa: 'PSAvoidUsingComputerNameHardcoded',
  message: 'Do not hard-code -ComputerName: take it as a parameter, so the script works on every device.',
  docs: computerDocs,
  fixable: false,
  check({ parsed, report }) {
    for (const [name, pairs] of parametersByName(parsed)) {
      if (name.length < 2 || !isPrefixIgnoreCase(name, 'computername')) continue;
      for (let i = 0; i < pairs.length; i += 2) {
        const e = pairs[i + 1] as CommandParameter;
        const value = parameterArgument(pairs[i] as Command, e);
        const text = constantText(value);
        if (value && text !== undefined && value.type !== 'Number' && !/^(localhost|\.|127\.0\.0\.1|::1)$/i.test(text)) report({ start: e.start, end: value.end });
      }
    }
  },
};

const PASSWORD_NAME = /pass(word|wd|phrase)?$|pwd$|^pin$|secret$/i;
const SAFE_TYPES = /^(system\.)?(security\.)?securestring$|^(system\.management\.automation\.)?pscredential$|^switch$|^bool(ean)?$/i;

export const plainTextPassword: Rule<PowerShellIndex> = {
  id: 'PP1017',
  language: 'powershell',
  scope: 'statement',
  severity: 'warning',
  pssa: 'PSAvoidUsingPlainTextForPassword',
  message: 'Type this password parameter as [SecureString] or [PSCredential], so the secret is not plain text in memory, logs or the command line.',
  docs: passwordDocs,
  fixable: false,
  check({ parsed, report }) {
    for (const p of parsed.nodes('Parameter')) {
      const name = p.variable.name.replace(/^\w+:/, '');
      if (!PASSWORD_NAME.test(name)) continue;
      const types = p.attributes.filter((a) => a.type === 'TypeConstraint').map((a) => a.name);
      if (types.some((t) => SAFE_TYPES.test(t))) continue;
      report({ start: p.variable.start, end: p.variable.end, message: l10n.t('Type ${0} as [SecureString] or [PSCredential], so the secret is not plain text in memory, logs or the command line.', name) });
    }
  },
};

export const misleadingBacktick: Rule<PowerShellIndex> = {
  id: 'PP1018',
  language: 'powershell',
  severity: 'warning',
  pssa: 'PSMisleadingBacktick',
  message: 'Remove the blanks after this backtick: followed by a space it escapes the space, and the line does not continue.',
  docs: backtickDocs,
  fixable: true,
  check({ parsed, report }) {
    const text = parsed.text;
    const tokens = parsed.tokens;
    for (let i = text.indexOf('`'); i >= 0; i = text.indexOf('`', i + 1)) {
      // A backtick, blanks, then a line break or the end of the text (found with indexOf, which
      // scans natively, rather than a regex over the whole text on every lint).
      let j = i + 1;
      while (j < text.length && isBlank(text.charCodeAt(j))) j++;
      if (j === i + 1 || (j < text.length && text.charCodeAt(j) !== 0x0a && text.charCodeAt(j) !== 0x0d)) continue;
      // Inside a string or a comment, a backtick is text.
      const k = tokens.holding(i);
      if (k >= 0 && tokens.start(k) < i && (tokens.code(k) === KIND.Comment || tokens.isString(k))) continue;
      report({ start: i, end: j, fix: [{ start: i + 1, end: j, text: '' }] });
    }
  },
};

export const gluedBacktick: Rule<PowerShellIndex> = {
  id: 'PP1028',
  language: 'powershell',
  severity: 'warning',
  message: 'Put a space before this backtick: right after a word it does not continue the line, it adds the line break to the word (with CR LF line endings the next line runs as a command of its own).',
  docs: gluedBacktickDocs,
  fixable: true,
  check({ parsed, report }) {
    const text = parsed.text;
    const tokens = parsed.tokens;
    for (let i = text.indexOf('`'); i >= 0; i = text.indexOf('`', i + 1)) {
      const next = text.charCodeAt(i + 1);
      if (next !== 0x0a && next !== 0x0d) continue;
      // The token the backtick is in: a bare word (the tokenizer keeps the line break in it, as
      // PowerShell does) or a parameter (which ends at the backtick); in a string or a comment,
      // or after a blank (a line continuation of its own), it is not.
      const k = tokens.holding(i);
      if (k < 0) continue;
      const kind = tokens.code(k);
      if (kind !== KIND.Word && kind !== KIND.Parameter) continue;
      report({ start: i, end: i + 1, fix: [{ start: i, end: i, text: ' ' }] });
    }
  },
};

