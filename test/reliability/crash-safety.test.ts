import * as assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { isTempFileOf } from '../../src/core/archive/atomic-file';
import { readZip } from '../../src/core/archive/reader';
import { TenantClient } from '../../src/core/tenant/client';
import { generatePins } from '../../src/core/tenant/pin-generation';
import { scaffoldWorkspace } from '../../src/core/workspace/scaffold';
import { startDemoTenant, type DemoTenant } from '../../src/demo-tenant/server';
import { random } from '../unit/core/lint/fuzz-powershell';
import { figure, repoRoot } from './figures';

/**
 * Crash safety (issue #10): real `pinpack build` processes killed at random moments (mostly
 * SIGKILL, some SIGTERM and SIGINT), and a scaffold killed while it overwrites the admin's files.
 * A build must leave the previous zip intact (or the complete new one, had it finished) and no temp
 * file: none at all after SIGTERM/SIGINT, none after the next build when SIGKILL left no chance.
 */

const AREA = 'crash safety';
const KILLS = 50;
/** A temp file of PinPack's atomic writer (src/core/archive/atomic-file.ts): .NAME.PID.HEX.pinpack-tmp. */
const TEMP_FILE = /(^|\/)\.[^/]+\.\d+\.[0-9a-f]{8}\.pinpack-tmp$/;
const cli = join(repoRoot, 'dist', 'cli.js');

const exited = (proc: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> =>
  new Promise((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function files(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.push(relative(dir, full).split(sep).join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

describe('reliability: crash safety', function () {
  this.timeout(600_000);
  let root: string;
  let tenant: DemoTenant;
  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'pinpack-crash-'));
    tenant = await startDemoTenant({ users: 60, seed: 'crash' });
  });
  after(async () => {
    await tenant.close();
    rmSync(root, { recursive: true, force: true });
  });

  it(`${KILLS} real builds killed at random moments: previous zip intact and no temp file left, every time`, async () => {
    const dir = join(root, 'ws');
    const client = new TenantClient({ url: tenant.url, username: tenant.username, password: tenant.password });
    const users: string[] = [];
    for await (const account of client.users({}, { limit: 40 })) if (account.accountType === 'USER' && account.enabled !== false && !/\s/.test(account.uid)) users.push(account.uid);
    const accounts = [];
    for (const uid of users.slice(0, 5)) accounts.push(await client.getUserByUid(uid));
    const issued = await generatePins(client, accounts.filter((a) => a !== undefined));
    client.close();
    assert.ok(issued.filter((r) => r.status === 'issued').length >= 3);
    await scaffoldWorkspace({ dir, target: 'sccm', users: issued.filter((r) => r.status === 'issued').map((r) => r.account.uid) });
    // An installer-sized file that does not compress, so a build spends its time writing the zip.
    writeFileSync(join(dir, 'installer.bin'), randomBytes(6 * 1024 * 1024));
    const out = join(root, 'out', 'package.zip');
    mkdirSync(join(root, 'out'));
    const env = { PATH: process.env['PATH'], PINPACK_TENANT_URL: tenant.url, PINPACK_USER: tenant.username, PINPACK_PASSWORD: tenant.password };
    const build = (): ChildProcess => spawn(process.execPath, [cli, 'build', dir, '--out', out], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const temps = (): string[] => (existsSync(join(out, '..')) ? readdirSync(join(out, '..')).filter((n) => isTempFileOf(out, n)) : []);

    // Two complete builds (the second is the "previous" zip), the second timed (the first pays
    // for cold caches): when the temp file appears, when it ends.
    let tempAt = 0;
    let duration = 0;
    for (let round = 0; round < 2; round++) {
      const started = Date.now();
      const first = build();
      let stderr = '';
      tempAt = 0;
      first.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
      const done = exited(first);
      while (first.exitCode === null) {
        if (!tempAt && temps().length > 0) tempAt = Date.now() - started;
        await sleep(5);
      }
      assert.equal((await done).code, 0, stderr);
      duration = Date.now() - started;
    }
    assert.ok(tempAt > 0, 'the first build was seen writing its temp file');
    await readZip(out);

    const rnd = random(20261126);
    let previous = readFileSync(out);
    let intact = 0;
    let midWrite = 0;
    const leftovers = new Map<string, number>();
    let completed = 0;
    const problems: string[] = [];
    const signals: Record<string, number> = {};
    for (let k = 0; k < KILLS; k++) {
      const signal: NodeJS.Signals = k % 10 === 3 ? 'SIGTERM' : k % 10 === 7 ? 'SIGINT' : 'SIGKILL';
      signals[signal] = (signals[signal] ?? 0) + 1;
      // A random moment from halfway to the temp file's appearance to just past the end.
      const at = tempAt / 2 + rnd() * (duration * 1.05 - tempAt / 2);
      const proc = build();
      const end = exited(proc);
      const t0 = Date.now();
      while (Date.now() - t0 < at && proc.exitCode === null) await sleep(Math.min(5, Math.max(1, at - (Date.now() - t0))));
      const writing = temps().some((name) => !leftovers.has(name));
      if (proc.exitCode === null) proc.kill(signal);
      const { code } = await end;
      const finished = code === 0;
      if (finished) completed++;
      else if (writing) midWrite++;
      const now = readFileSync(out);
      let ok = now.equals(previous);
      if (!ok && finished) {
        // The build completed before the signal: the new zip must be whole.
        ok = await readZip(now).then(() => true, () => false);
      }
      if (ok) intact++;
      else problems.push(`kill ${k} (${signal} at ${Math.round(at)} ms): the zip is neither the previous one nor a complete new one`);
      previous = now;
      const left = temps().filter((name) => !leftovers.has(name));
      if (signal !== 'SIGKILL' && left.length > 0) problems.push(`kill ${k} (${signal}): temp files left: ${left.join(', ')}`);
      for (const name of left) if (!leftovers.has(name)) leftovers.set(name, k);
      // SIGKILL leaves no chance to clean up: the next build that gets as far as writing sweeps
      // them (checked here for every earlier leftover, the final build below sweeps the rest).
      if (writing || finished) {
        for (const [name, from] of leftovers) {
          if (from < k && existsSync(join(out, '..', name))) problems.push(`kill ${k}: the temp file ${name} of kill ${from} survived a later build`);
          if (from < k) leftovers.delete(name);
        }
      }
    }
    const last = build();
    assert.equal((await exited(last)).code, 0, 'the final build completes');
    await readZip(out);
    const survivors = temps();
    const clean = KILLS - new Set(problems.filter((p) => /temp file/.test(p)).map((p) => p.split(':')[0])).size - survivors.length;
    const detail = () => problems.slice(0, 10).join('\n');
    figure({ area: AREA, name: 'builds killed at random moments', value: KILLS, min: 50, note: `${JSON.stringify(signals)}; ${midWrite} while writing the zip, ${completed} finished first; a build takes ${duration} ms` });
    figure({ area: AREA, name: 'kills that landed while the zip was being written', value: midWrite, min: 8 });
    figure({ area: AREA, name: 'kills after which the previous zip (or the complete new one) was intact', value: intact, min: KILLS }, detail);
    figure({ area: AREA, name: 'kills after which no temp file was left (SIGKILL: after the next build)', value: clean, min: KILLS, note: `${survivors.length} temp files after the final build` }, detail);
  });

  it('a scaffold killed while it overwrites the admin\'s files keeps the admin\'s content, in place or backed up, and every file whole', async () => {
    const child = join(mkdtempSync(join(tmpdir(), 'pinpack-scaffold-child-')), 'scaffold-child.js');
    const esbuild = join(repoRoot, 'node_modules', 'esbuild', 'bin', 'esbuild');
    const bundled = spawnSync(esbuild, [join(repoRoot, 'test', 'reliability', 'scaffold-child.ts'), '--bundle', '--platform=node', `--outfile=${child}`, '--log-level=warning', '--define:PINPACK_VERSION="0.0.0"', '--loader:.ps1=text', '--loader:.psm1=text', '--loader:.bat=text', '--loader:.cmd=text', '--loader:.md=text', '--loader:.xml=text'], { encoding: 'utf8' });
    assert.equal(bundled.status, 0, bundled.stderr);
    try {
      const rnd = random(7);
      let runs = 0;
      let adminIntact = 0;
      let whole = 0;
      let strays = 0;
      let interrupted = 0;
      let hiddenTemps = 0;
      let tempsAfterRerun = 0;
      let finished = 0;
      const problems: string[] = [];
      // The full scaffold, once, to know every file PinPack writes and to time a run.
      const reference = join(root, 'reference');
      await scaffoldWorkspace({ dir: reference, target: 'sccm', name: 'Sales', users: ['a@contoso.com'], adDomain: 'contoso.com' });
      const proposed = new Map(files(reference).map((f) => [f, readFileSync(join(reference, f))]));
      // How long a scaffold takes from "ready" to "done", overwriting every admin file.
      const timing = join(root, 'scaffold-timing');
      await scaffoldWorkspace({ dir: timing, target: 'sccm', name: 'Sales', users: ['a@contoso.com'], adDomain: 'contoso.com' });
      for (const f of files(timing).filter((f) => /\.(ps1|bat|md)$/.test(f))) writeFileSync(join(timing, f), 'edited');
      const timed = spawn(process.execPath, [child, timing, 'sccm', 'overwrite'], { stdio: ['ignore', 'pipe', 'inherit'] });
      let readyAt = 0;
      let doneAt = 0;
      timed.stdout?.on('data', (d: Buffer) => {
        if (d.toString().includes('ready') && !readyAt) readyAt = Date.now();
        if (d.toString().includes('done')) doneAt = Date.now();
      });
      await exited(timed);
      const window = Math.max(2, doneAt - readyAt);
      for (let k = 0; k < 30; k++) {
        const policy = k % 3 === 0 ? 'keep' : 'overwrite';
        const dir = join(root, `scaffold-${k}`);
        await scaffoldWorkspace({ dir, target: 'sccm', name: 'Sales', users: ['a@contoso.com'], adDomain: 'contoso.com' });
        // The admin's edits: every script and the README, changed since PinPack wrote them.
        const admin = new Map<string, Buffer>();
        for (const f of files(dir).filter((f) => /\.(ps1|bat|md)$/.test(f))) {
          const text = Buffer.from(`${readFileSync(join(dir, f), 'utf8')}\r\n# the admin's edit ${k}\r\n`);
          writeFileSync(join(dir, f), text);
          admin.set(f, text);
        }
        const proc = spawn(process.execPath, [child, dir, 'sccm', policy], { stdio: ['ignore', 'pipe', 'inherit'] });
        const end = exited(proc);
        let said = '';
        await new Promise<void>((resolve) =>
          proc.stdout?.on('data', (d: Buffer) => {
            said += d.toString();
            if (said.includes('ready')) resolve();
          }),
        );
        if (policy === 'overwrite' && k % 2 === 1) {
          // Right after the first backup appears: midway through the overwriting, for certain.
          const backupDir = join(dir, '.pinpack', 'backup');
          const deadline = Date.now() + 5_000;
          while (Date.now() < deadline && proc.exitCode === null && !(existsSync(backupDir) && readdirSync(backupDir).length > 0)) await new Promise((resolve) => setImmediate(resolve));
        } else {
          // A random moment within the time a whole scaffold takes.
          await sleep(Math.floor(rnd() * window * 1.1));
        }
        proc.kill(k % 5 === 4 ? 'SIGTERM' : 'SIGKILL');
        await end;
        runs++;
        if (said.includes('done')) finished++;
        const now = files(dir);
        const backups = now.filter((f) => f.startsWith('.pinpack/backup/'));
        const replaced = [...admin.keys()].filter((f) => !(existsSync(join(dir, f)) && readFileSync(join(dir, f)).equals(admin.get(f) as Buffer)));
        if ((backups.length > 0 || replaced.length > 0) && !said.includes('done') && replaced.length < admin.size) interrupted++;
        let kept = true;
        for (const [f, text] of admin) {
          const inPlace = existsSync(join(dir, f)) && readFileSync(join(dir, f)).equals(text);
          const backedUp = backups.some((b) => b.startsWith(`.pinpack/backup/${f}.`) && readFileSync(join(dir, b)).equals(text));
          if (!inPlace && !backedUp) {
            kept = false;
            problems.push(`run ${k} (${policy}): the admin's ${f} is lost`);
          }
          if (policy === 'keep' && !inPlace) kept = false;
        }
        if (kept) adminIntact++;
        // Every file is whole: the admin's version, PinPack's full version, or a complete backup.
        let allWhole = true;
        for (const f of now.filter((f) => !f.startsWith('.pinpack/') && !TEMP_FILE.test(f))) {
          const data = readFileSync(join(dir, f));
          if (!(admin.get(f)?.equals(data) || proposed.get(f)?.equals(data) || f === 'pinpack.json')) {
            allWhole = false;
            strays++;
            problems.push(`run ${k} (${policy}): ${f} is neither the admin's nor PinPack's whole file`);
          }
        }
        // A kill mid-write may leave a temp file, always a dot file beside the target: never
        // packaged or linted, and never the admin's file.
        hiddenTemps += now.filter((f) => TEMP_FILE.test(f)).length;
        // The next scaffold of the folder (keeping the admin's files) sweeps what the kill left.
        await scaffoldWorkspace({ dir, target: 'sccm', name: 'Sales', users: ['a@contoso.com'], adDomain: 'contoso.com', onConflict: 'keep' });
        const left = files(dir).filter((f) => TEMP_FILE.test(f));
        if (left.length > 0) problems.push(`run ${k} (${policy}): the next scaffold left ${left.join(', ')}`);
        tempsAfterRerun += left.length;
        if (allWhole) whole++;
      }
      const detail = () => problems.slice(0, 10).join('\n');
      figure({ area: AREA, name: 'scaffolds killed while overwriting the admin\'s files', value: runs, min: 30, note: `${interrupted} caught midway (some files replaced, not all), ${finished} finished first; a scaffold takes ${window} ms` });
      figure({ area: AREA, name: 'killed scaffolds caught midway', value: interrupted, min: 3 });
      figure({ area: AREA, name: 'killed scaffolds that kept every admin file (in place or backed up)', value: adminIntact, min: runs }, detail);
      figure({ area: AREA, name: 'killed scaffolds that left every file whole (a temp file only as a hidden dot file)', value: whole, min: runs, note: `${strays} stray or torn files; ${hiddenTemps} hidden temp files left by SIGKILL` }, detail);
      figure({ area: AREA, name: 'temp files left after the next scaffold of a killed one', value: tempsAfterRerun, max: 0 }, detail);
    } finally {
      rmSync(join(child, '..'), { recursive: true, force: true });
    }
  });
});
