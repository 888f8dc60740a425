import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLintReport } from '../../../../src/core/lint/report';
import { PIN_MASK } from '../../../../src/core/pins/mask';
import { buildPackage } from '../../../../src/core/archive/build';
import { inspectZip, InspectReport } from '../../../../src/core/archive/inspect';
import { MANIFEST_NAME } from '../../../../src/core/archive/manifest';
import type { ResolvedPin } from '../../../../src/core/archive/pin-checks';
import { writeZip } from '../../../../src/core/archive/writer';
import { cliPath } from '../../paths';
import { rawZip } from './raw-zip';
import { pinFileBytes, redactPinFile, TEST_PIN_FILE, testPinParser } from './test-pin-file';

const NOW = new Date('2026-11-26T10:00:00Z');
const pins: ResolvedPin[] = [
  { user: 'aiko@contoso.com', pin: '482913', expiresAt: new Date('2026-11-27T08:00:00Z') },
  { user: 'ken@contoso.com', pin: '771204', expiresAt: new Date('2026-11-27T06:30:00Z') },
];

function pinpack(...args: string[]) {
  const result = spawnSync(process.execPath, [cliPath, ...args], { encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('core/archive/inspect and pinpack inspect', () => {
  let dir: string;
  let zip: string;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pinpack-inspect-'));
    zip = join(dir, 'package.zip');
    await buildPackage({
      out: zip,
      target: 'epm-case3-twostep',
      files: [
        { name: 'setup.ps1', data: Buffer.from('Write-Host "enrolling"\r\n') },
        { name: 'steps/setupEPMCopyContentsToTempFolderStep1.ps1', data: Buffer.from('Copy-Item . $env:TEMP\r\n') },
        { name: 'installer/wcd.msi', data: Buffer.alloc(300_000, 7) },
      ],
      pinFile: { name: TEST_PIN_FILE, data: pinFileBytes(pins), redact: redactPinFile },
      pins,
      lint: createLintReport([], 0),
      now: NOW,
      toolVersion: '1.2.3',
    });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reports target, verified manifest, files and the PIN file masked with users and earliest expiry', async () => {
    const report = await inspectZip(zip, { pinFileParsers: [testPinParser] });
    assert.equal(report.kind, 'pinpack');
    assert.deepEqual(report.target, { id: 'epm-case3-twostep', label: 'Ivanti EPM case 3a: two steps through a temp folder', detectedFrom: 'manifest' });
    assert.equal(report.manifest.verified, 4);
    assert.deepEqual([report.manifest.mismatched, report.manifest.missing, report.manifest.unlisted], [[], [], []]);
    assert.deepEqual(report.files.map((f) => f.path), ['installer/wcd.msi', 'pins.json', 'setup.ps1', 'steps/setupEPMCopyContentsToTempFolderStep1.ps1']);
    assert.deepEqual(report.pinFiles, [{ path: 'pins.json', format: 'test-json', users: 2, earliestExpiry: '2026-11-27T06:30:00.000Z', content: PIN_MASK }]);
    assert.equal(report.lint, 'not available');
    assert.ok(!JSON.stringify(report).includes('482913'));
  });

  it('passes the scripts, from memory, to a lint function', async () => {
    const seen: string[] = [];
    const report = await inspectZip(zip, {
      lint: async (files) => {
        seen.push(...files.map((f) => `${f.path}=${f.text.length}`));
        return createLintReport([], 0);
      },
    });
    assert.deepEqual(seen, ['setup.ps1=24', 'steps/setupEPMCopyContentsToTempFolderStep1.ps1=23']);
    assert.notEqual(report.lint, 'not available');
  });

  it('flags a file that differs from the manifest, one missing and one unlisted', async () => {
    const original = await inspectZip(zip);
    const listed = original.files.map((f) => ({ path: f.path, size: f.size, sha256: f.sha256 }));
    const tampered = {
      format: 1,
      tool: { name: 'pinpack', version: '1.2.3' },
      target: 'sccm',
      enrollees: 1,
      redacted: false,
      files: [...listed.filter((f) => f.path !== 'installer/wcd.msi'), { path: 'gone.txt', size: 1, sha256: 'a'.repeat(64) }].map((f) =>
        f.path === 'setup.ps1' ? { ...f, sha256: 'b'.repeat(64) } : f,
      ),
    };
    const copy = join(dir, 'tampered.zip');
    await writeZip(copy, [
      { name: 'setup.ps1', data: Buffer.from('Write-Host "enrolling"\r\n') },
      { name: 'installer/wcd.msi', data: Buffer.alloc(300_000, 7) },
      { name: MANIFEST_NAME, data: Buffer.from(JSON.stringify(tampered)) },
    ]);
    const report = await inspectZip(copy);
    assert.deepEqual(report.manifest.mismatched, ['setup.ps1']);
    assert.deepEqual(report.manifest.missing, ['pins.json', 'steps/setupEPMCopyContentsToTempFolderStep1.ps1', 'gone.txt']);
    assert.deepEqual(report.manifest.unlisted, ['installer/wcd.msi']);
  });

  it('recognises a console zip by its scripts and masks a PIN file of unknown format', async () => {
    const console = join(dir, 'console.zip');
    writeFileSync(console, rawZip([
      { name: 'setup.ps1', data: Buffer.from('param()\r\n'), deflate: true },
      { name: 'setupEPMCopyContentsToTempFolderStep1.ps1', data: Buffer.from('x') },
      { name: 'UserPins.csv', data: Buffer.from('user,pin\r\naiko,482913\r\n') },
    ]));
    const report = await inspectZip(console);
    assert.equal(report.kind, 'console');
    assert.equal(report.target.id, 'epm-case3-twostep');
    assert.equal(report.target.detectedFrom, 'scripts');
    assert.equal(report.manifest.present, false);
    assert.deepEqual(report.pinFiles, [{ path: 'UserPins.csv', format: 'unknown', content: PIN_MASK }]);
  });

  it('prints the text report from the CLI, PINs masked, scripts linted from memory', () => {
    const { code, stdout, stderr } = pinpack('inspect', zip);
    assert.equal(stderr, '');
    assert.equal(code, 0);
    assert.match(stdout, /^package\.zip: PinPack package, built by PinPack 1\.2\.3 for 2 enrollees\n/);
    assert.match(stdout, /\ntarget: epm-case3-twostep \(Ivanti EPM case 3a: two steps through a temp folder\)\n/);
    assert.match(stdout, /\nmanifest: every hash verified \(4 files\)\n/);
    assert.match(stdout, /\n +installer\/\n +293\.0 KiB  [0-9a-f]{12}…    wcd\.msi\n/);
    assert.match(stdout, /\nPIN file: pins\.json: format unknown, not parsed; content ••••••\n/);
    assert.match(stdout, /\nlint: 0 errors, 3 warnings, 0 infos in 2 scripts\n  setup\.ps1:1:1 warning .* \[PP1013\]\n/);
    assert.ok(!stdout.includes('482913'));
  });

  it('prints JSON that matches the report schema', () => {
    const { code, stdout } = pinpack('inspect', '--format', 'json', zip);
    assert.equal(code, 0);
    const report = InspectReport.parse(JSON.parse(stdout));
    assert.equal(report.files.length, 4);
  });

  it('exits 1 with one sentence on a hostile zip', () => {
    const hostile = join(dir, 'hostile.zip');
    writeFileSync(hostile, rawZip([{ name: '../../evil.ps1', data: Buffer.from('x') }]));
    const { code, stdout, stderr } = pinpack('inspect', hostile);
    assert.equal(code, 1);
    assert.equal(stdout, '');
    assert.equal(stderr, 'pinpack inspect: Refused "hostile.zip": entry "../../evil.ps1" is refused because the name climbs out of the folder with "..".\n');
  });

  it('exits 2 on a usage error and 3 on a missing file', () => {
    assert.equal(pinpack('inspect').code, 2);
    assert.equal(pinpack('inspect', zip, '--format', 'xml').code, 2);
    const missing = pinpack('inspect', join(dir, 'nope.zip'));
    assert.equal(missing.code, 3);
    assert.match(missing.stderr, /nope\.zip: the file does not exist\.\n$/);
  });
});
