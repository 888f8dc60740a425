import * as l10n from '@vscode/l10n';
import type { CliCommand } from './command';

/**
 * One `pinpack` subcommand as `pinpack --help` lists it. Its module is imported only when the
 * command runs or shows its own help, so `pinpack --version` and `pinpack --help` do not pay for
 * zod schemas, the linter or the tenant client (bench/cli-startup.bench.ts).
 */
export interface CliCommandEntry {
  readonly name: string;
  /** One line for `pinpack --help`, in the current language. */
  readonly summary: () => string;
  readonly load: () => Promise<CliCommand>;
}

/** Every `pinpack` subcommand, in the order `pinpack --help` lists them. */
export const COMMANDS: readonly CliCommandEntry[] = [
  {
    name: 'demo',
    summary: () => l10n.t('Run the whole job on the embedded demo tenant: PINs, five workspaces, lint, zips'),
    load: async () => (await import('./demo.js')).demoCommand,
  },
  {
    name: 'demo-tenant',
    summary: () => l10n.t('Run the embedded demo tenant on loopback until Ctrl+C.'),
    load: async () => (await import('./demo-tenant.js')).demoTenantCommand,
  },
  {
    name: 'users',
    summary: () => l10n.t("List or search the tenant's users."),
    load: async () => (await import('./users.js')).usersCommand,
  },
  {
    name: 'groups',
    summary: () => l10n.t("List the tenant's user groups."),
    load: async () => (await import('./groups.js')).groupsCommand,
  },
  {
    name: 'pins',
    summary: () => l10n.t('Generate registration PINs: pins generate (--user UID... | --group G).'),
    load: async () => (await import('./pins.js')).pinsCommand,
  },
  {
    name: 'new',
    summary: () => l10n.t('Scaffold or update a package workspace for a target'),
    load: async () => (await import('./new.js')).newCommand,
  },
  {
    name: 'import',
    summary: () => l10n.t('Unpack a console-downloaded package zip into an editable workspace, safely'),
    load: async () => (await import('./import.js')).importCommand,
  },
  {
    name: 'lint',
    summary: () => l10n.t('Lint PowerShell and batch scripts and package workspaces'),
    load: async () => (await import('./lint.js')).lintCommand,
  },
  {
    name: 'build',
    summary: () => l10n.t('Lint a workspace, resolve fresh PINs and write its package zip atomically'),
    load: async () => (await import('./build.js')).buildCommand,
  },
  {
    name: 'inspect',
    summary: () => l10n.t('List a package zip for review: files, hashes, target, manifest check, PINs masked'),
    load: async () => (await import('./inspect.js')).inspectCommand,
  },
];
