import * as assert from 'node:assert/strict';
import { applyEdits, lintFile } from '../../../../../src/core/lint/engine';
import { parseManifestDocument } from '../../../../../src/core/lint/manifest/parser';
import { checkManifestUsers, planTenantCheck } from '../../../../../src/core/lint/online/users';
import { findRule } from '../../../../../src/core/lint/rules/registry';
import { TenantError } from '../../../../../src/core/tenant/errors';
import { demoFixture, type DemoFixture } from '../../tenant/demo';

const base = { schemaVersion: 1, name: 'Sales', target: 'sccm' };
const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
const manifest = (enrollees: { users?: string[]; groups?: string[] }, more: object = {}) => json({ ...base, enrollees, ...more });

/** Each finding as [the exact text it covers, message]. */
async function found(fx: DemoFixture, text: string, options = {}): Promise<Array<[string, string]>> {
  const findings = await checkManifestUsers(parseManifestDocument(text), fx.client, options);
  for (const f of findings) assert.equal(f.rule, 'PP3004');
  return findings.map((f) => [text.slice(f.start, f.end), f.message]);
}

const accountCalls = (fx: DemoFixture) => fx.tenant.requests.filter((r) => r.endpoint === 'account');

function docsExample(section: 'Bad' | 'Good'): string {
  const docs = findRule('PP3004')?.docs ?? '';
  const match = new RegExp(`## ${section}\\n\`\`\`json\\n([\\s\\S]*?)\`\`\``).exec(docs);
  assert.ok(match, `PP3004's page has a ${section} example`);
  return match[1] as string;
}

describe('core/lint online PP3004 (users and groups against the demo tenant)', function () {
  this.timeout(30_000);
  let fx: DemoFixture;
  let host: string;
  // The demo tenant's default seed: the one `pinpack demo-tenant` starts and the rule's page names.
  before(async () => {
    fx = await demoFixture({ users: 500, seed: 'pinpack' });
    host = new URL(fx.tenant.url).host;
  });
  after(() => fx.close());
  beforeEach(() => {
    fx.tenant.faults.clear();
    fx.tenant.requests.length = 0;
  });

  it('stays quiet on users who can enroll and groups that exist, as the page\'s good example', async () => {
    const user = fx.tenant.directory.userAt(0);
    assert.equal(user.uid, 'misaki.tanaka1@contoso.example', 'the page names this demo user');
    assert.deepEqual(await found(fx, docsExample('Good')), []);
    assert.deepEqual(await found(fx, manifest({ users: [user.uid, fx.tenant.directory.userAt(1).uid], groups: ['営業部'] })), []);
  });

  it('reports the page\'s bad example, each entry at its exact range', async () => {
    const text = docsExample('Bad');
    assert.deepEqual(await found(fx, text), [
      ['misaki.tanaka@contoso.example', `"misaki.tanaka@contoso.example" is not a user of the tenant ${host}: check the spelling with "pinpack users --search misaki.tanaka", or remove it.`],
      // The default demo tenant, like a real one, lists groups only through the accounts in them.
      ['Sales Wave 1', `The group "Sales Wave 1" does not exist on the tenant ${host}, or has no members: run "pinpack groups" to see the groups with members, or remove it.`],
    ]);
  });

  it('puts an unknown uid at its line and column', async () => {
    const text = manifest({ users: [fx.tenant.directory.userAt(0).uid, 'nobody@contoso.example'] });
    const [finding, ...rest] = await checkManifestUsers(parseManifestDocument(text), fx.client);
    assert.deepEqual(rest, []);
    assert.ok(finding);
    const start = text.indexOf('nobody@');
    assert.deepEqual([finding.start, finding.end], [start, start + 'nobody@contoso.example'.length]);
    const line = text.slice(0, start).split('\n').length;
    const column = start - text.lastIndexOf('\n', start - 1);
    assert.deepEqual([finding.line, finding.column, finding.endLine, finding.endColumn], [line, column, line, column + 'nobody@contoso.example'.length]);
    assert.equal(finding.severity, 'error');
    assert.equal(finding.fix, false);
  });

  it('reports disabled, locked and API accounts with what to do', async () => {
    const [disabled, locked, api] = [17, 23, 29].map((i) => fx.tenant.directory.userAt(i));
    assert.ok(disabled && locked && api);
    assert.deepEqual([disabled.enabled, locked.locked, api.accountType], [false, true, 'API']);
    assert.deepEqual(await found(fx, manifest({ users: [disabled.uid, locked.uid, api.uid] })), [
      [disabled.uid, `"${disabled.uid}" cannot enroll: the account is disabled: enable it in the N-MDM console first, or remove the user.`],
      [locked.uid, `"${locked.uid}" cannot enroll: the account is locked: unlock it in the N-MDM console first, or remove the user.`],
      [api.uid, `"${api.uid}" cannot enroll: the account is of type API, not a user who enrolls devices, or remove the user.`],
    ]);
  });

  it('looks each distinct uid up once, however often and in whatever case it is written, and reports every place', async () => {
    const known = fx.tenant.directory.userAt(4).uid;
    const text = manifest({ users: [known, 'ghost@contoso.example', known, 'GHOST@contoso.example', 'ghost@contoso.example'] });
    const findings = await found(fx, text);
    assert.deepEqual(findings.map(([covered]) => covered), ['ghost@contoso.example', 'GHOST@contoso.example', 'ghost@contoso.example']);
    const asked = accountCalls(fx).map((r) => r.params['fq']);
    assert.deepEqual(asked.sort(), [`UID=${known}`, 'UID=ghost@contoso.example'].sort());
  });

  it('offers the tenant\'s spelling of a uid written in other case, and the fixed file is clean', async () => {
    const user = fx.tenant.directory.userAt(6);
    const shouted = user.uid.toUpperCase();
    const text = manifest({ users: [shouted], groups: ['finance'] });
    const findings = await checkManifestUsers(parseManifestDocument(text), fx.client);
    assert.deepEqual(findings.map((f) => f.message), [
      `"${shouted}" is written "${user.uid}" on the tenant: write it as the tenant does.`,
      `The group "finance" does not exist on the tenant ${host}; did you mean "Finance"?`,
    ]);
    const fixed = applyEdits(text, findings.flatMap((f) => f.edits ?? []));
    assert.ok(fixed.includes(`"${user.uid}"`) && fixed.includes('"Finance"'));
    assert.deepEqual(await found(fx, fixed), []);
  });

  it('reads the tenant\'s user list in pages when that takes fewer calls than one lookup per user', async () => {
    const big = await demoFixture({ users: 1200, seed: 'pinpack' });
    try {
      const uids = Array.from({ length: 40 }, (_, i) => big.tenant.directory.userAt(i * 30 + 5).uid);
      const text = manifest({ users: [...uids, 'ghost@contoso.example'] });
      const findings = await found(big, text);
      const expected = uids.filter((_, i) => { const u = big.tenant.directory.userAt(i * 30 + 5); return !u.enabled || u.locked || u.accountType !== 'USER'; });
      assert.deepEqual(findings.map(([covered]) => covered), [...expected, 'ghost@contoso.example']);
      // 1,200 users at 500 a page: 3 calls instead of 41 lookups.
      const calls = accountCalls(big);
      assert.equal(calls.length, 3);
      assert.ok(calls.every((c) => c.params['rows'] === '500' && c.params['fq'] === undefined));
    } finally {
      await big.close();
    }
  });

  it('looks users up one by one, a few at a time, when the tenant is much larger than the list', async () => {
    const big = await demoFixture({ users: 20_000, seed: 'pinpack' });
    try {
      const uids = Array.from({ length: 12 }, (_, i) => big.tenant.directory.userAt(1001 + i * 50).uid);
      const findings = await found(big, manifest({ users: [...uids, 'ghost@contoso.example'] }));
      assert.deepEqual(findings.map(([covered]) => covered), ['ghost@contoso.example']);
      const calls = accountCalls(big);
      // One page to learn the tenant's size (and the users on it), then one lookup per user not on it.
      assert.equal(calls.length, 1 + 13);
      assert.equal(calls.filter((c) => c.params['fq']?.startsWith('UID=')).length, 13);
    } finally {
      await big.close();
    }
  });

  it('sends no request at all when PP3004 is off, in lint.rules or from outside, or the manifest names nobody', async () => {
    const users = ['nobody@contoso.example'];
    assert.deepEqual(await found(fx, manifest({ users }, { lint: { rules: { PP3004: 'off' } } })), []);
    assert.deepEqual(await found(fx, manifest({ users }), { config: { PP3004: 'off' } }), []);
    assert.deepEqual(await found(fx, manifest({ users: [], groups: [] })), []);
    assert.deepEqual(await found(fx, '{ "enrollees": { "users": ["nobody@contoso.example"] '), []);
    assert.deepEqual(fx.tenant.requests, []);
    assert.equal(planTenantCheck(parseManifestDocument(manifest({ users }, { lint: { rules: { pp3004: 'off' } } }))), undefined);
  });

  it('takes its level from lint.rules, the manifest\'s own over the folder\'s', async () => {
    const text = manifest({ users: ['nobody@contoso.example'] }, { lint: { rules: { PP3004: 'warning' } } });
    const findings = await checkManifestUsers(parseManifestDocument(text), fx.client, { config: { PP3004: 'info' } });
    assert.deepEqual(findings.map((f) => f.severity), ['warning']);
    const folder = await checkManifestUsers(parseManifestDocument(manifest({ users: ['nobody@contoso.example'] })), fx.client, { config: { PP3004: 'info' } });
    assert.deepEqual(folder.map((f) => f.severity), ['info']);
  });

  it('leaves ids with spaces to PP3002 and does not ask the tenant about them', async () => {
    const text = manifest({ users: ['taro yamada@contoso.example'] });
    assert.deepEqual(await found(fx, text), []);
    assert.deepEqual(fx.tenant.requests, []);
    assert.deepEqual(lintFile('pinpack.json', Buffer.from(text))?.findings.map((f) => f.rule), ['PP3002']);
  });

  it('says "does not exist" flatly only on a tenant that lists every group (GET /api/v1/group)', async () => {
    const listing = await demoFixture({ users: 50, seed: 'pinpack', groupsEndpoint: true });
    try {
      const at = new URL(listing.tenant.url).host;
      assert.deepEqual(await found(listing, manifest({ groups: ['Sales Wave 1'] })), [
        ['Sales Wave 1', `The group "Sales Wave 1" does not exist on the tenant ${at}: run "pinpack groups" to see the groups, or remove it.`],
      ]);
    } finally {
      await listing.close();
    }
  });

  it('does not call an empty group missing on a tenant that lists groups only through their members', async () => {
    const empty = await demoFixture({ users: 0, seed: 'pinpack' });
    try {
      const at = new URL(empty.tenant.url).host;
      assert.deepEqual(await found(empty, manifest({ groups: ['Finance'] })), [
        ['Finance', `The group "Finance" does not exist on the tenant ${at}, or has no members: run "pinpack groups" to see the groups with members, or remove it.`],
      ]);
    } finally {
      await empty.close();
    }
  });

  it('reports a group that exists but has no members', async () => {
    const empty = await demoFixture({ users: 0, seed: 'pinpack', groupsEndpoint: true });
    try {
      assert.deepEqual(await found(empty, manifest({ groups: ['Finance'] })), [['Finance', 'The group "Finance" has no members on the tenant: add users to it, or remove it.']]);
    } finally {
      await empty.close();
    }
  });

  it('speaks Japanese when asked to, every message, with the values in place', async () => {
    const disabled = fx.tenant.directory.userAt(17).uid;
    const shouted = fx.tenant.directory.userAt(6).uid.toUpperCase();
    const text = manifest({ users: ['nobody@contoso.example', disabled, shouted], groups: ['finance', 'Nope'] });
    const findings = await checkManifestUsers(parseManifestDocument(text), fx.client, { messages: 'ja' });
    assert.equal(findings.length, 5);
    for (const f of findings) {
      assert.match(f.message, /[\u3040-\u30ff]/, f.message);
      assert.doesNotMatch(f.message, /\{\d\}/, f.message);
    }
    assert.match(findings[0]?.message ?? '', /^"nobody@contoso\.example" はテナント .* のユーザーではありません/);
    assert.match(findings[1]?.message ?? '', /は登録できません: アカウントが無効です/);
    // And English again afterwards.
    const again = await checkManifestUsers(parseManifestDocument(text), fx.client);
    assert.match(again[0]?.message ?? '', /is not a user of the tenant/);
  });

  it('fails with one clear tenant error when the tenant is down, never with a report that looks clean', async () => {
    fx.tenant.faults.set('account:503');
    const text = manifest({ users: [fx.tenant.directory.userAt(0).uid, 'nobody@contoso.example'] });
    await assert.rejects(checkManifestUsers(parseManifestDocument(text), fx.client), (error: unknown) => {
      assert.ok(error instanceof TenantError);
      assert.equal(error.code, 'unavailable');
      assert.doesNotMatch(error.message, new RegExp(fx.tenant.password));
      return true;
    });
    fx.tenant.faults.set('group:500');
    await assert.rejects(checkManifestUsers(parseManifestDocument(manifest({ groups: ['Finance'] })), fx.client), TenantError);
  });

  it('fails when one lookup of many fails, and stops the others', async () => {
    fx.tenant.faults.set('account:401@1#1');
    const uids = Array.from({ length: 6 }, (_, i) => fx.tenant.directory.userAt(i).uid);
    await assert.rejects(checkManifestUsers(parseManifestDocument(manifest({ users: uids })), fx.client), (error: unknown) => error instanceof TenantError && error.code === 'unauthorized');
    assert.ok(accountCalls(fx).length <= 6);
  });

  it('fails on an unreachable tenant without a finding', async () => {
    const gone = await demoFixture({ users: 10 });
    await gone.tenant.close();
    await assert.rejects(checkManifestUsers(parseManifestDocument(manifest({ users: ['a1@contoso.example'] })), gone.client), (error: unknown) => error instanceof TenantError && error.code === 'unreachable');
    gone.client.close();
  });
});
