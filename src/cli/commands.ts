import type { CliCommand } from './command';
import { inspectCommand } from './inspect';

/** Every `pinpack` subcommand, in the order `pinpack --help` lists them. */
export const COMMANDS: readonly CliCommand[] = [inspectCommand];
