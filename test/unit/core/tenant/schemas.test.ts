import * as assert from 'node:assert/strict';
import { TenantError } from '../../../../src/core/tenant/errors';
import { accountSchema, deviceSchema, listEnvelopeSchema, parsePayload } from '../../../../src/core/tenant/schemas';

const envelope = listEnvelopeSchema(accountSchema);
const account = { id: 7, uid: 'taro.yamada7@contoso.example', enabled: true, registrationPin: { createdAt: 1_700_000_000_000, pin: '1234', used: false } };

function schemaError(data: unknown): string {
  try {
    parsePayload(envelope, data, 'GET /api/v1/account');
  } catch (error) {
    assert.ok(error instanceof TenantError);
    assert.equal(error.code, 'schema');
    return error.message;
  }
  assert.fail('accepted');
}

describe('core/tenant/schemas', () => {
  it('accepts a real envelope and keeps unknown fields', () => {
    const parsed = parsePayload(envelope, { errors: null, result: { totalCount: 1, searchResults: [{ ...account, newField: { x: 1 } }], offset: 0, limit: 50, queryTime: 3, facetedResults: { ACCOUNTGROUP: { Sales: 1 } }, extra: true } }, 'GET /api/v1/account');
    assert.equal(parsed.result.searchResults[0]?.uid, account.uid);
    assert.equal((parsed.result.searchResults[0] as Record<string, unknown>)['newField'] !== undefined, true);
    assert.deepEqual(parsed.result.searchResults[0]?.registrationPin?.createdAt, new Date(1_700_000_000_000));
  });

  it('reads timestamps as epoch milliseconds or ISO text, and refuses others', () => {
    const iso = parsePayload(deviceSchema, { id: 'a', platformType: 'WINDOWS_PHONE', lastRegistrationTime: '2026-11-26T10:00:00Z' }, 'GET /api/v1/device');
    assert.equal(iso.lastRegistrationTime?.toISOString(), '2026-11-26T10:00:00.000Z');
    assert.throws(() => parsePayload(deviceSchema, { id: 'a', platformType: 'X', lastRegistrationTime: 'yesterday' }, 'GET /api/v1/device'), /lastRegistrationTime has an unexpected value/);
  });

  it('names a missing or mistyped field and the endpoint, never the value', () => {
    assert.match(schemaError({ errors: null, result: { searchResults: [] } }), /^The tenant's answer to GET \/api\/v1\/account does not have the expected shape: result\.totalCount is missing \(expected number\), so the API may have changed/);
    assert.match(schemaError({ result: { totalCount: 1, searchResults: [{ ...account, id: '7' }] } }), /result\.searchResults\[0\]\.id has the wrong type \(expected number\)/);
    const pinLeak = schemaError({ result: { totalCount: 1, searchResults: [{ ...account, registrationPin: { pin: 98765432 } }] } });
    assert.match(pinLeak, /registrationPin\.pin has the wrong type/);
    assert.doesNotMatch(pinLeak, /98765432/);
    assert.match(schemaError('<html>'), /the body has the wrong type/);
  });
});
