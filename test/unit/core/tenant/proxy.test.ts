import * as assert from 'node:assert/strict';
import { TenantError } from '../../../../src/core/tenant/errors';
import { bypassesProxy, proxyFor } from '../../../../src/core/tenant/proxy';
import { demoFixture, type DemoFixture } from './demo';
import { startConnectProxy } from '../../../support/connect-proxy';

describe('core/tenant/proxy', () => {
  it('reads NO_PROXY the way curl does', () => {
    assert.ok(bypassesProxy('na1.mobileiron.com', 443, 'mobileiron.com'));
    assert.ok(bypassesProxy('na1.mobileiron.com', 443, '.mobileiron.com'));
    assert.ok(bypassesProxy('na1.mobileiron.com', 443, 'example.org, *.mobileiron.com'));
    assert.ok(bypassesProxy('NA1.mobileiron.com', 443, 'na1.mobileiron.com:443'));
    assert.ok(!bypassesProxy('na1.mobileiron.com', 443, 'na1.mobileiron.com:8443'));
    assert.ok(!bypassesProxy('evilmobileiron.com', 443, 'mobileiron.com'));
    assert.ok(bypassesProxy('anything', 1, '*'));
    assert.ok(bypassesProxy('::1', 80, '[::1]'));
    assert.ok(!bypassesProxy('na1.mobileiron.com', 443, ''));
  });

  it('prefers the explicit proxy, then HTTPS_PROXY or HTTP_PROXY by scheme, in either case', () => {
    const target = new URL('https://na1.mobileiron.com');
    assert.equal(proxyFor(target, { env: {} }), undefined);
    assert.equal(proxyFor(target, { env: { https_proxy: 'proxy.corp:3128' } })?.href, 'http://proxy.corp:3128/');
    assert.equal(proxyFor(target, { env: { HTTP_PROXY: 'http://p:1' } }), undefined, 'HTTP_PROXY is for http targets');
    assert.equal(proxyFor(target, { proxy: 'http://vscode.proxy:8080', env: { HTTPS_PROXY: 'http://env:1' } })?.host, 'vscode.proxy:8080');
    assert.equal(proxyFor(target, { proxy: 'http://vscode.proxy:8080', env: { NO_PROXY: 'mobileiron.com' } }), undefined);
    assert.equal(proxyFor(target, { proxy: 'http://p:1', noProxy: 'na1.mobileiron.com' }), undefined);
    assert.throws(() => proxyFor(target, { proxy: 'socks5://p:1080' }), /does not support: use an http:\/\/ or https:\/\/ proxy/);
  });

  describe('through a real CONNECT proxy', () => {
    let f: DemoFixture | undefined;
    let proxy: Awaited<ReturnType<typeof startConnectProxy>> | undefined;
    afterEach(async () => {
      await f?.close();
      await proxy?.close();
      f = undefined;
      proxy = undefined;
    });

    it('tunnels every call through an explicit proxy; the proxy never sees the credentials', async () => {
      proxy = await startConnectProxy();
      f = await demoFixture({}, {}, { proxy: proxy.url });
      assert.equal(f.client.proxyHost, new URL(proxy.url).host);
      assert.deepEqual(await f.client.testConnection(), { spaces: 3 });
      await f.client.listSpaces();
      assert.ok(proxy.connects.length >= 1);
      assert.ok(proxy.connects.every((c) => c.target === `127.0.0.1:${f?.tenant.port}`));
      assert.ok(proxy.connects.every((c) => c.headers['authorization'] === undefined));
      assert.equal(f.tenant.requests.length, 2);
    });

    it('uses HTTP_PROXY from the environment unless NO_PROXY exempts the host', async () => {
      proxy = await startConnectProxy();
      f = await demoFixture({}, {}, { env: { HTTP_PROXY: proxy.url } });
      await f.client.testConnection();
      assert.equal(proxy.connects.length, 1);
      await f.close();
      f = await demoFixture({}, {}, { env: { HTTP_PROXY: proxy.url, NO_PROXY: 'localhost,127.0.0.1' } });
      assert.equal(f.client.proxyHost, undefined);
      await f.client.testConnection();
      assert.equal(proxy.connects.length, 1, 'bypassed');
    });

    it('sends proxy credentials from the proxy URL, and explains a 407', async () => {
      proxy = await startConnectProxy('corp:s3cret');
      const port = new URL(proxy.url).port;
      f = await demoFixture({}, {}, { proxy: proxy.url });
      await assert.rejects(f.client.testConnection(), (e: unknown) => {
        assert.ok(e instanceof TenantError);
        assert.equal(e.code, 'proxy');
        assert.match(e.message, /through the proxy: the proxy 127\.0\.0\.1:\d+ refused the tunnel with HTTP 407 \(it asks for credentials/);
        return true;
      });
      await f.close();
      f = await demoFixture({}, {}, { proxy: `http://corp:s3cret@127.0.0.1:${port}` });
      assert.deepEqual(await f.client.testConnection(), { spaces: 3 });
    });

    it('says so when the proxy is down', async () => {
      proxy = await startConnectProxy();
      const url = proxy.url;
      await proxy.close();
      proxy = undefined;
      f = await demoFixture({}, {}, { proxy: url });
      await assert.rejects(f.client.testConnection(), /could not reach 127\.0\.0\.1:\d+ through the proxy: the proxy 127\.0\.0\.1:\d+ could not be reached \(ECONNREFUSED\)/);
    });
  });
});
