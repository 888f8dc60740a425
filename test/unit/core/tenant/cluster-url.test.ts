import * as assert from 'node:assert/strict';
import { PinPackError } from '../../../../src/core/errors';
import { isLoopbackHost, parseClusterUrl } from '../../../../src/core/tenant/cluster-url';

function refusal(input: string): string {
  try {
    parseClusterUrl(input);
  } catch (error) {
    assert.ok(error instanceof PinPackError);
    assert.equal(error.kind, 'usage');
    return error.message;
  }
  assert.fail(`"${input}" was accepted`);
}

describe('core/tenant/cluster-url', () => {
  it('takes a bare cluster host as https', () => {
    assert.equal(parseClusterUrl('na1.mobileiron.com'), 'https://na1.mobileiron.com');
    assert.equal(parseClusterUrl('  https://EU1.mobileiron.com/  '), 'https://eu1.mobileiron.com');
    assert.equal(parseClusterUrl('https://ap2.mobileiron.com:8443'), 'https://ap2.mobileiron.com:8443');
  });

  it('allows plain http only on loopback, where the demo tenant runs', () => {
    assert.equal(parseClusterUrl('http://127.0.0.1:8080'), 'http://127.0.0.1:8080');
    assert.equal(parseClusterUrl('http://localhost:3000'), 'http://localhost:3000');
    assert.equal(parseClusterUrl('http://[::1]:3000'), 'http://[::1]:3000');
    assert.match(refusal('http://na1.mobileiron.com'), /plain http: use https:\/\/na1\.mobileiron\.com/);
    assert.match(refusal('http://10.0.0.5'), /plain http/);
  });

  it('refuses credentials, paths, queries and other schemes with the fix in the message', () => {
    assert.match(refusal('https://admin:secret@na1.mobileiron.com'), /remove them from the URL/);
    assert.doesNotMatch(refusal('https://admin:secret@na1.mobileiron.com'), /secret/);
    assert.match(refusal('https://na1.mobileiron.com/api/v1/account'), /only the cluster host, https:\/\/na1\.mobileiron\.com/);
    assert.match(refusal('https://na1.mobileiron.com/?x=1'), /path or query/);
    assert.match(refusal('ftp://na1.mobileiron.com'), /use https/);
    assert.match(refusal(''), /empty/);
    assert.match(refusal('https://'), /not a valid tenant URL/);
  });

  it('knows loopback addresses', () => {
    for (const host of ['localhost', '127.0.0.1', '127.1.2.3', '::1', '[::1]']) assert.ok(isLoopbackHost(host), host);
    for (const host of ['na1.mobileiron.com', '10.0.0.1', '128.0.0.1', 'localhost.example.com']) {
      assert.ok(!isLoopbackHost(host), host);
    }
  });
});
