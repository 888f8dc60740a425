import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { powershellCorpus } from '../../../../bench/lint-corpus';
import { LINT_HEAP_FLAGS } from '../../../../src/core/lint/heap-tuning';
import { cliPath, distDir, repoRoot } from '../../paths';
import { ServerProcess, serverPath } from '../../server/server-process';

/**
 * V8 prints a "pretenuring:" line at each young collection while allocation-site pretenuring is
 * on (--trace-pretenuring-statistics), and "Scavenge" for each young collection (--trace-gc).
 */
const TRACE = ['--trace-pretenuring-statistics', '--trace-gc'];
const pretenuringLines = (output: string) => output.split('\n').filter((l) => l.includes('pretenuring:'));
const scavenges = (output: string) => output.split('\n').filter((l) => l.includes('Scavenge')).length;

/**
 * A tree of object literals that stays alive across young collections, as a large script's
 * syntax tree does while the rules run: the pattern V8 pretenures.
 */
const TREES = `
if (process.argv[1] === 'tuned') require('node:v8').setFlagsFromString('${LINT_HEAP_FLAGS}');
let kept;
for (let round = 0; round < 40; round++) {
  const nodes = [];
  for (let i = 0; i < 50000; i++) nodes.push({ type: 'Command', start: i, end: i + 1, name: 'x' + i });
  kept = nodes;
}
`;

describe('core/lint heap tuning: the processes that lint run without allocation-site pretenuring', function () {
  this.timeout(120_000);
  let root: string;

  before(() => {
    // Six scripts of 5,000 lines: enough allocation for several young collections.
    root = mkdtempSync(join(tmpdir(), 'pinpack-heap-'));
    mkdirSync(join(root, 'pkg'));
    writeFileSync(join(root, 'pkg', 'pinpack.json'), '{}');
    powershellCorpus(repoRoot, 30_000, 5_000).forEach((text, i) => writeFileSync(join(root, 'pkg', `script${i}.ps1`), text));
  });

  after(() => rmSync(root, { recursive: true, force: true }));

  it('V8 reports its pretenuring in a process that keeps trees alive, and none once the flag is set as PinPack sets it', () => {
    const run = (mode: string) => spawnSync(process.execPath, [...TRACE, '-e', TREES, mode], { encoding: 'utf8' });
    const untuned = run('untuned');
    assert.equal(untuned.status, 0, untuned.stderr);
    assert.ok(pretenuringLines(untuned.stdout).length > 0, 'this Node reports pretenuring with --trace-pretenuring-statistics');
    const tuned = run('tuned');
    assert.equal(tuned.status, 0, tuned.stderr);
    assert.ok(scavenges(tuned.stdout) > 0);
    assert.deepEqual(pretenuringLines(tuned.stdout), []);
  });

  it('pinpack lint', () => {
    const lint = spawnSync(process.execPath, [...TRACE, cliPath, 'lint', join(root, 'pkg'), '--format', 'json'], { encoding: 'utf8', maxBuffer: 64 << 20 });
    assert.ok(lint.status === 0 || lint.status === 1, lint.stderr);
    assert.match(lint.stdout, /script5\.ps1/, 'every script was linted');
    assert.ok(scavenges(lint.stdout) >= 3, `${scavenges(lint.stdout)} young collections`);
    assert.deepEqual(pretenuringLines(lint.stdout), []);
  });

  it('the language server', async () => {
    const { server } = await ServerProcess.start({ serverPath: serverPath(distDir), folders: [root], nodeOptions: TRACE });
    try {
      const linted = await server.waitFor('the workspace lint', () => server.workspaceLints[0], 90_000);
      assert.equal(linted.files, 7);
      assert.ok(scavenges(server.output) >= 3, `${scavenges(server.output)} young collections`);
      assert.deepEqual(pretenuringLines(server.output), []);
    } finally {
      await server.stop();
    }
  });
});
