import * as l10n from '@vscode/l10n';
import docs from '../../../../../docs/rules/PP1003.md';
import { findParameter, type PowerShellIndex } from '../../powershell/index';
import { KIND } from '../../powershell/tokens';
import { checkByFacts, type Finding, type Rule, type StatementFacts } from '../../rule';
import { statementFindings } from './facts';
import { WINDOWS_POWERSHELL_ALIASES } from './aliases';

/** Parameters that exist only in PowerShell 7 (command, parameter), all lower-case. */
const PS7_PARAMETERS: ReadonlyArray<readonly [string, string]> = [
  ['foreach-object', 'parallel'],
  ['get-content', 'asbytestream'],
  ['set-content', 'asbytestream'],
  ['add-content', 'asbytestream'],
  ['convertfrom-json', 'ashashtable'],
  ['invoke-restmethod', 'skipcertificatecheck'],
  ['invoke-webrequest', 'skipcertificatecheck'],
  ['invoke-restmethod', 'statuscodevariable'],
  ['split-path', 'leafbase'],
  ['split-path', 'extension'],
  ['test-connection', 'tcpport'],
  ['select-string', 'raw'],
];

const PS7_PARAMETER_COMMANDS = new Set(PS7_PARAMETERS.map(([command]) => command));

const PS7_COMMANDS = new Set(['join-string', 'get-error', 'test-json', 'remove-service', 'clear-recyclebin', 'convertto-clixml', 'convertfrom-clixml']);

/** `#Requires -Version 6+` or `-PSEdition Core`: the author has opted out of Windows PowerShell. */
function requiresCore(index: PowerShellIndex): boolean {
  if (!/#requires/i.test(index.text)) return false;
  const tokens = index.tokens;
  for (let i = 0; i < tokens.length; i++) {
    if (tokens.code(i) !== KIND.Comment) continue;
    const text = index.text.slice(tokens.start(i), tokens.end(i));
    const m = /^#requires\s.*-version\s+(\d+)/i.exec(text);
    if (m && Number(m[1]) >= 6) return true;
    if (/^#requires\s.*-psedition\s+core/i.test(text)) return true;
  }
  return false;
}

/** Whether the number at `start` (its text is the source's) begins like /^-?0b/i. */
function isBinaryLiteral(text: string, start: number): boolean {
  const at = text.charCodeAt(start) === 0x2d ? start + 1 : start;
  return text.charCodeAt(at) === 0x30 && (text.charCodeAt(at + 1) | 0x20) === 0x62;
}

const ps7Facts = statementFindings(ps7Syntax, ({ parsed }) => !requiresCore(parsed));

export const windowsPowerShellSyntax: Rule<PowerShellIndex> = {
  id: 'PP1003',
  language: 'powershell',
  severity: 'error',
  message: 'Windows PowerShell 5.1, which SCCM and EPM run, cannot run this PowerShell 7 syntax: rewrite it for 5.1.',
  docs,
  fixable: false,
  facts: ps7Facts as StatementFacts<PowerShellIndex, unknown>,
  check: checkByFacts(ps7Facts),
};

/**
 * Each finding comes from one top-level statement; only `#Requires` (a comment anywhere in the
 * file) turns them all off, so the language server keeps each statement's findings.
 */
function ps7Syntax(parsed: PowerShellIndex, report: (f: Finding) => void): void {
  // One message per kind of finding, translated on its first finding (a script written for
  // PowerShell 7 has hundreds of them).
  const messages = new Map<string, string>();
  const say = (start: number, end: number, key: string, what: () => string, instead: () => string) => {
    let message = messages.get(key);
    if (message === undefined) messages.set(key, (message = l10n.t('{0} needs PowerShell 7; Windows PowerShell 5.1 cannot run the script: {1}.', what(), instead())));
    report({ start, end, message });
  };
  for (const n of parsed.nodes('Ternary')) say(n.questionStart, n.questionStart + 1, '?:', () => l10n.t('The ternary operator ? :'), () => l10n.t('use if/else'));
  // These operators and literals are slices of the text: a script without their characters has
  // none, and the loops over every binary, assignment, member and number are skipped.
  const text = parsed.text;
  // Only the statement's own text (the whole text for the whole script's index).
  const root = parsed.root;
  const own = root === parsed.parse.ast ? text : text.slice(root.start, root.end);
  const coalesce = own.includes('??');
  if (coalesce) for (const n of parsed.nodes('Binary')) if (text.charCodeAt(n.operatorStart) === 0x3f && n.operator === '??') say(n.operatorStart, n.operatorStart + 2, '??', () => l10n.t('The {0} operator', '??'), () => l10n.t('use if ($null -eq $x) { ... }'));
  if (coalesce && own.includes('??=')) for (const n of parsed.nodes('Assignment')) if (n.operator === '??=') say(n.left.end, n.end, '??=', () => l10n.t('The {0} operator', '??='), () => l10n.t('use if ($null -eq $x) { $x = ... }'));
  if (own.includes('?.')) for (const n of parsed.nodes('Member')) if (n.nullConditional) say(n.target.end, n.end, '?.', () => l10n.t('The {0} operator', '?.'), () => l10n.t('test for $null first'));
  if (own.includes('?[')) for (const n of parsed.nodes('Index')) if (n.nullConditional) say(n.target.end, n.end, '?[]', () => l10n.t('The {0} operator', '?[]'), () => l10n.t('test for $null first'));
  for (const n of parsed.nodes('PipelineChain')) say(n.operatorStart, n.operatorStart + 2, n.operator, () => l10n.t('The {0} pipeline chain', n.operator), () => l10n.t('use if ($?) { ... }'));
  for (const n of parsed.nodes('Foreach')) if (n.flags.includes('parallel')) say(n.start, n.start + 7, 'parallel', () => 'foreach -Parallel', () => l10n.t('use a plain foreach'));
  for (const n of parsed.nodes('NamedBlock')) if (n.name === 'clean') say(n.start, n.start + 5, 'clean', () => l10n.t('The clean block'), () => l10n.t('use try/finally in the end block'));
  if (own.includes('0b') || own.includes('0B')) for (const n of parsed.nodes('Number')) if (n.end - n.start > 2 && isBinaryLiteral(text, n.start)) say(n.start, n.end, '0b', () => l10n.t('A binary literal (0b...)'), () => l10n.t('write it in hex or decimal'));
  for (const [lower, commands] of parsed.commandsByName()) {
    const name = WINDOWS_POWERSHELL_ALIASES[lower]?.toLowerCase() ?? lower;
    if (!PS7_COMMANDS.has(name) && !PS7_PARAMETER_COMMANDS.has(name)) continue;
    for (const c of commands) {
      if (PS7_COMMANDS.has(name) && c.nameToken) say(c.nameToken.start, c.nameToken.end, `command ${c.name}`, () => c.name, () => l10n.t('use a 5.1 equivalent'));
      for (const [command, parameter] of PS7_PARAMETERS) {
        if (command !== name) continue;
        const p = findParameter(c, parameter, Math.min(parameter.length, 3));
        if (p) say(p.start, p.end, `parameter ${c.name} -${parameter}`, () => `${c.name} -${parameter}`, () => l10n.t('use a 5.1 equivalent'));
      }
    }
  }
}
