import * as l10n from '@vscode/l10n';
import { PinPackError } from '../core/errors';
import { importConsoleZip } from '../core/workspace/import';
import { TargetId } from '../core/workspace/targets';
import { parseCommandArgs } from './args';
import { ExitCode, type CliCommand } from './command';

const help = (): string =>
  l10n.t(
    `Usage: pinpack import ZIP DIR [--target T] [--name NAME]

Turns a Deployment Package zip downloaded from the Neurons for MDM console (Admin > Windows >
Deployment Package) into a workspace in DIR, which must be new or empty. The console's files are
kept exactly as they are and marked as imported in pinpack.json. PIN files found in the zip go to
DIR/.pinpack/imported-pins/, which the workspace's .gitignore keeps out of git.

The zip is checked before anything is written: an entry that would leave DIR, a link, an
encrypted or duplicate entry refuses the whole import.

Options:
  --target T     the target, when the inferred one is wrong ({0})
  --name NAME    the package name (default: the zip's file name)
`,
    TargetId.options.join(', '),
  );

export const importCommand: CliCommand = {
  name: 'import',
  get help() {
    return help();
  },
  async run(args, io) {
    const { values, positionals } = parseCommandArgs('import', args, { target: { type: 'string' }, name: { type: 'string' } }, true);
    if (positionals.length !== 2) throw new PinPackError('usage', l10n.t('Give the zip and the folder: pinpack import ZIP DIR.'));
    let target: TargetId | undefined;
    if (values.target !== undefined) {
      const parsed = TargetId.safeParse(values.target);
      if (!parsed.success) throw new PinPackError('usage', l10n.t('Unknown target "{0}": choose one of {1}.', values.target, TargetId.options.join(', ')));
      target = parsed.data;
    }
    const report = await importConsoleZip({
      zip: positionals[0] ?? '',
      dir: positionals[1] ?? '',
      ...(target ? { target } : {}),
      ...(values.name !== undefined ? { name: values.name } : {}),
    });
    const lines = [
      l10n.t('Imported into {0} as {1} ({2}).', report.dir, report.manifest.target, report.targetReason),
      l10n.t('  console files, kept as they are: {0}', report.files.join(', ')),
    ];
    if (report.pinFiles.length > 0) lines.push(l10n.t('  PIN files, git-ignored: {0}', report.pinFiles.join(', ')));
    lines.push(l10n.t("  next: pinpack new {0} --target {1} adds the README and the target's other scripts; the imported files are kept.", positionals[1] ?? '', report.manifest.target));
    io.out(`${lines.join('\n')}\n`);
    return ExitCode.ok;
  },
};
