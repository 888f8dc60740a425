import { createHash } from 'node:crypto';
import { lstat, mkdir, open, realpath, rmdir, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { pipeline, Readable, Transform } from 'node:stream';
import { pipeline as pipelinePromise } from 'node:stream/promises';
import { createInflateRaw, crc32, inflateRawSync } from 'node:zlib';
import yauzl from 'yauzl';
import * as l10n from '@vscode/l10n';
import * as z from 'zod';
import { PinPackError } from '../errors';
import { entryNameKey, unsafeEntryNameReason } from './entry-name';
import { FLAG_UTF8, METHOD_DEFLATE, METHOD_STORE, SIG_LOCAL } from './zip-format';

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

/** An entry name as a message may show it: control characters (line breaks, terminal escapes) escaped. */
function shownName(name: string): string {
  // eslint-disable-next-line no-control-regex
  return name.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A refused entry: `sentence` is the whole translated sentence, built with the entry's name from shownName. */
function refuse(sentence: string): PinPackError {
  return new PinPackError('refused', sentence);
}

function labelOf(source: ZipSource): string {
  return typeof source === 'string' ? `"${basename(source)}"` : l10n.t('the zip');
}

/** yauzl's own complaints, as a sentence for the user. */
function damaged(label: string, error: unknown): PinPackError {
  const detail = error instanceof Error ? error.message : String(error);
  if (/strong encryption/.test(detail)) return new PinPackError('refused', l10n.t('Refused {0}: it holds an encrypted entry; ask for an unencrypted package.', label));
  if (/end of central directory record signature not found|unexpected EOF|file data overflows|signature/i.test(detail)) {
    return new PinPackError('refused', l10n.t('Refused {0}: it is not a zip file or it is truncated ({1}); download it again.', label, detail), { cause: error });
  }
  return new PinPackError('refused', l10n.t('Refused {0}: it is damaged ({1}); download it again.', label, detail), { cause: error });
}

async function openZip(source: ZipSource, label: string): Promise<yauzl.ZipFile> {
  const options: yauzl.Options = { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: false };
  try {
    return typeof source === 'string' ? await yauzl.openPromise(source, options) : await yauzl.fromBufferPromise(source, options);
  } catch (error) {
    if (typeof source === 'string' && (error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new PinPackError('io', l10n.t('Cannot open {0}: the file does not exist.', source), { cause: error });
    }
    throw damaged(label, error);
  }
}

function decodeName(entry: yauzl.Entry, label: string): string {
  const raw = entry.fileNameRaw;
  const name = yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, raw, entry.extraFields, true);
  if (entry.generalPurposeBitFlag & FLAG_UTF8 && !Buffer.from(name, 'utf8').equals(raw) && !entry.extraFields.some((f) => f.id === 0x7075)) {
    throw refuse(l10n.t('Refused {0}: entry "{1}" has a name that is not valid UTF-8.', label, shownName(name)));
  }
  return name;
}

/** Why an entry's type or encoding is refused: only plain files and folders, stored or deflated. */
function entryRefusal(entry: yauzl.Entry, name: string, label: string): string | undefined {
  const shown = shownName(name);
  const directory = name.endsWith('/');
  if (entry.isEncrypted()) return l10n.t('Refused {0}: entry "{1}" is encrypted; ask for an unencrypted package.', label, shown);
  const host = entry.versionMadeBy >> 8;
  const attributes = entry.externalFileAttributes >>> 0;
  // Unix (3) and macOS (19) keep st_mode in the high 16 bits.
  if (host === 3 || host === 19) {
    const type = (attributes >>> 16) & 0o170000;
    if (type === 0o120000) return l10n.t('Refused {0}: entry "{1}" is a symbolic link, which could point outside the folder.', label, shown);
    if (type !== 0 && type !== 0o100000 && type !== 0o040000) return l10n.t('Refused {0}: entry "{1}" is a device, pipe or socket, not a regular file.', label, shown);
    if (type === 0o040000 && !directory) return l10n.t('Refused {0}: entry "{1}" is marked as a folder but named like a file.', label, shown);
  }
  if (attributes & 0x400) return l10n.t('Refused {0}: entry "{1}" is a Windows reparse point (a link), not a regular file.', label, shown);
  if (attributes & 0x10 && !directory) return l10n.t('Refused {0}: entry "{1}" is marked as a folder but named like a file.', label, shown);
  if (entry.compressionMethod !== METHOD_STORE && entry.compressionMethod !== METHOD_DEFLATE) {
    return l10n.t('Refused {0}: entry "{1}" uses compression method {2}, which PinPack does not read (only stored and deflated).', label, shown, entry.compressionMethod);
  }
  if (directory && entry.uncompressedSize > 0) return l10n.t('Refused {0}: entry "{1}" is a folder that claims to hold data.', label, shown);
  return undefined;
}

/** Reads the central directory and refuses the zip before any data is read if any entry is unsafe. */
async function checkedEntries(zip: yauzl.ZipFile, label: string, limits: ZipLimits): Promise<CheckedEntry[]> {
  if (zip.entryCount > limits.maxEntries) {
    throw new PinPackError('refused', l10n.t('Refused {0}: it has {1} entries, more than the limit of {2}.', label, zip.entryCount, limits.maxEntries));
  }
  const checked: CheckedEntry[] = [];
  const seen = new Map<string, string>();
  let claimedTotal = 0;
  try {
    for await (const entry of zip.eachEntry()) {
      const name = decodeName(entry, label);
      const nameReason = unsafeEntryNameReason(name);
      if (nameReason) throw refuse(l10n.t('Refused {0}: entry "{1}" is refused because {2}.', label, shownName(name), nameReason));
      const refusal = entryRefusal(entry, name, label);
      if (refusal) throw refuse(refusal);
      const key = entryNameKey(name);
      const other = seen.get(key);
      if (other !== undefined) {
        throw refuse(
          other === name
            ? l10n.t('Refused {0}: entry "{1}" appears twice.', label, shownName(name))
            : l10n.t('Refused {0}: entry "{1}" is the same file as "{2}" on Windows (names differ only in case).', label, shownName(name), other),
        );
      }
      seen.set(key, name);
      claimedTotal += entry.uncompressedSize;
      if (claimedTotal > limits.maxTotalBytes) {
        throw refuse(l10n.t('Refused {0}: entry "{1}" brings the total size past the limit of {2} bytes.', label, shownName(name), limits.maxTotalBytes));
      }
      if (entry.uncompressedSize > limits.ratioFloorBytes && entry.uncompressedSize > limits.maxRatio * Math.max(1, entry.compressedSize)) {
        throw refuse(l10n.t('Refused {0}: entry "{1}" claims a compression ratio above {2}:1, the mark of a zip bomb.', label, shownName(name), limits.maxRatio));
      }
      checked.push({ entry, name, directory: name.endsWith('/') });
    }
  } catch (error) {
    if (error instanceof PinPackError) throw error;
    throw damaged(label, error);
  }
  if (checked.length > limits.maxEntries) {
    throw new PinPackError('refused', l10n.t('Refused {0}: it has more than {1} entries.', label, limits.maxEntries));
  }
  // Entries whose data overlap (several central entries over one local header, or one entry's
  // data inside another's) multiply what a small zip inflates to: the overlapping zip bomb. Each
  // entry takes at least its 30-byte local header plus its compressed data.
  const byOffset = [...checked].sort((a, b) => a.entry.relativeOffsetOfLocalHeader - b.entry.relativeOffsetOfLocalHeader);
  for (let i = 1; i < byOffset.length; i++) {
    const previous = byOffset[i - 1] as CheckedEntry;
    const current = byOffset[i] as CheckedEntry;
    if (current.entry.relativeOffsetOfLocalHeader < previous.entry.relativeOffsetOfLocalHeader + 30 + previous.entry.compressedSize) {
      throw refuse(l10n.t('Refused {0}: entry "{1}" overlaps the data of entry "{2}", the mark of a zip bomb; download the package again.', label, shownName(current.name), previous.name));
    }
  }
  // A file "a" and an entry "a/b" cannot both exist on disk.
  const fileKeys = new Set(checked.filter((c) => !c.directory).map((c) => entryNameKey(c.name)));
  for (const { name } of checked) {
    const parts = entryNameKey(name).split('/');
    for (let i = 1; i < parts.length; i++) {
      if (fileKeys.has(parts.slice(0, i).join('/'))) throw refuse(l10n.t('Refused {0}: entry "{1}" lies under "{2}", which the zip also holds as a file.', label, shownName(name), parts.slice(0, i).join('/')));
    }
  }
  return checked;
}

/** Where the zip's bytes come from: a file read with positional reads, or a buffer in memory. */
interface ZipBytes {
  readonly size: number;
  /** Up to `length` bytes from `start`; fewer only at the end of the zip. */
  read(start: number, length: number): Promise<Buffer>;
  close(): Promise<void>;
}

/** Read size for large entries: a package is mostly one big installer. */
const SLICE = 1024 * 1024;
/** Entries up to this size are read, inflated and verified in one piece instead of streamed. */
const SMALL = 1024 * 1024;

async function zipBytes(source: ZipSource): Promise<ZipBytes> {
  if (typeof source !== 'string') {
    return { size: source.length, read: async (start, length) => source.subarray(start, start + length), close: async () => undefined };
  }
  const handle = await open(source, 'r');
  const { size } = await handle.stat();
  return {
    size,
    read: async (start, length) => {
      const buffer = Buffer.allocUnsafe(Math.max(0, Math.min(length, size - start)));
      let filled = 0;
      while (filled < buffer.length) {
        const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, start + filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      return buffer.subarray(0, filled);
    },
    close: () => handle.close(),
  };
}

/**
 * Finds the entry's data behind its local header, reading the header and (for a small entry) the
 * data in one read. The local header's own name and extra lengths decide where the data starts.
 */
async function locateData(bytes: ZipBytes, checked: CheckedEntry, label: string): Promise<{ start: number; prefetched?: Buffer }> {
  const { entry, name } = checked;
  const offset = entry.relativeOffsetOfLocalHeader;
  const small = entry.compressedSize <= SMALL;
  const guess = 30 + entry.fileNameLength + entry.extraFieldLength;
  const head = await bytes.read(offset, small ? guess + entry.compressedSize + 256 : 30);
  if (head.length < 30 || head.readUInt32LE(0) !== SIG_LOCAL) throw refuse(l10n.t('Refused {0}: entry "{1}" has no local header where the central directory points: the zip is truncated or damaged; download it again.', label, shownName(name)));
  const start = offset + 30 + head.readUInt16LE(26) + head.readUInt16LE(28);
  if (start + entry.compressedSize > bytes.size) throw refuse(l10n.t('Refused {0}: entry "{1}" has data that runs past the end of the zip: the zip is truncated; download it again.', label, shownName(name)));
  if (!small) return { start };
  const from = start - offset;
  const prefetched = from + entry.compressedSize <= head.length ? head.subarray(from, from + entry.compressedSize) : await bytes.read(start, entry.compressedSize);
  return { start, prefetched };
}

function inflatesTooMuch(label: string, name: string, claimed: number): string {
  return l10n.t('Refused {0}: entry "{1}" inflates to more than the {2} bytes its header claims.', label, shownName(name), claimed);
}

/** Checks inflated bytes against the header as they pass; `end` checks the totals. */
class Verifier {
  private produced = 0;
  private crc = 0;

  constructor(
    private readonly checked: CheckedEntry,
    private readonly label: string,
  ) {}

  update(chunk: Buffer): void {
    const { entry, name } = this.checked;
    this.produced += chunk.length;
    if (this.produced > entry.uncompressedSize) throw refuse(inflatesTooMuch(this.label, name, entry.uncompressedSize));
    this.crc = crc32(chunk, this.crc);
  }

  end(): void {
    const { entry, name } = this.checked;
    if (this.produced !== entry.uncompressedSize) throw refuse(l10n.t('Refused {0}: entry "{1}" inflates to {2} bytes, not the {3} its header claims.', this.label, shownName(name), this.produced, entry.uncompressedSize));
    if (this.crc >>> 0 !== entry.crc32 >>> 0) throw refuse(l10n.t('Refused {0}: entry "{1}" fails its CRC-32 check: the zip is damaged or was tampered with.', this.label, shownName(name)));
  }
}

/**
 * The entry's verified bytes: whole for a small entry, else a stream. Inflation stops as soon as
 * the output passes the size the header claims, and those claims were held against the total and
 * ratio limits before any data was read: so the limits bind the bytes actually inflated, whatever
 * the headers say. The size and CRC-32 must match the header at the end.
 */
async function entryData(bytes: ZipBytes, checked: CheckedEntry, label: string): Promise<Buffer | Readable> {
  const { entry, name } = checked;
  const { start, prefetched } = await locateData(bytes, checked, label);
  const verifier = new Verifier(checked, label);
  const deflated = entry.compressionMethod === METHOD_DEFLATE;
  if (prefetched && entry.uncompressedSize <= SMALL) {
    let data: Buffer;
    try {
      // One more byte than claimed is enough to tell that the entry lies about its size.
      data = deflated ? inflateRawSync(prefetched, { maxOutputLength: entry.uncompressedSize + 1 }) : prefetched;
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw refuse(inflatesTooMuch(label, name, entry.uncompressedSize));
      throw dataError(error, label, name);
    }
    verifier.update(data);
    verifier.end();
    return data;
  }
  async function* raw(): AsyncGenerator<Buffer> {
    for (let at = start; at < start + entry.compressedSize; at += SLICE) yield await bytes.read(at, Math.min(SLICE, start + entry.compressedSize - at));
  }
  const verify = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      try {
        verifier.update(chunk);
        callback(null, chunk);
      } catch (error) {
        callback(error as Error);
      }
    },
    flush(callback) {
      try {
        verifier.end();
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
  });
  const stages = deflated ? [Readable.from(raw(), { objectMode: false }), createInflateRaw({ chunkSize: SLICE }), verify] : [Readable.from(raw(), { objectMode: false }), verify];
  // pipeline() destroys every stage on the first error and hands that error to the last one.
  return pipeline(stages as [Readable, ...Transform[]], () => undefined) as unknown as Readable;
}

/** Turns what reading an entry threw into the sentence the user sees. */
function dataError(error: unknown, label: string, name: string): PinPackError {
  if (error instanceof PinPackError) return error;
  if ((error as { code?: string }).code?.startsWith('Z_')) {
    return refuse(l10n.t('Refused {0}: entry "{1}" has compressed data that cannot be read ({2}); download the zip again.', label, shownName(name), (error as Error).message));
  }
  return new PinPackError('io', l10n.t('Cannot read {0} ({1}).', label, (error as NodeJS.ErrnoException).code ?? (error as Error).message), { cause: error });
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

/** Reads and checks the central directory, then hands the checked entries and the bytes to `use`. */
async function withCheckedZip<T>(source: ZipSource, limits: ZipLimits, use: (entries: CheckedEntry[], bytes: ZipBytes, label: string) => Promise<T>): Promise<T> {
  const label = labelOf(source);
  const zip = await openZip(source, label);
  try {
    const entries = await checkedEntries(zip, label, limits);
    const bytes = await zipBytes(source);
    try {
      return await use(entries, bytes, label);
    } finally {
      await bytes.close();
    }
  } finally {
    zip.close();
  }
}

/** Reads and verifies a whole zip in memory, without touching the disk (inspect). */
export function readZip(source: ZipSource, limits: ZipLimits = DEFAULT_ZIP_LIMITS, options: ReadZipOptions = {}): Promise<ReadEntry[]> {
  return withCheckedZip(source, limits, async (entries, bytes, label) => {
    const result: ReadEntry[] = [];
    for (const checked of entries) {
      const hash = createHash('sha256');
      const keep = !checked.directory && (options.keep?.(checked.name, checked.entry.uncompressedSize) ?? true);
      const chunks: Buffer[] = [];
      try {
        const data = await entryData(bytes, checked, label);
        for await (const chunk of Buffer.isBuffer(data) ? [data] : (data as AsyncIterable<Buffer>)) {
          hash.update(chunk);
          if (keep) chunks.push(chunk);
        }
      } catch (error) {
        throw dataError(error, label, checked.name);
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
  });
}

export interface ExtractedEntry {
  readonly name: string;
  readonly path: string;
  readonly size: number;
}

/** Files extracted at once: enough to keep the thread pool busy on many small files. */
const PARALLEL_FILES = 4;

/**
 * One extraction's writes: what it created, so a failure removes exactly that and nothing that
 * was there before; and the folders it has vetted, each vetted once.
 */
class Extraction {
  private readonly files: string[] = [];
  private readonly dirs: string[] = [];
  private readonly folders = new Map<string, Promise<void>>();

  constructor(
    readonly root: string,
    private readonly label: string,
  ) {}

  createdDir(path: string): void {
    this.dirs.push(path);
  }

  createdFile(path: string): void {
    this.files.push(path);
  }

  /**
   * Makes sure `segments` exist under the root as real folders, one level at a time, refusing to
   * pass through anything else: a symlink planted in the destination must not carry an entry out.
   */
  async folder(segments: readonly string[], name: string): Promise<string> {
    let current = this.root;
    for (const segment of segments) {
      current = join(current, segment);
      let vetted = this.folders.get(current);
      if (!vetted) {
        vetted = this.vet(current, name);
        this.folders.set(current, vetted);
      }
      await vetted;
    }
    return current;
  }

  private async vet(path: string, name: string): Promise<void> {
    try {
      const info = await lstat(path);
      if (!info.isDirectory()) throw refuse(l10n.t('Refused {0}: entry "{1}" would be written through "{2}", which is not a real folder.', this.label, shownName(name), path));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      await mkdir(path);
      this.dirs.push(path);
    }
  }

  async undo(): Promise<void> {
    for (const file of this.files.reverse()) await unlink(file).catch(() => undefined);
    for (const dir of this.dirs.reverse()) await rmdir(dir).catch(() => undefined);
  }
}

async function extractFile(bytes: ZipBytes, checked: CheckedEntry, extraction: Extraction, label: string): Promise<ExtractedEntry> {
  const segments = checked.name.split('/');
  const folder = await extraction.folder(segments.slice(0, -1), checked.name);
  const path = join(folder, segments[segments.length - 1] as string);
  let file;
  try {
    file = await open(path, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw refuse(l10n.t('Refused {0}: entry "{1}" would replace the existing {2}; extract into an empty folder.', label, shownName(checked.name), path));
    throw error;
  }
  extraction.createdFile(path);
  try {
    const data = await entryData(bytes, checked, label);
    if (Buffer.isBuffer(data)) await file.writeFile(data);
    // The write stream closes the file when done (pipeline waits for that close).
    else await pipelinePromise(data, file.createWriteStream({ highWaterMark: SLICE }));
  } catch (error) {
    throw dataError(error, label, checked.name);
  } finally {
    await file.close().catch(() => undefined);
  }
  return { name: checked.name, path, size: checked.entry.uncompressedSize };
}

/**
 * Extracts a zip into `destDir` (created if missing). Everything is checked first; a refusal
 * midway removes what this extraction wrote, never a file that was there before, and an entry
 * never replaces an existing file.
 */
export async function extractZip(zipPath: string, destDir: string, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Promise<ExtractedEntry[]> {
  const label = labelOf(zipPath);
  const root = resolve(destDir);
  let extraction: Extraction | undefined;
  try {
    return await withCheckedZip(zipPath, limits, async (entries, bytes) => {
      const firstCreated = await mkdir(root, { recursive: true });
      extraction = new Extraction(await realpath(root), label);
      if (firstCreated !== undefined) {
        // Every folder mkdir made, outermost first, so a failure removes them too.
        const made = [root];
        while ((made[0] as string) !== firstCreated) made.unshift(dirname(made[0] as string));
        for (const dir of made) extraction.createdDir(dir);
      }
      const current = extraction;
      for (const checked of entries.filter((e) => e.directory)) await current.folder(checked.name.replace(/\/$/, '').split('/'), checked.name);
      const files = entries.filter((e) => !e.directory);
      const extracted: ExtractedEntry[] = new Array(files.length);
      let next = 0;
      let failure: unknown;
      const worker = async (): Promise<void> => {
        while (failure === undefined && next < files.length) {
          const index = next++;
          try {
            extracted[index] = await extractFile(bytes, files[index] as CheckedEntry, current, label);
          } catch (error) {
            failure ??= error;
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(PARALLEL_FILES, files.length) }, worker));
      if (failure !== undefined) throw failure;
      return extracted;
    });
  } catch (error) {
    await extraction?.undo();
    if (error instanceof PinPackError) throw error;
    throw new PinPackError('io', l10n.t('Cannot extract {0} into {1} ({2}); nothing was left behind.', label, destDir, (error as NodeJS.ErrnoException).code ?? (error as Error).message), { cause: error });
  }
}
