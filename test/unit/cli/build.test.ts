import * as assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspectZip } from '../../../src/core/archive/inspect';
import { MANIFEST_NAME, parseManifest } from '../../../src/core/archive/manifest';
import { readZip } from '../../../src/core/archive/reader';
import { lintTexts } from '../../../src/core/lint/lint-texts';
import { PIN_MASK } from '../../../src/core/pins/mask';
import { pinSkipReason } from '../../../src/core/tenant/pin-eligibility';
import { parsePackageSettings, parsePinFile, PIN_FILE_NAME, SETTINGS_FILE_NAME } from '../../../src/core/workspace/package-files';
import { workspacePinFileParser } from '../../../src/core/workspace/pin-file-review';
import { DEMO_GROUPS, type DemoUser } from '../../../src/demo-tenant/directory';
import { startDemoTenant, type DemoTenant } from '../../../src/demo-tenant/server';
import { runPinpack, type CliRun } from './run-pinpack';

type Run = CliRun;

const pinpack = (args: readonly string[], env: Record<string, string | undefined>, cwd: string): Promise<Run> => runPinpack(args, { env, cwd });

const HOUR = 3_600_000;

describe('pinpack build', function () {
  this.timeout(60_000);
  let tenant: DemoTenant;
  let env: Record<string, string>;
  let root: string;
  let ws: string;
  let users: DemoUser[];
  /** When the PIN that lapses first was created. */
  let secondCreatedAt: number;
  /** Every PIN this suite put on the tenant: none may ever reach an output. */
  const issued = new Set<string>();

  const setPin = (user: DemoUser, pin: string, createdAt: number, used = false): void => {
    issued.add(pin);
    tenant.setPin(user.id, { pin, createdAt, used });
  };
  const assertNoPin = (run: Run): void => {
    for (const pin of issued) {
      assert.ok(!run.stdout.includes(pin) && !run.stderr.includes(pin), `a PIN reached the output:\n${run.stdout}\n${run.stderr}`);
    }
  };
  const build = async (args: readonly string[], extraEnv: Record<string, string> = {}, withTenant = true): Promise<Run> => {
    const run = await pinpack(['build', ...args], { ...(withTenant ? env : {}), ...extraEnv }, root);
    assertNoPin(run);
    return run;
  };
  const zipPath = (): string => join(ws, 'out', 'pilot.zip');

  before(async () => {
    tenant = await startDemoTenant({ users: 120, seed: 'build' });
    env = { PINPACK_TENANT_URL: tenant.url, PINPACK_USER: tenant.username, PINPACK_PASSWORD: tenant.password };
    users = [];
    for (let i = 0; users.length < 2; i++) {
      const user = tenant.directory.userAt(i);
      if (!pinSkipReason({ ...user, groups: [...user.groups] })) users.push(user);
    }
  });
  after(() => tenant.close());

  beforeEach(async () => {
    root = mkdtempSync(join(tmpdir(), 'pinpack-build-cli-'));
    ws = join(root, 'ws');
    const made = await pinpack(['new', 'ws', '--target', 'epm-case2', '--name', 'pilot', ...users.flatMap((u) => ['--user', u.uid])], {}, root);
    assert.equal(made.code, 0, made.stderr);
    setPin(users[0] as DemoUser, '48291375', Date.now() - HOUR);
    secondCreatedAt = Date.now() - 2 * HOUR;
    setPin(users[1] as DemoUser, '77120466', secondCreatedAt);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('builds a zip that the reader and inspect accept, with verified hashes, the target, the settings and the PINs', async () => {
    const run = await build(['ws']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, '');
    const deployBefore = new Date(secondCreatedAt + 24 * HOUR).toISOString();
    assert.ok(run.stdout.includes(`\nEnrollees: 2 (deploy before ${deployBefore}, when the first PIN expires)\n`), run.stdout);
    assert.match(run.stdout, /^Lint: 0 errors, 0 warnings, 0 infos in 2 files\nEnrollees: 2 \(deploy before \S+Z, when the first PIN expires\)\nBuilt package .*pilot\.zip\n  target epm-case2, 2 enrollees, 5 files, [\d.]+ KiB\n  SHA-256 [0-9a-f]{64}\n$/);

    const entries = await readZip(zipPath());
    assert.deepEqual(entries.map((e) => e.name), ['README.md', PIN_FILE_NAME, SETTINGS_FILE_NAME, 'setup.ps1', MANIFEST_NAME]);
    const parsed = parseManifest(entries[4]?.data as Buffer);
    assert.ok('manifest' in parsed);
    assert.equal(parsed.manifest.target, 'epm-case2');
    assert.equal(parsed.manifest.enrollees, 2);
    assert.equal(parsed.manifest.redacted, false);

    const report = await inspectZip(zipPath(), { pinFileParsers: [workspacePinFileParser], lint: lintTexts });
    assert.equal(report.kind, 'pinpack');
    assert.equal(report.target.id, 'epm-case2');
    assert.equal(report.manifest.verified, 4);
    assert.deepEqual([report.manifest.mismatched, report.manifest.missing, report.manifest.unlisted], [[], [], []]);
    assert.equal(report.pinFiles[0]?.users, 2);
    assert.notEqual(report.lint, 'not available');
    assert.equal(report.lint !== 'not available' && report.lint.summary.errors, 0);

    const pins = parsePinFile(entries[1]?.data?.toString() ?? '');
    const byUpn = new Map(pins.pins.map((p) => [p.upn, p]));
    assert.equal(byUpn.get((users[0] as DemoUser).uid)?.pin, '48291375');
    assert.equal(byUpn.get((users[1] as DemoUser).uid)?.pin, '77120466');
    const settings = parsePackageSettings(entries[2]?.data?.toString() ?? '');
    assert.equal(settings.target, 'epm-case2');
    assert.equal(settings.upnMode, 'user');
    assert.equal(settings.packageName, 'pilot');
    assert.ok(!readFileSync(join(ws, 'setup.ps1'), 'utf8').includes('48291375'));
  });

  it('gives byte-identical zips for two builds with the same PINs (SOURCE_DATE_EPOCH)', async () => {
    const epoch = { SOURCE_DATE_EPOCH: '1764150000' };
    assert.equal((await build(['ws', '--out', join(root, 'a.zip')], epoch)).code, 0);
    assert.equal((await build(['ws', '--out', join(root, 'b.zip')], epoch)).code, 0);
    const a = readFileSync(join(root, 'a.zip'));
    assert.ok(a.equals(readFileSync(join(root, 'b.zip'))), 'the two builds differ');
    const other = await build(['ws', '--out', join(root, 'c.zip')], { SOURCE_DATE_EPOCH: '1764160000' });
    assert.equal(other.code, 0);
    assert.ok(!a.equals(readFileSync(join(root, 'c.zip'))), 'the timestamp does not reach the zip');
  });

  it('is refused by a lint error, lists the findings, and leaves the previous zip as it was', async () => {
    assert.equal((await build(['ws'])).code, 0);
    const previous = readFileSync(zipPath());
    appendFileSync(join(ws, 'setup.ps1'), '\r\n$broken = (1 +\r\n');
    const run = await build(['ws']);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stdout, /^Lint: 2 errors, 0 warnings, 0 infos in 2 files\n  ws\/setup\.ps1:\d+:\d+ error PP1000 /);
    assert.match(run.stderr, /^pinpack build: Build refused: lint found 2 errors \(first: ws\/setup\.ps1:\d+:\d+ PP1000 .*\); fix them and build again\.\n$/);
    assert.doesNotMatch(run.stdout, /Enrollees/, 'the tenant is not asked before the lint gate');
    assert.ok(readFileSync(zipPath()).equals(previous));
    assert.deepEqual(readdirSync(join(ws, 'out')), ['pilot.zip']);
  });

  it('is refused by warnings beyond --max-warnings', async () => {
    appendFileSync(join(ws, 'setup.ps1'), 'Write-Host "done"\r\n');
    const lenient = await build(['ws']);
    assert.equal(lenient.code, 0, lenient.stderr);
    assert.match(lenient.stdout, /^Lint: 0 errors, 1 warning, 0 infos in 2 files\n  ws\/setup\.ps1:\d+:1 warning PP1008 /);
    const strict = await build(['ws', '--max-warnings', '0']);
    assert.equal(strict.code, 1);
    assert.match(strict.stderr, /Build refused: lint found 1 warning, more than --max-warnings 0 \(first: ws\/setup\.ps1:\d+:1 PP1008 /);
  });

  it('refuses an expired PIN, naming the user and the time, and keeps the previous zip', async () => {
    assert.equal((await build(['ws'])).code, 0);
    const previous = readFileSync(zipPath());
    const user = users[1] as DemoUser;
    const createdAt = Date.now() - 25 * HOUR;
    setPin(user, '90817263', createdAt);
    const run = await build(['ws']);
    assert.equal(run.code, 1, run.stderr);
    const expiredAt = new Date(createdAt + 24 * HOUR).toISOString();
    assert.equal(run.stderr, `pinpack build: Build refused: the PIN of ${user.uid} expired at ${expiredAt}: generate a new one, then build again.\n`);
    assert.ok(readFileSync(zipPath()).equals(previous));
    assert.deepEqual(readdirSync(join(ws, 'out')), ['pilot.zip']);
  });

  it('refuses a used PIN, a missing PIN and one inside --pin-margin', async () => {
    const [first, second] = users as [DemoUser, DemoUser];
    setPin(first, '56473829', Date.now() - HOUR, true);
    assert.match((await build(['ws'])).stderr, new RegExp(`Build refused: the PIN of ${first.uid.replace(/\./g, '\\.')} was already used`));
    tenant.setPin(first.id, undefined);
    assert.match((await build(['ws'])).stderr, new RegExp(`Build refused: ${first.uid.replace(/\./g, '\\.')} has no PIN: generate one`));
    setPin(first, '10293847', Date.now() - 20 * HOUR);
    setPin(second, '56473821', Date.now() - HOUR);
    assert.equal((await build(['ws'])).code, 0, 'four hours left is beyond the default margin');
    const run = await build(['ws', '--pin-margin', '5']);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /expires at .* within the 5 h margin/);
  });

  it('needs a tenant connection for a real build, and says how to give one', async () => {
    const run = await build(['ws'], {}, false);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^pinpack build: No tenant connection: set PINPACK_TENANT_URL, PINPACK_USER, PINPACK_PASSWORD in the environment/);
    assert.equal(existsSync(join(ws, 'out', 'pilot.zip')), false);
  });

  it('fails with exit 3 when the tenant cannot be reached', async () => {
    const run = await build(['ws'], { ...env, PINPACK_TENANT_URL: 'http://127.0.0.1:9' }, false);
    assert.equal(run.code, 3, run.stderr);
    assert.match(run.stderr, /^pinpack build: /);
    assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
  });

  it('--redact builds the review copy without a tenant, every PIN masked', async () => {
    const run = await build(['ws', '--redact'], {}, false);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /Built review copy \(PINs masked, not deployable\) .*pilot\.redacted\.zip\n/);
    const zip = join(ws, 'out', 'pilot.redacted.zip');
    const bytes = readFileSync(zip);
    for (const pin of issued) assert.equal(bytes.indexOf(pin), -1);
    const entries = await readZip(zip);
    const pins = parsePinFile(entries.find((e) => e.name === PIN_FILE_NAME)?.data?.toString() ?? '');
    assert.deepEqual(pins.pins.map((p) => [p.upn, p.pin]).sort(), users.map((u) => [u.uid, PIN_MASK]).sort());
    const parsed = parseManifest(entries.find((e) => e.name === MANIFEST_NAME)?.data as Buffer);
    assert.ok('manifest' in parsed && parsed.manifest.redacted);
  });

  it('ships the workspace files but never its state, PIN artefacts or build output', async () => {
    writeFileSync(join(ws, 'customizations.xml'), '<Secret>12345678</Secret>');
    writeFileSync(join(ws, 'old.ppkg'), 'ppkg');
    writeFileSync(join(ws, 'installer.msi'), 'msi');
    const run = await build(['ws']);
    assert.equal(run.code, 0, run.stderr);
    const names = (await readZip(zipPath())).map((e) => e.name);
    assert.deepEqual(names, ['README.md', 'installer.msi', PIN_FILE_NAME, SETTINGS_FILE_NAME, 'setup.ps1', MANIFEST_NAME]);
  });

  it('refuses a PIN file or a symbolic link in the workspace', async () => {
    writeFileSync(join(ws, PIN_FILE_NAME), '{}');
    const pinFile = await build(['ws']);
    assert.equal(pinFile.code, 1);
    assert.match(pinFile.stderr, /the workspace holds pinpack-pins\.json, which PinPack writes into the zip itself \(PINs never belong in the workspace\); delete it/);
    rmSync(join(ws, PIN_FILE_NAME));
    symlinkSync('/etc/hostname', join(ws, 'link.txt'));
    const link = await build(['ws']);
    assert.equal(link.code, 1);
    assert.match(link.stderr, /link\.txt is a symbolic link; a package ships regular files only/);
  });

  it('says what is wrong with the command line or the folder', async () => {
    const none = await build([], {}, false);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /Give exactly one workspace folder/);
    const notWorkspace = await build(['.'], {}, false);
    assert.equal(notWorkspace.code, 2);
    assert.match(notWorkspace.stderr, /\. is not a PinPack workspace \(it has no pinpack\.json\): create one with "pinpack new \. --target T"\./);
    const margin = await build(['ws', '--pin-margin', 'soon'], {}, false);
    assert.equal(margin.code, 2);
    assert.match(margin.stderr, /--pin-margin must be a number of hours from 0 to 23/);
  });

  it('leaves out group members who cannot enroll, and lists them', async () => {
    const all = Array.from({ length: tenant.directory.count }, (_, i) => tenant.directory.userAt(i));
    const canEnroll = (u: DemoUser): boolean => !pinSkipReason({ ...u, groups: [...u.groups] });
    const group = DEMO_GROUPS.find((g) => all.some((u) => u.groups.includes(g) && !canEnroll(u)) && !g.includes(' '));
    assert.ok(group, 'a demo group holds a user who cannot enroll');
    const members = all.filter((u) => u.groups.includes(group));
    const eligible = members.filter(canEnroll);
    eligible.forEach((u, i) => setPin(u, String(61000000 + i), Date.now()));
    const made = await pinpack(['new', 'grp', '--target', 'sccm', '--group', group], {}, root);
    assert.equal(made.code, 0, made.stderr);
    const run = await build(['grp']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`\\nEnrollees: ${eligible.length} \\(deploy before \\S+Z, when the first PIN expires\\), ${members.length - eligible.length} group members? left out:\\n`));
    for (const skipped of members.filter((u) => !eligible.includes(u))) assert.ok(run.stdout.includes(`  ${skipped.uid} (${group}): `), skipped.uid);
  });
});
