import type { CliCommand } from './command';
import { lintCommand } from './lint';

/** Every `pinpack` subcommand, in the order `pinpack --help` lists them. */
export const COMMANDS: readonly CliCommand[] = [lintCommand];
