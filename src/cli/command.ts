/** Where a command writes; tests pass their own to capture the output. */
export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
  /** Asks the user a question and resolves with the answer; absent when stdin is not a terminal. */
  readonly prompt?: (question: string) => Promise<string>;
  /** The language of this run's messages (`--lang`, else the locale); set by runCli. */
  readonly language?: 'en' | 'ja';
}

/** A `pinpack` subcommand. `run` returns the exit code (DESIGN.md §2). */
export interface CliCommand {
  readonly name: string;
  /** Full help text shown by `pinpack <name> --help`. */
  readonly help: string;
  readonly run: (args: readonly string[], io: CliIo) => Promise<number>;
}

/** The exit codes of DESIGN.md §2. */
export const ExitCode = {
  ok: 0,
  findings: 1,
  usage: 2,
  failure: 3,
} as const;
