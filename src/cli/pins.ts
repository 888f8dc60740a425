import * as l10n from '@vscode/l10n';
import { PinPackError } from '../core/errors';
import type { TenantClient } from '../core/tenant/client';
import { uidHasFullWidthAt } from '../core/tenant/pin-eligibility';
import type { PinResult } from '../core/tenant/pin-generation';
import type { Account } from '../core/tenant/schemas';
import { parseCommandArgs, parseFormat } from './args';
import { ExitCode, type CliIo, type CliCommand } from './command';
import { renderTable } from './table';
import { formatTime } from './tenant-format';

const help = (): string =>
  l10n.t(`Usage: pinpack pins generate (--user UID... | --group G) [--reveal] [--format table|json]

Generates registration PINs (valid 24 hours) and prints, per user, whether one was issued and
when it expires. Users whose name contains a space, and disabled, locked or API accounts, are
skipped with the reason. The PIN itself is shown only with --reveal.

Options:
  --user UID       A user, by uid; repeat for more.
  --group G        Every member of the user group G.
  --reveal         Also print the PINs (they are secrets: mind the terminal and its scroll-back).
  --format F       table (default) or json.

Exit codes: 0 every user issued or skipped, 3 a PIN could not be generated, 2 usage error.
Connection: PINPACK_TENANT_URL, PINPACK_USER, PINPACK_PASSWORD (or a prompt in a terminal).
`);

async function resolveUsers(client: TenantClient, uids: readonly string[], group: string | undefined): Promise<Account[]> {
  if (group !== undefined) {
    const members: Account[] = [];
    for await (const user of client.groupMembers(group)) members.push(user);
    if (members.length === 0) throw new PinPackError('usage', l10n.t('The group "{0}" has no members or does not exist: run "pinpack groups" to see the groups.', group));
    return members;
  }
  const accounts: Account[] = [];
  for (const uid of uids) {
    const account = await client.getUserByUid(uid);
    if (!account) throw new PinPackError('usage', l10n.t('No user "{0}" on the tenant, so no PIN was generated: check the spelling with "pinpack users --search {1}".', uid, uid.split('@')[0] ?? uid));
    accounts.push(account);
  }
  return accounts;
}

/** The status as the table shows it; JSON keeps the English word, which scripts compare. */
function statusText(status: PinResult['status']): string {
  switch (status) {
    case 'issued':
      return l10n.t('issued');
    case 'skipped':
      return l10n.t('skipped');
    case 'failed':
      return l10n.t('failed');
    default:
      return l10n.t('cancelled');
  }
}

function detail(result: PinResult): string {
  switch (result.status) {
    case 'issued':
      return '';
    case 'cancelled':
      return l10n.t('cancelled before it was requested');
    default:
      return result.reason;
  }
}

async function generate(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs('pins generate', args, {
    user: { type: 'string', multiple: true },
    group: { type: 'string' },
    reveal: { type: 'boolean' },
    format: { type: 'string' },
  });
  const format = parseFormat('pins generate', values.format, ['table', 'json'] as const);
  const uids = values.user ?? [];
  if ((uids.length === 0) === (values.group === undefined)) {
    throw new PinPackError('usage', l10n.t('Name the users with --user UID (repeatable) or a group with --group G, not both. Run "pinpack pins generate --help".'));
  }
  // Refused before connecting: no tenant knows such a uid, and "no such user" would hide the typo.
  const fullWidth = uids.find(uidHasFullWidthAt);
  if (fullWidth !== undefined) throw new PinPackError('usage', l10n.t('The user "{0}" contains a full-width "＠": type the ASCII "@" instead.', fullWidth));
  // Loaded on use: the tenant client and zod stay out of every other command's start-up.
    const { connectTenant } = await import('./tenant-connection.js');
    const client = await connectTenant(io);
  const controller = new AbortController();
  const onSigint = (): void => controller.abort();
  process.once('SIGINT', onSigint);
  try {
    const accounts = await resolveUsers(client, uids, values.group);
    // A live counter on a terminal only: piped output stays clean for scripts.
    const live = process.stderr.isTTY === true && accounts.length > 1;
    const { generatePins } = await import('../core/tenant/pin-generation.js');
    const results = await generatePins(client, accounts, {
      signal: controller.signal,
      ...(live ? { onProgress: (p) => io.err(`\r${l10n.t('{0}/{1} done: {2} issued, {3} skipped, {4} failed', p.done, p.total, p.issued, p.skipped, p.failed)}`) } : {}),
    });
    if (live) io.err('\n');
    const reveal = values.reveal === true;
    if (format === 'json') {
      io.out(`${JSON.stringify(
        results.map((r) => ({
          uid: r.account.uid,
          status: r.status,
          expiresAt: r.status === 'issued' ? r.expiresAt.toISOString() : null,
          ...(r.status === 'issued' || r.status === 'cancelled' ? {} : { reason: r.reason }),
          ...(reveal && r.status === 'issued' ? { pin: r.pin } : {}),
        })),
        null,
        2,
      )}\n`);
    } else {
      const header = ['UID', l10n.t('STATUS'), l10n.t('EXPIRES'), ...(reveal ? ['PIN'] : []), l10n.t('DETAIL')];
      const rows = results.map((r) => [
        r.account.uid,
        statusText(r.status),
        r.status === 'issued' ? formatTime(r.expiresAt) : '',
        ...(reveal ? [r.status === 'issued' ? r.pin : ''] : []),
        detail(r),
      ]);
      io.out(renderTable(header, rows));
      const count = (s: PinResult['status']) => results.filter((r) => r.status === s).length;
      const cancelled = count('cancelled') ? l10n.t(', {0} cancelled', count('cancelled')) : '';
      const summary = l10n.t('{0} issued, {1} skipped, {2} failed{3}.', count('issued'), count('skipped'), count('failed'), cancelled);
      io.out(`${summary}${reveal ? '' : l10n.t(' Add --reveal to show the PINs.')}\n`);
    }
    return results.some((r) => r.status === 'failed' || r.status === 'cancelled') ? ExitCode.failure : ExitCode.ok;
  } finally {
    process.removeListener('SIGINT', onSigint);
    client.close();
  }
}

export const pinsCommand: CliCommand = {
  name: 'pins',
  get help() {
    return help();
  },
  async run(args, io) {
    const [sub, ...rest] = args;
    if (sub !== 'generate') {
      throw new PinPackError(
        'usage',
        sub === undefined
          ? l10n.t('A subcommand is missing: use "pinpack pins generate". Run "pinpack pins --help".')
          : l10n.t('Unknown subcommand "{0}": use "pinpack pins generate". Run "pinpack pins --help".', sub),
      );
    }
    return generate(rest, io);
  },
};
