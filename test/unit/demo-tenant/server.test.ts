import * as assert from 'node:assert/strict';
import { DEMO_GROUPS } from '../../../src/demo-tenant/directory';
import { FaultController, parseFaultSpec } from '../../../src/demo-tenant/faults';
import { DEMO_PASSWORD, DEMO_USERNAME, startDemoTenant, type DemoTenant } from '../../../src/demo-tenant/server';

const auth = { authorization: `Basic ${Buffer.from(`${DEMO_USERNAME}:${DEMO_PASSWORD}`).toString('base64')}` };

async function call(tenant: DemoTenant, path: string, init: { method?: string; headers?: Record<string, string> } = {}) {
  const response = await fetch(`${tenant.url}${path}`, { method: init.method ?? 'GET', headers: init.headers ?? auth });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json: json as { errors: unknown; result: { totalCount: number; searchResults: Record<string, unknown>[]; offset: number; limit: number; facetedResults?: { ACCOUNTGROUP: Record<string, number> } } } };
}

describe('demo-tenant/server', function () {
  this.timeout(30_000);
  const open: DemoTenant[] = [];
  const start = async (...args: Parameters<typeof startDemoTenant>) => {
    const tenant = await startDemoTenant(...args);
    open.push(tenant);
    return tenant;
  };
  afterEach(async () => {
    await Promise.all(open.splice(0).map((t) => t.close()));
  });

  it('listens on 127.0.0.1 with the fixed demo credentials and answers with the real envelope', async () => {
    const tenant = await start({ users: 120 });
    assert.match(tenant.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(tenant.username, DEMO_USERNAME);
    const { status, json } = await call(tenant, '/api/v1/account?rows=10&start=100');
    assert.equal(status, 200);
    assert.equal(json.errors, null);
    assert.equal(json.result.totalCount, 120);
    assert.equal(json.result.offset, 0, 'offset does not follow start, as on real tenants');
    assert.equal(json.result.limit, 10);
    assert.deepEqual(json.result.searchResults.map((u) => u['id']), [101, 102, 103, 104, 105, 106, 107, 108, 109, 110]);
    assert.deepEqual(Object.keys(json.result.facetedResults?.ACCOUNTGROUP ?? {}).sort(), [...DEMO_GROUPS].sort());
    const first = json.result.searchResults[0] as Record<string, unknown>;
    for (const field of ['uid', 'emailAddress', 'displayName', 'firstName', 'lastName', 'accountSource', 'accountType', 'inviteState', 'enabled', 'locked', 'groups', 'deviceCount', 'registrationPin']) {
      assert.ok(field in first, field);
    }
    assert.deepEqual(first['registrationPin'], { createdAt: null, expiresAt: null, pin: null, used: false, ppkgPinStatus: 'NOT_GENERATED' });
  });

  it('requires Basic auth on every call', async () => {
    const tenant = await start();
    const attempts: Record<string, string>[] = [{}, { authorization: `Basic ${Buffer.from(`${DEMO_USERNAME}:nope`).toString('base64')}` }];
    for (const headers of attempts) {
      const { status, headers: h } = await call(tenant, '/api/v1/metadata/tenant', { headers });
      assert.equal(status, 401);
      assert.match(h.get('www-authenticate') ?? '', /^Basic/);
    }
  });

  it('refuses rows outside 1-500 with fieldErrors, and bad fq too', async () => {
    const tenant = await start();
    for (const rows of ['0', '501', 'x']) {
      const { status, json } = await call(tenant, `/api/v1/account?rows=${rows}&start=0`);
      assert.equal(status, 400);
      assert.deepEqual(json.errors, { fieldErrors: [{ field: 'rows', code: 'Range', message: 'must be between 1 and 500' }] });
    }
    const bad = await call(tenant, `/api/v1/account?rows=5&fq=${encodeURIComponent('COLOUR EQ blue')}`);
    assert.equal(bad.status, 400);
    assert.match(JSON.stringify(bad.json.errors), /unknown field COLOUR/);
  });

  it('generates the same users for the same seed and different ones for another', async () => {
    const a = await start({ users: 50, seed: 's1' });
    const b = await start({ users: 50, seed: 's1' });
    const c = await start({ users: 50, seed: 's2' });
    const page = async (t: DemoTenant) => (await call(t, '/api/v1/account?rows=50&start=0')).text;
    assert.equal(await page(a), await page(b));
    assert.notEqual(await page(a), await page(c));
  });

  it('has realistic, varied users: Japanese and accented names, uids with spaces, disabled, locked and API accounts', async () => {
    const tenant = await start({ users: 400 });
    const users = Array.from({ length: 400 }, (_, i) => tenant.directory.userAt(i));
    assert.ok(users.some((u) => /[\u3040-\u30ff\u4e00-\u9fff]/.test(u.displayName)), 'Japanese');
    assert.ok(users.some((u) => /[À-ÿ]/.test(u.displayName)), 'accented');
    assert.ok(users.every((u) => /^[\x21-\x7e \u3000\u00a0]+$/.test(u.uid)), 'uids are ASCII apart from the planted spaces');
    for (const space of [' ', '\u3000', '\u00a0']) assert.ok(users.some((u) => u.uid.includes(space)), JSON.stringify(space));
    assert.ok(users.some((u) => !u.enabled) && users.some((u) => u.locked) && users.some((u) => u.accountType === 'API'));
    assert.equal(new Set(users.map((u) => u.uid)).size, 400, 'uids are unique');
    assert.ok(users.some((u) => u.groups.includes('開発部')));
  });

  it('serves the last page of 100,000 users without storing them', async () => {
    const tenant = await start({ users: 100_000 });
    const { json } = await call(tenant, '/api/v1/account?rows=500&start=99900');
    assert.equal(json.result.totalCount, 100_000);
    assert.equal(json.result.searchResults.length, 100);
    assert.equal(json.result.searchResults.at(-1)?.['id'], 100_000);
    const one = await call(tenant, `/api/v1/account?rows=5&fq=${encodeURIComponent(`UID=${tenant.directory.userAt(77_777).uid}`)}`);
    assert.deepEqual(one.json.result.searchResults.map((u) => u['id']), [77_778]);
  });

  it('searches q over names and addresses, fq over UID, EMAILADDRESS and ACCOUNTGROUP', async () => {
    const tenant = await start({ users: 300 });
    const q = await call(tenant, `/api/v1/account?rows=500&q=${encodeURIComponent('佐藤')}`);
    assert.ok(q.json.result.totalCount > 0 && q.json.result.searchResults.every((u) => String(u['displayName']).includes('佐藤')));
    const group = await call(tenant, `/api/v1/account?rows=500&fq=${encodeURIComponent("ACCOUNTGROUP EQ 'Tokyo Office'")}`);
    assert.ok(group.json.result.searchResults.every((u) => (u['groups'] as string[]).includes('Tokyo Office')));
    assert.equal(group.json.result.facetedResults?.ACCOUNTGROUP['Tokyo Office'], group.json.result.totalCount);
  });

  it('issues 8-digit PINs through regpin and refuses unknown account ids', async () => {
    const tenant = await start({ users: 20 });
    const ok = await call(tenant, '/api/v1/account/regpin?accountIds=1,2', { method: 'POST' });
    assert.equal(ok.status, 200);
    const { json } = await call(tenant, '/api/v1/account?rows=2&start=0');
    for (const u of json.result.searchResults) assert.match(String((u['registrationPin'] as { pin: string }).pin), /^\d{8}$/);
    const bad = await call(tenant, '/api/v1/account/regpin?accountIds=1,999', { method: 'POST' });
    assert.equal(bad.status, 400);
  });

  it('injects faults per endpoint, for a number of calls, as the SPEC says', async () => {
    const tenant = await start({ faults: 'account:503=4#2,partition:html' });
    assert.equal((await call(tenant, '/api/v1/account?rows=1')).status, 503);
    const second = await call(tenant, '/api/v1/account?rows=1');
    assert.equal(second.headers.get('retry-after'), '4');
    assert.equal((await call(tenant, '/api/v1/account?rows=1')).status, 200);
    assert.match((await call(tenant, '/api/v1/tenant/partition/device?rows=1')).text, /<html>/);
    assert.equal((await call(tenant, '/api/v1/metadata/tenant')).status, 200, 'other endpoints unaffected');
    tenant.faults.set('account:drift');
    const drifted = await call(tenant, '/api/v1/account?rows=1');
    assert.ok('userId' in (drifted.json.result.searchResults[0] ?? {}) && !('uid' in (drifted.json.result.searchResults[0] ?? {})));
    tenant.faults.clear();
    assert.equal((await call(tenant, '/api/v1/account?rows=1')).status, 200);
  });

  it('stalls mid-body for N ms when asked, and counts every fault it injected by kind', async () => {
    const tenant = await start({ faults: 'account:stall=300#1,metadata:500#2,partition:slow=1#1' });
    const started = Date.now();
    const stalled = await call(tenant, '/api/v1/account?rows=1');
    assert.equal(stalled.status, 200);
    assert.ok(Date.now() - started >= 250, 'the second half of the body came after the stall');
    assert.equal(stalled.json.result.searchResults.length, 1, 'the whole body arrived in the end');
    assert.equal((await call(tenant, '/api/v1/metadata/tenant')).status, 500);
    assert.equal((await call(tenant, '/api/v1/metadata/tenant')).status, 500);
    assert.equal((await call(tenant, '/api/v1/metadata/tenant')).status, 200);
    assert.equal((await call(tenant, '/api/v1/tenant/partition/device?rows=1')).status, 200);
    assert.deepEqual(tenant.faults.injected(), { stall: 1, 500: 2, slow: 1 });
    tenant.faults.resetCounts();
    assert.deepEqual(tenant.faults.injected(), {});
    assert.throws(() => parseFaultSpec('account:stall'), /needs a number: stall=N/);
  });

  it('rate-limits with 429 and Retry-After', async () => {
    let clock = 0;
    const tenant = await start({ faults: 'regpin:limit=120', now: () => clock });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await call(tenant, '/api/v1/account/regpin?accountIds=1', { method: 'POST' })).status);
    assert.deepEqual(statuses, [200, 200, 429, 429], 'two a second');
    assert.equal(tenant.faults.injected()['limit'], 2, 'each refusal counts as a limit fault');
    const throttled = await call(tenant, '/api/v1/account/regpin?accountIds=1', { method: 'POST' });
    assert.equal(throttled.headers.get('retry-after'), '1');
    clock += 500;
    assert.equal((await call(tenant, '/api/v1/account/regpin?accountIds=1', { method: 'POST' })).status, 200);
    assert.equal((await call(tenant, '/api/v1/account?rows=1')).status, 200, 'reads are not limited by a regpin rule');
    const all = await start({ rateLimit: { perMinute: 60 }, now: () => clock });
    assert.equal((await call(all, '/api/v1/metadata/tenant')).status, 200);
    assert.equal((await call(all, '/api/v1/account?rows=1')).status, 429);
  });

  it('parses fault SPECs and refuses bad ones with the fix', () => {
    assert.deepEqual(parseFaultSpec('regpin:429=2@0.5, account:slow=200#3,*:limit=600'), [
      { endpoint: 'regpin', kind: '429', param: 2, probability: 0.5 },
      { endpoint: 'account', kind: 'slow', param: 200, count: 3 },
      { endpoint: '*', kind: 'limit', param: 600 },
    ]);
    assert.throws(() => parseFaultSpec('users:429'), /endpoint "users": use one of account, regpin/);
    assert.throws(() => parseFaultSpec('account:boom'), /fault "boom"/);
    assert.throws(() => parseFaultSpec('account:slow'), /needs a number: slow=N/);
    assert.throws(() => parseFaultSpec('account:500@2'), /probability 2/);
    assert.throws(() => parseFaultSpec('nonsense'), /ENDPOINT:KIND/);
    const controller = new FaultController('x', () => 0);
    controller.set('account:500@0.5');
    const fired = Array.from({ length: 1000 }, () => controller.decide('account') !== undefined).filter(Boolean).length;
    assert.ok(fired > 400 && fired < 600, `${fired} of 1000`);
  });
});
