import * as l10n from '@vscode/l10n';
import installDocs from '../../../../../docs/rules/PP1001.md';
import interactiveDocs from '../../../../../docs/rules/PP1002.md';
import eapDocs from '../../../../../docs/rules/PP1013.md';
import exitDocs from '../../../../../docs/rules/PP1019.md';
import { type Command, loneExpression } from '../../powershell/ast';
import { constantText, findParameter, type PowerShellIndex } from '../../powershell/index';
import { checkByFacts, type Rule, type StatementFacts } from '../../rule';
import { WINDOWS_POWERSHELL_ALIASES } from './aliases';

/** True when the command passes `parameter` by name, directly or in a literal splatted hashtable. */
export function passes(index: PowerShellIndex, command: Command, parameter: string): boolean | undefined {
  if (findParameter(command, parameter)) return true;
  const splats = command.elements.filter((e) => e.type === 'Variable' && e.splatted);
  for (const s of splats) {
    if (s.type !== 'Variable') continue;
    const keys = index.hashtableKeys(s.name);
    if (!keys) return undefined;
    if (keys.some((k) => k.length > 0 && parameter.toLowerCase().startsWith(k))) return true;
  }
  return false;
}

const NO_COMMANDS: readonly Command[] = [];

/**
 * The install commands of each top-level statement are kept; whether each passes -QuietInstall
 * can depend on a hashtable splatted from anywhere in the script, so that is decided per lint.
 */
const installFacts: StatementFacts<PowerShellIndex, readonly Command[]> = {
  collect(parsed) {
    const found = parsed.commandsNamed(['install-provisioningpackage', 'add-provisioningpackage']);
    return found.length === 0 ? NO_COMMANDS : found;
  },
  combine({ parsed, report }, facts) {
    for (const commands of facts) {
      for (const command of commands) {
        if (passes(parsed, command, 'quietinstall') !== false || !command.nameToken) continue;
        const at = command.nameToken.end;
        report({ start: command.nameToken.start, end: at, fix: [{ start: at, end: at, text: ' -QuietInstall' }] });
      }
    }
  },
};

export const quietInstall: Rule<PowerShellIndex> = {
  id: 'PP1001',
  language: 'powershell',
  severity: 'error',
  message: 'Add -QuietInstall: without it the provisioning package waits for a consent prompt no one sees.',
  docs: installDocs,
  fixable: true,
  facts: installFacts as StatementFacts<PowerShellIndex, unknown>,
  check: checkByFacts(installFacts),
};

const INTERACTIVE_COMMANDS: Readonly<Record<string, string>> = {
  'read-host': 'Read-Host',
  'get-credential': 'Get-Credential',
  'out-gridview': 'Out-GridView',
  pause: 'Pause',
  'show-command': 'Show-Command',
};

const INTERACTIVE_MEMBERS = [
  { type: /^(system\.)?windows\.forms\.messagebox$/i, member: /^show$/i, label: '[System.Windows.Forms.MessageBox]::Show' },
  { type: /^(microsoft\.)?visualbasic\.interaction$/i, member: /^(msgbox|inputbox)$/i, label: '[Microsoft.VisualBasic.Interaction]' },
  { type: /^(system\.)?console$/i, member: /^(readkey|readline|read)$/i, label: '[Console]::ReadKey/ReadLine' },
];

/** The first letters (lower-case char codes) of the member names in INTERACTIVE_MEMBERS and of $Host.UI's prompts. */
const INTERACTIVE_INITIALS = new Set([...'smirp'].map((c) => c.charCodeAt(0)));

const removePrompt = (prompt: string) => l10n.t('Remove {0}: the script runs unattended (SYSTEM, no desktop) and would wait forever.', prompt);

export const interactive: Rule<PowerShellIndex> = {
  id: 'PP1002',
  language: 'powershell',
  scope: 'statement',
  severity: 'error',
  message: 'Remove this prompt: the script runs unattended (SYSTEM, no desktop) and would wait forever.',
  docs: interactiveDocs,
  fixable: false,
  check({ parsed, report }) {
    for (const [lower, commands] of parsed.commandsByName()) {
      const resolved = INTERACTIVE_COMMANDS[lower] ?? INTERACTIVE_COMMANDS[WINDOWS_POWERSHELL_ALIASES[lower]?.toLowerCase() ?? ''];
      if (!resolved) continue;
      for (const command of commands) {
        if (command.nameToken) report({ start: command.nameToken.start, end: command.nameToken.end, message: removePrompt(resolved) });
      }
    }
    for (const m of parsed.nodes('Member')) {
      // Every member below starts with s, m, i, r or p: most calls are let go without a regex.
      if (!m.arguments || !m.name || !INTERACTIVE_INITIALS.has(m.name.charCodeAt(0) | 0x20)) continue;
      if (m.static && m.target.type === 'TypeLiteral') {
        const hit = INTERACTIVE_MEMBERS.find((x) => x.type.test(m.target.type === 'TypeLiteral' ? m.target.typeName : '') && x.member.test(m.name ?? ''));
        if (hit) report({ start: m.start, end: m.end, message: removePrompt(hit.label) });
        continue;
      }
      // $Host.UI.PromptForChoice(...), $Host.UI.ReadLine(), $Host.UI.PromptForCredential(...)
      const t = m.target;
      if (/^(promptforchoice|promptforcredential|readline|readlineassecurestring|prompt)$/i.test(m.name) && t.type === 'Member' && /^(ui|rawui)$/i.test(t.name ?? '') && t.target.type === 'Variable' && t.target.name.toLowerCase() === 'host') {
        report({ start: m.start, end: m.end, message: removePrompt(`$Host.UI.${m.name}()`) });
      }
    }
  },
};

/** A `.ps1` that does something at the top level: the script a channel runs, not a library. */
export function isEntryScript(path: string, index: PowerShellIndex): boolean {
  if (!path.toLowerCase().endsWith('.ps1')) return false;
  const top = index.parse.ast.blocks.flatMap((b) => b.statements);
  return top.some((s) => s.type !== 'FunctionDefinition' && s.type !== 'TypeDefinition' && s.type !== 'Using');
}

export const errorActionStop: Rule<PowerShellIndex> = {
  id: 'PP1013',
  language: 'powershell',
  severity: 'warning',
  message: "Set $ErrorActionPreference = 'Stop' at the top of the entry script, so a failing step stops the script with a failure exit code.",
  docs: eapDocs,
  fixable: false,
  check({ path, parsed, report }) {
    if (!isEntryScript(path, parsed)) return;
    const top = parsed.parse.ast.blocks.flatMap((b) => b.statements);
    let stop = false;
    for (const s of top) {
      if (s.type !== 'Assignment' || s.left.type !== 'Variable') continue;
      if (!/^((script|global):)?erroractionpreference$/i.test(s.left.name)) continue;
      const value = loneExpression(s.right);
      const text = constantText(value) ?? (value?.type === 'Member' ? value.name : undefined);
      if (text?.toLowerCase() === 'stop') stop = true;
      else report({ start: s.start, end: s.end, message: l10n.t("Set $ErrorActionPreference to 'Stop' in the entry script, so a failing step stops the script with a failure exit code.") });
    }
    if (!stop && !top.some((s) => s.type === 'Assignment' && s.left.type === 'Variable' && /erroractionpreference$/i.test(s.left.name))) {
      const first = top.find((s) => s.type !== 'FunctionDefinition') ?? top[0];
      const start = first?.start ?? 0;
      report({ start, end: start });
    }
  },
};

export const exitCode: Rule<PowerShellIndex> = {
  id: 'PP1019',
  language: 'powershell',
  scope: 'statement',
  severity: 'error',
  message: 'Exit with an integer: SCCM and EPM read the exit code, and a string or $true/$false does not give the code you expect.',
  docs: exitDocs,
  fixable: false,
  check({ parsed, report }) {
    for (const s of parsed.nodes('Exit')) {
      const value = loneExpression(s.pipeline);
      if (!value) continue;
      const bad =
        (value.type === 'String' && !/^\s*-?\d+\s*$/.test(value.raw)) ||
        (value.type === 'Variable' && /^(true|false)$/i.test(value.name)) ||
        (value.type === 'Number' && /[.e]/i.test(value.text) && !/^0x/i.test(value.text));
      if (bad) report({ start: value.start, end: value.end });
    }
  },
};
