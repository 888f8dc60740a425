import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative, sep } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { inspectZip } from '../../src/core/archive/inspect';
import { writeZip } from '../../src/core/archive/writer';
import { PinPackError } from '../../src/core/errors';
import { importConsoleZip } from '../../src/core/workspace/import';
import { random } from '../unit/core/lint/fuzz-powershell';
import { rawZip, type RawEntry } from '../unit/core/archive/raw-zip';
import { countingUnhandledRejections, figure } from './figures';

/**
 * Hostile zips (issue #10): a generated corpus of malicious and broken archives, every class the
 * hardened reader refuses, combinations of them and random mutations of a valid console package,
 * each through `importConsoleZip` and `inspectZip`. Figures: hostile zips refused with a clear
 * message by both, files written outside the destination, partial extractions left behind and
 * crashes (anything but a PinPackError, or an unhandled rejection).
 */

const AREA = 'hostile zips';

const ok = (name: string, text = `Write-Output '${name}'\r\n`): RawEntry => ({ name, data: Buffer.from(text), deflate: true });
const SETUP = ok('setup.ps1', "Write-Output 'enroll'\r\n");
const PINS = ok('pinpack-pins.json', '{"schemaVersion":1,"pins":[{"upn":"a@contoso.com","pin":"73915482"}]}');

/** Walks the central directory of a zip and lets `patch` rewrite each central header in place. */
function patchCentral(zip: Buffer, patch: (header: Buffer, index: number) => void): Buffer {
  const out = Buffer.from(zip);
  const eocd = out.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  let at = out.readUInt32LE(eocd + 16);
  const count = out.readUInt16LE(eocd + 10);
  for (let i = 0; i < count; i++) {
    const header = out.subarray(at, at + 46);
    patch(header, i);
    at += 46 + header.readUInt16LE(28) + header.readUInt16LE(30) + header.readUInt16LE(32);
  }
  return out;
}

/** The local header offset of each entry, in central directory order. */
function localOffsets(zip: Buffer): number[] {
  const offsets: number[] = [];
  patchCentral(zip, (h) => offsets.push(h.readUInt32LE(42)));
  return offsets;
}

interface Case {
  readonly name: string;
  readonly bytes: Buffer;
  /** Refused by import only: a harmless zip that is not a console package, which inspect may show. */
  readonly importOnly?: boolean;
}

/** The hostile corpus: `absRoot` is where an absolute-path entry would land. */
function hostileCorpus(absRoot: string): Case[] {
  const cases: Case[] = [];
  const add = (name: string, bytes: Buffer, importOnly = false): void => {
    cases.push({ name, bytes, importOnly });
  };
  const pkg = (...extra: RawEntry[]): Buffer => rawZip([SETUP, PINS, ...extra]);
  const evil = (name: string | Buffer, more: Partial<RawEntry> = {}): RawEntry => ({ name, data: Buffer.from('Write-Output pwned'), deflate: true, ...more });

  // Traversal, absolute paths and drive letters, in every spelling.
  for (const name of ['../evil.ps1', '../../../../../evil.ps1', 'a/../../evil.ps1', 'a/b/../../../evil.ps1', '..', 'a/..', '../', './../evil.ps1']) add(`traversal ${name}`, pkg(evil(name)));
  for (const name of [`${absRoot}/evil.ps1`, '/evil.ps1', '//server/share/evil.ps1']) add(`absolute ${name}`, pkg(evil(name)));
  for (const name of ['C:/Windows/evil.ps1', 'c:evil.ps1', 'Z:\\evil.ps1', 'C:']) add(`drive letter ${name}`, pkg(evil(name)));
  for (const name of ['..\\evil.ps1', 'a\\..\\..\\evil.ps1', '\\\\server\\share\\evil.ps1', '\\evil.ps1']) add(`backslash ${name}`, pkg(evil(name)));
  // Names Windows reads differently or refuses.
  for (const name of ['CON', 'docs/aux.txt', 'COM1.ps1', 'lpt¹', 'setup.ps1.', 'setup.ps1 ', 'a/ /b', 'a:stream', 'what?.ps1', 'a<b>.ps1', 'evil\u0000.ps1', '', 'a//b.ps1', './setup2.ps1']) {
    add(`bad name ${JSON.stringify(name)}`, pkg(evil(name)));
  }
  // Without the UTF-8 flag a control byte decodes as a CP437 glyph (a harmless name); with it, it is refused.
  for (const name of ['tab\there.ps1', 'esc\u001b[31m.ps1', 'cr\rlf\n.ps1']) add(`control character ${JSON.stringify(name)} (flagged UTF-8)`, pkg(evil(name, { flags: 0x800 })));
  add('bad UTF-8 name (flagged UTF-8)', pkg(evil(Buffer.from([0x61, 0xff, 0xfe, 0x2e, 0x70, 0x73, 0x31]), { flags: 0x800 })));
  add('overlong UTF-8 slash (flagged UTF-8)', pkg(evil(Buffer.from([0x2e, 0x2e, 0xc0, 0xaf, 0x65]), { flags: 0x800 })));
  // Links and special files.
  add('symlink to /etc/passwd', pkg({ name: 'link', data: Buffer.from('/etc/passwd'), externalAttributes: 0o120777 << 16 }));
  add('symlink folder then a file through it', pkg({ name: 'docs', data: Buffer.from('/tmp'), externalAttributes: 0o120777 << 16 }, evil('docs/evil.ps1')));
  add('symlink to a parent folder', pkg({ name: 'up', data: Buffer.from('..'), externalAttributes: 0o120755 << 16 }));
  add('symlink made on macOS', pkg({ name: 'mac-link', data: Buffer.from('/'), versionMadeBy: 0x131e, externalAttributes: 0o120777 << 16 }));
  add('fifo', pkg({ name: 'fifo', externalAttributes: 0o010644 << 16 }));
  add('character device', pkg({ name: 'tty', externalAttributes: 0o020644 << 16 }));
  add('Windows reparse point', pkg({ name: 'junction', versionMadeBy: 0x0014, externalAttributes: 0x400 }));
  add('folder attribute on a file name', pkg({ name: 'dir-file', versionMadeBy: 0x0014, externalAttributes: 0x10 }));
  add('folder that claims data', pkg({ name: 'folder/', data: Buffer.from('data') }));
  // Duplicates and twins.
  add('duplicate name', pkg(ok('setup.ps1')));
  add('case twin', pkg(ok('SETUP.PS1')));
  add('case twin in a folder', rawZip([SETUP, ok('Docs/readme.md'), ok('docs/README.md')]));
  add('Unicode normalisation twin (NFC and NFD)', pkg(ok('caf\u00e9.ps1'), ok('cafe\u0301.ps1')));
  add('Unicode twin that differs in case and form', pkg(ok('\u00c9t\u00e9.ps1'), ok('e\u0301te\u0301.ps1')));
  add('folder and file of one name', pkg(ok('docs'), ok('docs/readme.md')));
  add('folder entry and file of one name', pkg(ok('docs/', ''), ok('docs')));
  // Bombs.
  const zeros = Buffer.alloc(60 * 1024 * 1024);
  add('bomb by ratio (claims its size)', pkg({ name: 'bomb.bin', data: zeros, deflate: true }));
  add('bomb by ratio (lies about its size)', pkg({ name: 'bomb.bin', data: zeros, deflate: true, claimedSize: 1000 }));
  add('bomb by total claimed size', pkg(...Array.from({ length: 3 }, (_, i): RawEntry => ({ name: `big${i}.bin`, data: Buffer.from('x'), claimedSize: 0xfffffff0, claimedCompressedSize: 0x7ffffff0 }))));
  add('bomb by count (10,001 entries)', rawZip([SETUP, ...Array.from({ length: 10_000 }, (_, i): RawEntry => ({ name: `f/${i}`, data: Buffer.alloc(0) }))]));
  // Encryption and methods.
  add('encrypted (traditional)', pkg({ name: 'secret.ps1', data: Buffer.alloc(20), flags: 0x1 }));
  add('encrypted (strong)', pkg({ name: 'secret.ps1', data: Buffer.alloc(20), flags: 0x41 }));
  add('AES method 99', pkg({ name: 'aes.ps1', data: Buffer.alloc(20), method: 99, flags: 0x1 }));
  add('unknown method (bzip2)', pkg({ name: 'a.bz2', data: Buffer.alloc(20), method: 12 }));
  add('unknown method (LZMA)', pkg({ name: 'a.lzma', data: Buffer.alloc(20), method: 14 }));
  // Damage.
  add('bad CRC', pkg({ name: 'tampered.ps1', data: Buffer.from('Write-Output 1'), deflate: true, crc: 0x12345678 }));
  add('bad CRC on setup.ps1 (stored)', rawZip([{ ...SETUP, deflate: false, crc: 1 }]));
  add('shorter than claimed', pkg({ name: 'short.ps1', data: Buffer.from('short'), deflate: true, claimedSize: 50 }));
  add('deflate data that does not inflate', pkg({ name: 'bad.bin', data: Buffer.from([0xff, 0xff, 0xff, 0xff]), method: 8 }));
  add('data past the end', pkg({ name: 'cut.bin', data: Buffer.from('abc'), claimedCompressedSize: 1_000_000, claimedSize: 1_000_000 }));
  const whole = pkg(ok('readme.md', '# readme\n'.repeat(200)));
  for (const cut of [1, 22, 30, 100, Math.floor(whole.length / 2), whole.length - 23, whole.length - 1]) add(`truncated to ${cut} of ${whole.length} bytes`, whole.subarray(0, cut));
  add('empty file', Buffer.alloc(0));
  add('text file', Buffer.from('just some text, not a zip at all\n'.repeat(10)));
  add('PNG header', Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'));
  const eocdOnly = Buffer.alloc(22);
  eocdOnly.writeUInt32LE(0x06054b50, 0);
  eocdOnly.writeUInt16LE(5, 8);
  eocdOnly.writeUInt16LE(5, 10);
  add('EOCD that claims entries it does not have', eocdOnly);
  add('central directory offset out of range', (() => {
    const z = Buffer.from(whole);
    const eocd = z.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    z.writeUInt32LE(0x7fffffff, eocd + 16);
    return z;
  })());
  add('local header offset out of range', patchCentral(whole, (h, i) => i === 1 && h.writeUInt32LE(0x7ffffff0, 42)));
  add('local header offset pointing into another entry', patchCentral(whole, (h, i) => i === 1 && h.writeUInt32LE(5, 42)));
  // Overlapping entries: two central entries sharing one local header, and a Fifield-style
  // overlap where each entry's data is the next entry's data plus a prefix.
  {
    const z = pkg(ok('a.ps1', 'Write-Output a'), ok('b.ps1', 'Write-Output a'));
    const offsets = localOffsets(z);
    add('overlapping entries (shared local header)', patchCentral(z, (h, i) => i === 3 && h.writeUInt32LE(offsets[2] as number, 42)));
  }
  {
    // Entries b and c whose data both live in one deflate stream: c's range is inside b's.
    const kernel = deflateRawSync(Buffer.alloc(200_000, 0x41));
    const z = pkg({ name: 'b.bin', data: Buffer.alloc(200_000, 0x41), deflate: true }, { name: 'c.bin', data: Buffer.alloc(200_000, 0x41), deflate: true });
    const offsets = localOffsets(z);
    add(`overlapping entries (c inside b, ${kernel.length}-byte kernel)`, patchCentral(z, (h, i) => i === 3 && h.writeUInt32LE(offsets[2] as number, 42)));
  }
  // Combinations.
  add('traversal + symlink', pkg({ name: '../link', data: Buffer.from('/etc'), externalAttributes: 0o120777 << 16 }));
  add('traversal + encrypted', pkg(evil('../evil.ps1', { flags: 0x1 })));
  add('absolute + bomb', pkg({ name: `${absRoot}/bomb.bin`, data: zeros, deflate: true }));
  add('case twin + traversal', pkg(ok('a/setup.ps1'), evil('A/../../setup.ps1')));
  add('duplicate + bad CRC', pkg({ ...ok('setup.ps1'), crc: 7 }));
  add('good files, then traversal last', rawZip([SETUP, PINS, ...Array.from({ length: 30 }, (_, i) => ok(`docs/${i}.md`)), evil('../../evil.ps1')]));
  add('good files, then bad CRC last (extraction fails midway)', rawZip([SETUP, PINS, ...Array.from({ length: 30 }, (_, i) => ok(`docs/${i}.md`)), { name: 'z.ps1', data: Buffer.from('z'), deflate: true, crc: 3 }]));
  add('no setup.ps1 (not a console package)', rawZip([ok('readme.md'), PINS]), true);
  add('holds PinPack\'s own manifest', pkg(ok('pinpack.json', '{}')), true);
  return cases;
}

/** Every file and folder under `dir`, relative, with `/`. */
function listAll(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const full = join(d, name);
      out.push(relative(dir, full).split(sep).join('/'));
      if (statSync(full, { throwIfNoEntry: false })?.isDirectory()) walk(full);
    }
  };
  walk(dir);
  return out.sort();
}

/** A message a user can act on: one line, no stack, names the zip, no placeholder left. */
function clearMessage(error: unknown, zipName: string): boolean {
  if (!(error instanceof PinPackError)) return false;
  const m = error.message;
  // eslint-disable-next-line no-control-regex
  return m.trim() !== '' && !/[\u0000-\u001f\u007f]/.test(m) && !/\bat \S+ \(|\bat .+:\d+:\d+|\[object |undefined|\{\d\}/.test(m) && m.length < 600 && (m.includes(zipName) || /\bthe zip\b/.test(m));
}

interface Outcome {
  refusedClearly: boolean;
  accepted: boolean;
  crashed: string | undefined;
  outside: string[];
  partial: boolean;
  unclear: string | undefined;
}

describe('reliability: hostile zips', function () {
  this.timeout(300_000);
  let root: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'pinpack-hostile-'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  /** Imports and inspects one zip in its own sandbox and judges what happened. */
  async function run(c: Case, index: number, destExists: boolean): Promise<Outcome> {
    const box = join(root, `case-${index}`);
    const zip = join(box, 'in', 'package.zip');
    // Deep enough that "../" climbs stay inside the sandbox, where they would be seen.
    const dest = join(box, 'w', 'x', 'y', 'z', 'dest');
    mkdirSync(join(box, 'in'), { recursive: true });
    writeFileSync(zip, c.bytes);
    if (destExists) mkdirSync(dest, { recursive: true });
    else mkdirSync(join(dest, '..'), { recursive: true });
    const before = listAll(box);
    const outcome: Outcome = { refusedClearly: false, accepted: false, crashed: undefined, outside: [], partial: false, unclear: undefined };
    let imported = false;
    let inspected = false;
    try {
      await importConsoleZip({ zip, dir: dest });
      imported = true;
    } catch (error) {
      if (!(error instanceof PinPackError)) outcome.crashed = `import: ${String((error as Error)?.stack ?? error)}`;
      else if (!clearMessage(error, basename(zip))) outcome.unclear = `import: ${error.message}`;
    }
    for (const source of [zip, readFileSync(zip)]) {
      try {
        await inspectZip(source);
        inspected = true;
      } catch (error) {
        if (!(error instanceof PinPackError)) outcome.crashed ??= `inspect: ${String((error as Error)?.stack ?? error)}`;
        else if (!clearMessage(error, typeof source === 'string' ? basename(zip) : 'the zip')) outcome.unclear ??= `inspect: ${error.message}`;
      }
    }
    const after = listAll(box);
    const inDest = (p: string): boolean => p === 'w/x/y/z/dest' || p.startsWith('w/x/y/z/dest/');
    outcome.outside = after.filter((p) => !before.includes(p) && !inDest(p));
    if (!imported) outcome.partial = destExists ? listAll(dest).length > 0 : existsSync(dest);
    outcome.accepted = imported || inspected;
    outcome.refusedClearly = !imported && (c.importOnly || !inspected) && outcome.unclear === undefined && outcome.crashed === undefined;
    rmSync(box, { recursive: true, force: true });
    return outcome;
  }

  it('refuses every hostile zip of the corpus (at least 50, every class, combinations) with a clear message, writes nothing outside, leaves nothing half-extracted, never crashes', async () => {
    const absRoot = join(root, 'absolute-target');
    const corpus = hostileCorpus(absRoot);
    const failures: string[] = [];
    let refused = 0;
    let outside = 0;
    let partial = 0;
    let crashes = 0;
    const { unhandled } = await countingUnhandledRejections(async () => {
      for (const [i, c] of corpus.entries()) {
        const o = await run(c, i, i % 2 === 0);
        if (o.refusedClearly) refused++;
        else failures.push(`${c.name}: ${o.crashed ?? o.unclear ?? (o.accepted ? 'accepted' : 'not refused clearly')}`);
        outside += o.outside.length;
        if (o.outside.length) failures.push(`${c.name}: wrote ${o.outside.join(', ')}`);
        if (o.partial) partial++;
        if (o.crashed) crashes++;
      }
    });
    outside += listAll(absRoot).length;
    const detail = () => failures.slice(0, 15).join('\n');
    figure({ area: AREA, name: 'hostile zips in the corpus', value: corpus.length, min: 50 });
    figure({ area: AREA, name: 'hostile zips refused with a clear message (import and inspect)', value: refused, min: corpus.length }, detail);
    figure({ area: AREA, name: 'files written outside the destination', value: outside, max: 0 }, detail);
    figure({ area: AREA, name: 'partial extractions left behind', value: partial, max: 0 }, detail);
    figure({ area: AREA, name: 'crashes (hostile corpus)', value: crashes + unhandled.length, max: 0 }, detail);
  });

  it('random mutations of a valid console zip: refused clearly or imported inside the destination, never a crash or a partial extraction', async () => {
    const base = join(root, 'base.zip');
    await writeZip(base, [
      { name: 'setup.ps1', data: Buffer.from("Write-Output 'enroll'\r\n".repeat(40)) },
      { name: 'pinpack-pins.json', data: Buffer.from('{"schemaVersion":1,"pins":[{"upn":"a@contoso.com","pin":"73915482"}]}') },
      { name: 'docs/readme.md', data: Buffer.from('# readme\n'.repeat(100)) },
      { name: 'copy.bat', data: Buffer.from('@echo off\r\nrobocopy "%~dp0." "C:\\PinPack" /E /R:2 /W:5\r\n') },
    ]);
    const valid = readFileSync(base);
    const rnd = random(20261126);
    const mutants: Case[] = [];
    for (let i = 0; i < 240; i++) {
      const z = Buffer.from(valid);
      const kind = i % 6;
      let bytes: Buffer = z;
      if (kind === 0 || kind === 1) {
        for (let k = 0, n = 1 + Math.floor(rnd() * 8); k < n; k++) z[Math.floor(rnd() * z.length)] = Math.floor(rnd() * 256);
      } else if (kind === 2) {
        bytes = z.subarray(0, Math.floor(rnd() * z.length));
      } else if (kind === 3) {
        const at = Math.floor(rnd() * z.length);
        bytes = Buffer.concat([z.subarray(0, at), Buffer.from(Array.from({ length: 1 + Math.floor(rnd() * 16) }, () => Math.floor(rnd() * 256))), z.subarray(at)]);
      } else if (kind === 4) {
        const from = Math.floor(rnd() * z.length);
        const len = Math.floor(rnd() * 64);
        z.fill(0, from, Math.min(z.length, from + len));
      } else {
        // Flip bits in the central directory, where names, sizes and offsets live.
        const cd = z.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
        for (let k = 0; k < 3; k++) {
          const at = cd - Math.floor(rnd() * 200) + Math.floor(rnd() * 250);
          if (at >= 0 && at < z.length) z[at] = (z[at] as number) ^ (1 << Math.floor(rnd() * 8));
        }
      }
      mutants.push({ name: `mutant ${i} (kind ${kind})`, bytes });
    }
    const failures: string[] = [];
    let refused = 0;
    let accepted = 0;
    let outside = 0;
    let partial = 0;
    let crashes = 0;
    let unclear = 0;
    const { unhandled } = await countingUnhandledRejections(async () => {
      for (const [i, c] of mutants.entries()) {
        const o = await run(c, 10_000 + i, i % 2 === 0);
        if (o.refusedClearly) refused++;
        if (o.accepted) accepted++;
        if (o.crashed) {
          crashes++;
          failures.push(`${c.name}: ${o.crashed}`);
        }
        if (o.unclear) {
          unclear++;
          failures.push(`${c.name}: unclear message ${o.unclear}`);
        }
        outside += o.outside.length;
        if (o.partial) {
          partial++;
          failures.push(`${c.name}: partial extraction`);
        }
      }
    });
    const detail = () => failures.slice(0, 15).join('\n');
    figure({ area: AREA, name: 'mutated zips tried', value: mutants.length, min: 200, note: `${refused} refused, ${accepted} accepted by import or inspect` });
    figure({ area: AREA, name: 'mutated zips refused without a clear message', value: unclear, max: 0 }, detail);
    figure({ area: AREA, name: 'files written outside the destination (mutants)', value: outside, max: 0 }, detail);
    figure({ area: AREA, name: 'partial extractions left behind (mutants)', value: partial, max: 0 }, detail);
    figure({ area: AREA, name: 'crashes (mutants)', value: crashes + unhandled.length, max: 0 }, detail);
    assert.ok(refused > 0 && refused + accepted >= mutants.length - unclear - crashes);
  });
});
