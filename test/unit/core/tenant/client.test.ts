import * as assert from 'node:assert/strict';
import { TenantError } from '../../../../src/core/tenant/errors';
import { DEMO_GROUPS } from '../../../../src/demo-tenant/directory';
import { collect, demoFixture, type DemoFixture } from './demo';

describe('core/tenant/client against the demo tenant', () => {
  let f: DemoFixture;
  beforeEach(async () => {
    f = await demoFixture({ users: 1234 });
  });
  afterEach(() => f.close());

  const accountCalls = () => f.tenant.requests.filter((r) => r.endpoint === 'account');

  it('tests the connection with the cheap spaces call, Basic auth sent preemptively', async () => {
    assert.deepEqual(await f.client.testConnection(), { spaces: 3 });
    assert.equal(f.tenant.requests.length, 1, 'no 401 challenge round trip');
    assert.deepEqual(f.tenant.requests[0]?.params, { rows: '1', start: '0' });
  });

  it('walks every user once with rows <= 500 and start, stopping at totalCount', async () => {
    const users = await collect(f.client.users());
    assert.equal(users.length, 1234);
    assert.equal(new Set(users.map((u) => u.id)).size, 1234);
    assert.deepEqual(accountCalls().map((r) => [r.params['rows'], r.params['start']]), [['500', '0'], ['500', '500'], ['500', '1000']]);
  });

  it('never asks for more rows than the caller wants', async () => {
    const first = await collect(f.client.users({}, { limit: 7 }));
    assert.equal(first.length, 7);
    assert.deepEqual(accountCalls().map((r) => r.params['rows']), ['7']);
    const iterator = f.client.users({}, { pageSize: 100 });
    await iterator.next();
    assert.equal(accountCalls().length, 2, 'one page fetched for the first item, no read-ahead');
    await iterator.return(undefined);
    const some = await collect(f.client.users({}, { pageSize: 100, limit: 250, start: 40 }));
    assert.equal(some[0]?.id, 41);
    assert.deepEqual(accountCalls().slice(2).map((r) => [r.params['rows'], r.params['start']]), [['100', '40'], ['100', '140'], ['50', '240']]);
  });

  it('searches with q and fq and filters by group', async () => {
    const sample = f.tenant.directory.userAt(42);
    const byText = await collect(f.client.users({ search: sample.uid }));
    assert.deepEqual(byText.map((u) => u.id), [sample.id]);
    const japanese = await collect(f.client.users({ search: '山田' }));
    assert.ok(japanese.length > 0 && japanese.every((u) => (u.displayName ?? '').includes('山田')));
    const byEmail = await collect(f.client.users({ fq: `EMAILADDRESS EQ ${sample.emailAddress}` }));
    assert.deepEqual(byEmail.map((u) => u.uid), [sample.uid]);
    const group = '営業部';
    const members = await collect(f.client.groupMembers(group));
    const expected = Array.from({ length: 1234 }, (_, i) => f.tenant.directory.userAt(i)).filter((u) => u.groups.includes(group));
    assert.deepEqual(members.map((u) => u.id), expected.map((u) => u.id));
    const both = await collect(f.client.users({ group, search: 'yamada' }));
    assert.ok(both.every((u) => u.groups?.includes(group) && u.uid.includes('yamada')));
  });

  it('gets a user by uid, including uids with spaces, and says when there is none', async () => {
    for (const index of [0, 3, 8, 13]) {
      const user = f.tenant.directory.userAt(index);
      const found = await f.client.getUserByUid(user.uid);
      assert.equal(found?.id, user.id, JSON.stringify(user.uid));
    }
    assert.equal(await f.client.getUserByUid('nobody9999999@contoso.example'), undefined);
  });

  it('lists groups from the ACCOUNTGROUP facet when /api/v1/group is not served', async () => {
    const groups = await f.client.listGroups();
    assert.deepEqual(new Set(groups.map((g) => g.name)), new Set(DEMO_GROUPS));
    const sales = groups.find((g) => g.name === '営業部');
    assert.equal(sales?.memberCount, (await collect(f.client.groupMembers('営業部'))).length);
    assert.ok(f.tenant.requests.some((r) => r.endpoint === 'group'), 'tried the group endpoint first');
  });

  it('lists groups from /api/v1/group when served, 50 a page', async () => {
    const g = await demoFixture({ users: 300, groupsEndpoint: true });
    try {
      const groups = await g.client.listGroups();
      assert.deepEqual(new Set(groups.map((x) => x.name)), new Set(DEMO_GROUPS));
      assert.ok(!g.tenant.requests.some((r) => r.endpoint === 'account'), 'no facet fallback');
    } finally {
      await g.close();
    }
  });

  it('lists spaces and finds the default one', async () => {
    const spaces = await f.client.listSpaces();
    assert.equal(spaces.length, 3);
    assert.equal(spaces.find((s) => s.defaultPartition)?.id, await f.client.defaultSpaceId());
    assert.ok(spaces.some((s) => s.name.includes('日本')));
  });

  it('finds devices by e-mail and tells whether a Windows desktop enrolled since a time', async () => {
    const owner = f.tenant.directory.userAt(1);
    const devices = await f.client.findDevicesByEmail(owner.emailAddress);
    assert.equal(devices.length, 1);
    assert.equal(devices[0]?.platformType, 'WINDOWS_PHONE');
    assert.equal(devices[0]?.windowsDeviceType, 'WINDOWS_DESKTOP');
    const iphoneOwner = f.tenant.directory.userAt(2);
    assert.equal((await f.client.findDevicesByEmail(iphoneOwner.emailAddress))[0]?.platformType, 'IOS');
    const since = new Date();
    assert.deepEqual(await f.client.enrolledSince(owner.emailAddress, since), [], 'its old desktop does not count');
    assert.deepEqual(await f.client.enrolledSince(iphoneOwner.emailAddress, new Date(0)), [], 'an iPhone is not a Windows desktop');

    const newcomer = f.tenant.directory.userAt(5 * 50 + 4);
    f.tenant.setPin(newcomer.id, { pin: '12345678', createdAt: Date.now() });
    assert.deepEqual(f.tenant.enroll(newcomer.uid), { ok: true });
    const fresh = await f.client.enrolledSince(newcomer.emailAddress, since);
    assert.equal(fresh.length, 1);
    assert.ok((fresh[0]?.lastRegistrationTime?.getTime() ?? 0) >= since.getTime());
  });

  it('logs one line per call without the password, the Authorization header or a PIN', async () => {
    const user = f.tenant.directory.userAt(10);
    f.tenant.setPin(user.id, { pin: '87654321', createdAt: Date.now() });
    const account = await f.client.getUserByUid(user.uid);
    assert.equal(account?.registrationPin?.pin, '87654321');
    await f.client.testConnection();
    f.tenant.faults.set('account:429#1');
    await f.client.getUserByUid(user.uid);
    const token = Buffer.from(`${f.tenant.username}:${f.tenant.password}`).toString('base64');
    assert.ok(f.logs.length >= 4, f.logs.join('\n'));
    for (const line of f.logs) {
      for (const secret of [f.tenant.password, token, 'Basic', '87654321', 'authorization']) assert.ok(!line.toLowerCase().includes(secret.toLowerCase()), `${line} contains ${secret}`);
    }
    assert.ok(f.logs.some((l) => /GET \/api\/v1\/account -> 429/.test(l)));
  });

  it('refuses wrong credentials with a TenantError naming the user and the MFA case', async () => {
    const g = await demoFixture({}, {}, { password: 'wrong' });
    try {
      await assert.rejects(g.client.testConnection(), (e: unknown) => {
        assert.ok(e instanceof TenantError);
        assert.equal(e.code, 'unauthorized');
        assert.equal(e.kind, 'tenant');
        assert.match(e.message, /refused the API user "api_7c1e2a@contoso\.example" \(401\).*admin MFA/);
        assert.doesNotMatch(e.message, /wrong/);
        return true;
      });
    } finally {
      await g.close();
    }
  });
});
