import * as l10n from '@vscode/l10n';
import { PinPackError } from '../core/errors';
import type { LintRun } from '../core/lint/run';
import { pinExpiry } from '../core/pins/lifetime';
import type { TenantClient } from '../core/tenant/client';
import type { EnrolleePins } from '../core/workspace/enrollee-pins';
import type { WorkspaceBuild } from '../core/workspace/build-workspace';
import { parseCommandArgs } from './args';
import { ExitCode, type CliCommand, type CliIo } from './command';
import { lintCounts } from './lint-counts';

const NAME = 'build';

const help = (): string =>
  l10n.t(`Usage: pinpack build DIR [--out FILE] [--redact] [--max-warnings N] [--pin-margin HOURS]

Builds the package zip of the workspace in DIR:
  1. lints the workspace: any error refuses the build (the findings are listed; warnings are
     listed too, and --max-warnings N refuses more than N of them);
  2. reads the current PIN of every enrollee (the users and group members in pinpack.json) from
     the tenant, and refuses a PIN that is missing, used, expired or expiring within the margin;
  3. writes the zip atomically: the workspace's files, pinpack-settings.json, the PIN file and
     pinpack-manifest.json with the SHA-256 of every file. A refused or interrupted build leaves
     any previous zip as it was.
Generate the PINs first with "pinpack pins generate"; they are valid for 24 hours.

Options:
  --out FILE          the zip to write (default: DIR/out/<package name>.zip)
  --redact            build the review copy instead: every PIN masked, no tenant needed; it lists
                      the users named in pinpack.json (group members are known only to the
                      tenant). Default output DIR/out/<package name>.redacted.zip
  --max-warnings N    refuse the build when lint finds more than N warnings
  --pin-margin HOURS  refuse PINs that expire within HOURS (default 2; 0 to 23)

Entries carry one fixed timestamp, SOURCE_DATE_EPOCH when set: the same workspace and the same
PINs give a byte-identical zip. The PINs are written only into the zip, never shown.

Exit codes: 0 built, 1 refused (lint, PINs), 2 usage error or no tenant connection,
3 tenant or I/O failure.
Connection: PINPACK_TENANT_URL, PINPACK_USER, PINPACK_PASSWORD (or a prompt in a terminal).
`);

export function formatLintRun(run: LintRun): string {
  const lines: string[] = [];
  for (const file of run.report.files) {
    for (const d of file.diagnostics) lines.push(`  ${file.path}:${d.line}:${d.column} ${d.severity} ${d.rule} ${d.message}`);
  }
  return `${l10n.t('Lint: {0}', lintCounts(run.report.summary))}\n${lines.map((l) => `${l}\n`).join('')}`;
}

export function formatEnrollees(pins: EnrolleePins, redact: boolean): string {
  const expiries = pins.pins.flatMap((p) => pinExpiry(p)?.getTime() ?? []);
  // How long the package can be deployed: its first PIN to lapse decides.
  const first = !redact && expiries.length > 0 ? new Date(Math.min(...expiries)).toISOString() : undefined;
  const count = first === undefined ? String(pins.pins.length) : l10n.t('{0} (deploy before {1}, when the first PIN expires)', pins.pins.length, first);
  const skipped = pins.skipped.length;
  const left = skipped === 0 ? '' : skipped === 1 ? l10n.t(', 1 group member left out:') : l10n.t(', {0} group members left out:', skipped);
  const lines = [`${l10n.t('Enrollees: {0}', count)}${left}`];
  for (const s of pins.skipped) lines.push(`  ${s.uid} (${s.group}): ${s.reason}`);
  return `${lines.join('\n')}\n`;
}

function size(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

export function formatBuilt(build: WorkspaceBuild): string {
  const m = build.built.manifest;
  // The manifest lists every entry but itself.
  const built = m.redacted ? l10n.t('Built review copy (PINs masked, not deployable) {0}', build.built.path) : l10n.t('Built package {0}', build.built.path);
  const enrollees = m.enrollees === 1 ? l10n.t('1 enrollee') : l10n.t('{0} enrollees', m.enrollees);
  const fileCount = m.files.length + 1;
  const files = fileCount === 1 ? l10n.t('1 file') : l10n.t('{0} files', fileCount);
  return `${built}\n  ${l10n.t('target {0}, {1}, {2}, {3}', m.target, enrollees, files, size(build.size))}\n  SHA-256 ${build.sha256}\n`;
}

function parsePinMargin(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const hours = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || hours >= 24) {
    throw new PinPackError('usage', l10n.t('--pin-margin must be a number of hours from 0 to 23, not "{0}". Run "pinpack build --help".', text));
  }
  return hours * 3_600_000;
}

function parseMaxWarnings(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw new PinPackError('usage', l10n.t('--max-warnings needs a whole number of 0 or more, not "{0}". Run "pinpack build --help".', text));
  return Number(text);
}

async function run(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(NAME, args, {
    out: { type: 'string' },
    redact: { type: 'boolean' },
    'max-warnings': { type: 'string' },
    'pin-margin': { type: 'string' },
  }, true);
  if (positionals.length !== 1) throw new PinPackError('usage', l10n.t('Give exactly one workspace folder: pinpack build DIR [--out FILE].'));
  const dir = positionals[0] as string;
  const maxWarnings = parseMaxWarnings(values['max-warnings']);
  const pinMarginMs = parsePinMargin(values['pin-margin']);
  const redact = values.redact === true;
  // Loaded on use, as the other tenant commands do: zod and the client stay out of start-up.
  const { buildWorkspace, unreachableEnrollees } = await import('../core/workspace/build-workspace.js');
  const { buildTimestamp } = await import('../core/archive/zip-format.js');
  let client: TenantClient | undefined;
  try {
    const build = await buildWorkspace({
      dir,
      ...(values.out !== undefined ? { out: values.out } : {}),
      redact,
      ...(maxWarnings !== undefined ? { maxWarnings } : {}),
      ...(pinMarginMs !== undefined ? { pinMarginMs } : {}),
      timestamp: buildTimestamp(io.env),
      cwd: process.cwd(),
      toolVersion: PINPACK_VERSION,
      onLint: (lint) => {
        for (const w of lint.warnings) io.err(`pinpack ${NAME}: ${w}\n`);
        io.out(formatLintRun(lint));
      },
      onEnrollees: (pins, manifest) => {
        io.out(formatEnrollees(pins, redact));
        const unreachable = unreachableEnrollees(manifest, pins.pins);
        if (unreachable) io.err(`pinpack ${NAME}: ${l10n.t('note: {0}', unreachable)}\n`);
        const groups = manifest.enrollees.groups;
        if (redact && groups.length > 0) {
          const names = groups.map((g) => `"${g}"`).join(', ');
          io.out(`  ${l10n.t('(the review copy lists the users named in pinpack.json; the members of {0} are read from the tenant by a real build)', names)}\n`);
        }
      },
      // The review copy never contacts the tenant; a real build connects only once lint has passed.
      ...(redact
        ? {}
        : {
            resolvePins: async (manifest) => {
              const { connectTenant } = await import('./tenant-connection.js');
              const { resolveEnrolleePins } = await import('../core/workspace/enrollee-pins.js');
              client = await connectTenant(io);
              return resolveEnrolleePins(client, manifest.enrollees);
            },
          }),
    });
    io.out(formatBuilt(build));
    return ExitCode.ok;
  } finally {
    client?.close();
  }
}

export const buildCommand: CliCommand = {
  name: NAME,
  get help() {
    return help();
  },
  run,
};
