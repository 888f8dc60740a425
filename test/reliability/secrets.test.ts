import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { readZip } from '../../src/core/archive/reader';
import { TenantClient } from '../../src/core/tenant/client';
import { DEMO_PASSWORD, DEMO_USERNAME, startDemoTenant } from '../../src/demo-tenant/server';
import { figure, repoRoot } from './figures';

/**
 * Secrets (issue #10): the whole demo flow (`pinpack demo`), and the tenant commands run under
 * faults, with every file they write, every line they print and every zip entry scanned for every
 * PIN and password used. The one place a PIN may be is the PIN file inside a deployable zip.
 * (The extension's own flow is scanned by its integration test.)
 */

const AREA = 'secrets';
const cli = join(repoRoot, 'dist', 'cli.js');
const PIN_FILE = 'pinpack-pins.json';

interface Run {
  readonly code: number | null;
  readonly output: string;
}

function pinpack(args: readonly string[], options: { cwd: string; env: Record<string, string> }): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: options.cwd, env: { PATH: process.env['PATH'] ?? '', ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

function allFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.push(full);
    }
  };
  walk(dir);
  return out;
}

/** Where each secret occurs: `place` for every occurrence, in text read as UTF-8 and UTF-16. */
function occurrences(place: string, data: Buffer, secrets: readonly string[]): string[] {
  const texts = [data.toString('utf8'), data.toString('utf16le'), data.toString('latin1')];
  return secrets.filter((s) => texts.some((t) => t.includes(s))).map((s) => `${place} holds ${s.length > 4 ? `${s.slice(0, 2)}…` : '…'}`);
}

/** Scans every file under `dir`, opening zips and skipping only a deployable zip's PIN file. */
async function scanTree(dir: string, secrets: readonly string[]): Promise<{ files: number; entries: number; pinFiles: number; found: string[] }> {
  let files = 0;
  let entries = 0;
  let pinFiles = 0;
  const found: string[] = [];
  for (const path of allFiles(dir)) {
    files++;
    const place = relative(dir, path).split(sep).join('/');
    const data = readFileSync(path);
    if (!path.endsWith('.zip')) {
      found.push(...occurrences(place, data, secrets));
      continue;
    }
    const redacted = path.endsWith('.redacted.zip');
    for (const entry of await readZip(path)) {
      entries++;
      if (entry.directory || !entry.data) continue;
      if (entry.name === PIN_FILE && !redacted) {
        pinFiles++;
        continue;
      }
      found.push(...occurrences(`${place}!${entry.name}`, entry.data, secrets));
    }
  }
  return { files, entries, pinFiles, found };
}

/** The PINs inside the deployable zips' PIN files: the PINs the demo generated and used. */
async function pinsInZips(dir: string): Promise<string[]> {
  const pins = new Set<string>();
  for (const path of allFiles(dir).filter((p) => p.endsWith('.zip') && !p.endsWith('.redacted.zip'))) {
    for (const entry of await readZip(path)) {
      if (entry.name !== PIN_FILE || !entry.data) continue;
      const parsed = JSON.parse(entry.data.toString('utf8')) as { pins: { pin: string }[] };
      for (const p of parsed.pins) pins.add(p.pin);
    }
  }
  return [...pins];
}

describe('reliability: secrets', function () {
  this.timeout(300_000);
  let root: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'pinpack-secrets-'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('the whole demo flow: no PIN or password in any file written, line printed or zip entry but the deployable zips\' PIN file', async () => {
    // HOME, the temp folder and the working folder are the run's own, so every file it writes is scanned.
    const home = join(root, 'demo-home');
    const temp = join(root, 'demo-tmp');
    const cwd = join(root, 'demo-cwd');
    for (const d of [home, temp, cwd]) mkdirSync(d, { recursive: true });
    const run = await pinpack(['demo', '--dir', join(cwd, 'demo-output')], { cwd, env: { HOME: home, TMPDIR: temp, USERPROFILE: home } });
    writeFileSync(join(cwd, 'demo.log'), run.output);
    assert.equal(run.code, 0, run.output);
    const pins = await pinsInZips(cwd);
    assert.ok(pins.length >= 3, `the demo's zips carry PINs (${pins.length})`);
    assert.ok(pins.every((p) => p.length >= 6), 'PINs long enough to search for');
    const secrets = [...pins, DEMO_PASSWORD, Buffer.from(`${DEMO_USERNAME}:${DEMO_PASSWORD}`).toString('base64')];
    const scans = await Promise.all([cwd, home, temp].map((d) => scanTree(d, secrets)));
    const found = scans.flatMap((s) => s.found);
    const filesScanned = scans.reduce((a, s) => a + s.files, 0);
    figure({ area: AREA, name: 'demo flow: PINs and passwords searched for', value: secrets.length, min: 5, note: `${pins.length} PINs from the zips, the password and its Basic token` });
    figure({ area: AREA, name: 'demo flow: files scanned (workspaces, zips, log)', value: filesScanned, min: 10, note: `${scans.reduce((a, s) => a + s.entries, 0)} zip entries opened, ${scans.reduce((a, s) => a + s.pinFiles, 0)} PIN files allowed` });
    figure({ area: AREA, name: 'demo flow: secrets found outside the zips\' PIN file', value: found.length, max: 0 }, () => found.slice(0, 10).join('\n'));
  });

  it('tenant commands and a build under faults: no PIN or password in any message, log or file', async () => {
    const tenant = await startDemoTenant({ users: 80, seed: 'secrets' });
    try {
      const cwd = join(root, 'faults');
      mkdirSync(cwd, { recursive: true });
      const env = { HOME: cwd, TMPDIR: cwd, PINPACK_TENANT_URL: tenant.url, PINPACK_USER: tenant.username, PINPACK_PASSWORD: tenant.password };
      const client = new TenantClient({ url: tenant.url, username: tenant.username, password: tenant.password });
      const uids: string[] = [];
      for await (const account of client.users({}, { limit: 80 })) if (account.accountType === 'USER' && account.enabled !== false && !/\s/.test(account.uid)) uids.push(account.uid);
      const chosen = uids.slice(0, 6);
      const outputs: string[] = [];
      const specs = ['*:500@0.4,*:drop@0.2', '*:503=0@0.4,*:reset@0.2', '*:malformed@0.3,*:html@0.2', '*:drift@0.5', '*:429=0@0.5,account:stall=100@0.2', '*:401', 'regpin:500'];
      let commands = 0;
      for (const spec of specs) {
        tenant.faults.set(spec);
        const runs = [
          await pinpack(['pins', 'generate', ...chosen.flatMap((u) => ['--user', u])], { cwd, env }),
          await pinpack(['users', '--format', 'json'], { cwd, env }),
        ];
        tenant.faults.clear();
        const ws = join(cwd, `ws-${commands}`);
        runs.push(await pinpack(['new', ws, '--target', 'sccm', ...chosen.flatMap((u) => ['--user', u])], { cwd, env }));
        tenant.faults.set(spec);
        runs.push(await pinpack(['build', ws], { cwd, env }));
        tenant.faults.clear();
        commands += runs.length;
        outputs.push(...runs.map((r, i) => `== ${spec} #${i} (exit ${r.code})\n${r.output}`));
      }
      writeFileSync(join(cwd, 'commands.log'), outputs.join('\n'));
      // Every PIN the tenant issued during the run, read back without faults.
      const pins: string[] = [];
      for (const uid of chosen) {
        const pin = (await client.getUserByUid(uid))?.registrationPin?.pin;
        if (pin) pins.push(pin);
      }
      client.close();
      assert.ok(pins.length > 0, 'some PINs were issued despite the faults');
      const secrets = [...pins, tenant.password, Buffer.from(`${tenant.username}:${tenant.password}`).toString('base64')];
      const scan = await scanTree(cwd, secrets);
      const failures = outputs.filter((o) => /\(exit [^0]/.test(o.split('\n')[0] ?? '')).length;
      figure({ area: AREA, name: 'commands run under tenant faults', value: commands, min: 28, note: `${failures} failed with a message; ${scan.files} files and ${scan.entries} zip entries scanned for ${pins.length} PINs and the password` });
      figure({ area: AREA, name: 'faults: secrets found in messages, logs or files outside the zips\' PIN file', value: scan.found.length, max: 0 }, () => scan.found.slice(0, 10).join('\n'));
      assert.ok(failures > 0, 'the faults made some commands fail, so their messages were scanned');
    } finally {
      await tenant.close();
    }
  });
});
