import { createHash, type Hash } from 'node:crypto';
import { lstatSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { crc32 } from 'node:zlib';
import * as l10n from '@vscode/l10n';
import { PinPackError } from '../errors';
import { writeAtomically } from './atomic-file';
import { CHUNK_SIZE, deflateInOrder, readRange, type ChunkInput, type ChunkPlanEntry } from './deflate-chunks';
import { entryNameKey, unsafeEntryNameReason } from './entry-name';
import {
  DEFAULT_TIMESTAMP,
  METHOD_DEFLATE,
  METHOD_STORE,
  centralHeader,
  dosDateTime,
  endOfCentralDirectory,
  localHeader,
  localHeaderLength,
  localNeedsZip64,
  type DosDateTime,
  type EntryRecord,
} from './zip-format';

/**
 * The deterministic zip writer (DESIGN.md §3: same input, byte-identical zip). A small writer of
 * its own rather than yazl: yazl deflates each entry in one zlib stream and cannot take
 * pre-deflated chunks, so it cannot spread one large file over both cores, and it adds an
 * extended-timestamp extra field to every entry.
 */

/** One file of the archive: its name inside the zip and where its bytes come from. */
export type ZipSource = { readonly name: string } & ChunkInput;

export interface WrittenEntry {
  readonly name: string;
  readonly size: number;
  readonly compressedSize: number;
  readonly method: 'store' | 'deflate';
  readonly crc32: number;
  /** Hex SHA-256 of the uncompressed bytes. */
  readonly sha256: string;
}

export interface ZipWriteOptions {
  /** Deflate level 0-9; 0 stores everything. Default 6, as Info-ZIP's default. */
  readonly level?: number;
  /** The one timestamp of every entry (see `buildTimestamp`). Default 1980-01-01 00:00:00. */
  readonly timestamp?: Date;
  /** Chunks deflated at once; changes the speed, never the bytes. Default: 2 per core. */
  readonly parallel?: number;
  /**
   * An entry written after the sorted ones, built from what was written: the package manifest,
   * which lists the hashes of every other entry and so can only be produced once they are known.
   */
  readonly last?: (written: readonly WrittenEntry[]) => ZipSource;
}

interface PlannedEntry extends ChunkPlanEntry {
  readonly name: string;
  readonly nameBytes: Buffer;
}

/** Refuses names the hardened reader would refuse, so PinPack never builds what it cannot import. */
function checkNames(sources: readonly ZipSource[]): void {
  const seen = new Map<string, string>();
  for (const { name } of sources) {
    const reason = unsafeEntryNameReason(name);
    if (reason) throw new PinPackError('refused', l10n.t('Cannot add "{0}" to the zip: {1}; rename the file.', name, reason));
    if (name.endsWith('/')) throw new PinPackError('refused', l10n.t('Cannot add "{0}" to the zip: it names a folder; add the files in it instead.', name));
    const key = entryNameKey(name);
    const other = seen.get(key);
    if (other !== undefined) throw new PinPackError('refused', l10n.t('Cannot add both "{0}" and "{1}" to the zip: Windows sees them as the same file; rename one.', other, name));
    seen.set(key, name);
  }
}

/**
 * Sizes and byte names of the sources, sorted. The lstats are synchronous: thousands of them take
 * a few milliseconds, while as many thread-pool round trips cost several times more.
 */
function plan(sources: readonly ZipSource[]): PlannedEntry[] {
  const planned = sources.map((source): PlannedEntry => {
    const nameBytes = Buffer.from(source.name, 'utf8');
    if ('data' in source) return { name: source.name, nameBytes, input: { data: source.data }, size: source.data.byteLength };
    let size: number;
    try {
      // lstat: a symlink in the workspace could pull a file from anywhere on the machine into the package.
      const info = lstatSync(source.file);
      if (info.isSymbolicLink()) throw new PinPackError('refused', l10n.t('Cannot add {0} to the zip: it is a symbolic link; copy the file it points to into the workspace instead.', source.file));
      if (!info.isFile()) throw new PinPackError('refused', l10n.t('Cannot add {0} to the zip: it is not a regular file.', source.file));
      size = info.size;
    } catch (error) {
      if (error instanceof PinPackError) throw error;
      throw new PinPackError('io', l10n.t('Cannot read {0} ({1}): check that it exists and is readable.', source.file, (error as NodeJS.ErrnoException).code ?? 'error'), { cause: error });
    }
    return { name: source.name, nameBytes, input: { file: source.file }, size };
  });
  return planned.sort((a, b) => Buffer.compare(a.nameBytes, b.nameBytes));
}

/** Sequential output with positional patching, batched into large writes. */
class Output {
  position = 0;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private flushedTo = 0;

  constructor(private readonly file: FileHandle) {}

  async write(buffer: Buffer): Promise<void> {
    this.pending.push(buffer);
    this.pendingBytes += buffer.length;
    this.position += buffer.length;
    if (this.pendingBytes >= 4 * CHUNK_SIZE) await this.flush();
  }

  async flush(): Promise<void> {
    if (!this.pendingBytes) return;
    const buffers = this.pending;
    const at = this.flushedTo;
    this.pending = [];
    this.flushedTo += this.pendingBytes;
    this.pendingBytes = 0;
    await this.file.writev(buffers, at);
  }

  /** Moves the write position back (the store fallback rewrites an entry's data). */
  async rewind(position: number): Promise<void> {
    await this.flush();
    this.position = this.flushedTo = position;
  }

  async patch(position: number, buffer: Buffer): Promise<void> {
    await this.flush();
    await this.file.write(buffer, 0, buffer.length, position);
  }

  async finish(): Promise<void> {
    await this.flush();
    await this.file.truncate(this.position);
  }
}

class EntryState {
  crc = 0;
  compressedSize = 0;
  readonly hash: Hash = createHash('sha256');
  chunks = 0;

  constructor(
    readonly entry: PlannedEntry,
    readonly offset: number,
    readonly zip64: boolean,
  ) {}
}

async function writeEntries(
  out: Output,
  entries: readonly PlannedEntry[],
  level: number,
  parallel: number,
  time: DosDateTime,
  records: EntryRecord[],
  written: WrittenEntry[],
): Promise<void> {
  let current: EntryState | undefined;
  for await (const chunk of deflateInOrder(entries, level, parallel)) {
    const entry = entries[chunk.entry] as PlannedEntry;
    if (!current || current.entry !== entry) {
      current = new EntryState(entry, out.position, localNeedsZip64(entry.size));
    }
    const state = current;
    state.crc = crc32(chunk.input, state.crc);
    state.hash.update(chunk.input);
    const data = chunk.output ?? chunk.input;
    state.compressedSize += data.length;
    const first = state.chunks++ === 0;
    if (first && chunk.last) {
      // The whole entry is at hand: pick the method, then write header and data in one go.
      const deflated = chunk.output !== undefined && chunk.output.length < entry.size;
      const record = recordOf(state, deflated ? METHOD_DEFLATE : METHOD_STORE, deflated ? chunk.output.length : entry.size, time);
      await out.write(localHeader(record, state.zip64));
      await out.write(deflated ? chunk.output : chunk.input);
      finishEntry(record, state, records, written);
      continue;
    }
    // A multi-chunk entry: reserve the header, patch it once the sizes and CRC are known.
    if (first) await out.write(localHeader(recordOf(state, METHOD_DEFLATE, 0, time), state.zip64));
    await out.write(data);
    if (!chunk.last) continue;
    const deflated = level > 0 && state.compressedSize < entry.size;
    if (!deflated && level > 0) await rewriteStored(out, state);
    const record = recordOf(state, deflated ? METHOD_DEFLATE : METHOD_STORE, deflated ? state.compressedSize : entry.size, time);
    await out.patch(state.offset, localHeader(record, state.zip64));
    finishEntry(record, state, records, written);
  }
}

function recordOf(state: EntryState, method: number, compressedSize: number, time: DosDateTime): EntryRecord {
  return { name: state.entry.nameBytes, method, crc32: state.crc, compressedSize, size: state.entry.size, offset: state.offset, time };
}

function finishEntry(record: EntryRecord, state: EntryState, records: EntryRecord[], written: WrittenEntry[]): void {
  records.push(record);
  written.push({
    name: state.entry.name,
    size: record.size,
    compressedSize: record.compressedSize,
    method: record.method === METHOD_DEFLATE ? 'deflate' : 'store',
    crc32: record.crc32 >>> 0,
    sha256: state.hash.digest('hex'),
  });
}

/** Deflate did not shrink a multi-chunk entry: write its bytes again, stored, over the deflated ones. */
async function rewriteStored(out: Output, state: EntryState): Promise<void> {
  const { entry } = state;
  await out.rewind(state.offset + localHeaderLength(entry.nameBytes, state.zip64));
  let crc = 0;
  for (let start = 0; start < entry.size; start += CHUNK_SIZE) {
    const end = Math.min(entry.size, start + CHUNK_SIZE);
    const bytes =
      'data' in entry.input ? Buffer.from(entry.input.data.buffer, entry.input.data.byteOffset + start, end - start) : await readRange(entry.input.file, start, end);
    crc = crc32(bytes, crc);
    await out.write(bytes);
  }
  if (crc !== state.crc) {
    throw new PinPackError('io', l10n.t('"{0}" changed while the package was being built: build again once nothing writes to it.', entry.name));
  }
}

/** Writes the archive into an open file, from its first byte; returns what was written, in archive order. */
export async function writeZipToFile(file: FileHandle, sources: readonly ZipSource[], options: ZipWriteOptions = {}): Promise<WrittenEntry[]> {
  const level = options.level ?? 6;
  if (!Number.isInteger(level) || level < 0 || level > 9) throw new PinPackError('usage', l10n.t('The deflate level must be a whole number from 0 to 9, not {0}.', level));
  const parallel = Math.max(1, options.parallel ?? 2 * availableParallelism());
  const time = dosDateTime(options.timestamp ?? DEFAULT_TIMESTAMP);
  checkNames(sources);
  const out = new Output(file);
  const records: EntryRecord[] = [];
  const written: WrittenEntry[] = [];
  await writeEntries(out, plan(sources), level, parallel, time, records, written);
  if (options.last) {
    const last = options.last(written);
    checkNames([...sources, last]);
    await writeEntries(out, plan([last]), level, parallel, time, records, written);
  }
  const cdOffset = out.position;
  for (const record of records) await out.write(centralHeader(record));
  await out.write(endOfCentralDirectory(records.length, cdOffset, out.position - cdOffset));
  await out.finish();
  return written;
}

/**
 * Writes the archive to `target` atomically: a failed or interrupted write leaves the previous
 * file as it was and no temp file behind.
 */
export function writeZip(target: string, sources: readonly ZipSource[], options: ZipWriteOptions = {}): Promise<WrittenEntry[]> {
  return writeAtomically(target, (file) => writeZipToFile(file, sources, options));
}
