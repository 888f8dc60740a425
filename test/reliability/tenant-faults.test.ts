import * as assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import { TenantClient } from '../../src/core/tenant/client';
import { TenantError, type TenantErrorCode } from '../../src/core/tenant/errors';
import { generatePins, type PinResult } from '../../src/core/tenant/pin-generation';
import type { Account } from '../../src/core/tenant/schemas';
import { startDemoTenant, type DemoTenant } from '../../src/demo-tenant/server';
import { FakeSleep } from '../unit/core/tenant/demo';
import { countingUnhandledRejections, figure } from './figures';

/**
 * Tenant faults (issue #10): every client operation and the bulk PIN run against the demo
 * tenant's fault injection, each fault class as a short burst (the retries must absorb it) and as
 * a storm (the operation must fail with the typed error of that fault). An operation "ended
 * correctly" when it either returned exactly what it returns with no fault, or failed with a
 * TenantError of the expected code whose message is one line and holds no secret.
 */

const AREA = 'tenant faults';
const TIMEOUT_MS = 150;
const ATTEMPTS = 4;

interface FaultClass {
  readonly name: string;
  /** The fault kind as a SPEC fragment, e.g. `429=1`. */
  readonly spec: string;
  /** The error code a call hit by it must end with. */
  readonly codes: readonly TenantErrorCode[];
}

const FAULTS: readonly FaultClass[] = [
  { name: '429 with Retry-After', spec: '429=1', codes: ['rate-limited'] },
  { name: '429 without Retry-After', spec: '429-bare', codes: ['rate-limited'] },
  { name: '500', spec: '500', codes: ['server-error'] },
  { name: '503', spec: '503', codes: ['unavailable'] },
  { name: 'slow beyond the timeout', spec: `slow=${TIMEOUT_MS * 3}`, codes: ['timeout'] },
  { name: 'stall mid-body beyond the timeout', spec: `stall=${TIMEOUT_MS * 3}`, codes: ['timeout'] },
  { name: 'connection dropped mid-body', spec: 'drop', codes: ['connection-reset'] },
  { name: 'connection reset', spec: 'reset', codes: ['connection-reset'] },
  { name: 'malformed JSON', spec: 'malformed', codes: ['not-json'] },
  { name: 'HTML instead of JSON', spec: 'html', codes: ['not-json'] },
  // Drift is not transient: retrying would get the same shape. It never gets a burst.
  { name: 'schema drift', spec: 'drift', codes: ['schema'] },
];

/** Each read operation of the client, returning plain data to compare with the fault-free run. */
type Operation = (client: TenantClient, sample: Account) => Promise<unknown>;

async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

const READS: Readonly<Record<string, Operation>> = {
  testConnection: (c) => c.testConnection(),
  'users (paged, 40 a page)': (c) => all(c.users({}, { pageSize: 40 })),
  'users search': (c) => all(c.users({ search: 'a' }, { pageSize: 100 })),
  getUserByUid: (c, s) => c.getUserByUid(s.uid),
  listGroups: (c) => c.listGroups(),
  groupMembers: (c, s) => all(c.groupMembers(String(s.groups?.[0] ?? 'Sales'), { pageSize: 25 })),
  listSpaces: (c) => c.listSpaces(),
  defaultSpaceId: (c) => c.defaultSpaceId(),
  findDevicesByEmail: (c, s) => c.findDevicesByEmail(String(s.emailAddress ?? s.uid)),
  enrolledSince: (c, s) => c.enrolledSince(String(s.emailAddress ?? s.uid), new Date(0)),
};

describe('reliability: tenant faults', function () {
  this.timeout(240_000);
  let tenant: DemoTenant;
  let secrets: string[];
  const clients: TenantClient[] = [];

  const client = (sleeper = new FakeSleep(), log?: (line: string) => void): TenantClient => {
    const c = new TenantClient(
      { url: tenant.url, username: tenant.username, password: tenant.password },
      {
        timeoutMs: TIMEOUT_MS,
        retry: { attempts: ATTEMPTS, baseDelayMs: 100, maxDelayMs: 2_000 },
        sleep: sleeper.sleep,
        now: sleeper.now,
        random: () => 0.5,
        ...(log ? { log } : {}),
      },
    );
    clients.push(c);
    return c;
  };

  before(async () => {
    tenant = await startDemoTenant({ users: 150, seed: 'reliability' });
    secrets = [tenant.password, Buffer.from(`${tenant.username}:${tenant.password}`).toString('base64')];
  });
  after(async () => {
    for (const c of clients) c.close();
    await tenant.close();
  });

  /** Problems with a failure's message: it must be one plain line and hold no secret. */
  const messageProblems = (error: TenantError, pins: readonly string[]): string[] => {
    const problems: string[] = [];
    if (/\n/.test(error.message) || error.message.trim() === '') problems.push('not one line');
    if (/\bat .+:\d+:\d+/.test(error.message)) problems.push('holds a stack trace');
    for (const secret of [...secrets, ...pins]) if (error.message.includes(secret)) problems.push('holds a secret');
    return problems;
  };

  it('every read operation under every fault class, as bursts and storms: all end correctly, no unhandled rejection, no secret in a message or log', async () => {
    const setup = client();
    const sample = (await setup.users({ search: 'a' }, { limit: 1 }).next()).value as Account;
    const baseline = new Map<string, unknown>();
    for (const [name, op] of Object.entries(READS)) baseline.set(name, JSON.parse(JSON.stringify(await op(setup, sample))));

    let attempted = 0;
    let correct = 0;
    let succeededAfterRetry = 0;
    let failedTyped = 0;
    const wrong: string[] = [];
    const logs: string[] = [];
    tenant.faults.resetCounts();
    const { unhandled } = await countingUnhandledRejections(async () => {
      for (const fault of FAULTS) {
        const modes = fault.spec === 'drift' ? ['storm'] : ['burst', 'storm'];
        for (const mode of modes) {
          for (const [name, op] of Object.entries(READS)) {
            // A burst is fewer failures in a row than the client has attempts.
            tenant.faults.set(`*:${fault.spec}${mode === 'burst' ? `#${ATTEMPTS - 1}` : ''}`);
            attempted++;
            const label = `${name} under ${fault.name} (${mode})`;
            try {
              const result = JSON.parse(JSON.stringify(await op(client(new FakeSleep(), (l) => logs.push(l)), sample)));
              if (isDeepStrictEqual(result, baseline.get(name))) {
                correct++;
                if (mode === 'burst') succeededAfterRetry++;
              } else wrong.push(`${label}: answered something other than the fault-free run`);
            } catch (error) {
              if (!(error instanceof TenantError)) {
                wrong.push(`${label}: threw ${String(error)}, not a TenantError`);
              } else if (mode === 'burst' && fault.spec !== 'drift') {
                wrong.push(`${label}: a burst the retries should absorb failed with ${error.code}: ${error.message}`);
              } else if (!fault.codes.includes(error.code)) {
                wrong.push(`${label}: failed with ${error.code}, expected ${fault.codes.join(' or ')}: ${error.message}`);
              } else {
                const problems = messageProblems(error, []);
                if (problems.length) wrong.push(`${label}: message ${problems.join(', ')}: ${error.message}`);
                else {
                  correct++;
                  failedTyped++;
                }
              }
            }
          }
        }
      }
    });
    tenant.faults.clear();
    const injected = Object.values(tenant.faults.injected()).reduce((a, b) => a + b, 0);
    const leakedLogs = logs.filter((l) => secrets.some((s) => l.includes(s)));
    const detail = () => wrong.slice(0, 10).join('\n');
    figure({ area: AREA, name: 'read operations attempted', value: attempted, min: Object.keys(READS).length * (FAULTS.length * 2 - 1) });
    figure({ area: AREA, name: 'faults injected (reads)', value: injected, min: attempted, note: JSON.stringify(tenant.faults.injected()) });
    figure({ area: AREA, name: 'read operations that ended correctly', value: correct, min: attempted, note: `${succeededAfterRetry} succeeded after retries, ${failedTyped} failed with the right typed error` }, detail);
    figure({ area: AREA, name: 'read operations that ended wrongly', value: wrong.length, max: 0 }, detail);
    figure({ area: AREA, name: 'unhandled rejections (reads)', value: unhandled.length, max: 0 }, () => unhandled.map(String).join('\n'));
    figure({ area: AREA, name: 'log lines holding the password', value: leakedLogs.length, max: 0 });
  });

  it('the PIN request (a write, sent once) under every fault class fails with its typed error and issues nothing twice', async () => {
    const accounts = await all(client().users({}, { pageSize: 150 }));
    const target = accounts.find((a) => a.accountType === 'USER' && a.enabled !== false) as Account;
    let attempted = 0;
    let correct = 0;
    const wrong: string[] = [];
    tenant.faults.resetCounts();
    const { unhandled } = await countingUnhandledRejections(async () => {
      for (const fault of FAULTS) {
        tenant.faults.set(`regpin:${fault.spec}`);
        attempted++;
        try {
          await client().requestPins([target.id]);
          // Faults that leave the answer alone (drift has nothing to rename in regpin's) may succeed.
          if (fault.spec === 'drift') correct++;
          else wrong.push(`requestPins under ${fault.name}: succeeded`);
        } catch (error) {
          if (error instanceof TenantError && fault.codes.includes(error.code) && messageProblems(error, []).length === 0) correct++;
          else wrong.push(`requestPins under ${fault.name}: ${error instanceof TenantError ? error.code : String(error)}`);
        }
      }
    });
    tenant.faults.clear();
    const regpinCalls = tenant.requests.filter((r) => r.endpoint === 'regpin').length;
    figure({ area: AREA, name: 'PIN requests attempted', value: attempted, min: FAULTS.length });
    figure({ area: AREA, name: 'PIN requests that ended correctly', value: correct, min: attempted }, () => wrong.join('\n'));
    figure({ area: AREA, name: 'PIN requests sent more than once (writes are never retried)', value: Math.max(0, regpinCalls - attempted), max: 0 });
    figure({ area: AREA, name: 'unhandled rejections (PIN requests)', value: unhandled.length, max: 0 });
  });

  it('the bulk PIN run under every fault class: no user lost or duplicated, every issued PIN is the tenant\'s, every failure says why without a secret', async () => {
    const accounts = (await all(client().users({}, { pageSize: 150 }))).slice(0, 30);
    // Twice the same account in the input as well: it must come back once.
    const input = [...accounts, ...accounts.slice(0, 5)];
    const unique = new Set(accounts.map((a) => a.id));
    let runs = 0;
    let lost = 0;
    let duplicated = 0;
    let wrongPins = 0;
    let badReasons = 0;
    let issued = 0;
    let failed = 0;
    const examples: string[] = [];
    tenant.faults.resetCounts();
    const { unhandled } = await countingUnhandledRejections(async () => {
      for (const fault of FAULTS) {
        // Drift is not transient: a burst of it fails the calls it hits, as a storm does.
        for (const mode of fault.spec === 'drift' ? ['storm', 'random'] : ['burst', 'storm', 'random']) {
          // Faults on the PIN request and on the read-back, as one outage would hit both.
          const suffix = mode === 'burst' ? `#${ATTEMPTS - 1}` : mode === 'random' ? '@0.3' : '';
          tenant.faults.set(`regpin:${fault.spec}${suffix},account:${fault.spec}${suffix}`);
          runs++;
          let results: PinResult[];
          try {
            results = await generatePins(client(), input, { batchSize: 10, maxThrottledAttempts: 6 });
          } catch (error) {
            examples.push(`${fault.name} (${mode}): generatePins threw ${String(error)}`);
            lost += unique.size;
            continue;
          }
          tenant.faults.clear();
          const seen = new Map<number, number>();
          for (const r of results) seen.set(r.account.id, (seen.get(r.account.id) ?? 0) + 1);
          duplicated += results.length - seen.size;
          for (const id of unique) if (!seen.has(id)) lost++;
          for (const r of results) {
            if (r.status === 'cancelled') lost++;
            if (r.status === 'issued') {
              issued++;
              const now = await client().getUserByUid(r.account.uid);
              if (now?.registrationPin?.pin !== r.pin) {
                wrongPins++;
                if (examples.length < 10) examples.push(`${fault.name} (${mode}): ${r.account.uid} issued ${r.pin}, the tenant holds ${now?.registrationPin?.pin}`);
              }
            }
            if (r.status === 'failed' || r.status === 'skipped') {
              if (r.status === 'failed') failed++;
              const pins = results.flatMap((x) => (x.status === 'issued' ? [x.pin] : []));
              if (r.reason.trim() === '' || /\n/.test(r.reason) || [...secrets, ...pins].some((s) => r.reason.includes(s))) {
                badReasons++;
                if (examples.length < 10) examples.push(`${fault.name} (${mode}): reason "${r.reason}"`);
              }
            }
          }
          if (mode === 'burst' && results.some((r) => r.status === 'failed')) {
            examples.push(`${fault.name} (burst): ${results.filter((r) => r.status === 'failed').length} failed; first: ${(results.find((r) => r.status === 'failed') as { reason: string }).reason}`);
          }
        }
      }
    });
    tenant.faults.clear();
    const injected = Object.values(tenant.faults.injected()).reduce((a, b) => a + b, 0);
    figure({ area: AREA, name: 'bulk PIN runs attempted (30 users each)', value: runs, min: FAULTS.length * 3 - 1 });
    figure({ area: AREA, name: 'faults injected (bulk runs)', value: injected, min: runs });
    figure({ area: AREA, name: 'bulk: PINs issued / failed with a reason', value: issued, note: `${failed} failed` });
    figure({ area: AREA, name: 'bulk: users lost', value: lost, max: 0 }, () => examples.join('\n'));
    figure({ area: AREA, name: 'bulk: users duplicated', value: duplicated, max: 0 });
    figure({ area: AREA, name: 'bulk: issued PINs that are not the tenant\'s', value: wrongPins, max: 0 }, () => examples.join('\n'));
    figure({ area: AREA, name: 'bulk: failure reasons empty, multi-line or holding a secret', value: badReasons, max: 0 }, () => examples.join('\n'));
    figure({ area: AREA, name: 'bulk: bursts that left a user without a PIN', value: examples.filter((e) => /\(burst\)/.test(e)).length, max: 0 }, () => examples.join('\n'));
    figure({ area: AREA, name: 'unhandled rejections (bulk runs)', value: unhandled.length, max: 0 });
    assert.ok(issued > 0);
  });
});
