import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PinPackError } from '../../../../src/core/errors';
import { TEMPLATE_FILES } from '../../../../src/core/templates';
import { parseManifest } from '../../../../src/core/workspace/manifest';
import {
  parsePackageSettings,
  parsePinFile,
  PIN_FILE_NAME,
  serializePackageSettings,
  serializePinFile,
  SETTINGS_FILE_NAME,
  settingsFromManifest,
} from '../../../../src/core/workspace/package-files';
import { repoRoot } from '../../paths';

const manifest = parseManifest(JSON.stringify({ schemaVersion: 1, name: "Sales & Co's", target: 'epm-case1', device: { adDomain: 'contoso.com' } }));

describe('core/workspace/package-files', () => {
  it('derives the device settings from the manifest, with the target\'s UPN mode', () => {
    const settings = settingsFromManifest(manifest);
    assert.deepEqual(settings, {
      schemaVersion: 1,
      packageName: "Sales & Co's",
      target: 'epm-case1',
      upnMode: 'device',
      adDomain: 'contoso.com',
      discoveryUrl: 'https://login.mobileiron.com',
      destination: 'C:\\ProgramData\\PinPack\\Package',
      logFolder: 'C:\\ProgramData\\PinPack\\Logs',
    });
    assert.deepEqual(parsePackageSettings(serializePackageSettings(settings)), settings);
    const twoStep = parseManifest(JSON.stringify({ schemaVersion: 1, name: 'x', target: 'epm-case3-twostep' }));
    assert.equal(settingsFromManifest(twoStep).upnMode, 'recorded-user');
    assert.equal(settingsFromManifest(twoStep).adDomain, null);
  });

  it('writes the PIN file sorted by UPN, byte-stable, and refuses two PINs for one user', () => {
    const a = { upn: 'b@contoso.com', pin: '1111', expiresAt: '2026-11-27T10:00:00.000Z' };
    const b = { upn: 'A@contoso.com', pin: '2222', expiresAt: '2026-11-27T10:00:00.000Z' };
    const text = serializePinFile([a, b]);
    assert.equal(text, serializePinFile([b, a]));
    assert.deepEqual(parsePinFile(text).pins.map((p) => p.upn), ['A@contoso.com', 'b@contoso.com']);
    assert.throws(() => serializePinFile([a, { ...a, upn: 'B@CONTOSO.COM' }]), (e: unknown) => e instanceof PinPackError && /Two PINs were given for/.test(e.message));
  });

  it('refuses a UPN with a Unicode space in the PIN file', () => {
    assert.throws(() => serializePinFile([{ upn: 'taro\u3000y@contoso.com', pin: '1', expiresAt: '2026-11-27T10:00:00Z' }]), /spaces/);
  });

  it('never echoes a value of a bad PIN file in its message', () => {
    const text = JSON.stringify({ schemaVersion: 1, pins: [{ upn: 'a@contoso.com', pin: 987654, expiresAt: 'soon' }] });
    assert.throws(
      () => parsePinFile(text),
      (e: unknown) => e instanceof PinPackError && /^pinpack-pins\.json: "pins\[0\]\.pin" /.test(e.message) && !e.message.includes('987654'),
    );
  });

  describe('read by setup.ps1 under real pwsh', () => {
    const pwsh = join(process.env['PINPACK_TEST_CACHE'] ?? join(repoRoot, '.vscode-test'), 'pwsh', process.platform === 'win32' ? 'pwsh.exe' : 'pwsh');
    let root: string;
    beforeEach(function () {
      if (!existsSync(pwsh)) this.skip();
      root = mkdtempSync(join(tmpdir(), 'pinpack-contract-'));
    });
    afterEach(() => root && rmSync(root, { recursive: true, force: true }));

    it('enrolls with the settings and PIN files exactly as PinPack serializes them', function () {
      this.timeout(60_000);
      const pkg = join(root, 'package');
      mkdirSync(pkg);
      writeFileSync(join(pkg, 'setup.ps1'), TEMPLATE_FILES['setup.ps1'] ?? '');
      writeFileSync(join(pkg, SETTINGS_FILE_NAME), serializePackageSettings(settingsFromManifest(manifest)));
      const expiresAt = new Date(Date.now() + 6 * 3600_000).toISOString();
      writeFileSync(join(pkg, PIN_FILE_NAME), serializePinFile([{ upn: 'PC01@contoso.com', pin: '4821', expiresAt }]));
      // Windows-only commands are shadowed by functions; everything else is the real script.
      const runner = `
        $ErrorActionPreference = 'Stop'
        . '${join(repoRoot, 'test', 'powershell', 'WindowsStubs.ps1')}'
        $env:PINPACK_TEST_KITS = New-FakeIcd -KitsRoot '${join(root, 'kits')}'
        function global:Get-ItemProperty { param([string] $LiteralPath, [string] $Name) [pscustomobject]@{ KitsRoot10 = $env:PINPACK_TEST_KITS } }
        function global:Get-ProvisioningPackage { param([switch] $AllInstalledPackages) }
        function global:Install-ProvisioningPackage { param([string] $PackagePath, [switch] $QuietInstall, [switch] $ForceInstall, [string] $LogsDirectoryPath) }
        $env:COMPUTERNAME = 'PC01'
        $env:PINPACK_FAKE_ICD_MODE = 'ok'
        $env:PINPACK_FAKE_ICD_CAPTURE = '${join(root, 'captured.xml')}'
        $env:PINPACK_FAKE_ICD_ARGS = '${join(root, 'args.txt')}'
        New-Item -ItemType Directory -Path '${join(root, 'work')}' | Out-Null
        & '${join(pkg, 'setup.ps1')}' -PackageRoot '${pkg}' -LogFolder '${join(root, 'logs')}' -WorkFolder '${join(root, 'work')}'
        exit $LASTEXITCODE`;
      const result = spawnSync(pwsh, ['-NoLogo', '-NoProfile', '-NonInteractive', '-Command', runner], { encoding: 'utf8' });
      assert.equal(result.status, 0, `${result.stdout}\n${result.stderr}`);
      assert.match(result.stdout, /PinPack setup: exit 0: PC01@contoso\.com enrolled with the provisioning package Sales & Co's/);
      const xml = readFileSync(join(root, 'captured.xml'), 'utf8');
      assert.match(xml, /<Name>Sales &amp; Co&apos;s<\/Name>/);
      assert.match(xml, /<UPN UPN="PC01@contoso\.com" Name="PC01@contoso\.com">/);
      assert.match(xml, /<Secret>4821<\/Secret>/);
      assert.equal(existsSync(join(pkg, PIN_FILE_NAME)), false, 'the PIN file is deleted');
      assert.doesNotMatch(readFileSync(join(root, 'logs', 'setup.pinpack.log'), 'utf8'), /4821/);
    });
  });
});
