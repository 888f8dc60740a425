import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PinPackTestApi } from '../../src/extension/extension';
import { AUTH_PROVIDER_ID } from '../../src/extension/tenants/auth-provider';
import { startDemoTenant, type DemoTenant } from '../../src/demo-tenant/server';
import { activatePinPack, lastShown } from './pinpack';
import { waitFor } from './harness';
import { remember } from './secrets';

const SESSIONS_KEY = 'pinpack.nmdm.sessions';

describe('N-MDM accounts (authentication provider), against demo tenants', () => {
  let api: PinPackTestApi;
  let prod: DemoTenant;
  let test: DemoTenant;
  const accountLabels = async () => (await vscode.authentication.getAccounts(AUTH_PROVIDER_ID)).map((a) => a.label).sort();
  const stored = async () => (await api.storage.secrets.get(SESSIONS_KEY)) ?? '';

  before(async () => {
    api = await activatePinPack();
    // Two tenants side by side, as prod and test would be: two servers on two loopback ports.
    prod = await startDemoTenant({ seed: 'prod', users: 50 });
    remember(prod.password);
    test = await startDemoTenant({ seed: 'test', users: 50 });
  });

  after(async () => {
    for (const session of await api.auth.getSessions()) await api.auth.removeSession(session.id);
    await api.tenants.sync();
    await prod.close();
    await test.close();
  });

  it('is registered under its id and label: getSession with createIfNone reaches VS Code\'s consent step', async () => {
    // VS Code asks for consent in a modal dialog before it calls the provider, and refuses every
    // modal dialog while extension tests run: the refusal names the provider's label.
    await assert.rejects(
      Promise.resolve(vscode.authentication.getSession(AUTH_PROVIDER_ID, [prod.url], { createIfNone: true })),
      /refused to show dialog in tests.*wants to sign in using Ivanti Neurons for MDM \(PinPack\)/s,
    );
    assert.deepEqual(await accountLabels(), []);
  });

  it('signs in with the scripted answers, checks them on the tenant, and lists the account in the Accounts menu', async () => {
    api.prompts.queue(prod.url, prod.username, prod.password);
    await vscode.commands.executeCommand('pinpack.connect');
    const host = new URL(prod.url).host;
    assert.equal(lastShown(api)?.message, `Connected to ${host} (${prod.username}).`);
    const [session] = await api.auth.getSessions([prod.url]);
    assert.ok(session);
    assert.equal(session.account.label, `${host} (${prod.username})`);
    assert.deepEqual(session.scopes, [prod.url]);
    assert.equal(Buffer.from(session.accessToken, 'base64').toString('utf8'), `${prod.username}:${prod.password}`);
    assert.deepEqual(await waitFor('the account in the Accounts menu', async () => ((await accountLabels()).length ? accountLabels() : undefined)), [session.account.label]);
    assert.ok(prod.requests.some((r) => r.endpoint === 'partition'), 'the credentials were not checked on the tenant');
    const tenant = api.tenants.list().find((t) => t.id === session.id);
    assert.ok(tenant);
    assert.equal(tenant.demo, false);
    assert.deepEqual(await tenant.client.testConnection(), { spaces: 3 });
  });

  it('a scope names the tenant: only the API user and password are asked', async () => {
    api.prompts.queue(test.username, test.password);
    const session = await api.auth.createSession([test.url]);
    assert.equal(session.scopes[0], test.url);
    assert.deepEqual((await api.auth.getSessions([test.url])).map((s) => s.id), [session.id]);
    await api.auth.removeSession(session.id);
    assert.deepEqual(await api.auth.getSessions([test.url]), []);
  });

  it('keeps several tenants side by side; Connect to Tenant adds one', async () => {
    api.prompts.queue(test.url, test.username, test.password);
    await vscode.commands.executeCommand('pinpack.connect');
    assert.match(lastShown(api)?.message ?? '', /^Connected to 127\.0\.0\.1:\d+ \(api_/);
    const labels = await accountLabels();
    assert.ok(labels.includes(`${new URL(test.url).host} (${test.username})`), labels.join(', '));
    assert.ok(api.tenants.list().some((t) => t.url === test.url));
    const testSessions = await api.auth.getSessions([test.url]);
    assert.deepEqual(testSessions.map((s) => s.scopes[0]), [test.url]);
  });

  it('a wrong password is refused before anything is stored', async () => {
    const before = await stored();
    api.prompts.queue(test.url, 'someone@contoso.example', remember('wrong-password-7731'));
    await vscode.commands.executeCommand('pinpack.connect');
    assert.equal(lastShown(api)?.severity, 'error');
    assert.match(lastShown(api)?.message ?? '', /\(401\)/);
    assert.equal(await stored(), before);
    assert.ok(!(await stored()).includes('wrong-password-7731'));
  });

  it('signing out from the Accounts menu deletes the secret and disconnects the tenant', async () => {
    const label = `${new URL(prod.url).host} (${prod.username})`;
    assert.ok((await accountLabels()).includes(label));
    // The Accounts menu's Sign Out runs this command; its confirmation is accepted while tests run.
    await vscode.commands.executeCommand('_signOutOfAccount', { providerId: AUTH_PROVIDER_ID, accountLabel: label });
    await waitFor('the account to leave the Accounts menu', async () => (!(await accountLabels()).includes(label) ? true : undefined));
    await waitFor('the tenant to leave the view', async () => (api.tenants.list().every((t) => t.url !== prod.url) ? true : undefined));
    assert.ok(!(await stored()).includes(prod.url));
  });

  it('Disconnect signs the account out too', async () => {
    const tenant = api.tenants.list().find((t) => t.url === test.url);
    assert.ok(tenant);
    await vscode.commands.executeCommand('pinpack.disconnect', { kind: 'tenant', tenant });
    assert.ok(!(await accountLabels()).some((l) => l.startsWith(new URL(test.url).host)));
    assert.ok(!(await stored()).includes(test.url));
    assert.equal(await vscode.authentication.getSession(AUTH_PROVIDER_ID, [test.url], { silent: true }), undefined);
  });

  it('moves the connections an earlier version saved into accounts, and deletes the old entries', async () => {
    const id = `${test.username}@${new URL(test.url).host}`;
    const legacyKey = `pinpack.tenant.${id}.password`;
    await api.storage.globalState.update('pinpack.tenants', [{ id, label: 'old label', url: test.url, username: test.username }]);
    await api.storage.secrets.store(legacyKey, test.password);
    assert.equal(await api.auth.migrate(), 1);
    assert.equal(await api.storage.secrets.get(legacyKey), undefined);
    assert.equal(api.storage.globalState.get('pinpack.tenants'), undefined);
    await waitFor('the migrated account', async () => ((await accountLabels()).includes(`${new URL(test.url).host} (${test.username})`) ? true : undefined));
    await api.tenants.sync();
    assert.ok(api.tenants.list().some((t) => t.id === id));
    assert.equal(await api.auth.migrate(), 0, 'a second start moved the connections again');
  });
});
