import { describeError, PinPackError, type ErrorKind } from '../core/errors';
import { ExitCode, type CliIo } from './command';
import { COMMANDS } from './commands';

const EXIT_BY_KIND: Readonly<Record<ErrorKind, number>> = {
  usage: ExitCode.usage,
  refused: ExitCode.findings,
  tenant: ExitCode.failure,
  io: ExitCode.failure,
};

export function mainHelp(): string {
  const width = Math.max(12, ...COMMANDS.map((c) => c.name.length)) + 2;
  const commands = COMMANDS.length
    ? COMMANDS.map((c) => `  ${c.name.padEnd(width)}${c.summary}`).join('\n')
    : '  (none in this build)';
  return `PinPack ${PINPACK_VERSION}: build, lint and review PIN-based provisioning packages for Ivanti Neurons for MDM.

Usage: pinpack <command> [options]
       pinpack <command> --help

Commands:
${commands}

Options:
  -h, --help     Show this help.
  -v, --version  Print PinPack's version.

Exit codes: 0 ok, 1 lint findings or a refused build, 2 usage error, 3 tenant or I/O failure.
`;
}

/** Runs one `pinpack` invocation and returns its exit code; never throws. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '-h' || first === '--help' || first === 'help') {
    const topic = first === 'help' ? rest[0] : undefined;
    if (topic === undefined) {
      io.out(mainHelp());
      return ExitCode.ok;
    }
    return runCli([topic, '--help'], io);
  }
  if (first === '-v' || first === '--version') {
    io.out(`${PINPACK_VERSION}\n`);
    return ExitCode.ok;
  }
  if (first.startsWith('-')) {
    io.err(`pinpack: unknown option ${first}. Run "pinpack --help" to see the options.\n`);
    return ExitCode.usage;
  }
  const command = COMMANDS.find((c) => c.name === first);
  if (!command) {
    io.err(`pinpack: unknown command "${first}". Run "pinpack --help" to see the commands.\n`);
    return ExitCode.usage;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(command.help);
    return ExitCode.ok;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    io.err(`pinpack ${command.name}: ${describeError(error)}\n`);
    return error instanceof PinPackError ? EXIT_BY_KIND[error.kind] : ExitCode.failure;
  }
}
