import { PinPackError } from '../core/errors';
import { importConsoleZip } from '../core/workspace/import';
import { TargetId } from '../core/workspace/targets';
import { parseCommandArgs } from './args';
import { ExitCode, type CliCommand } from './command';

const HELP = `Usage: pinpack import ZIP DIR [--target T] [--name NAME]

Turns a Deployment Package zip downloaded from the Neurons for MDM console (Admin > Windows >
Deployment Package) into a workspace in DIR, which must be new or empty. The console's files are
kept exactly as they are and marked as imported in pinpack.json. PIN files found in the zip go to
DIR/.pinpack/imported-pins/, which the workspace's .gitignore keeps out of git.

The zip is checked before anything is written: an entry that would leave DIR, a link, an
encrypted or duplicate entry refuses the whole import.

Options:
  --target T     the target, when the inferred one is wrong (${TargetId.options.join(', ')})
  --name NAME    the package name (default: the zip's file name)
`;

export const importCommand: CliCommand = {
  name: 'import',
  summary: 'Unpack a console-downloaded package zip into an editable workspace, safely',
  help: HELP,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs('import', args, { target: { type: 'string' }, name: { type: 'string' } }, true);
    if (positionals.length !== 2) throw new PinPackError('usage', 'Give the zip and the folder: pinpack import ZIP DIR.');
    let target: TargetId | undefined;
    if (values.target !== undefined) {
      const parsed = TargetId.safeParse(values.target);
      if (!parsed.success) throw new PinPackError('usage', `Unknown target "${values.target}": choose one of ${TargetId.options.join(', ')}.`);
      target = parsed.data;
    }
    const report = await importConsoleZip({
      zip: positionals[0] ?? '',
      dir: positionals[1] ?? '',
      ...(target ? { target } : {}),
      ...(values.name !== undefined ? { name: values.name } : {}),
    });
    const lines = [
      `Imported into ${report.dir} as ${report.manifest.target} (${report.targetReason}).`,
      `  console files, kept as they are: ${report.files.join(', ')}`,
    ];
    if (report.pinFiles.length > 0) lines.push(`  PIN files, git-ignored: ${report.pinFiles.join(', ')}`);
    lines.push(`  next: pinpack new ${positionals[1] ?? ''} --target ${report.manifest.target} adds the README and the target's other scripts; the imported files are kept.`);
    io.out(`${lines.join('\n')}\n`);
    return ExitCode.ok;
  },
};
