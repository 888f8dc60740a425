import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PinPackError } from '../../../../src/core/errors';
import { DEFAULT_ZIP_LIMITS, extractZip, readZip, type ZipLimits } from '../../../../src/core/archive/reader';
import { writeZip } from '../../../../src/core/archive/writer';
import { rawZip, type RawEntry } from './raw-zip';

const refusal = (pattern: RegExp) => (e: unknown) => {
  assert.ok(e instanceof PinPackError, String(e));
  assert.equal(e.kind, 'refused');
  assert.match(e.message, pattern);
  assert.doesNotMatch(e.message, /\n/);
  return true;
};

describe('core/archive/reader', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pinpack-reader-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const ok = (name: string, text = `content of ${name}`): RawEntry => ({ name, data: Buffer.from(text), deflate: true });

  /** Writes a zip and returns its path. */
  function zipFile(entries: readonly RawEntry[], name = 'hostile.zip'): string {
    const path = join(dir, name);
    writeFileSync(path, rawZip(entries));
    return path;
  }

  /** Asserts both readers refuse, and extraction leaves the destination as it was. */
  async function assertRefused(entries: readonly RawEntry[], pattern: RegExp, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Promise<void> {
    const path = zipFile(entries);
    await assert.rejects(readZip(readFileSync(path), limits), refusal(pattern));
    const dest = join(dir, 'dest');
    mkdirSync(dest, { recursive: true });
    writeFileSync(join(dest, 'mine.txt'), 'pre-existing');
    await assert.rejects(extractZip(path, dest, limits), refusal(pattern));
    assert.deepEqual(readdirSync(dest), ['mine.txt']);
    assert.equal(readFileSync(join(dest, 'mine.txt'), 'utf8'), 'pre-existing');
    assert.deepEqual(readdirSync(dir).sort(), ['dest', 'hostile.zip']);
    rmSync(dest, { recursive: true });
  }

  it('reads back what the writer wrote, Japanese names included, with verified hashes', async () => {
    const big = Array.from({ length: 200_000 }, (_, i) => `${(i * 7919) % 100_003}`).join(',');
    const files = { 'setup.ps1': 'Write-Host 1', 'パッケージ/説明.md': '# 説明', 'big.bin': big };
    await writeZip(join(dir, 'a.zip'), Object.entries(files).map(([name, text]) => ({ name, data: Buffer.from(text) })));
    const entries = await readZip(join(dir, 'a.zip'), DEFAULT_ZIP_LIMITS, { keep: (name) => name !== 'big.bin' });
    assert.deepEqual(entries.map((e) => e.name), ['big.bin', 'setup.ps1', 'パッケージ/説明.md']);
    for (const entry of entries) {
      const text = files[entry.name as keyof typeof files];
      assert.equal(entry.sha256, createHash('sha256').update(text).digest('hex'));
      assert.equal(entry.size, Buffer.byteLength(text));
    }
    assert.equal(entries[0]?.data, undefined);
    assert.equal(entries[2]?.data?.toString(), '# 説明');

    const extracted = await extractZip(join(dir, 'a.zip'), join(dir, 'out', 'new'));
    assert.equal(extracted.length, 3);
    assert.equal(readFileSync(join(dir, 'out', 'new', 'パッケージ', '説明.md'), 'utf8'), '# 説明');
  });

  it('extracts folder entries and keeps what the destination already held', async () => {
    const dest = join(dir, 'dest');
    mkdirSync(dest);
    writeFileSync(join(dest, 'notes.txt'), 'mine');
    await extractZip(zipFile([{ name: 'docs/', externalAttributes: (0o040755 << 16) | 0x10 }, ok('docs/a.md')]), dest);
    assert.deepEqual(readdirSync(dest).sort(), ['docs', 'notes.txt']);
    assert.equal(readFileSync(join(dest, 'docs', 'a.md'), 'utf8'), 'content of docs/a.md');
  });

  const names: [string | Buffer, RegExp][] = [
    ['../evil.ps1', /"\.\.\/evil\.ps1" is refused because the name climbs out/],
    ['/etc/cron.d/evil', /"\/etc\/cron\.d\/evil" .*absolute path/],
    ['C:/Windows/System32/evil.dll', /drive letter/],
    ['a\\..\\..\\evil.ps1', /backslash/],
    ['evil\u0000.ps1', /NUL or control character/],
    ['CON', /"CON" is a device name that Windows reserves/],
    ['docs/aux.txt', /reserves/],
    ['COM1', /reserves/],
    ['setup.ps1.', /ends with a dot or space/],
    ['setup.ps1 ', /ends with a dot or space/],
    [Buffer.from([0x61, 0xff, 0xfe, 0x2e, 0x74]), /not valid UTF-8/],
  ];
  for (const [name, pattern] of names) {
    it(`refuses the entry name ${JSON.stringify(name.toString())}`, async () => {
      const flags = Buffer.isBuffer(name) ? 0x800 : undefined;
      await assertRefused([ok('a.txt'), { name, data: Buffer.from('x'), ...(flags ? { flags } : {}) }], pattern);
    });
  }

  it('shows a refused name with its control characters escaped, so the message stays one line', async () => {
    await assertRefused([ok('a.txt'), { name: 'evil\r\n\u001b[31m.ps1', data: Buffer.from('x'), flags: 0x800 }], /entry "evil\\u000d\\u000a\\u001b\[31m\.ps1" is refused because the name contains a NUL or control character/);
  });

  it('refuses duplicate names', async () => {
    await assertRefused([ok('setup.ps1'), ok('setup.ps1')], /"setup\.ps1" appears twice/);
  });

  it('refuses names that differ only in case', async () => {
    await assertRefused([ok('Setup.ps1'), ok('setup.ps1')], /"setup\.ps1" is the same file as "Setup\.ps1" on Windows/);
  });

  it('refuses a file that is also a folder of another entry', async () => {
    await assertRefused([ok('a'), ok('a/b.txt')], /"a\/b\.txt" lies under "a"/);
  });

  it('refuses a symbolic link', async () => {
    await assertRefused([{ name: 'link', data: Buffer.from('/etc/passwd'), externalAttributes: 0o120777 << 16 }], /"link" is a symbolic link/);
  });

  it('refuses a device or pipe entry', async () => {
    await assertRefused([{ name: 'fifo', externalAttributes: 0o010644 << 16 }], /"fifo" is a device, pipe or socket/);
  });

  it('refuses a Windows reparse point', async () => {
    await assertRefused([{ name: 'junction', versionMadeBy: 0x0014, externalAttributes: 0x400 }], /"junction" is a Windows reparse point/);
  });

  it('refuses an encrypted entry', async () => {
    await assertRefused([{ name: 'secret.txt', data: Buffer.alloc(20), flags: 0x1 }], /"secret\.txt" is encrypted/);
  });

  it('refuses a strongly encrypted entry', async () => {
    await assertRefused([{ name: 'secret.txt', data: Buffer.alloc(20), flags: 0x41 }], /encrypted entry/);
  });

  it('refuses an unknown compression method', async () => {
    await assertRefused([{ name: 'a.bz2', data: Buffer.alloc(20), method: 12 }], /"a\.bz2" uses compression method 12/);
  });

  it('refuses more entries than the limit', async () => {
    await assertRefused([ok('a'), ok('b'), ok('c')], /3 entries, more than the limit of 2/, { ...DEFAULT_ZIP_LIMITS, maxEntries: 2 });
  });

  it('refuses a total size beyond the limit', async () => {
    await assertRefused([ok('a', 'x'.repeat(600)), ok('b', 'y'.repeat(600))], /"b" brings the total size past the limit of 1000 bytes/, { ...DEFAULT_ZIP_LIMITS, maxTotalBytes: 1000 });
  });

  it('refuses a zip bomb that claims its true size', async () => {
    await assertRefused([{ name: 'bomb.bin', data: Buffer.alloc(50 * 1024 * 1024), deflate: true }], /"bomb\.bin" claims a compression ratio above 200:1/);
  });

  it('refuses a zip bomb that lies about its size, on the bytes actually inflated', async () => {
    await assertRefused([{ name: 'bomb.bin', data: Buffer.alloc(50 * 1024 * 1024), deflate: true, claimedSize: 1000 }], /"bomb\.bin" inflates to more than the 1000 bytes its header claims/);
  });

  it('refuses overlapping entries (the overlapping zip bomb), one local header shared or one entry inside another', async () => {
    await assertRefused([ok('a.txt', 'same'), { ...ok('b.txt', 'same'), localHeaderOffset: 0 }], /"b\.txt" overlaps the data of entry "a\.txt", the mark of a zip bomb/);
    const first: RawEntry = { name: 'a.txt', data: Buffer.from('x'.repeat(300)) };
    await assertRefused([first, { ...ok('b.txt', 'same'), localHeaderOffset: 40 }], /"b\.txt" overlaps the data of entry "a\.txt"/);
  });

  it('refuses a size smaller than the header claims', async () => {
    await assertRefused([{ name: 'short.txt', data: Buffer.from('short'), deflate: true, claimedSize: 50 }], /"short\.txt" inflates to 5 bytes, not the 50/);
  });

  it('refuses a CRC mismatch', async () => {
    await assertRefused([ok('a.txt'), { name: 'b.txt', data: Buffer.from('tampered'), deflate: true, crc: 0x12345678 }], /"b\.txt" fails its CRC-32 check/);
  });

  it('refuses compressed data that does not inflate', async () => {
    await assertRefused([{ name: 'bad.bin', data: Buffer.from([0xff, 0xff, 0xff, 0xff]), method: 8 }], /"bad\.bin" has compressed data that cannot be read/);
  });

  it('refuses an entry whose data runs past the end of the zip', async () => {
    await assertRefused([{ name: 'cut.bin', data: Buffer.from('abc'), claimedCompressedSize: 1_000_000, claimedSize: 1_000_000 }], /"cut\.bin" has data that runs past the end of the zip: the zip is truncated/);
  });

  it('refuses a truncated zip', async () => {
    const whole = rawZip([ok('a.txt'), ok('b.txt')]);
    const path = join(dir, 'cut.zip');
    writeFileSync(path, whole.subarray(0, whole.length - 30));
    await assert.rejects(readZip(path), refusal(/"cut\.zip": it is not a zip file or it is truncated/));
  });

  it('refuses a file that is not a zip', async () => {
    const path = join(dir, 'notes.zip');
    writeFileSync(path, 'just some text, not a zip at all\n'.repeat(10));
    await assert.rejects(extractZip(path, join(dir, 'out')), refusal(/"notes\.zip": it is not a zip file or it is truncated/));
    assert.equal(existsSync(join(dir, 'out')), false);
  });

  it('removes a partial extraction, folders it created included, and nothing else', async () => {
    const dest = join(dir, 'dest');
    mkdirSync(join(dest, 'docs'), { recursive: true });
    writeFileSync(join(dest, 'docs', 'mine.md'), 'mine');
    const path = zipFile([ok('a/one.txt'), ok('docs/two.md'), ok('z/three.txt', 'x'), { name: 'zz.txt', data: Buffer.from('bad'), crc: 1 }]);
    await assert.rejects(extractZip(path, dest), refusal(/"zz\.txt" fails its CRC-32 check/));
    assert.deepEqual(readdirSync(dest), ['docs']);
    assert.deepEqual(readdirSync(join(dest, 'docs')), ['mine.md']);
  });

  it('never replaces an existing file', async () => {
    const dest = join(dir, 'dest');
    mkdirSync(dest);
    writeFileSync(join(dest, 'setup.ps1'), 'the admin’s edit');
    await assert.rejects(extractZip(zipFile([ok('new.txt'), ok('setup.ps1')]), dest), refusal(/"setup\.ps1" would replace the existing .*setup\.ps1; extract into an empty folder/));
    assert.equal(readFileSync(join(dest, 'setup.ps1'), 'utf8'), 'the admin’s edit');
    assert.deepEqual(readdirSync(dest), ['setup.ps1']);
  });

  it('does not follow a symlink planted in the destination', async () => {
    const dest = join(dir, 'dest');
    const outside = join(dir, 'outside');
    mkdirSync(dest);
    mkdirSync(outside);
    symlinkSync(outside, join(dest, 'link'));
    await assert.rejects(extractZip(zipFile([ok('link/evil.ps1')]), dest), refusal(/"link\/evil\.ps1" would be written through .*link", which is not a real folder/));
    assert.deepEqual(readdirSync(outside), []);
  });
});
