import * as assert from 'node:assert/strict';
import { uidHasSpace, pinSkipReason } from '../../../../src/core/tenant/pin-eligibility';
import { generatePins, type PinProgress, type PinResult } from '../../../../src/core/tenant/pin-generation';
import type { Account } from '../../../../src/core/tenant/schemas';
import { collect, demoFixture, type DemoFixture } from './demo';

const HOUR = 3_600_000;

function byStatus(results: readonly PinResult[]) {
  const counts: Record<string, number> = {};
  for (const r of results) counts[r.status] = (counts[r.status] ?? 0) + 1;
  return counts;
}

describe('core/tenant/pin-generation', function () {
  this.timeout(60_000);
  let f: DemoFixture;
  let clock: number;
  const regpinCalls = () => f.tenant.requests.filter((r) => r.endpoint === 'regpin');
  const account = async (index: number): Promise<Account> => {
    const found = await f.client.getUserByUid(f.tenant.directory.userAt(index).uid);
    assert.ok(found);
    return found;
  };

  beforeEach(async () => {
    clock = Date.parse('2026-11-26T09:00:00Z');
    f = await demoFixture({ users: 200, now: () => clock });
  });
  afterEach(() => f.close());

  it('treats every Unicode space separator in a uid as a space', () => {
    for (const uid of ['a b@x', 'a\u3000b@x', 'a\u00a0b@x', 'a\tb@x', 'a\u2009b@x', 'a\u202fb@x', 'ab@x ']) assert.ok(uidHasSpace(uid), JSON.stringify(uid));
    for (const uid of ['taro.yamada@x', 'jose_nunez@x', '山田太郎@x']) assert.ok(!uidHasSpace(uid), uid);
  });

  it('issues one PIN, reads it and its 24 h expiry back from the account', async () => {
    const user = await account(0);
    const [result] = await generatePins(f.client, [user]);
    assert.equal(result?.status, 'issued');
    if (result?.status !== 'issued') return;
    assert.match(result.pin, /^\d{8}$/);
    assert.equal(result.createdAt?.getTime(), clock);
    assert.equal(result.expiresAt.getTime(), clock + 24 * HOUR);
    assert.deepEqual(regpinCalls().map((r) => r.params), [{ accountIds: String(user.id) }]);
  });

  it('skips uids with spaces, disabled, locked and API accounts, without asking the tenant', async () => {
    const accounts = await Promise.all([3, 8, 13, 17, 23, 29, 41].map(account));
    const results = await generatePins(f.client, accounts);
    assert.deepEqual(results.map((r) => r.status), Array(7).fill('skipped'));
    const reasons = results.map((r) => (r.status === 'skipped' ? r.reason : ''));
    assert.match(reasons[0] as string, /contains a space/);
    assert.match(reasons[1] as string, /contains a space/, 'U+3000');
    assert.match(reasons[2] as string, /contains a space/, 'U+00A0');
    assert.match(reasons[3] as string, /disabled/);
    assert.match(reasons[4] as string, /locked/);
    assert.match(reasons[5] as string, /type API/);
    assert.equal(regpinCalls().length, 0);
    assert.equal(pinSkipReason(accounts[6] as Account)?.includes('disabled'), true, 'disabled and locked: disabled is named first');
  });

  it('reports users whose PIN the tenant did not issue (PIN registration off)', async () => {
    const g = await demoFixture({ users: 50, pinRegistration: false });
    try {
      const user = await g.client.getUserByUid(g.tenant.directory.userAt(0).uid);
      const [result] = await generatePins(g.client, [user as Account]);
      assert.equal(result?.status, 'failed');
      assert.match(result?.status === 'failed' ? result.reason : '', /issued no PIN: set device registration authentication to "PIN only" or "PIN and password"/);
    } finally {
      await g.close();
    }
  });

  it('after a connection lost mid-answer, re-reads the accounts and does not re-send', async () => {
    const users = await Promise.all([0, 1, 2].map(account));
    f.tenant.faults.set('regpin:drop#1');
    const results = await generatePins(f.client, users, { batchSize: 3 });
    assert.deepEqual(results.map((r) => r.status), ['issued', 'issued', 'issued']);
    assert.equal(regpinCalls().length, 1, 'the PINs were issued before the connection dropped');
    f.tenant.faults.set('regpin:malformed#1');
    const again = await generatePins(f.client, [await account(4)]);
    assert.equal(again[0]?.status, 'issued');
    assert.equal(regpinCalls().length, 2, 'a garbled answer is settled by reading back, not by re-sending');
  });

  it('after a connection reset before the tenant acted, re-reads, then re-sends exactly once', async () => {
    const users = await Promise.all([0, 1].map(account));
    f.tenant.faults.set('regpin:reset#1');
    const results = await generatePins(f.client, users, { batchSize: 2 });
    assert.deepEqual(results.map((r) => r.status), ['issued', 'issued']);
    assert.equal(regpinCalls().length, 2);
    f.tenant.faults.set('regpin:reset');
    const again = await generatePins(f.client, [await account(4)]);
    assert.equal(again[0]?.status, 'failed');
    assert.match(again[0]?.status === 'failed' ? again[0].reason : '', /connection .* broke/);
    assert.equal(regpinCalls().length, 4, 'one send and one re-send, never more');
  });

  it('a 500 on the PIN request is ambiguous too: settled by reading back', async () => {
    f.tenant.faults.set('regpin:500#1');
    const results = await generatePins(f.client, [await account(0)]);
    assert.equal(results[0]?.status, 'issued');
    assert.equal(regpinCalls().length, 2, 'the 500 came before any PIN was issued, so a single re-send');
  });

  it('stops on 401 and reports every remaining user with the reason', async () => {
    const users = await Promise.all([0, 1, 2, 4, 5].map(account));
    f.tenant.faults.set('regpin:401');
    const results = await generatePins(f.client, users, { batchSize: 1, initialConcurrency: 1 });
    assert.equal(results.length, 5);
    assert.ok(results.every((r) => r.status === 'failed' && /401/.test(r.reason)));
    assert.equal(regpinCalls().length, 1);
  });

  it('cancels: no new requests after the signal, in-flight ones settled, the rest reported as cancelled', async () => {
    const users = (await collect(f.client.users({}, { limit: 120 }))).filter((u) => !pinSkipReason(u));
    const controller = new AbortController();
    const results = await generatePins(f.client, users, {
      batchSize: 5,
      initialConcurrency: 1,
      maxConcurrency: 1,
      onProgress: (p) => {
        if (p.done >= 10) controller.abort();
      },
      signal: controller.signal,
    });
    assert.equal(results.length, users.length);
    const counts = byStatus(results);
    assert.equal(counts['issued'], 10);
    assert.equal(counts['cancelled'], users.length - 10);
    assert.equal(regpinCalls().length, 2);
  });

  it('2,000 users under a 429 storm: every user accounted for exactly once', async () => {
    const big = await demoFixture({ users: 2000, seed: 'storm', faults: 'regpin:429=1@0.5,account:429@0.1' });
    try {
      const users = await collect(big.client.users());
      assert.equal(users.length, 2000);
      const progress: PinProgress[] = [];
      const results = await generatePins(big.client, [...users, ...users.slice(0, 25)], { batchSize: 20, onProgress: (p) => progress.push(p) });
      assert.equal(results.length, 2000, 'duplicates in the input are generated once');
      assert.deepEqual(results.map((r) => r.account.id), users.map((u) => u.id), 'one result per user, in order');
      const expectedSkips = users.filter((u) => pinSkipReason(u)).length;
      assert.deepEqual(byStatus(results), { issued: 2000 - expectedSkips, skipped: expectedSkips });
      const issued = new Map<number, string>();
      for (const r of results) if (r.status === 'issued') issued.set(r.account.id, r.pin);
      const calls = big.tenant.requests.filter((r) => r.endpoint === 'regpin');
      const sentIds = calls.flatMap((c) => (c.params['accountIds'] ?? '').split(','));
      assert.ok(sentIds.length > issued.size, 'the storm forced re-sends of throttled batches');
      // The tenant's own record agrees with what PinPack reports.
      for (const user of users.slice(0, 200)) {
        const now = await big.client.getUserByUid(user.uid);
        if (issued.has(user.id)) assert.equal(now?.registrationPin?.pin, issued.get(user.id));
      }
      assert.equal(progress.at(-1)?.done, 2000);
      assert.ok(progress.every((p, i) => i === 0 || p.done === (progress[i - 1] as PinProgress).done + 1), 'one progress event per settled user');
      assert.ok(big.sleeper.waits.some((w) => w === 1000), 'Retry-After honoured');
      assert.ok(progress.some((p) => p.concurrency === 1), 'concurrency backed off under throttling');
    } finally {
      await big.close();
    }
  });

  it('mixed faults (429, resets, cut answers, 500s): each user once, and the tenant agrees with every result', async () => {
    const chaos = await demoFixture({ users: 500, seed: 'chaos', faults: 'regpin:429@0.2,regpin:reset@0.1,regpin:drop@0.1,regpin:500@0.1,account:503@0.05' });
    try {
      const users = await collect(chaos.client.users());
      const results = await generatePins(chaos.client, users, { batchSize: 7 });
      assert.deepEqual(results.map((r) => r.account.id), users.map((u) => u.id));
      for (const result of results) {
        const now = await chaos.client.getUserByUid(result.account.uid);
        if (result.status === 'issued') assert.equal(now?.registrationPin?.pin, result.pin, result.account.uid);
        else if (result.status === 'failed') assert.equal(now?.registrationPin?.pin ?? null, null, `${result.account.uid} failed but has a PIN: ${result.reason}`);
        else assert.equal(result.status, 'skipped');
      }
      const counts = byStatus(results);
      assert.ok((counts['issued'] ?? 0) > 400, JSON.stringify(counts));
    } finally {
      await chaos.close();
    }
  });

  it('PINs expire after 24 h and are marked used on enrollment (demo tenant clock)', async () => {
    const user = await account(0);
    const [issued] = await generatePins(f.client, [user]);
    assert.equal(issued?.status, 'issued');
    clock += 23 * HOUR;
    assert.deepEqual(f.tenant.enroll(user.uid), { ok: true });
    assert.equal((await f.client.getUserByUid(user.uid))?.registrationPin?.used, true);
    assert.deepEqual(f.tenant.enroll(user.uid), { ok: false, reason: 'PIN already used' });
    const other = await account(1);
    await generatePins(f.client, [other]);
    clock += 24 * HOUR;
    assert.deepEqual(f.tenant.enroll(other.uid), { ok: false, reason: 'PIN expired' });
  });
});
