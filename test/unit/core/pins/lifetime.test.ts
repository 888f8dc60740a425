import * as assert from 'node:assert/strict';
import { PIN_LIFETIME_MS, pinExpiry, pinStatus } from '../../../../src/core/pins/lifetime';

const HOUR = 60 * 60 * 1000;
const created = new Date('2026-11-26T09:00:00Z');
const at = (hours: number) => new Date(created.getTime() + hours * HOUR);

describe('core/pins/lifetime', () => {
  it('derives the 24 h expiry from the creation time when the tenant gives none', () => {
    assert.equal(PIN_LIFETIME_MS, 24 * HOUR);
    assert.deepEqual(pinExpiry({ createdAt: created }), at(24));
    assert.deepEqual(pinExpiry({ createdAt: created, expiresAt: at(6) }), at(6));
    assert.equal(pinExpiry({}), undefined);
  });

  it('moves from valid to expiring to expired as time passes', () => {
    const pin = { createdAt: created };
    assert.deepEqual(pinStatus(pin, at(1), 2 * HOUR), { state: 'valid', expiresAt: at(24), remainingMs: 23 * HOUR });
    assert.equal(pinStatus(pin, at(22.5), 2 * HOUR).state, 'expiring');
    assert.equal(pinStatus(pin, at(22.5)).state, 'valid');
    assert.deepEqual(pinStatus(pin, at(24), 2 * HOUR), { state: 'expired', expiredAt: at(24) });
    assert.equal(pinStatus(pin, at(30)).state, 'expired');
  });

  it('reports a used PIN as used and no PIN as none', () => {
    assert.deepEqual(pinStatus({ createdAt: created, used: true }, at(1)), { state: 'used' });
    assert.deepEqual(pinStatus({ used: false }, at(1)), { state: 'none' });
  });
});
