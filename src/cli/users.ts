import * as l10n from '@vscode/l10n';
import { parseCommandArgs, parseCount, parseFormat } from './args';
import { ExitCode, type CliCommand } from './command';
import { renderTable } from './table';
import { accountState, pinState, pinStateText } from './tenant-format';

const help = (): string =>
  l10n.t(`Usage: pinpack users [--search Q] [--group G] [--limit N] [--format table|json]

Lists the tenant's users, paged from the API. PINs are never shown, only their status.

Options:
  --search Q       Free-text search over user names and e-mail addresses.
  --group G        Only members of the user group G.
  --limit N        At most N users.
  --format F       table (default) or json.

Connection: PINPACK_TENANT_URL, PINPACK_USER, PINPACK_PASSWORD (or a prompt in a terminal);
HTTPS_PROXY, NO_PROXY and PINPACK_CA_FILE are honoured.
`);

export const usersCommand: CliCommand = {
  name: 'users',
  get help() {
    return help();
  },
  async run(args, io) {
    const { values } = parseCommandArgs('users', args, {
      search: { type: 'string' },
      group: { type: 'string' },
      limit: { type: 'string' },
      format: { type: 'string' },
    });
    const format = parseFormat('users', values.format, ['table', 'json'] as const);
    const limit = parseCount('users', 'limit', values.limit, 1, Number.MAX_SAFE_INTEGER);
    // Loaded on use: the tenant client and zod stay out of every other command's start-up.
    const { connectTenant } = await import('./tenant-connection.js');
    const client = await connectTenant(io);
    try {
      const now = new Date();
      const filter = { ...(values.search ? { search: values.search } : {}), ...(values.group !== undefined ? { group: values.group } : {}) };
      const rows: string[][] = [];
      const json: unknown[] = [];
      for await (const user of client.users(filter, { ...(limit ? { limit } : {}) })) {
        if (format === 'json') {
          const pin = pinState(user, now);
          json.push({
            id: user.id,
            uid: user.uid,
            displayName: user.displayName ?? null,
            emailAddress: user.emailAddress ?? null,
            accountType: user.accountType ?? null,
            enabled: user.enabled !== false,
            locked: user.locked === true,
            groups: user.groups ?? [],
            pin: { state: pin.state, expiresAt: pin.expiresAt?.toISOString() ?? null },
          });
        } else {
          rows.push([user.uid, user.displayName ?? '', user.emailAddress ?? '', (user.groups ?? []).join(', '), accountState(user), pinStateText(user, now)]);
        }
      }
      if (format === 'json') io.out(`${JSON.stringify(json, null, 2)}\n`);
      else if (rows.length === 0) io.out(`${l10n.t('No users match.')}\n`);
      else io.out(renderTable(['UID', l10n.t('NAME'), l10n.t('E-MAIL'), l10n.t('GROUPS'), l10n.t('STATE'), 'PIN'], rows));
      return ExitCode.ok;
    } finally {
      client.close();
    }
  },
};
