import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, readdirSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PinPackError } from '../../../../src/core/errors';
import { createLintReport, type LintFileReport } from '../../../../src/core/lint/report';
import { PIN_MASK } from '../../../../src/core/pins/mask';
import { buildPackage, type BuildPackageInput } from '../../../../src/core/archive/build';
import { MANIFEST_NAME, parseManifest } from '../../../../src/core/archive/manifest';
import { checkPins, type ResolvedPin } from '../../../../src/core/archive/pin-checks';
import { readZip } from '../../../../src/core/archive/reader';
import { pinFileBytes, redactPinFile, TEST_PIN_FILE } from './test-pin-file';

const NOW = new Date('2026-11-26T10:00:00Z');
const hoursFromNow = (h: number) => new Date(NOW.getTime() + h * 3_600_000);

const refusal = (pattern: RegExp) => (e: unknown) => {
  assert.ok(e instanceof PinPackError, String(e));
  assert.equal(e.kind, 'refused');
  assert.match(e.message, pattern);
  return true;
};

describe('core/archive/pin-checks', () => {
  const valid: ResolvedPin = { user: 'aiko@contoso.com', pin: '482913', expiresAt: hoursFromNow(20) };

  it('accepts PINs valid beyond the margin', () => {
    checkPins([valid, { user: 'b@contoso.com', pin: '111111', createdAt: hoursFromNow(-1) }], NOW);
  });

  const cases: [ResolvedPin, RegExp][] = [
    [{ user: 'ken@contoso.com', pin: undefined }, /ken@contoso\.com has no PIN: generate one \(pinpack pins generate --user ken@contoso\.com\)/],
    [{ user: 'ken@contoso.com', pin: '482913', expiresAt: hoursFromNow(5), used: true }, /the PIN of ken@contoso\.com was already used/],
    [{ user: 'ken@contoso.com', pin: '482913', expiresAt: hoursFromNow(-3) }, /the PIN of ken@contoso\.com expired at 2026-11-26T07:00:00\.000Z/],
    [{ user: 'ken@contoso.com', pin: '482913', createdAt: hoursFromNow(-23) }, /the PIN of ken@contoso\.com expires at 2026-11-26T11:00:00\.000Z, within the 2 h margin/],
  ];
  for (const [pin, pattern] of cases) {
    it(`refuses ${pattern.source.slice(0, 50)}`, () => {
      assert.throws(() => checkPins([valid, pin], NOW), refusal(pattern));
      assert.throws(() => checkPins([valid, pin], NOW), (e: Error) => !e.message.includes('482913'));
    });
  }

  it('honours a custom margin', () => {
    checkPins([{ user: 'a', pin: '1', expiresAt: hoursFromNow(1.5) }], NOW, 3_600_000);
    assert.throws(() => checkPins([{ user: 'a', pin: '1', expiresAt: hoursFromNow(1.5) }], NOW, 4 * 3_600_000), refusal(/within the 4 h margin/));
  });

  it('names the first problem and counts the rest', () => {
    const bad = (user: string): ResolvedPin => ({ user, pin: undefined });
    assert.throws(() => checkPins([bad('a'), bad('b'), bad('c')], NOW), refusal(/^Build refused: a has no PIN.* \(and 2 more unusable PINs\), then build again\.$/));
  });

  it('refuses a package with no enrollees', () => {
    assert.throws(() => checkPins([], NOW), refusal(/no enrollees/));
  });
});

describe('core/archive/build', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pinpack-build-'));
    mkdirSync(join(dir, 'ws'));
    writeFileSync(join(dir, 'ws', 'setup.ps1'), 'Write-Host "enrolling"\r\n');
    writeFileSync(join(dir, 'ws', 'pinpack.json'), '{"target":"epm-case2"}\n');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const pins: ResolvedPin[] = [
    { user: 'aiko@contoso.com', pin: '482913', expiresAt: hoursFromNow(20) },
    { user: 'ken@contoso.com', pin: '771204', expiresAt: hoursFromNow(22) },
  ];
  const clean = createLintReport([{ path: 'setup.ps1', language: 'powershell', diagnostics: [] }], 1);

  function input(overrides: Partial<BuildPackageInput> = {}): BuildPackageInput {
    return {
      out: join(dir, 'package.zip'),
      target: 'epm-case2',
      files: [
        { name: 'setup.ps1', file: join(dir, 'ws', 'setup.ps1') },
        { name: 'pinpack.json', file: join(dir, 'ws', 'pinpack.json') },
      ],
      pinFile: { name: TEST_PIN_FILE, data: pinFileBytes(pins), redact: redactPinFile },
      pins,
      lint: clean,
      now: NOW,
      toolVersion: '9.8.7',
      ...overrides,
    };
  }

  it('writes the files, the PIN file and a manifest of every hash, last', async () => {
    const built = await buildPackage(input());
    const entries = await readZip(built.path);
    assert.deepEqual(entries.map((e) => e.name), ['pinpack.json', 'pins.json', 'setup.ps1', MANIFEST_NAME]);
    const parsed = parseManifest(entries[3]?.data as Buffer);
    assert.ok('manifest' in parsed);
    assert.deepEqual(parsed.manifest, built.manifest);
    assert.equal(parsed.manifest.tool.version, '9.8.7');
    assert.equal(parsed.manifest.target, 'epm-case2');
    assert.equal(parsed.manifest.enrollees, 2);
    assert.equal(parsed.manifest.redacted, false);
    for (const file of parsed.manifest.files) {
      const entry = entries.find((e) => e.name === file.path);
      assert.equal(file.sha256, entry?.sha256);
      assert.equal(file.size, entry?.size);
    }
    assert.deepEqual(parsed.manifest.files.filter((f) => f.pins).map((f) => f.path), [TEST_PIN_FILE]);
    const manifestText = entries[3]?.data?.toString() ?? '';
    assert.ok(!manifestText.includes('482913') && !manifestText.includes('771204'));
    assert.ok(entries[1]?.data?.toString().includes('482913'), 'the real build carries the PINs');
  });

  it('is byte-identical when built twice with the same PINs', async () => {
    await buildPackage(input({ out: join(dir, 'a.zip') }));
    await buildPackage(input({ out: join(dir, 'b.zip'), files: [...input().files].reverse() }));
    assert.ok(readFileSync(join(dir, 'a.zip')).equals(readFileSync(join(dir, 'b.zip'))));
  });

  it('redacts: every PIN masked, manifest says so, PIN checks skipped', async () => {
    const expired = pins.map((p) => ({ ...p, expiresAt: hoursFromNow(-1) }));
    const built = await buildPackage(input({ redact: true, pins: expired, pinFile: { name: TEST_PIN_FILE, data: pinFileBytes(expired), redact: redactPinFile } }));
    const zip = readFileSync(built.path);
    assert.equal(zip.indexOf('482913'), -1);
    assert.equal(zip.indexOf('771204'), -1);
    const entries = await readZip(zip);
    assert.equal(JSON.parse(entries.find((e) => e.name === TEST_PIN_FILE)?.data?.toString() ?? '').pins[0].pin, PIN_MASK);
    assert.equal(built.manifest.redacted, true);
  });

  it('refuses a redaction that leaves a PIN behind', async () => {
    await assert.rejects(buildPackage(input({ redact: true, pinFile: { name: TEST_PIN_FILE, data: pinFileBytes(pins), redact: (d) => d } })), refusal(/masking pins\.json left the PIN of aiko@contoso\.com in it/));
    assert.equal(existsSync(join(dir, 'package.zip')), false);
  });

  it('refuses an expired PIN and leaves the previous zip untouched', async () => {
    writeFileSync(join(dir, 'package.zip'), 'previous build');
    const stale = [pins[0] as ResolvedPin, { user: 'ken@contoso.com', pin: '771204', expiresAt: hoursFromNow(-2) }];
    await assert.rejects(buildPackage(input({ pins: stale })), refusal(/the PIN of ken@contoso\.com expired at 2026-11-26T08:00:00\.000Z/));
    assert.equal(readFileSync(join(dir, 'package.zip'), 'utf8'), 'previous build');
    assert.deepEqual(readdirSync(dir).sort(), ['package.zip', 'ws']);
  });

  const finding = (severity: 'error' | 'warning'): LintFileReport => ({
    path: 'setup.ps1',
    language: 'powershell',
    diagnostics: [{ rule: 'pinpack/example', severity, message: 'Something is off.', line: 3, column: 5, endLine: 3, endColumn: 9, fix: false }],
  });

  it('refuses on any lint error, naming the first', async () => {
    await assert.rejects(buildPackage(input({ lint: createLintReport([finding('error')], 1) })), refusal(/lint found 1 error \(first: setup\.ps1:3:5 Something is off\.\); fix them/));
  });

  it('lets warnings through unless --max-warnings is exceeded', async () => {
    await buildPackage(input({ lint: createLintReport([finding('warning')], 1) }));
    await assert.rejects(buildPackage(input({ lint: createLintReport([finding('warning')], 1), maxWarnings: 0 })), refusal(/1 warning, more than --max-warnings 0/));
  });

  it('refuses a workspace file named like the manifest', async () => {
    await assert.rejects(buildPackage(input({ files: [{ name: MANIFEST_NAME, data: Buffer.from('{}') }] })), refusal(/has its own pinpack-manifest\.json/));
  });
});
