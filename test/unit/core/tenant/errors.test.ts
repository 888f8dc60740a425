import * as assert from 'node:assert/strict';
import { TenantClient } from '../../../../src/core/tenant/client';
import { TenantError, type TenantErrorCode } from '../../../../src/core/tenant/errors';
import { accountSchema, listEnvelopeSchema } from '../../../../src/core/tenant/schemas';
import { startUntrustedTenant, type UntrustedTenant } from '../../../support/untrusted-tenant';
import { demoFixture, type DemoFixture } from './demo';

async function failure(promise: Promise<unknown>, code: TenantErrorCode): Promise<TenantError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof TenantError, String(error));
    assert.equal(error.code, code, error.message);
    assert.equal(error.kind, 'tenant');
    return error;
  }
  assert.fail(`expected a ${code} error`);
}

describe('core/tenant errors, over real HTTP', () => {
  let f: DemoFixture;
  beforeEach(async () => {
    f = await demoFixture({ users: 60 });
  });
  afterEach(() => f.close());

  it('403 names the role the API user lacks for that endpoint', async () => {
    f.tenant.faults.set('account:403,regpin:403');
    const read = await failure(f.client.getUserByUid('x1@contoso.example'), 'forbidden');
    assert.match(read.message, /may not call GET \/api\/v1\/account \(403\).*"Users - Read Only" role/);
    const write = await failure(f.client.requestPins([1]), 'forbidden');
    assert.match(write.message, /"User Management" role/);
    assert.equal(f.sleeper.waits.length, 0, 'a 403 is not retried');
  });

  it('404 says the URL is probably not a cluster host', async () => {
    const error = await failure(f.client.get('/api/v1/nothing?rows=1', accountSchema), 'not-found');
    assert.match(error.message, /GET \/api\/v1\/nothing does not exist on 127\.0\.0\.1:\d+ \(404\).*cluster host/);
  });

  it('400 shows the fieldErrors', async () => {
    const error = await failure(f.client.get('/api/v1/account?rows=501&start=0', listEnvelopeSchema(accountSchema)), 'bad-request');
    assert.deepEqual(error.details.fieldErrors, [{ field: 'rows', code: 'Range', message: 'must be between 1 and 500' }]);
    assert.match(error.message, /invalid \(400\): rows must be between 1 and 500 \(Range\)/);
  });

  it('429 is retried after Retry-After', async () => {
    f.tenant.faults.set('partition:429=7#2');
    assert.deepEqual(await f.client.testConnection(), { spaces: 3 });
    assert.deepEqual(f.sleeper.waits, [7000, 7000]);
  });

  it('429 without Retry-After backs off exponentially with jitter, bounded, then fails', async () => {
    f.tenant.faults.set('partition:429-bare');
    const error = await failure(f.client.testConnection(), 'rate-limited');
    // random() = 0.5: three quarters of 500 ms * 2^n, capped at 30 s; 6 attempts = 5 waits.
    assert.deepEqual(f.sleeper.waits, [375, 750, 1500, 3000, 6000]);
    assert.match(error.message, /rate-limiting PinPack \(429\).*wait a minute/);
    f.sleeper.waits.length = 0;
    f.tenant.faults.set('partition:429=3600#1');
    await f.client.testConnection();
    assert.deepEqual(f.sleeper.waits, [30_000], 'a huge Retry-After is capped');
  });

  it('503 is retried with its Retry-After; other 5xx with backoff, then reported', async () => {
    f.tenant.faults.set('partition:503=2#1');
    await f.client.testConnection();
    assert.deepEqual(f.sleeper.waits, [2000]);
    f.tenant.faults.set('partition:500');
    const error = await failure(f.client.testConnection(), 'server-error');
    assert.match(error.message, /failed on GET \/api\/v1\/tenant\/partition\/device with HTTP 500/);
    f.tenant.faults.set('partition:503');
    await failure(f.client.testConnection(), 'unavailable');
  });

  it('a silent tenant times out', async () => {
    const slow = await demoFixture({ faults: 'partition:slow=500' }, { timeoutMs: 100, retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 1 } });
    try {
      const error = await failure(slow.client.testConnection(), 'timeout');
      assert.match(error.message, /did not answer GET \/api\/v1\/tenant\/partition\/device within 100 ms: .*proxy or firewall/);
      assert.equal(slow.sleeper.waits.length, 1, 'retried once');
    } finally {
      await slow.close();
    }
  });

  it('a connection cut before or during the answer is a connection reset', async () => {
    f.tenant.faults.set('partition:reset');
    const before = await failure(f.client.testConnection(), 'connection-reset');
    assert.ok(before.transient && before.ambiguous);
    f.tenant.faults.set('account:drop');
    await failure(f.client.getUserByUid(f.tenant.directory.userAt(0).uid), 'connection-reset');
    f.tenant.faults.set('partition:reset#1');
    assert.deepEqual(await f.client.testConnection(), { spaces: 3 }, 'recovers on retry');
  });

  it('nothing listening is unreachable and not retried', async () => {
    const port = f.tenant.port;
    await f.close();
    const client = new TenantClient({ url: `http://127.0.0.1:${port}`, username: 'u', password: 'p' }, { sleep: f.sleeper.sleep });
    const error = await failure(client.testConnection(), 'unreachable');
    assert.match(error.message, /could not connect to 127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
    client.close();
    f = await demoFixture();
  });

  it('a body that is not JSON is reported without quoting it', async () => {
    f.tenant.faults.set('partition:html');
    const html = await failure(f.client.testConnection(), 'not-json');
    assert.match(html.message, /not valid JSON \(text\/html, \d+ bytes\).*proxy or captive portal/);
    assert.doesNotMatch(html.message, /sign in/i);
    const user = f.tenant.directory.userAt(4);
    f.tenant.setPin(user.id, { pin: '24681357', createdAt: Date.now() });
    f.tenant.faults.set('account:malformed');
    const broken = await failure(f.client.getUserByUid(user.uid), 'not-json');
    assert.doesNotMatch(broken.message, /24681357/);
  });

  it('schema drift names the field and the endpoint', async () => {
    f.tenant.faults.set('account:drift');
    const error = await failure(f.client.getUserByUid(f.tenant.directory.userAt(0).uid), 'schema');
    assert.match(error.message, /answer to GET \/api\/v1\/account does not have the expected shape: result\.searchResults\[0\]\.uid is missing \(expected string\)/);
    f.tenant.faults.set('metadata:drift');
    const meta = await failure(f.client.defaultSpaceId(), 'schema');
    assert.match(meta.message, /result\.defaultDmPartitionId is missing/);
    f.tenant.faults.set('device:drift');
    await failure(f.client.findDevicesByEmail(f.tenant.directory.userAt(1).emailAddress, { spaceId: 1 }), 'schema');
  });

  it('an aborted call is cancelled', async () => {
    f.tenant.faults.set('partition:slow=2000');
    const controller = new AbortController();
    const call = f.client.testConnection(controller.signal);
    setTimeout(() => controller.abort(), 50);
    await failure(call, 'cancelled');
  });
});

describe('core/tenant TLS with a custom CA bundle', function () {
  this.timeout(20_000);
  let tenant: UntrustedTenant;
  let url: string;

  before(async () => {
    tenant = await startUntrustedTenant('PinPack Test Inspection CA');
    url = tenant.url;
  });
  after(() => tenant.close());

  it('refuses a certificate from an unknown CA with a TLS error that says what to do', async () => {
    const client = new TenantClient({ url, username: 'u', password: 'p' });
    try {
      const error = await failure(client.testConnection(), 'tls');
      assert.match(error.message, /certificate of localhost:\d+ is not trusted \(\w+\).*CA bundle/);
    } finally {
      client.close();
    }
  });

  it('skips the certificate check only when strictSSL is false (VS Code\'s http.proxyStrictSSL)', async () => {
    const lax = new TenantClient({ url, username: 'u', password: 'p', strictSSL: false });
    const strict = new TenantClient({ url, username: 'u', password: 'p', strictSSL: true });
    try {
      assert.deepEqual(await lax.testConnection(), { spaces: 1 });
      await failure(strict.testConnection(), 'tls');
    } finally {
      lax.close();
      strict.close();
    }
  });

  it('trusts it once the CA bundle is given', async () => {
    const client = new TenantClient({ url, username: 'u', password: 'p', ca: tenant.caPem });
    try {
      assert.deepEqual(await client.testConnection(), { spaces: 1 });
    } finally {
      client.close();
    }
  });
});
