import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { PinPackError } from '../../../../src/core/errors';
import { CHUNK_SIZE } from '../../../../src/core/archive/deflate-chunks';
import { writeZip, type ZipSource } from '../../../../src/core/archive/writer';
import { buildTimestamp, DEFAULT_TIMESTAMP, dosDateTime, FLAG_UTF8 } from '../../../../src/core/archive/zip-format';
import { readAllPlain } from './yauzl-read';

/** Deterministic bytes that deflate compresses about 3:1, like an installer's mixed sections. */
function semiCompressible(size: number, seed: number): Buffer {
  const out = Buffer.alloc(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = i % 4 === 0 ? x & 0xff : (i >> 6) & 0x3f;
  }
  return out;
}

describe('core/archive/writer', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pinpack-writer-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function files(names: Record<string, Buffer>, root = join(dir, 'src')): ZipSource[] {
    return Object.entries(names).map(([name, data]) => {
      const path = join(root, ...name.split('/'));
      mkdirSync(join(path, '..'), { recursive: true });
      writeFileSync(path, data);
      return { name, file: path };
    });
  }

  const content = (): Record<string, Buffer> => ({
    'setup.ps1': Buffer.from('\ufeffWrite-Host "こんにちは"\r\n'.repeat(50)),
    'pinpack-copy.bat': Buffer.from('@echo off\r\nrobocopy "%~dp0." "C:\\PinPack" /E /R:2 /W:5\r\n'),
    'installer/wcd.msi': semiCompressible(3 * CHUNK_SIZE + 777, 7),
    'docs/説明.md': Buffer.from('# 説明\n'),
    'empty.txt': Buffer.alloc(0),
  });

  it('writes entries sorted by UTF-8 bytes, readable by yauzl, with content intact', async () => {
    const input = content();
    await writeZip(join(dir, 'a.zip'), files(input));
    const entries = await readAllPlain(join(dir, 'a.zip'));
    assert.deepEqual(
      entries.map((e) => e.name),
      ['docs/説明.md', 'empty.txt', 'installer/wcd.msi', 'pinpack-copy.bat', 'setup.ps1'],
    );
    for (const entry of entries) assert.ok(entry.data.equals(input[entry.name] as Buffer), entry.name);
  });

  it('sets the UTF-8 flag exactly for non-ASCII names, and fixed time and attributes, with no extra fields', async () => {
    await writeZip(join(dir, 'a.zip'), files(content()), { timestamp: new Date(Date.UTC(2026, 10, 26, 9, 30, 0)) });
    const expected = dosDateTime(new Date(Date.UTC(2026, 10, 26, 9, 30, 0)));
    for (const entry of await readAllPlain(join(dir, 'a.zip'))) {
      assert.equal((entry.flags & FLAG_UTF8) !== 0, /[^\x00-\x7f]/.test(entry.name), entry.name);
      assert.equal(entry.mtime, expected.date * 65536 + expected.time);
      assert.equal(entry.externalAttributes >>> 16, 0o100644);
      assert.equal(entry.extraLength, 0);
    }
  });

  it('is byte-identical when built twice, from differently ordered copies, and with any parallelism', async () => {
    const input = content();
    const forward = files(input, join(dir, 'one'));
    const backward = files(input, join(dir, 'two')).reverse();
    await writeZip(join(dir, 'a.zip'), forward, { parallel: 8 });
    await writeZip(join(dir, 'b.zip'), forward, { parallel: 8 });
    await writeZip(join(dir, 'c.zip'), backward, { parallel: 1 });
    const a = readFileSync(join(dir, 'a.zip'));
    assert.ok(a.equals(readFileSync(join(dir, 'b.zip'))));
    assert.ok(a.equals(readFileSync(join(dir, 'c.zip'))));
  });

  it('deflates a multi-chunk file into one stream about as small as a single-pass deflate', async () => {
    const big = semiCompressible(5 * CHUNK_SIZE + 3, 11);
    await writeZip(join(dir, 'a.zip'), [{ name: 'big.bin', data: big }]);
    const [entry] = await readAllPlain(join(dir, 'a.zip'));
    assert.ok(entry?.data.equals(big));
    assert.equal(entry?.method, 8);
    const zipSize = readFileSync(join(dir, 'a.zip')).length;
    assert.ok(zipSize <= deflateSync(big, { level: 6 }).length * 1.01 + 200, `${zipSize} bytes`);
  });

  it('stores what deflate does not shrink, single- and multi-chunk', async () => {
    const random = (n: number) => {
      const out = Buffer.alloc(n);
      for (let i = 0; i < n; i += 32) createHash('sha256').update(String(i)).digest().copy(out, i);
      return out;
    };
    const small = random(4096);
    const large = random(2 * CHUNK_SIZE + 10);
    await writeZip(join(dir, 'a.zip'), [
      { name: 'small.bin', data: small },
      { name: 'large.bin', data: large },
      { name: 'z.txt', data: Buffer.from('after the rewritten entry '.repeat(100)) },
    ]);
    const entries = await readAllPlain(join(dir, 'a.zip'));
    assert.deepEqual(entries.map((e) => [e.name, e.method]), [['large.bin', 0], ['small.bin', 0], ['z.txt', 8]]);
    assert.ok(entries[0]?.data.equals(large));
    assert.ok(entries[1]?.data.equals(small));
  });

  it('appends the `last` entry after the sorted ones, given the hashes of all of them', async () => {
    const written = await writeZip(join(dir, 'a.zip'), [{ name: 'b.txt', data: Buffer.from('b') }, { name: 'a.txt', data: Buffer.from('a') }], {
      last: (entries) => ({ name: 'manifest.json', data: Buffer.from(JSON.stringify(entries.map((e) => [e.name, e.sha256]))) }),
    });
    const entries = await readAllPlain(join(dir, 'a.zip'));
    assert.deepEqual(entries.map((e) => e.name), ['a.txt', 'b.txt', 'manifest.json']);
    assert.deepEqual(JSON.parse(entries[2]?.data.toString() ?? ''), [
      ['a.txt', createHash('sha256').update('a').digest('hex')],
      ['b.txt', createHash('sha256').update('b').digest('hex')],
    ]);
    assert.equal(written.length, 3);
  });

  it('switches to Zip64 end records past 65,534 entries', async function () {
    this.timeout(60_000);
    const sources: ZipSource[] = [];
    for (let i = 0; i < 70_000; i++) sources.push({ name: `f/${String(i).padStart(5, '0')}`, data: Buffer.from([i & 0xff]) });
    await writeZip(join(dir, 'a.zip'), sources, { level: 0 });
    const zip = readFileSync(join(dir, 'a.zip'));
    assert.notEqual(zip.indexOf(Buffer.from([0x50, 0x4b, 0x06, 0x06])), -1);
    const entries = await readAllPlain(zip);
    assert.equal(entries.length, 70_000);
    assert.equal(entries[69_999]?.name, 'f/69999');
  });

  for (const [sources, message] of [
    [[{ name: '../evil.ps1', data: Buffer.alloc(1) }], /"\.\.\/evil\.ps1".*climbs out.*rename the file/],
    [[{ name: 'Setup.ps1', data: Buffer.alloc(1) }, { name: 'setup.ps1', data: Buffer.alloc(1) }], /both "Setup\.ps1" and "setup\.ps1".*same file/],
  ] as const) {
    it(`refuses to write ${sources.map((s) => s.name).join(' + ')}`, async () => {
      await assert.rejects(writeZip(join(dir, 'a.zip'), sources), (e: unknown) => e instanceof PinPackError && e.kind === 'refused' && message.test(e.message));
    });
  }

  it('refuses a symbolic link among the input files', async () => {
    writeFileSync(join(dir, 'secret.txt'), 'not for the package');
    symlinkSync(join(dir, 'secret.txt'), join(dir, 'link.txt'));
    await assert.rejects(writeZip(join(dir, 'a.zip'), [{ name: 'link.txt', file: join(dir, 'link.txt') }]), (e: unknown) => e instanceof PinPackError && e.kind === 'refused' && /link\.txt to the zip: it is a symbolic link/.test(e.message));
  });

  it('names a missing input file in an io error', async () => {
    await assert.rejects(writeZip(join(dir, 'a.zip'), [{ name: 'a', file: join(dir, 'nope') }]), (e: unknown) => e instanceof PinPackError && e.kind === 'io' && /nope \(ENOENT\)/.test(e.message));
  });

  it('takes the timestamp from SOURCE_DATE_EPOCH, else 1980-01-01', () => {
    assert.equal(buildTimestamp({ SOURCE_DATE_EPOCH: '1764149400' }).toISOString(), '2025-11-26T09:30:00.000Z');
    assert.equal(buildTimestamp({}), DEFAULT_TIMESTAMP);
    assert.equal(buildTimestamp({ SOURCE_DATE_EPOCH: 'soon' }), DEFAULT_TIMESTAMP);
  });
});
