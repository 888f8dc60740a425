import * as l10n from '@vscode/l10n';
import { parseCommandArgs, parseFormat } from './args';
import { ExitCode, type CliCommand } from './command';
import { renderTable } from './table';

const help = (): string =>
  l10n.t(`Usage: pinpack groups [--format table|json]

Lists the tenant's user groups and their member counts.

Options:
  --format F       table (default) or json.

Connection: PINPACK_TENANT_URL, PINPACK_USER, PINPACK_PASSWORD (or a prompt in a terminal).
`);

export const groupsCommand: CliCommand = {
  name: 'groups',
  get help() {
    return help();
  },
  async run(args, io) {
    const { values } = parseCommandArgs('groups', args, { format: { type: 'string' } });
    const format = parseFormat('groups', values.format, ['table', 'json'] as const);
    // Loaded on use: the tenant client and zod stay out of every other command's start-up.
    const { connectTenant } = await import('./tenant-connection.js');
    const client = await connectTenant(io);
    try {
      const groups = await client.listGroups();
      if (format === 'json') {
        io.out(`${JSON.stringify(groups.map((g) => ({ name: g.name, memberCount: g.memberCount ?? null })), null, 2)}\n`);
      } else if (groups.length === 0) {
        io.out(`${l10n.t('The tenant has no user groups.')}\n`);
      } else {
        io.out(renderTable([l10n.t('GROUP'), l10n.t('MEMBERS')], groups.map((g) => [g.name, g.memberCount === undefined || g.memberCount === null ? '' : String(g.memberCount)])));
      }
      return ExitCode.ok;
    } finally {
      client.close();
    }
  },
};
