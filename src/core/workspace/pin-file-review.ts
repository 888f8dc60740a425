import type { PinFileInput } from '../archive/build';
import type { PinFileParser } from '../archive/inspect';
import { PIN_MASK } from '../pins/mask';
import { parsePinFile, PIN_FILE_NAME, serializePinFile, type PinEntry } from './package-files';

/**
 * How the workspace's PIN file (package-files.ts) meets review: the masked copy that
 * `pinpack build --redact` ships, and the summary `pinpack inspect` shows instead of the content.
 * Both work on the bytes alone and never return a PIN.
 */

/** The same PIN file with every PIN replaced by the fixed mask; expiries and UPNs stay. */
export function maskPinFile(data: Buffer): Buffer {
  const file = parsePinFile(data.toString('utf8'));
  return Buffer.from(serializePinFile(file.pins.map((entry) => ({ ...entry, pin: PIN_MASK }))), 'utf8');
}

/** The PIN file of a build, ready for `buildPackage`. */
export function pinFileInput(entries: readonly PinEntry[]): PinFileInput {
  return { name: PIN_FILE_NAME, data: Buffer.from(serializePinFile(entries), 'utf8'), redact: maskPinFile };
}

/** Lets `inspectZip` count the users of a PinPack PIN file and find its earliest expiry. */
export const workspacePinFileParser: PinFileParser = {
  format: 'pinpack-pins v1',
  matches: (name) => name === PIN_FILE_NAME,
  summarize: (data) => {
    let file;
    try {
      file = parsePinFile(data.toString('utf8'));
    } catch {
      return undefined;
    }
    const expiries = file.pins.map((p) => new Date(p.expiresAt)).sort((a, b) => a.getTime() - b.getTime());
    return { users: file.pins.length, ...(expiries[0] ? { earliestExpiry: expiries[0] } : {}) };
  },
};
