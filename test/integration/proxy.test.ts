import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PinPackTestApi } from '../../src/extension/extension';
import { activatePinPack, lastShown } from './pinpack';
import { waitFor } from './harness';
import { remember } from './secrets';
import { startConnectProxy } from '../support/connect-proxy';
import { startUntrustedTenant, type UntrustedTenant } from '../support/untrusted-tenant';

describe('Proxy settings: http.proxy and http.proxyStrictSSL reach the tenant connection', function () {
  this.timeout(60_000);
  let api: PinPackTestApi;
  let tenant: UntrustedTenant;
  let tenantUrl: string;
  let proxy: Awaited<ReturnType<typeof startConnectProxy>>;
  const http_ = () => vscode.workspace.getConfiguration('http');
  const USER = 'api_proxy@contoso.example';
  const PASSWORD = remember('proxy-test-password-5521');

  before(async () => {
    api = await activatePinPack();
    // A tenant behind a certificate no one trusts, as a TLS-inspecting corporate proxy presents.
    tenant = await startUntrustedTenant('Corp Inspection CA');
    tenantUrl = tenant.url;
    proxy = await startConnectProxy();
  });

  after(async () => {
    await http_().update('proxy', undefined, vscode.ConfigurationTarget.Global);
    await http_().update('proxyStrictSSL', undefined, vscode.ConfigurationTarget.Global);
    for (const session of await api.auth.getSessions([tenantUrl])) await api.auth.removeSession(session.id);
    await api.tenants.sync();
    await tenant.close();
    await proxy.close();
  });

  it('with http.proxyStrictSSL on, the untrusted certificate is refused with a clear message and nothing is stored', async () => {
    await http_().update('proxy', proxy.url, vscode.ConfigurationTarget.Global);
    await http_().update('proxyStrictSSL', true, vscode.ConfigurationTarget.Global);
    api.prompts.queue(tenantUrl, USER, PASSWORD);
    await vscode.commands.executeCommand('pinpack.connect');
    assert.equal(lastShown(api)?.severity, 'error');
    assert.match(lastShown(api)?.message ?? '', /TLS certificate of localhost:\d+ is not trusted/);
    assert.deepEqual(await api.auth.getSessions([tenantUrl]), []);
    assert.ok(proxy.connects.length > 0, 'the sign-in did not go through http.proxy');
  });

  it('with http.proxyStrictSSL off, signs in through the proxy; the proxy sees a tunnel, never the credentials', async () => {
    await http_().update('proxyStrictSSL', false, vscode.ConfigurationTarget.Global);
    const before = proxy.connects.length;
    api.prompts.queue(tenantUrl, USER, PASSWORD);
    await vscode.commands.executeCommand('pinpack.connect');
    assert.match(lastShown(api)?.message ?? '', /^Connected to localhost:\d+ \(api_proxy@contoso\.example\)\.$/);
    const connected = api.tenants.list().find((t) => t.url === tenantUrl);
    assert.ok(connected);
    assert.equal(connected.client.proxyHost, new URL(proxy.url).host);
    assert.deepEqual(await connected.client.testConnection(), { spaces: 1 });
    const tunnels = proxy.connects.slice(before);
    assert.ok(tunnels.length > 0);
    assert.ok(tunnels.every((c) => c.target === new URL(tenantUrl).host));
    assert.ok(tunnels.every((c) => c.headers['authorization'] === undefined));
  });

  it('clearing http.proxy reopens the connection directly', async () => {
    await http_().update('proxy', undefined, vscode.ConfigurationTarget.Global);
    const connected = await waitFor('the connection reopened without the proxy', async () =>
      api.tenants.list().find((t) => t.url === tenantUrl && t.client.proxyHost === undefined),
    );
    const before = proxy.connects.length;
    assert.deepEqual(await connected.client.testConnection(), { spaces: 1 });
    assert.equal(proxy.connects.length, before);
  });
});
