import * as l10n from '@vscode/l10n';
import { describeError, PinPackError, type ErrorKind } from '../core/errors';
import { ExitCode, type CliIo } from './command';
import { COMMANDS } from './commands';
import { takeLanguageOption, useLanguage } from './language';

const EXIT_BY_KIND: Readonly<Record<ErrorKind, number>> = {
  usage: ExitCode.usage,
  refused: ExitCode.findings,
  tenant: ExitCode.failure,
  io: ExitCode.failure,
};

export function mainHelp(): string {
  const width = Math.max(12, ...COMMANDS.map((c) => c.name.length)) + 2;
  const commands = COMMANDS.length
    ? COMMANDS.map((c) => `  ${c.name.padEnd(width)}${c.summary()}`).join('\n')
    : l10n.t('  (none in this build)');
  return l10n.t(
    `PinPack {0}: build, lint and review PIN-based provisioning packages for Ivanti Neurons for MDM.

Usage: pinpack <command> [options]
       pinpack <command> --help

Commands:
{1}

Options:
  -h, --help     Show this help.
  -v, --version  Print PinPack's version.
  --lang en|ja   The language of messages (default: from LC_ALL, LC_MESSAGES or LANG).

Exit codes: 0 ok, 1 lint findings or a refused build, 2 usage error, 3 tenant or I/O failure.
`,
    PINPACK_VERSION,
    commands,
  );
}

/** Runs one `pinpack` invocation and returns its exit code; never throws. */
export async function runCli(argv: readonly string[], ioWithoutLanguage: CliIo): Promise<number> {
  let chosen: ReturnType<typeof takeLanguageOption>;
  try {
    chosen = takeLanguageOption(argv, ioWithoutLanguage.env);
  } catch (error) {
    ioWithoutLanguage.err(`pinpack: ${describeError(error)}\n`);
    return ExitCode.usage;
  }
  useLanguage(chosen.language);
  const io: CliIo = { ...ioWithoutLanguage, language: chosen.language };
  const args = chosen.rest;
  const [first, ...rest] = args;
  if (first === undefined || first === '-h' || first === '--help' || first === 'help') {
    const topic = first === 'help' ? rest[0] : undefined;
    if (topic === undefined) {
      io.out(mainHelp());
      return ExitCode.ok;
    }
    return runCommand(topic, ['--help'], io);
  }
  if (first === '-v' || first === '--version') {
    io.out(`${PINPACK_VERSION}\n`);
    return ExitCode.ok;
  }
  if (first.startsWith('-')) {
    io.err(l10n.t('pinpack: unknown option {0}. Run "pinpack --help" to see the options.', first) + '\n');
    return ExitCode.usage;
  }
  return runCommand(first, rest, io);
}

async function runCommand(name: string, rest: readonly string[], io: CliIo): Promise<number> {
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    io.err(l10n.t('pinpack: unknown command "{0}". Run "pinpack --help" to see the commands.', name) + '\n');
    return ExitCode.usage;
  }
  const command = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(command.help);
    return ExitCode.ok;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    io.err(`pinpack ${entry.name}: ${describeError(error)}\n`);
    return error instanceof PinPackError ? EXIT_BY_KIND[error.kind] : ExitCode.failure;
  }
}
