import type { CliCommand } from './command';
import { importCommand } from './import';
import { newCommand } from './new';

/** Every `pinpack` subcommand, in the order `pinpack --help` lists them. */
export const COMMANDS: readonly CliCommand[] = [newCommand, importCommand];
