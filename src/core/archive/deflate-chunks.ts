import { open } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { constants, deflateRaw, deflateRawSync } from 'node:zlib';
import * as l10n from '@vscode/l10n';
import { PinPackError } from '../errors';

/**
 * Parallel deflate whose output does not depend on timing (the pigz technique). Every entry is
 * cut into fixed 1 MiB chunks; each chunk is deflated on its own on libuv's thread pool, primed
 * with the 32 KiB before it as the dictionary and ended with a sync flush (the last one with a
 * final block), so the chunks concatenate into one valid deflate stream. The output of a chunk is
 * a pure function of its bytes, its dictionary and the level, and the chunks are handed out in
 * order: the archive is the same whichever thread finishes first, and however many run.
 */

/** Fixed, never derived from the machine: changing it changes the bytes of every archive. */
export const CHUNK_SIZE = 1024 * 1024;
const WINDOW = 32 * 1024;
/**
 * Entries up to this size are read and deflated on the main thread, one per macrotask: for a
 * small file the thread-pool round trips (open, read, close, deflate) cost several times the work
 * itself, while the pool keeps deflating the large chunks beside them.
 */
const SMALL_ENTRY = 64 * 1024;

export type ChunkInput = { readonly data: Uint8Array } | { readonly file: string };

export interface ChunkPlanEntry {
  readonly input: ChunkInput;
  readonly size: number;
}

interface ChunkJob {
  readonly entry: number;
  readonly start: number;
  readonly end: number;
  readonly last: boolean;
}

export interface ChunkResult {
  readonly entry: number;
  /** The uncompressed bytes of this chunk (for CRC-32, SHA-256 and the store fallback). */
  readonly input: Buffer;
  /** The deflated bytes, or undefined at level 0. */
  readonly output: Buffer | undefined;
  readonly last: boolean;
}

function* jobs(entries: readonly ChunkPlanEntry[]): Generator<ChunkJob> {
  for (const [entry, { size }] of entries.entries()) {
    if (size === 0) {
      yield { entry, start: 0, end: 0, last: true };
      continue;
    }
    for (let start = 0; start < size; start += CHUNK_SIZE) {
      const end = Math.min(size, start + CHUNK_SIZE);
      yield { entry, start, end, last: end === size };
    }
  }
}

/** Reads exactly [start, end) of a file; a short read means the file changed under the build. */
export async function readRange(path: string, start: number, end: number): Promise<Buffer> {
  const buffer = Buffer.allocUnsafe(end - start);
  const handle = await open(path, 'r');
  try {
    let filled = 0;
    while (filled < buffer.length) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, start + filled);
      if (bytesRead === 0) throw new PinPackError('io', l10n.t('{0} changed while the package was being built: build again once nothing writes to it.', path));
      filled += bytesRead;
    }
    return buffer;
  } finally {
    await handle.close();
  }
}

function deflateOptions(input: Buffer, dictionary: Buffer, level: number, last: boolean) {
  return {
    level,
    // One output buffer for the whole chunk (its deflate bound) instead of 16 KiB pieces to concatenate.
    chunkSize: input.length + (input.length >> 8) + 64,
    finishFlush: last ? constants.Z_FINISH : constants.Z_SYNC_FLUSH,
    ...(dictionary.length ? { dictionary } : {}),
  };
}

function deflateChunk(input: Buffer, dictionary: Buffer, level: number, last: boolean): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    deflateRaw(input, deflateOptions(input, dictionary, level, last), (error, output) => (error ? reject(error) : resolve(output)));
  });
}

function readSmall(source: ChunkInput, size: number): Buffer {
  if ('data' in source) return Buffer.from(source.data.buffer, source.data.byteOffset, size);
  const data = readFileSync(source.file);
  if (data.length !== size) throw new PinPackError('io', l10n.t('{0} changed while the package was being built: build again once nothing writes to it.', source.file));
  return data;
}

async function runJob(entries: readonly ChunkPlanEntry[], job: ChunkJob, level: number): Promise<ChunkResult> {
  const { input: source, size } = entries[job.entry] as ChunkPlanEntry;
  if (size <= SMALL_ENTRY) {
    await new Promise((resolve) => setImmediate(resolve));
    const input = readSmall(source, size);
    return { entry: job.entry, input, output: level === 0 ? undefined : deflateRawSync(input, deflateOptions(input, Buffer.alloc(0), level, true)), last: true };
  }
  const from = Math.max(0, job.start - WINDOW);
  const raw =
    'data' in source
      ? Buffer.from(source.data.buffer, source.data.byteOffset + from, job.end - from)
      : await readRange(source.file, from, job.end);
  const dictionary = raw.subarray(0, job.start - from);
  const input = raw.subarray(job.start - from);
  const output = level === 0 ? undefined : await deflateChunk(input, dictionary, level, job.last);
  return { entry: job.entry, input, output, last: job.last };
}

/**
 * Deflates the entries' chunks and yields the results in entry and chunk order. Jobs are started
 * ahead while their input stays within `parallel` chunks' worth of bytes, so memory stays bounded
 * whatever the entry sizes, and many small files can be in flight beside one large chunk.
 */
export async function* deflateInOrder(entries: readonly ChunkPlanEntry[], level: number, parallel: number): AsyncGenerator<ChunkResult> {
  const pending = jobs(entries);
  const budget = 2 * parallel * CHUNK_SIZE;
  const inFlight: { promise: Promise<ChunkResult>; bytes: number }[] = [];
  let inFlightBytes = 0;
  let next = pending.next();
  const startMore = (): void => {
    while (!next.done) {
      const bytes = next.value.end - next.value.start;
      if (inFlight.length > 0 && inFlightBytes + bytes > budget) return;
      const promise = runJob(entries, next.value, level);
      // The rejection is observed when the promise reaches the head; this keeps an early abort
      // from reporting the later ones as unhandled.
      promise.catch(() => undefined);
      inFlight.push({ promise, bytes });
      inFlightBytes += bytes;
      next = pending.next();
    }
  };
  startMore();
  while (inFlight.length) {
    const head = inFlight.shift() as { promise: Promise<ChunkResult>; bytes: number };
    const result = await head.promise;
    inFlightBytes -= head.bytes;
    startMore();
    yield result;
  }
}
