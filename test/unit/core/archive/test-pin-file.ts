import { PIN_MASK } from '../../../../src/core/pins/mask';
import type { PinFileParser } from '../../../../src/core/archive/inspect';
import type { ResolvedPin } from '../../../../src/core/archive/pin-checks';

/**
 * Test helper: a stand-in PIN file format (the workspace issue owns the real one), JSON with one
 * record per user, plugged into the build and inspect the way the real format will be.
 */
export const TEST_PIN_FILE = 'pins.json';

export function pinFileBytes(pins: readonly ResolvedPin[]): Buffer {
  return Buffer.from(JSON.stringify({ pins: pins.map((p) => ({ user: p.user, pin: p.pin, expiresAt: p.expiresAt?.toISOString() })) }, null, 2));
}

export function redactPinFile(data: Buffer): Buffer {
  const parsed = JSON.parse(data.toString('utf8')) as { pins: { pin?: string }[] };
  for (const record of parsed.pins) record.pin = PIN_MASK;
  return Buffer.from(JSON.stringify(parsed, null, 2));
}

export const testPinParser: PinFileParser = {
  format: 'test-json',
  matches: (name) => name === TEST_PIN_FILE,
  summarize: (data) => {
    const parsed = JSON.parse(data.toString('utf8')) as { pins: { expiresAt?: string }[] };
    const expiries = parsed.pins.flatMap((p) => (p.expiresAt ? [new Date(p.expiresAt)] : [])).sort((a, b) => a.getTime() - b.getTime());
    return { users: parsed.pins.length, ...(expiries[0] ? { earliestExpiry: expiries[0] } : {}) };
  },
};
