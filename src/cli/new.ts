import * as l10n from '@vscode/l10n';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PinPackError } from '../core/errors';
import { MANIFEST_FILE_NAME } from '../core/workspace/manifest';
import { scaffoldWorkspace, type ConflictPolicy, type Conflict, type ScaffoldReport } from '../core/workspace/scaffold';
import { TARGETS, TargetId } from '../core/workspace/targets';
import { parseCommandArgs } from './args';
import { ExitCode, type CliCommand, type CliIo } from './command';

const help = (): string =>
  l10n.t(
    `Usage: pinpack new DIR --target T [options]

Scaffolds a package workspace in DIR: pinpack.json, the scripts of the target, a README.md and a
.gitignore that keeps PIN files and build output out of git. Run it again on the same folder to
update the files PinPack wrote; files you changed are kept unless you choose otherwise.

Targets: {0}

Options:
  --target T             the distribution channel (required)
  --user UID             a user to enroll; repeat for more
  --group G              a user group to enroll; repeat for more
  --ad-domain D          the AD domain (EPM case 1 enrolls <device name>@D)
  --destination PATH     where the SCCM copier puts the package on the device
  --name NAME            the package name (default: the folder name)
  --language en|ja       the language of the package README (a new workspace gets the
                         language of PinPack's messages, see pinpack --help)
  --on-conflict MODE     for a file you changed: keep (default), overwrite (your version is
                         saved under .pinpack/backup/), or ask (shows a diff on request)
`,
    TargetId.options.join(', '),
  );

function conflictPolicy(mode: string, io: CliIo): ConflictPolicy {
  if (mode === 'keep' || mode === 'overwrite') return mode;
  if (mode !== 'ask') throw new PinPackError('usage', l10n.t('--on-conflict must be ask, keep or overwrite, not "{0}".', mode));
  const prompt = io.prompt;
  if (!prompt) throw new PinPackError('usage', l10n.t('--on-conflict ask needs an interactive terminal: pass --on-conflict keep or overwrite instead.'));
  return async (conflict: Conflict) => {
    for (;;) {
      const answer = (await prompt(l10n.t('{0} was changed since PinPack wrote it. [k]eep yours, [o]verwrite (yours is backed up), [d]iff? ', conflict.path))).trim().toLowerCase();
      if (answer === 'k' || answer === 'keep' || answer === '') return 'keep';
      if (answer === 'o' || answer === 'overwrite') return 'overwrite';
      if (answer === 'd' || answer === 'diff') io.out(conflict.diff());
    }
  };
}

export function describeReport(report: ScaffoldReport): string {
  const lines = [l10n.t('Workspace {0} ({1}, package "{2}"):', report.dir, report.manifest.target, report.manifest.name)];
  const list = (label: string, items: readonly string[]) => {
    if (items.length > 0) lines.push(`  ${label}: ${items.join(', ')}`);
  };
  list(l10n.t('created'), report.created);
  list(l10n.t('updated'), report.updated);
  list(l10n.t('unchanged'), report.unchanged);
  list(l10n.t('kept (you changed them; --on-conflict overwrite or ask to replace)'), report.kept);
  for (const { path, backup } of report.overwritten) lines.push(l10n.t('  overwritten: {0} (your version: {1})', path, backup));
  if (TARGETS[report.manifest.target].needsAdDomain && report.manifest.device.adDomain === undefined) {
    lines.push(l10n.t('  note: {0} enrolls <device name>@<AD domain>: set it with --ad-domain before building.', report.manifest.target));
  }
  return `${lines.join('\n')}\n`;
}

export const newCommand: CliCommand = {
  name: 'new',
  get help() {
    return help();
  },
  async run(args, io) {
    const { values, positionals } = parseCommandArgs('new', args, {
      target: { type: 'string' },
      user: { type: 'string', multiple: true },
      group: { type: 'string', multiple: true },
      'ad-domain': { type: 'string' },
      destination: { type: 'string' },
      name: { type: 'string' },
      language: { type: 'string' },
      'on-conflict': { type: 'string', default: 'keep' },
    }, true);
    if (positionals.length !== 1) throw new PinPackError('usage', l10n.t('Give exactly one folder: pinpack new DIR --target T.'));
    const target = TargetId.safeParse(values.target);
    if (!target.success) {
      const choices = TargetId.options.join(', ');
      throw new PinPackError(
        'usage',
        values.target === undefined
          ? l10n.t('No --target was given: choose one of {0}.', choices)
          : l10n.t('Unknown target "{0}": choose one of {1}.', values.target, choices),
      );
    }
    if (values.language !== undefined && values.language !== 'en' && values.language !== 'ja') {
      throw new PinPackError('usage', l10n.t('--language must be en or ja, not "{0}".', values.language));
    }
    // A Japanese admin gets a Japanese README without asking; an existing workspace keeps its own.
    const isNew = !existsSync(join(positionals[0] ?? '', MANIFEST_FILE_NAME));
    const language = values.language ?? (isNew ? io.language : undefined);
    const report = await scaffoldWorkspace({
      dir: positionals[0] ?? '',
      target: target.data,
      ...(values.user ? { users: values.user } : {}),
      ...(values.group ? { groups: values.group } : {}),
      ...(values['ad-domain'] !== undefined ? { adDomain: values['ad-domain'] } : {}),
      ...(values.destination !== undefined ? { destination: values.destination } : {}),
      ...(values.name !== undefined ? { name: values.name } : {}),
      ...(language !== undefined ? { language } : {}),
      onConflict: conflictPolicy(values['on-conflict'] ?? 'keep', io),
    });
    io.out(describeReport(report));
    return ExitCode.ok;
  },
};
