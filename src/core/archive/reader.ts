import { createHash } from 'node:crypto';
import { lstat, mkdir, open, realpath, rmdir, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { pipeline, Readable, Transform } from 'node:stream';
import { pipeline as pipelinePromise } from 'node:stream/promises';
import { createInflateRaw, crc32 } from 'node:zlib';
import yauzl from 'yauzl';
import { z } from 'zod';
import { PinPackError } from '../errors';
import { entryNameKey, unsafeEntryNameReason } from './entry-name';
import { FLAG_UTF8, METHOD_DEFLATE, METHOD_STORE } from './zip-format';

/**
 * The hardened zip reader behind import and inspect. A zip from the console, a colleague or an
 * older build is untrusted input: every entry is judged from the central directory before a
 * byte is written (names, types, encryption, duplicates, count, claimed sizes), then its data is
 * inflated under limits counted on the bytes actually produced, and checked against the size and
 * CRC-32 its header claims. Every refusal is one sentence naming the entry and the reason.
 */

export const ZipLimits = z.object({
  /** Most entries a zip may hold (files and folders). */
  maxEntries: z.number().int().positive(),
  /** Most bytes all entries may inflate to, together. */
  maxTotalBytes: z.number().int().positive(),
  /** Highest inflated/compressed ratio of one entry once it passes `ratioFloorBytes`. */
  maxRatio: z.number().positive(),
  /** Below this many inflated bytes an entry may have any ratio (a small file of spaces is fine). */
  ratioFloorBytes: z.number().int().nonnegative(),
});
export type ZipLimits = z.infer<typeof ZipLimits>;

/** Generous for a provisioning package (a few scripts and an installer), far below a zip bomb. */
export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxEntries: 10_000,
  maxTotalBytes: 4 * 1024 ** 3,
  maxRatio: 200,
  ratioFloorBytes: 1024 * 1024,
};

type ZipSource = string | Buffer;

interface CheckedEntry {
  readonly entry: yauzl.Entry;
  readonly name: string;
  readonly directory: boolean;
}

function refuse(label: string, name: string, reason: string): PinPackError {
  return new PinPackError('refused', `Refused ${label}: entry "${name}" ${reason}.`);
}

function labelOf(source: ZipSource): string {
  return typeof source === 'string' ? `"${basename(source)}"` : 'the zip';
}

/** yauzl's own complaints, as a sentence for the user. */
function damaged(label: string, error: unknown): PinPackError {
  const detail = error instanceof Error ? error.message : String(error);
  if (/strong encryption/.test(detail)) return new PinPackError('refused', `Refused ${label}: it holds an encrypted entry; ask for an unencrypted package.`);
  if (/end of central directory record signature not found|unexpected EOF|file data overflows|signature/i.test(detail)) {
    return new PinPackError('refused', `Refused ${label}: it is not a zip file or it is truncated (${detail}); download it again.`, { cause: error });
  }
  return new PinPackError('refused', `Refused ${label}: it is damaged (${detail}); download it again.`, { cause: error });
}

async function openZip(source: ZipSource, label: string): Promise<yauzl.ZipFile> {
  const options: yauzl.Options = { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: false };
  try {
    return typeof source === 'string' ? await yauzl.openPromise(source, options) : await yauzl.fromBufferPromise(source, options);
  } catch (error) {
    if (typeof source === 'string' && (error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new PinPackError('io', `Cannot open ${source}: the file does not exist.`, { cause: error });
    }
    throw damaged(label, error);
  }
}

function decodeName(entry: yauzl.Entry, label: string): string {
  const raw = entry.fileNameRaw;
  const name = yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, raw, entry.extraFields, true);
  if (entry.generalPurposeBitFlag & FLAG_UTF8 && !Buffer.from(name, 'utf8').equals(raw) && !entry.extraFields.some((f) => f.id === 0x7075)) {
    throw refuse(label, name, 'has a name that is not valid UTF-8');
  }
  return name;
}

/** Why an entry's type or encoding is refused: only plain files and folders, stored or deflated. */
function entryReason(entry: yauzl.Entry, name: string): string | undefined {
  const directory = name.endsWith('/');
  if (entry.isEncrypted()) return 'is encrypted; ask for an unencrypted package';
  const host = entry.versionMadeBy >> 8;
  const attributes = entry.externalFileAttributes >>> 0;
  // Unix (3) and macOS (19) keep st_mode in the high 16 bits.
  if (host === 3 || host === 19) {
    const type = (attributes >>> 16) & 0o170000;
    if (type === 0o120000) return 'is a symbolic link, which could point outside the folder';
    if (type !== 0 && type !== 0o100000 && type !== 0o040000) return 'is a device, pipe or socket, not a regular file';
    if (type === 0o040000 && !directory) return 'is marked as a folder but named like a file';
  }
  if (attributes & 0x400) return 'is a Windows reparse point (a link), not a regular file';
  if (attributes & 0x10 && !directory) return 'is marked as a folder but named like a file';
  if (entry.compressionMethod !== METHOD_STORE && entry.compressionMethod !== METHOD_DEFLATE) {
    return `uses compression method ${entry.compressionMethod}, which PinPack does not read (only stored and deflated)`;
  }
  if (directory && entry.uncompressedSize > 0) return 'is a folder that claims to hold data';
  return undefined;
}

/** Reads the central directory and refuses the zip before any data is read if any entry is unsafe. */
async function checkedEntries(zip: yauzl.ZipFile, label: string, limits: ZipLimits): Promise<CheckedEntry[]> {
  if (zip.entryCount > limits.maxEntries) {
    throw new PinPackError('refused', `Refused ${label}: it has ${zip.entryCount} entries, more than the limit of ${limits.maxEntries}.`);
  }
  const checked: CheckedEntry[] = [];
  const seen = new Map<string, string>();
  let claimedTotal = 0;
  try {
    for await (const entry of zip.eachEntry()) {
      const name = decodeName(entry, label);
      const nameReason = unsafeEntryNameReason(name);
      if (nameReason) throw refuse(label, name, `is refused because ${nameReason}`);
      const reason = entryReason(entry, name);
      if (reason) throw refuse(label, name, reason);
      const key = entryNameKey(name);
      const other = seen.get(key);
      if (other !== undefined) {
        throw refuse(label, name, other === name ? 'appears twice' : `is the same file as "${other}" on Windows (names differ only in case)`);
      }
      seen.set(key, name);
      claimedTotal += entry.uncompressedSize;
      if (claimedTotal > limits.maxTotalBytes) {
        throw refuse(label, name, `brings the total size past the limit of ${limits.maxTotalBytes} bytes`);
      }
      if (entry.uncompressedSize > limits.ratioFloorBytes && entry.uncompressedSize > limits.maxRatio * Math.max(1, entry.compressedSize)) {
        throw refuse(label, name, `claims a compression ratio above ${limits.maxRatio}:1, the mark of a zip bomb`);
      }
      checked.push({ entry, name, directory: name.endsWith('/') });
    }
  } catch (error) {
    if (error instanceof PinPackError) throw error;
    throw damaged(label, error);
  }
  if (checked.length > limits.maxEntries) {
    throw new PinPackError('refused', `Refused ${label}: it has more than ${limits.maxEntries} entries.`);
  }
  // A file "a" and an entry "a/b" cannot both exist on disk.
  const fileKeys = new Set(checked.filter((c) => !c.directory).map((c) => entryNameKey(c.name)));
  for (const { name } of checked) {
    const parts = entryNameKey(name).split('/');
    for (let i = 1; i < parts.length; i++) {
      if (fileKeys.has(parts.slice(0, i).join('/'))) throw refuse(label, name, `lies under "${parts.slice(0, i).join('/')}", which the zip also holds as a file`);
    }
  }
  return checked;
}

/** Where the zip's bytes come from: a file read in large slices, or a buffer already in memory. */
interface ZipBytes {
  slices(start: number, length: number): AsyncGenerator<Buffer>;
  close(): Promise<void>;
}

/** Large reads: the compressed data of a package is mostly one big installer. */
const SLICE = 1024 * 1024;

async function zipBytes(source: ZipSource): Promise<ZipBytes> {
  if (typeof source !== 'string') {
    return {
      async *slices(start, length) {
        for (let at = start; at < start + length; at += SLICE) yield source.subarray(at, Math.min(start + length, at + SLICE));
      },
      close: async () => undefined,
    };
  }
  const handle = await open(source, 'r');
  return {
    async *slices(start, length) {
      for (let at = start; at < start + length; at += SLICE) {
        const buffer = Buffer.allocUnsafe(Math.min(SLICE, start + length - at));
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, at);
        if (bytesRead === 0) return;
        yield buffer.subarray(0, bytesRead);
      }
    },
    close: () => handle.close(),
  };
}

/**
 * The entry's bytes as a stream, inflated and verified on the way. Inflation stops as soon as
 * the output passes the size the header claims, and those claims were held against the total and
 * ratio limits before any data was read: so the limits bind the bytes actually inflated, whatever
 * the headers say. At the end the size and CRC-32 must match the header.
 */
async function verifiedStream(zip: yauzl.ZipFile, bytes: ZipBytes, checked: CheckedEntry, label: string): Promise<Readable> {
  const { entry, name } = checked;
  let dataStart: number;
  try {
    ({ fileDataStart: dataStart } = await zip.readLocalFileHeaderPromise(entry, { minimal: true }));
  } catch (error) {
    // yauzl checks the local header's signature and that the data lies within the file.
    throw refuse(label, name, `cannot be read (${(error as Error).message}): the zip is truncated or damaged; download it again`);
  }
  let produced = 0;
  let crc = 0;
  const verify = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      produced += chunk.length;
      if (produced > entry.uncompressedSize) return callback(refuse(label, name, `inflates to more than the ${entry.uncompressedSize} bytes its header claims`));
      crc = crc32(chunk, crc);
      callback(null, chunk);
    },
    flush(callback) {
      if (produced !== entry.uncompressedSize) return callback(refuse(label, name, `inflates to ${produced} bytes, not the ${entry.uncompressedSize} its header claims`));
      if (crc >>> 0 !== entry.crc32 >>> 0) return callback(refuse(label, name, 'fails its CRC-32 check: the zip is damaged or was tampered with'));
      callback();
    },
  });
  const raw = Readable.from(bytes.slices(dataStart, entry.compressedSize), { objectMode: false });
  const stages: (Readable | Transform)[] =
    entry.compressionMethod === METHOD_DEFLATE ? [raw, createInflateRaw({ chunkSize: SLICE }), verify] : [raw, verify];
  // pipeline() destroys every stage on the first error and hands that error to the last one.
  return pipeline(stages as [Readable, ...Transform[]], () => undefined) as unknown as Readable;
}

/** Turns what a verified stream threw into the sentence the user sees. */
function streamError(error: unknown, label: string, name: string): PinPackError {
  if (error instanceof PinPackError) return error;
  if ((error as { code?: string }).code?.startsWith('Z_')) {
    return refuse(label, name, `has compressed data that cannot be read (${(error as Error).message}); download the zip again`);
  }
  return new PinPackError('io', `Cannot read ${label} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`, { cause: error });
}

export interface ReadEntry {
  /** The name in the zip; folders end with "/". */
  readonly name: string;
  readonly directory: boolean;
  readonly size: number;
  readonly compressedSize: number;
  /** Hex SHA-256 of the inflated bytes. */
  readonly sha256: string;
  /** The bytes, for the entries `keep` asked for. */
  readonly data?: Buffer;
}

export interface ReadZipOptions {
  /** Which entries to hold in memory (default: all); the others are verified and hashed only. */
  readonly keep?: (name: string, size: number) => boolean;
}

/** Reads and verifies a whole zip in memory, without touching the disk (inspect). */
export async function readZip(source: ZipSource, limits: ZipLimits = DEFAULT_ZIP_LIMITS, options: ReadZipOptions = {}): Promise<ReadEntry[]> {
  const label = labelOf(source);
  const zip = await openZip(source, label);
  const bytes = await zipBytes(source);
  try {
    const result: ReadEntry[] = [];
    for (const checked of await checkedEntries(zip, label, limits)) {
      const hash = createHash('sha256');
      const keep = !checked.directory && (options.keep?.(checked.name, checked.entry.uncompressedSize) ?? true);
      const chunks: Buffer[] = [];
      try {
        for await (const chunk of await verifiedStream(zip, bytes, checked, label)) {
          hash.update(chunk as Buffer);
          if (keep) chunks.push(chunk as Buffer);
        }
      } catch (error) {
        throw streamError(error, label, checked.name);
      }
      result.push({
        name: checked.name,
        directory: checked.directory,
        size: checked.entry.uncompressedSize,
        compressedSize: checked.entry.compressedSize,
        sha256: hash.digest('hex'),
        ...(keep ? { data: Buffer.concat(chunks) } : {}),
      });
    }
    return result;
  } finally {
    zip.close();
    await bytes.close();
  }
}

export interface ExtractedEntry {
  readonly name: string;
  readonly path: string;
  readonly size: number;
}

/** What one extraction created, so a failure can remove exactly that and nothing that was there before. */
class Created {
  readonly files: string[] = [];
  readonly dirs: string[] = [];

  async undo(): Promise<void> {
    for (const file of this.files.reverse()) await unlink(file).catch(() => undefined);
    for (const dir of this.dirs.reverse()) await rmdir(dir).catch(() => undefined);
  }
}

/**
 * Creates the folders of `relative` under `root` one level at a time, refusing to pass through
 * anything that is not a real folder: a symlink planted in the destination must not carry an
 * entry outside it.
 */
async function ensureFolders(root: string, segments: readonly string[], created: Created, label: string, name: string): Promise<string> {
  let current = root;
  for (const segment of segments) {
    current = join(current, segment);
    try {
      const info = await lstat(current);
      if (!info.isDirectory()) throw refuse(label, name, `would be written through "${current}", which is not a real folder`);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      await mkdir(current);
      created.dirs.push(current);
    }
  }
  return current;
}

/**
 * Extracts a zip into `destDir` (created if missing). Everything is checked first; a refusal
 * midway removes what this extraction wrote, never a file that was there before, and an entry
 * never replaces an existing file.
 */
export async function extractZip(zipPath: string, destDir: string, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Promise<ExtractedEntry[]> {
  const label = labelOf(zipPath);
  const zip = await openZip(zipPath, label);
  const bytes = await zipBytes(zipPath);
  const created = new Created();
  try {
    const entries = await checkedEntries(zip, label, limits);
    const root = resolve(destDir);
    const firstCreated = await mkdir(root, { recursive: true });
    if (firstCreated !== undefined) {
      // Remember every folder mkdir made, outermost first, so a failure removes them too.
      let dir = root;
      const made = [dir];
      while (dir !== firstCreated) made.unshift((dir = dirname(dir)));
      created.dirs.push(...made);
    }
    const realRoot = await realpath(root);
    const extracted: ExtractedEntry[] = [];
    for (const checked of entries) {
      const segments = checked.name.replace(/\/$/, '').split('/');
      if (checked.directory) {
        await ensureFolders(realRoot, segments, created, label, checked.name);
        continue;
      }
      const folder = await ensureFolders(realRoot, segments.slice(0, -1), created, label, checked.name);
      const path = join(folder, segments[segments.length - 1] as string);
      let file;
      try {
        file = await open(path, 'wx');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw refuse(label, checked.name, `would replace the existing ${path}; extract into an empty folder`);
        throw error;
      }
      created.files.push(path);
      try {
        await pipelinePromise(await verifiedStream(zip, bytes, checked, label), file.createWriteStream({ highWaterMark: SLICE }));
      } catch (error) {
        throw streamError(error, label, checked.name);
      } finally {
        await file.close().catch(() => undefined);
      }
      extracted.push({ name: checked.name, path, size: checked.entry.uncompressedSize });
    }
    return extracted;
  } catch (error) {
    await created.undo();
    if (error instanceof PinPackError) throw error;
    throw new PinPackError('io', `Cannot extract ${label} into ${destDir} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); nothing was left behind.`, { cause: error });
  } finally {
    zip.close();
    await bytes.close();
  }
}
