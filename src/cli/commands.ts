import type { CliCommand } from './command';
import { newCommand } from './new';

/** Every `pinpack` subcommand, in the order `pinpack --help` lists them. */
export const COMMANDS: readonly CliCommand[] = [newCommand];
