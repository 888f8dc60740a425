import * as assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PinPackError } from '../../../../src/core/errors';
import { isTempFileOf } from '../../../../src/core/archive/atomic-file';
import { writeZip } from '../../../../src/core/archive/writer';
import { repoRoot } from '../../paths';
import { readAllPlain } from './yauzl-read';

describe('core/archive atomic writes', function () {
  this.timeout(60_000);
  let dir: string;
  let target: string;
  let previous: Buffer;
  let child: string;

  before(() => {
    // The child is bundled on the fly so it runs the same sources as the tests.
    child = join(mkdtempSync(join(tmpdir(), 'pinpack-child-')), 'build-child.js');
    const esbuild = join(repoRoot, 'node_modules', 'esbuild', 'bin', 'esbuild');
    const result = spawnSync(esbuild, [join(repoRoot, 'test/unit/core/archive/build-child.ts'), '--bundle', '--platform=node', `--outfile=${child}`, '--log-level=warning'], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
  });
  after(() => rmSync(join(child, '..'), { recursive: true, force: true }));

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pinpack-atomic-'));
    target = join(dir, 'package.zip');
    await writeZip(target, [{ name: 'setup.ps1', data: Buffer.from('the previous build') }]);
    previous = readFileSync(target);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const tempFiles = () => readdirSync(dir).filter((name) => isTempFileOf(target, name));

  /** Starts the child and resolves once its temp file holds more than 1 MB, i.e. mid-write. */
  async function startBuild(): Promise<ChildProcess> {
    const proc = spawn(process.execPath, [child, target, '64'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const temp = tempFiles()[0];
      if (temp && statSync(join(dir, temp)).size > 1024 * 1024) return proc;
      if (proc.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    proc.kill('SIGKILL');
    throw new Error('the child never got to write its temp file');
  }

  const exited = (proc: ChildProcess) => new Promise<NodeJS.Signals | null>((resolve) => proc.once('exit', (_code, signal) => resolve(signal)));

  it('keeps the previous zip when a build is SIGKILLed mid-write, and the next build sweeps the leftover', async () => {
    const proc = await startBuild();
    const done = exited(proc);
    proc.kill('SIGKILL');
    assert.equal(await done, 'SIGKILL');
    assert.ok(readFileSync(target).equals(previous), 'the previous zip is intact');
    // Nothing survives SIGKILL to clean up: the leftover is removed by the next write.
    assert.equal(tempFiles().length, 1);
    await writeZip(target, [{ name: 'setup.ps1', data: Buffer.from('the next build') }]);
    assert.deepEqual(tempFiles(), []);
    assert.equal((await readAllPlain(target))[0]?.data.toString(), 'the next build');
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`keeps the previous zip and removes the temp file on ${signal}`, async () => {
      const proc = await startBuild();
      const done = exited(proc);
      proc.kill(signal);
      assert.equal(await done, signal);
      assert.ok(readFileSync(target).equals(previous));
      assert.deepEqual(tempFiles(), []);
      assert.deepEqual(readdirSync(dir), ['package.zip']);
    });
  }

  it('keeps the previous zip and leaves no temp file when a build fails', async () => {
    await assert.rejects(
      writeZip(target, [{ name: 'a.txt', data: Buffer.from('a') }, { name: 'b.txt', file: join(dir, 'missing.txt') }]),
      (e: unknown) => e instanceof PinPackError && e.kind === 'io',
    );
    assert.ok(readFileSync(target).equals(previous));
    assert.deepEqual(readdirSync(dir), ['package.zip']);
  });

  it('replaces the previous zip only once the new one is complete', async () => {
    const proc = spawn(process.execPath, [child, target, '2'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    await exited(proc);
    assert.equal(out, 'finished\n');
    assert.deepEqual(readdirSync(dir), ['package.zip']);
    const entries = await readAllPlain(target);
    assert.deepEqual(entries.map((e) => e.name), ['part0.bin', 'part1.bin', 'part2.bin', 'part3.bin', 'part4.bin', 'part5.bin']);
  });
});
