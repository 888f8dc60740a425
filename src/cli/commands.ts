import { buildCommand } from './build';
import type { CliCommand } from './command';
import { demoCommand } from './demo';
import { demoTenantCommand } from './demo-tenant';
import { groupsCommand } from './groups';
import { importCommand } from './import';
import { inspectCommand } from './inspect';
import { lintCommand } from './lint';
import { newCommand } from './new';
import { pinsCommand } from './pins';
import { usersCommand } from './users';

/** Every `pinpack` subcommand, in the order `pinpack --help` lists them. */
export const COMMANDS: readonly CliCommand[] = [
  demoCommand,
  demoTenantCommand,
  usersCommand,
  groupsCommand,
  pinsCommand,
  newCommand,
  importCommand,
  lintCommand,
  buildCommand,
  inspectCommand,
];
