import { crc32, deflateRawSync } from 'node:zlib';

/**
 * Test helper: writes zip bytes field by field, so tests can build what no honest writer
 * produces (lying sizes, wrong CRCs, symlink attributes, encryption flags, duplicate names).
 */
export interface RawEntry {
  name: string | Buffer;
  data?: Buffer;
  /** Deflate the data (method 8) unless `method` says otherwise. */
  deflate?: boolean;
  method?: number;
  flags?: number;
  crc?: number;
  /** The size written in the headers (default: the real one). */
  claimedSize?: number;
  /** The compressed size written in the central directory (default: the real one). */
  claimedCompressedSize?: number;
  versionMadeBy?: number;
  externalAttributes?: number;
  /** The local header offset written in the central directory (default: the real one). */
  localHeaderOffset?: number;
}

export function rawZip(entries: readonly RawEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = typeof e.name === 'string' ? Buffer.from(e.name, 'utf8') : e.name;
    const data = e.data ?? Buffer.alloc(0);
    const body = e.deflate ? deflateRawSync(data) : data;
    const method = e.method ?? (e.deflate ? 8 : 0);
    const flags = e.flags ?? (/[^\x00-\x7f]/.test(name.toString('latin1')) ? 0x800 : 0);
    const crc = e.crc ?? crc32(data);
    const size = e.claimedSize ?? data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(0x21, 12);
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, body);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(e.versionMadeBy ?? 0x031e, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc >>> 0, 16);
    central.writeUInt32LE(e.claimedCompressedSize ?? body.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE((e.externalAttributes ?? (0o100644 << 16)) >>> 0, 38);
    central.writeUInt32LE(e.localHeaderOffset ?? offset, 42);
    centrals.push(central, name);
    offset += 30 + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(entries.length, 8);
  eocd.writeUInt16LE(entries.length, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, eocd]);
}
