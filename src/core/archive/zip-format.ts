/**
 * The byte layout of the ZIP records PinPack writes (PKWARE APPNOTE 6.3.10, sections 4.3 and
 * 4.5.3). Every field is fixed or derived from the entry's content, never from the host: no
 * uid/gid, no extended timestamps, one DOS time for every entry. That is what makes two builds
 * of the same input byte-identical.
 */

export const SIG_LOCAL = 0x04034b50;
export const SIG_CENTRAL = 0x02014b50;
export const SIG_EOCD = 0x06054b50;
export const SIG_ZIP64_EOCD = 0x06064b50;
export const SIG_ZIP64_LOCATOR = 0x07064b50;

export const METHOD_STORE = 0;
export const METHOD_DEFLATE = 8;

/** General purpose bit 11: the name (and comment) are UTF-8 (APPNOTE appendix D). */
export const FLAG_UTF8 = 0x0800;

const ZIP64_EXTRA_ID = 0x0001;
/** Sizes and offsets at or above this value are stored in the Zip64 extra field. */
export const ZIP64_LIMIT = 0xffffffff;
const ZIP64_COUNT_LIMIT = 0xffff;

/** Made by: Unix (3), spec 6.3 (63); Unix so that the external attributes carry a file mode. */
const VERSION_MADE_BY = (3 << 8) | 63;
/** A regular file, rw-r--r--, in the high 16 bits as Info-ZIP writes it. */
export const EXTERNAL_ATTRIBUTES_FILE = (0o100644 << 16) >>> 0;

/** 1980-01-01 00:00:00, the earliest DOS time: the timestamp when SOURCE_DATE_EPOCH is not set. */
export const DEFAULT_TIMESTAMP = new Date(Date.UTC(1980, 0, 1, 0, 0, 0));

export interface DosDateTime {
  readonly date: number;
  readonly time: number;
}

/**
 * DOS date and time of a moment, read in UTC so that the result does not depend on the build
 * machine's time zone, clamped to what DOS time can hold (1980 to 2107, even seconds).
 */
export function dosDateTime(moment: Date): DosDateTime {
  const min = DEFAULT_TIMESTAMP.getTime();
  const max = Date.UTC(2107, 11, 31, 23, 59, 58);
  const d = new Date(Math.min(max, Math.max(min, moment.getTime())));
  return {
    date: ((d.getUTCFullYear() - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | (d.getUTCSeconds() >> 1),
  };
}

/** The build timestamp: SOURCE_DATE_EPOCH (seconds since 1970, reproducible-builds.org) or 1980-01-01. */
export function buildTimestamp(env: NodeJS.ProcessEnv): Date {
  const raw = env['SOURCE_DATE_EPOCH'];
  if (raw === undefined || raw === '') return DEFAULT_TIMESTAMP;
  if (!/^\d+$/.test(raw)) return DEFAULT_TIMESTAMP;
  return new Date(Number(raw) * 1000);
}

export function isAscii(bytes: Uint8Array): boolean {
  for (const b of bytes) if (b >= 0x80) return false;
  return true;
}

export interface EntryRecord {
  readonly name: Buffer;
  readonly method: number;
  readonly crc32: number;
  readonly compressedSize: number;
  readonly size: number;
  /** Offset of the local header from the start of the archive. */
  readonly offset: number;
  readonly time: DosDateTime;
}

/** Whether the local header needs Zip64 sizes: decided before the data is compressed, from the size alone. */
export function localNeedsZip64(size: number): boolean {
  return size >= ZIP64_LIMIT;
}

function versionNeeded(method: number, zip64: boolean): number {
  if (zip64) return 45;
  return method === METHOD_DEFLATE ? 20 : 10;
}

function flags(name: Buffer): number {
  return isAscii(name) ? 0 : FLAG_UTF8;
}

export function localHeaderLength(name: Buffer, zip64: boolean): number {
  return 30 + name.length + (zip64 ? 20 : 0);
}

/**
 * The local file header. With `zip64` both sizes go to the Zip64 extra field (APPNOTE 4.5.3 says
 * the local extra must hold both) and the 32-bit fields hold 0xFFFFFFFF.
 */
export function localHeader(entry: EntryRecord, zip64: boolean): Buffer {
  const extraLength = zip64 ? 20 : 0;
  const header = Buffer.alloc(localHeaderLength(entry.name, zip64));
  header.writeUInt32LE(SIG_LOCAL, 0);
  header.writeUInt16LE(versionNeeded(entry.method, zip64), 4);
  header.writeUInt16LE(flags(entry.name), 6);
  header.writeUInt16LE(entry.method, 8);
  header.writeUInt16LE(entry.time.time, 10);
  header.writeUInt16LE(entry.time.date, 12);
  header.writeUInt32LE(entry.crc32 >>> 0, 14);
  header.writeUInt32LE(zip64 ? ZIP64_LIMIT : entry.compressedSize, 18);
  header.writeUInt32LE(zip64 ? ZIP64_LIMIT : entry.size, 22);
  header.writeUInt16LE(entry.name.length, 26);
  header.writeUInt16LE(extraLength, 28);
  entry.name.copy(header, 30);
  if (zip64) {
    const at = 30 + entry.name.length;
    header.writeUInt16LE(ZIP64_EXTRA_ID, at);
    header.writeUInt16LE(16, at + 2);
    header.writeBigUInt64LE(BigInt(entry.size), at + 4);
    header.writeBigUInt64LE(BigInt(entry.compressedSize), at + 12);
  }
  return header;
}

/** The central directory header; the Zip64 extra holds exactly the fields that overflow, in APPNOTE order. */
export function centralHeader(entry: EntryRecord): Buffer {
  const big: bigint[] = [];
  if (entry.size >= ZIP64_LIMIT) big.push(BigInt(entry.size));
  if (entry.compressedSize >= ZIP64_LIMIT) big.push(BigInt(entry.compressedSize));
  if (entry.offset >= ZIP64_LIMIT) big.push(BigInt(entry.offset));
  const zip64 = big.length > 0 || localNeedsZip64(entry.size);
  const extraLength = big.length ? 4 + 8 * big.length : 0;
  const header = Buffer.alloc(46 + entry.name.length + extraLength);
  header.writeUInt32LE(SIG_CENTRAL, 0);
  header.writeUInt16LE(VERSION_MADE_BY, 4);
  header.writeUInt16LE(versionNeeded(entry.method, zip64), 6);
  header.writeUInt16LE(flags(entry.name), 8);
  header.writeUInt16LE(entry.method, 10);
  header.writeUInt16LE(entry.time.time, 12);
  header.writeUInt16LE(entry.time.date, 14);
  header.writeUInt32LE(entry.crc32 >>> 0, 16);
  header.writeUInt32LE(Math.min(entry.compressedSize, ZIP64_LIMIT), 20);
  header.writeUInt32LE(Math.min(entry.size, ZIP64_LIMIT), 24);
  header.writeUInt16LE(entry.name.length, 28);
  header.writeUInt16LE(extraLength, 30);
  // comment length, disk number start, internal attributes: 0
  header.writeUInt32LE(EXTERNAL_ATTRIBUTES_FILE, 38);
  header.writeUInt32LE(Math.min(entry.offset, ZIP64_LIMIT), 42);
  entry.name.copy(header, 46);
  if (big.length) {
    let at = 46 + entry.name.length;
    header.writeUInt16LE(ZIP64_EXTRA_ID, at);
    header.writeUInt16LE(8 * big.length, at + 2);
    at += 4;
    for (const value of big) {
      header.writeBigUInt64LE(value, at);
      at += 8;
    }
  }
  return header;
}

/**
 * The end of central directory, preceded by the Zip64 end record and locator when the entry
 * count, the directory's size or its offset overflow the classic fields.
 */
export function endOfCentralDirectory(count: number, cdOffset: number, cdSize: number): Buffer {
  const zip64 = count >= ZIP64_COUNT_LIMIT || cdOffset >= ZIP64_LIMIT || cdSize >= ZIP64_LIMIT;
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(SIG_EOCD, 0);
  eocd.writeUInt16LE(Math.min(count, ZIP64_COUNT_LIMIT), 8);
  eocd.writeUInt16LE(Math.min(count, ZIP64_COUNT_LIMIT), 10);
  eocd.writeUInt32LE(Math.min(cdSize, ZIP64_LIMIT), 12);
  eocd.writeUInt32LE(Math.min(cdOffset, ZIP64_LIMIT), 16);
  if (!zip64) return eocd;
  const record = Buffer.alloc(56);
  record.writeUInt32LE(SIG_ZIP64_EOCD, 0);
  record.writeBigUInt64LE(44n, 4);
  record.writeUInt16LE(VERSION_MADE_BY, 12);
  record.writeUInt16LE(45, 14);
  record.writeBigUInt64LE(BigInt(count), 24);
  record.writeBigUInt64LE(BigInt(count), 32);
  record.writeBigUInt64LE(BigInt(cdSize), 40);
  record.writeBigUInt64LE(BigInt(cdOffset), 48);
  const locator = Buffer.alloc(20);
  locator.writeUInt32LE(SIG_ZIP64_LOCATOR, 0);
  locator.writeBigUInt64LE(BigInt(cdOffset + cdSize), 8);
  locator.writeUInt32LE(1, 16);
  return Buffer.concat([record, locator, eocd]);
}
