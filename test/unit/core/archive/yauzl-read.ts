import yauzl from 'yauzl';

/** Test helper: every entry of a zip, read with plain yauzl (independent of PinPack's reader). */
export interface PlainEntry {
  readonly name: string;
  readonly data: Buffer;
  readonly flags: number;
  readonly method: number;
  readonly externalAttributes: number;
  readonly extraLength: number;
  readonly mtime: number;
}

export async function readAllPlain(source: string | Buffer): Promise<PlainEntry[]> {
  const zip = typeof source === 'string' ? await yauzl.openPromise(source, { lazyEntries: true, autoClose: false }) : await yauzl.fromBufferPromise(source, { lazyEntries: true, autoClose: false });
  const out: PlainEntry[] = [];
  try {
    for await (const entry of zip.eachEntry()) {
      const stream = await zip.openReadStreamPromise(entry);
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      out.push({
        name: entry.fileName,
        data: Buffer.concat(chunks),
        flags: entry.generalPurposeBitFlag,
        method: entry.compressionMethod,
        externalAttributes: entry.externalFileAttributes,
        extraLength: entry.extraFieldLength,
        mtime: entry.lastModFileDate * 65536 + entry.lastModFileTime,
      });
    }
  } finally {
    zip.close();
  }
  return out;
}
