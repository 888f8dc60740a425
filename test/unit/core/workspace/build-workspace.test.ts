import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readZip } from '../../../../src/core/archive/reader';
import { PinPackError } from '../../../../src/core/errors';
import { PIN_MASK } from '../../../../src/core/pins/mask';
import { buildWorkspace, unreachableEnrollees, type WorkspaceBuildOptions } from '../../../../src/core/workspace/build-workspace';
import { resolveEnrolleePins } from '../../../../src/core/workspace/enrollee-pins';
import { collectPackageSources } from '../../../../src/core/workspace/package-sources';
import { parsePinFile, PIN_FILE_NAME, serializePinFile } from '../../../../src/core/workspace/package-files';
import { maskPinFile, workspacePinFileParser } from '../../../../src/core/workspace/pin-file-review';
import { scaffoldWorkspace } from '../../../../src/core/workspace/scaffold';
import { demoFixture } from '../tenant/demo';

const NOW = new Date('2026-11-26T10:00:00Z');
const hoursFromNow = (h: number): Date => new Date(NOW.getTime() + h * 3_600_000);

const refusal = (pattern: RegExp) => (e: unknown) => {
  assert.ok(e instanceof PinPackError, String(e));
  assert.equal(e.kind, 'refused');
  assert.match(e.message, pattern);
  return true;
};

describe('core/workspace/build-workspace', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'pinpack-buildws-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const options = (dir: string, overrides: Partial<WorkspaceBuildOptions> = {}): WorkspaceBuildOptions => ({
    dir,
    now: NOW,
    toolVersion: '0.0.0-test',
    resolvePins: async (manifest) => ({
      pins: manifest.enrollees.users.map((user, i) => ({ user, pin: `9${i}38475${i}`, expiresAt: hoursFromNow(20) })),
      skipped: [],
    }),
    ...overrides,
  });

  it('writes DIR/out/<name>.zip, and the review copy beside it, PINs masked', async () => {
    const dir = join(root, 'ws');
    await scaffoldWorkspace({ dir, target: 'epm-case3-twostep', name: 'Wave 1', users: ['aiko@contoso.com', 'ken@contoso.com'] });
    const built = await buildWorkspace(options(dir));
    assert.equal(built.built.path, join(dir, 'out', 'Wave 1.zip'));
    assert.equal(built.enrollees, 2);
    const review = await buildWorkspace(options(dir, { redact: true }));
    assert.equal(review.built.path, join(dir, 'out', 'Wave 1.redacted.zip'));
    const pinFile = (await readZip(review.built.path)).find((e) => e.name === PIN_FILE_NAME);
    const masked = parsePinFile(pinFile?.data?.toString() ?? '');
    assert.deepEqual(masked.pins.map((p) => [p.upn, p.pin, p.expiresAt]), [
      ['aiko@contoso.com', PIN_MASK, hoursFromNow(20).toISOString()],
      ['ken@contoso.com', PIN_MASK, hoursFromNow(20).toISOString()],
    ]);
    assert.equal(readFileSync(review.built.path).indexOf('9038475'), -1);
  });

  it('builds the review copy offline from the named users, stable across PIN changes', async () => {
    const dir = join(root, 'ws');
    await scaffoldWorkspace({ dir, target: 'sccm', users: ['aiko@contoso.com'], groups: ['Pilot'] });
    const { resolvePins: _unused, ...offline } = options(dir, { redact: true });
    const a = await buildWorkspace({ ...offline, out: join(root, 'a.zip') });
    const b = await buildWorkspace({ ...offline, out: join(root, 'b.zip'), now: hoursFromNow(5) });
    assert.equal(a.enrollees, 1);
    assert.equal(a.sha256, b.sha256);
  });

  it('calls onLint before the gate refuses, and never asks for PINs then', async () => {
    const dir = join(root, 'ws');
    await scaffoldWorkspace({ dir, target: 'epm-case2', users: ['aiko@contoso.com'] });
    writeFileSync(join(dir, 'extra.ps1'), 'if ($true) {\r\n');
    let linted = 0;
    let asked = 0;
    await assert.rejects(
      buildWorkspace(options(dir, { onLint: (run) => (linted = run.report.summary.errors), resolvePins: async () => ((asked++, { pins: [], skipped: [] })) })),
      refusal(/^Build refused: lint found 1 error \(first: extra\.ps1:\d+:\d+ PP1000 /),
    );
    assert.equal(linted, 1);
    assert.equal(asked, 0);
  });

  it('refuses EPM case 1 without an AD domain, and a workspace without pinpack.json', async () => {
    const dir = join(root, 'case1');
    await scaffoldWorkspace({ dir, target: 'epm-case1', users: ['aiko@contoso.com'] });
    await assert.rejects(buildWorkspace(options(dir)), refusal(/epm-case1 enrolls <device name>@<AD domain>, and pinpack\.json sets no device\.adDomain/));
    mkdirSync(join(root, 'empty'));
    await assert.rejects(buildWorkspace(options(join(root, 'empty'))), (e: unknown) => e instanceof PinPackError && e.kind === 'usage' && /has no pinpack\.json/.test(e.message));
  });

  it('notes EPM case 1 enrollees whose PIN no device can look up', async () => {
    const dir = join(root, 'case1');
    const { manifest } = await scaffoldWorkspace({ dir, target: 'epm-case1', adDomain: 'corp.contoso.com', users: ['PC-0042@corp.contoso.com', 'aiko@contoso.com'] });
    const pins = manifest.enrollees.users.map((user) => ({ user, pin: undefined }));
    assert.equal(unreachableEnrollees(manifest, pins), 'epm-case1 devices look up <COMPUTERNAME>@corp.contoso.com in the PIN file, so the PINs of aiko@contoso.com can never be used: enroll the device accounts of corp.contoso.com instead.');
    assert.equal(unreachableEnrollees(manifest, pins.slice(0, 1)), undefined);
    assert.equal(unreachableEnrollees({ ...manifest, target: 'epm-case2' }, pins), undefined);
  });

  it('collects nested files and skips dot-folders, build output, PIN artefacts and the manifest', async () => {
    const dir = join(root, 'ws');
    for (const folder of ['tools/sub', '.pinpack', '.vscode', 'out', 'dist', 'docs/out']) mkdirSync(join(dir, folder), { recursive: true });
    for (const file of ['setup.ps1', 'pinpack.json', '.gitignore', 'tools/sub/wcd.msi', 'tools/pinpack.json', 'docs/out/a.md', '.pinpack/scaffold.json', '.vscode/settings.json', 'out/x.zip', 'dist/y.txt', 'tools/Customizations.XML', 'tools/a.PPKG', 'old.zip']) {
      writeFileSync(join(dir, file), 'x');
    }
    const names = (await collectPackageSources(dir)).map((s) => s.name);
    assert.deepEqual(names, ['docs/out/a.md', 'setup.ps1', 'tools/pinpack.json', 'tools/sub/wcd.msi']);
  });

  it('masks and summarises the PIN file without returning a PIN', () => {
    const data = Buffer.from(serializePinFile([
      { upn: 'ken@contoso.com', pin: '77120466', expiresAt: hoursFromNow(22).toISOString() },
      { upn: 'aiko@contoso.com', pin: '48291375', expiresAt: hoursFromNow(20).toISOString() },
    ]));
    const masked = maskPinFile(data).toString();
    assert.ok(!masked.includes('77120466') && !masked.includes('48291375'));
    assert.equal(parsePinFile(masked).pins.length, 2);
    assert.deepEqual(workspacePinFileParser.summarize(data), { users: 2, earliestExpiry: hoursFromNow(20) });
    assert.equal(workspacePinFileParser.summarize(Buffer.from('not json')), undefined);
  });

  it('resolves named users and group members from the tenant once each, leaving out who cannot enroll', async () => {
    const fixture = await demoFixture({ users: 120, seed: 'enrollees' });
    try {
      const all = Array.from({ length: 120 }, (_, i) => fixture.tenant.directory.userAt(i));
      const group = 'Tokyo Office';
      const members = all.filter((u) => u.groups.includes(group));
      const named = members[0];
      assert.ok(named && members.length > 1);
      fixture.tenant.setPin(named.id, { pin: '31415926', createdAt: hoursFromNow(-1).getTime() });
      const resolved = await resolveEnrolleePins(fixture.client, { users: [named.uid], groups: [group] });
      const uids = resolved.pins.map((p) => p.user);
      assert.equal(new Set(uids).size, uids.length, 'no enrollee twice');
      assert.equal(resolved.pins.length + resolved.skipped.length, members.length);
      assert.equal(resolved.pins.find((p) => p.user === named.uid)?.pin, '31415926');
      for (const s of resolved.skipped) assert.ok(!uids.includes(s.uid) && s.group === group && s.reason.length > 0);
      await assert.rejects(resolveEnrolleePins(fixture.client, { users: ['nobody1@contoso.example'], groups: [] }), refusal(/nobody1@contoso\.example \(enrollees\.users in pinpack\.json\) is not a user of the tenant/));
      await assert.rejects(resolveEnrolleePins(fixture.client, { users: [], groups: ['No Such Group'] }), refusal(/the group "No Such Group" .* has no members or does not exist/));
    } finally {
      await fixture.close();
    }
  });
});
