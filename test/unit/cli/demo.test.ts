import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspectZip } from '../../../src/core/archive/inspect';
import { readZip } from '../../../src/core/archive/reader';
import { PIN_MASK } from '../../../src/core/pins/mask';
import { parsePinFile, PIN_FILE_NAME } from '../../../src/core/workspace/package-files';
import { workspacePinFileParser } from '../../../src/core/workspace/pin-file-review';
import { TargetId } from '../../../src/core/workspace/targets';
import { repoRoot } from '../paths';
import { runPinpack, type CliRun } from './run-pinpack';

type Run = CliRun;

const pinpack = (args: readonly string[], cwd: string): Promise<Run> => runPinpack(args, { cwd });

const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('pinpack demo', function () {
  this.timeout(120_000);
  let root: string;
  let first: Run;
  const out = (): string => join(root, 'demo-output');
  const zipOf = (target: string): string => join(out(), target, 'out', `pilot-${target}.zip`);

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'pinpack-demo-'));
    first = await pinpack(['demo', '--dir', 'demo-output'], root);
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  /** Every PIN inside the deployable zips: the demo tenant issued them, and no output may show one. */
  async function issuedPins(): Promise<string[]> {
    const pins: string[] = [];
    for (const target of TargetId.options) {
      const entries = await readZip(zipOf(target));
      const file = parsePinFile(entries.find((e) => e.name === PIN_FILE_NAME)?.data?.toString() ?? '');
      pins.push(...file.pins.map((p) => p.pin));
    }
    return pins;
  }

  it('runs the whole job and builds one verified zip per target', async () => {
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.stderr, '');
    for (const step of ['[1/7] Demo tenant on http://127.0.0.1:', '[2/7] Users of the group "Windows Pilot"', '[3/7] Generating their PINs', '[4/7] Scaffolding', '[5/7] Linting', '[6/7] Building', '[7/7] Inspecting']) {
      assert.ok(first.stdout.includes(step), step);
    }
    assert.match(first.stdout, /\n {2}PINs (\d+)\/\1: \1 issued, 0 skipped, 0 failed\n/, 'the PIN progress ends complete');
    for (const target of TargetId.options) {
      const report = await inspectZip(zipOf(target), { pinFileParsers: [workspacePinFileParser] });
      assert.equal(report.target.id, target);
      assert.equal(report.manifest.redacted, false);
      assert.ok(report.manifest.verified > 0);
      assert.deepEqual([report.manifest.mismatched, report.manifest.missing, report.manifest.unlisted], [[], [], []]);
      assert.ok((report.pinFiles[0]?.users ?? 0) > 0, `${target} has enrollees`);
    }
    const review = await readZip(join(out(), 'sccm', 'out', 'pilot-sccm.redacted.zip'));
    const masked = parsePinFile(review.find((e) => e.name === PIN_FILE_NAME)?.data?.toString() ?? '');
    assert.ok(masked.pins.length > 0 && masked.pins.every((p) => p.pin === PIN_MASK));
  });

  it('enrolls devices in EPM case 1 (<device name>@<AD domain>, as setup.ps1 looks them up) and people elsewhere', async () => {
    const entries = await readZip(zipOf('epm-case1'));
    const settings = JSON.parse(entries.find((e) => e.name === 'pinpack-settings.json')?.data?.toString() ?? '{}') as { adDomain?: string; upnMode?: string };
    assert.equal(settings.upnMode, 'device');
    const upns = parsePinFile(entries.find((e) => e.name === PIN_FILE_NAME)?.data?.toString() ?? '').pins.map((p) => p.upn);
    assert.ok(upns.length > 0);
    // setup.ps1 enrolls $env:COMPUTERNAME + '@' + adDomain (case-insensitively): a device name, no dots or spaces.
    for (const upn of upns) assert.match(upn, new RegExp(`^[a-z0-9-]{1,15}@${(settings.adDomain ?? '?').replace(/\./g, '\\.')}$`, 'i'), upn);
    assert.match(first.stdout, /Device accounts of the group "Windows Pilot Devices" \(EPM case 1 enrolls <device name>@<AD domain>\): [1-9]/);
    const people = parsePinFile((await readZip(zipOf('epm-case2'))).find((e) => e.name === PIN_FILE_NAME)?.data?.toString() ?? '').pins.map((p) => p.upn);
    assert.ok(people.length > 0 && people.every((u) => !upns.includes(u)), 'the other targets enroll the pilot users, not the devices');
  });

  it('ends with a summary of every zip and its SHA-256, and how to open the result', () => {
    const summary = first.stdout.slice(first.stdout.indexOf('\nSummary\n') + 1);
    const lines = summary.split('\n');
    assert.match(lines[1] as string, /^TARGET\s+ENROLLEES\s+LINT \(E\/W\/I\)\s+ZIP\s+SHA-256$/);
    const rows = lines.slice(3, 9);
    const expected = [...TargetId.options.map((t) => [t, zipOf(t)]), ['sccm (redacted)', join(out(), 'sccm', 'out', 'pilot-sccm.redacted.zip')]];
    for (const [i, [label, zip]] of expected.entries()) {
      const cells = (rows[i] as string).split(/ {2,}/);
      assert.equal(cells[0], label);
      assert.match(cells[1] as string, /^\d+$/);
      assert.equal(cells[2], '0/0/0');
      assert.equal(join(root, cells[3] as string), zip);
      assert.equal(cells[4], sha256(zip as string));
    }
    assert.match(summary, /\nOpen the result in VS Code: +code demo-output\n/);
  });

  it('never prints a PIN', async () => {
    const pins = await issuedPins();
    assert.ok(pins.length >= 5);
    for (const pin of pins) assert.ok(!first.stdout.includes(pin) && !first.stderr.includes(pin), 'a PIN reached the output');
    const review = readFileSync(join(out(), 'sccm', 'out', 'pilot-sccm.redacted.zip'));
    for (const pin of pins) assert.equal(review.indexOf(pin), -1);
  });

  it('re-runs safely: keeps the admin\'s edits and anything else in its folder, rebuilds the zips', async () => {
    appendFileSync(join(out(), 'epm-case2', 'setup.ps1'), '# reviewed by the change board\r\n');
    writeFileSync(join(out(), 'notes.txt'), 'mine');
    const again = await pinpack(['demo', '--dir', 'demo-output'], root);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /Output: demo-output \(already there from an earlier run: updating it\)/);
    assert.match(again.stdout, /epm-case2 +demo-output\/epm-case2: 0 created, 0 updated, \d+ unchanged, kept your changes to setup\.ps1\n/);
    assert.ok(readFileSync(join(out(), 'epm-case2', 'setup.ps1'), 'utf8').endsWith('# reviewed by the change board\r\n'));
    assert.equal(readFileSync(join(out(), 'notes.txt'), 'utf8'), 'mine');
    const shipped = (await readZip(zipOf('epm-case2'))).find((e) => e.name === 'setup.ps1');
    assert.ok(shipped?.data?.toString().endsWith('# reviewed by the change board\r\n'), 'the rebuilt zip carries the edit');
    for (const pin of await issuedPins()) assert.ok(!again.stdout.includes(pin) && !again.stderr.includes(pin));
  });

  it('refuses a folder it did not create, and touches nothing in it', async () => {
    const foreign = join(root, 'mine');
    mkdirSync(foreign);
    writeFileSync(join(foreign, 'keep.txt'), 'precious');
    const run = await pinpack(['demo', '--dir', 'mine'], root);
    assert.equal(run.code, 2);
    assert.equal(run.stderr, `pinpack demo: ${foreign} already exists and was not created by "pinpack demo" (it has no .pinpack-demo file), so the demo leaves it alone: choose another folder with --dir.\n`);
    assert.deepEqual(readdirSync(foreign), ['keep.txt']);
    writeFileSync(join(root, 'a-file'), '');
    const file = await pinpack(['demo', '--dir', 'a-file'], root);
    assert.equal(file.code, 2);
    assert.match(file.stderr, /a-file is a file: choose a folder for the demo with --dir\./);
    assert.equal(readFileSync(join(root, 'a-file'), 'utf8'), '');
  });

  it('is what npm run demo runs, after building the bundle', () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    assert.equal(pkg.scripts['demo'], 'node esbuild.mjs && node dist/cli.js demo');
  });
});
