import * as l10n from '@vscode/l10n';
import { PinPackError } from '../core/errors';
import { lintPaths, type LintRun } from '../core/lint/run';
import { RULES } from '../core/lint/rules/registry';
import { toSarif } from '../core/lint/sarif';
import { ExitCode, type CliCommand, type CliIo } from './command';
import { lintCounts } from './lint-counts';

const FORMATS = ['text', 'json', 'sarif'] as const;
type Format = (typeof FORMATS)[number];
const NAME = 'lint';

function parseArgs(args: readonly string[]): { paths: string[]; format: Format; maxWarnings?: number; checkUsers: boolean } {
  const paths: string[] = [];
  let format: Format = 'text';
  let checkUsers = false;
  let maxWarnings: number | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => {
      const v = inline ?? args[++i];
      if (v === undefined) throw new PinPackError('usage', l10n.t('{0} needs a value: see "pinpack lint --help".', flag));
      return v;
    };
    if (flag === '--format') {
      const v = value();
      if (!(FORMATS as readonly string[]).includes(v)) throw new PinPackError('usage', l10n.t('--format must be text, json or sarif, not "{0}".', v));
      format = v as Format;
    } else if (flag === '--max-warnings') {
      const v = value();
      if (!/^\d+$/.test(v)) throw new PinPackError('usage', l10n.t('--max-warnings needs a whole number of 0 or more, not "{0}".', v));
      maxWarnings = Number(v);
    } else if (arg === '--check-users') {
      checkUsers = true;
    } else if (arg.startsWith('-') && arg !== '-') {
      throw new PinPackError('usage', l10n.t('unknown option {0}: see "pinpack lint --help".', arg));
    } else {
      paths.push(arg);
    }
  }
  if (paths.length === 0) throw new PinPackError('usage', l10n.t('give at least one file or workspace folder to lint, e.g. "pinpack lint ." (see "pinpack lint --help").'));
  return maxWarnings === undefined ? { paths, format, checkUsers } : { paths, format, maxWarnings, checkUsers };
}

/** --check-users: PP3004 from the tenant, connecting only when a manifest names someone to check. */
async function checkTenantUsers(run: LintRun, io: CliIo, messages: { messages?: 'en' }): Promise<LintRun> {
  // Loaded on use: the tenant client stays out of an offline lint's start-up.
  const { addTenantFindings, tenantCheckTargets } = await import('../core/lint/online/lint-run.js');
  const targets = tenantCheckTargets(run);
  if (targets.length === 0) {
    io.err(`pinpack ${NAME}: ${l10n.t('--check-users: no linted pinpack.json names users or groups to check (or PP3004 is off), so the tenant was not asked.')}\n`);
    return run;
  }
  const { connectTenant } = await import('./tenant-connection.js');
  const client = await connectTenant(io);
  try {
    const checked = await addTenantFindings(run, targets, client, messages);
    io.err(`pinpack ${NAME}: ${l10n.t('checked {0} users and {1} groups of {2} pinpack.json files against {3}.', checked.users, checked.groups, checked.manifests, new URL(client.origin).host)}\n`);
    return checked.run;
  } finally {
    client.close();
  }
}

export const lintCommand: CliCommand = {
  name: NAME,
  get help() {
    return l10n.t(`Usage: pinpack lint PATH... [--format text|json|sarif] [--max-warnings N] [--check-users]

Lints PowerShell (.ps1, .psm1, .psd1) and batch (.bat, .cmd) files and pinpack.json manifests.
A folder is a package workspace: every such file below it is linted, with the rule levels of its
pinpack.json ("lint": { "rules": { "PP1008": "off", "PP2004": "error" } }).

Options:
  --format text    one finding per line, file:line:col severity rule message (default)
  --format json    the lint report (version 1) on stdout
  --format sarif   SARIF 2.1.0 for code-scanning tools
  --max-warnings N exit 1 when there are more than N warnings
  --check-users    also ask the tenant about the users and groups of each pinpack.json
                   (rule PP3004: unknown, disabled or locked users, missing groups); without
                   it lint never connects. Connection: PINPACK_TENANT_URL, PINPACK_USER,
                   PINPACK_PASSWORD (or a prompt in a terminal)

Suppress one finding with a comment on the line before it:
  # pinpack-disable-next-line PP1008        (PowerShell)
  REM pinpack-disable-next-line PP2007      (batch; :: works too)
Rules that mirror PSScriptAnalyzer also honour its SuppressMessageAttribute.

Exit codes: 0 clean, 1 errors (or too many warnings), 2 usage error, 3 a file could not be read
or the tenant could not be asked (--check-users).
`);
  },
  async run(args, io) {
    const { paths, format, maxWarnings, checkUsers } = parseArgs(args);
    // The text report speaks the run's language; JSON and SARIF are read by scripts: English.
    const messages = format === 'text' ? {} : { messages: 'en' as const };
    let run = lintPaths(paths, process.cwd(), messages);
    for (const w of run.warnings) io.err(`pinpack ${NAME}: ${w}\n`);
    if (checkUsers) run = await checkTenantUsers(run, io, messages);
    const report = run.report;
    if (format === 'json') {
      io.out(`${JSON.stringify(report, null, 2)}\n`);
    } else if (format === 'sarif') {
      io.out(`${JSON.stringify(toSarif(report, RULES, PINPACK_VERSION), null, 2)}\n`);
    } else {
      for (const f of report.files) {
        for (const d of f.diagnostics) io.out(`${f.path}:${d.line}:${d.column} ${d.severity} ${d.rule} ${d.message}\n`);
      }
      io.out(`${lintCounts(report.summary)}\n`);
    }
    const tooManyWarnings = maxWarnings !== undefined && report.summary.warnings > maxWarnings;
    return report.summary.errors > 0 || tooManyWarnings ? ExitCode.findings : ExitCode.ok;
  },
};
