import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractZip } from '../src/core/archive/reader';
import { writeZip, type ZipSource } from '../src/core/archive/writer';
import { median, type Benchmark, type Figure } from './figure';

/**
 * The archive layer next to Info-ZIP in the same run (issue 6): build time and size for a
 * generated ~200 MB package of mixed files, at deflate level 6 on both sides, and extraction time
 * of the same zip by PinPack and by unzip. Runs are interleaved so machine load hits both.
 */

const LEVEL = 6;
const RUNS = 3;

/** xorshift32: fast, deterministic filler. */
function prng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
}

/**
 * Installer-like bytes: 64 KiB blocks, 40% random (embedded compressed cabinets), 60% built from
 * a small vocabulary of 8-byte words (code and resources): deflate shrinks it to about 60%.
 */
function installerBytes(size: number, seed: number): Buffer {
  const next = prng(seed);
  const words = new Uint32Array(512);
  for (let i = 0; i < words.length; i++) words[i] = next();
  const out = new Uint32Array(Math.ceil(size / 4));
  const block = 16 * 1024;
  for (let start = 0; start < out.length; start += block) {
    const end = Math.min(out.length, start + block);
    if (next() % 10 < 4) {
      for (let i = start; i < end; i++) out[i] = next();
    } else {
      for (let i = start; i < end; i += 2) {
        const w = (next() & 0x1ff) * 1;
        out[i] = words[w] as number;
        if (i + 1 < end) out[i + 1] = words[(w + 1) & 0x1ff] as number;
      }
    }
  }
  return Buffer.from(out.buffer, 0, size);
}

const VERBS = ['Get', 'Set', 'New', 'Remove', 'Test', 'Install', 'Write', 'Invoke'];
const NOUNS = ['ProvisioningPackage', 'ItemProperty', 'Item', 'Path', 'Host', 'Log', 'CimInstance', 'Service'];

function scriptText(lines: number, seed: number, crlf: boolean): Buffer {
  const next = prng(seed);
  const eol = crlf ? '\r\n' : '\n';
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    const r = next();
    out.push(`${'    '.repeat(r % 3)}${VERBS[r % 8]}-${NOUNS[(r >>> 3) % 8]} -Path "$env:ProgramData\\PinPack\\${(r >>> 8) % 997}" -ErrorAction Stop # step ${i}`);
  }
  return Buffer.from(out.join(eol) + eol);
}

/** Writes the package: one ~150 MB installer, driver binaries, scripts, and ~2,000 small files. */
export function generatePackage(root: string): ZipSource[] {
  const sources: ZipSource[] = [];
  const put = (name: string, data: Buffer): void => {
    const path = join(root, ...name.split('/'));
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, data);
    sources.push({ name, file: path });
  };
  put('installer/WindowsConfigurationDesigner.msi', installerBytes(150 * 1024 * 1024, 1));
  for (let i = 0; i < 6; i++) put(`drivers/driver${i}.cab`, installerBytes(3 * 1024 * 1024 + i * 4099, 100 + i));
  put('setup.ps1', scriptText(800, 2, true));
  put('pinpack-copy.bat', Buffer.from('@echo off\r\nrobocopy "%~dp0." "C:\\ProgramData\\PinPack" /E /R:2 /W:5\r\n'));
  for (let i = 0; i < 40; i++) put(`scripts/step${String(i).padStart(2, '0')}.ps1`, scriptText(200 + i * 10, 10 + i, true));
  for (let i = 0; i < 2000; i++) {
    const next = prng(1000 + i);
    const kind = i % 3;
    const data = kind === 0 ? scriptText(20 + (next() % 200), i, false) : kind === 1 ? installerBytes(2048 + (next() % 16384), i) : Buffer.from(JSON.stringify({ id: i, values: Array.from({ length: 50 + (next() % 300) }, () => next() % 1000) }));
    put(`resources/${String(i % 20).padStart(2, '0')}/item${i}.${['txt', 'bin', 'json'][kind]}`, data);
  }
  return sources;
}

/** CPU seconds (user + system) of this process's waited-for children, from /proc/self/stat (Linux). */
function childCpuSeconds(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').replace(/^.*\) /, '').split(' ');
  // After the command name: field 16 cutime and 17 cstime, in clock ticks (100 per second).
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

function cpuSeconds(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1e6;
}

function seconds(action: () => void): number {
  const started = process.hrtime.bigint();
  action();
  return Number(process.hrtime.bigint() - started) / 1e9;
}

async function secondsAsync(action: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await action();
  return Number(process.hrtime.bigint() - started) / 1e9;
}

const benchmark: Benchmark = async () => {
  const work = mkdtempSync(join(tmpdir(), 'pinpack-bench-archive-'));
  try {
    const root = join(work, 'package');
    const sources = generatePackage(root);
    const inputBytes = sources.reduce((n, s) => n + ('file' in s ? statSync(s.file).size : 0), 0);
    const ours = join(work, 'pinpack.zip');
    const theirs = join(work, 'infozip.zip');
    const build = { pinpack: [] as number[], infozip: [] as number[] };
    const cpu = { pinpack: [] as number[], infozip: [] as number[] };
    const extract = { pinpack: [] as number[], unzip: [] as number[] };
    const buildInfozip = (): void => {
      rmSync(theirs, { force: true });
      const childCpu = childCpuSeconds();
      build.infozip.push(seconds(() => execFileSync('zip', ['-r', '-X', '-q', `-${LEVEL}`, theirs, '.'], { cwd: root })));
      cpu.infozip.push(childCpuSeconds() - childCpu);
    };
    const buildPinpack = async (): Promise<void> => {
      const ownCpu = process.cpuUsage();
      build.pinpack.push(await secondsAsync(() => writeZip(ours, sources, { level: LEVEL })));
      cpu.pinpack.push(cpuSeconds(process.cpuUsage(ownCpu)));
    };
    const extractUnzip = (run: number): void => {
      const out = join(work, `unzip-${run}`);
      extract.unzip.push(seconds(() => execFileSync('unzip', ['-q', ours, '-d', out])));
      rmSync(out, { recursive: true });
    };
    const extractPinpack = async (run: number): Promise<void> => {
      const out = join(work, `extract-${run}`);
      extract.pinpack.push(await secondsAsync(() => extractZip(ours, out)));
      rmSync(out, { recursive: true });
    };
    // Alternate which side goes first, so neither always meets a warmer or quieter machine.
    for (let run = 0; run < RUNS; run++) {
      if (run % 2 === 0) {
        buildInfozip();
        await buildPinpack();
        extractUnzip(run);
        await extractPinpack(run);
      } else {
        await buildPinpack();
        buildInfozip();
        await extractPinpack(run);
        extractUnzip(run);
      }
    }
    const mb = (inputBytes / 1024 / 1024).toFixed(0);
    const figures: Figure[] = [
      {
        name: `archive build, ${mb} MB / ${sources.length} files, level ${LEVEL}, median of ${RUNS}`,
        unit: 's',
        value: median(build.pinpack),
        reference: { label: `zip -r -X -${LEVEL}`, value: median(build.infozip) },
        target: { on: 'ratio', max: 0.8 },
      },
      {
        // No target: shows the work done; the wall-time gain needs a free second core.
        name: 'archive build CPU time (user+sys, all threads)',
        unit: 's',
        value: median(cpu.pinpack),
        reference: { label: `zip -r -X -${LEVEL}`, value: median(cpu.infozip) },
      },
      {
        name: 'archive size',
        unit: 'MB',
        value: statSync(ours).size / 1024 / 1024,
        reference: { label: `zip -r -X -${LEVEL}`, value: statSync(theirs).size / 1024 / 1024 },
        target: { on: 'ratio', max: 1.01 },
      },
      {
        name: `archive extraction (hardened), median of ${RUNS}`,
        unit: 's',
        value: median(extract.pinpack),
        reference: { label: 'unzip -q', value: median(extract.unzip) },
        target: { on: 'ratio', max: 1.2 },
      },
    ];
    return figures;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
};

export default benchmark;
