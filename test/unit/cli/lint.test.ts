import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LintReport } from '../../../src/core/lint/report';
import { cliPath } from '../paths';

function pinpack(cwd: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [cliPath, 'lint', ...args], { cwd, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('pinpack lint', function () {
  this.timeout(30_000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pinpack-lint-'));
    mkdirSync(join(dir, 'ws', 'scripts'), { recursive: true });
    writeFileSync(join(dir, 'ws', 'scripts', 'setup.ps1'), "$ErrorActionPreference = 'Stop'\nWrite-Host 'hi'\nInstall-ProvisioningPackage -PackagePath $p\n");
    writeFileSync(join(dir, 'ws', 'copy.bat'), '@echo off\r\nexit 1\r\n');
    writeFileSync(join(dir, 'ws', 'notes.txt'), 'not linted');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('prints findings like a compiler and exits 1 on errors', () => {
    const { code, stdout } = pinpack(dir, 'ws');
    assert.equal(code, 1);
    const lines = stdout.trim().split('\n');
    assert.deepEqual(lines.slice(0, -1), [
      'ws/copy.bat:2:1 warning PP2007 Use exit /b: a plain exit closes the cmd.exe that called the script, and the caller loses the exit code.',
      'ws/scripts/setup.ps1:2:1 warning PP1008 Use Write-Output, Write-Verbose or the log file instead of Write-Host: unattended runs have no console to show it.',
      'ws/scripts/setup.ps1:3:1 error PP1001 Add -QuietInstall: without it the provisioning package waits for a consent prompt no one sees.',
    ]);
    assert.equal(lines.at(-1), '1 error, 2 warnings, 0 infos in 2 files');
  });

  it("writes the JSON report of DESIGN.md and applies the workspace's lint.rules", () => {
    writeFileSync(join(dir, 'ws', 'pinpack.json'), JSON.stringify({ schemaVersion: 1, name: 'Sales', target: 'sccm', lint: { rules: { PP1001: 'off', PP1008: 'error' } } }));
    const { code, stdout } = pinpack(dir, 'ws', '--format', 'json');
    const report = LintReport.parse(JSON.parse(stdout));
    assert.equal(code, 1);
    assert.deepEqual(report.files.map((f) => [f.path, f.language]), [['ws/copy.bat', 'batch'], ['ws/pinpack.json', 'manifest'], ['ws/scripts/setup.ps1', 'powershell']]);
    assert.deepEqual(report.files[2]?.diagnostics.map((d) => [d.rule, d.severity, d.pssa]), [['PP1008', 'error', 'PSAvoidUsingWriteHost']]);
    assert.deepEqual(report.files[1]?.diagnostics, []);
    assert.deepEqual([report.summary.errors, report.summary.warnings], [1, 1]);
  });

  it('says which lint.rules entries it ignores, and still lints', () => {
    writeFileSync(join(dir, 'ws', 'pinpack.json'), JSON.stringify({ lint: { rules: { PP1008: 'loud' } } }));
    const { stderr, stdout } = pinpack(dir, 'ws');
    assert.match(stderr, /lint\.rules\.PP1008 must be "error", "warning", "info" or "off", not "loud"\./);
    assert.match(stdout, /PP1008/);
  });

  it('writes SARIF 2.1.0 with the rule catalogue and locations', () => {
    const { stdout } = pinpack(dir, 'ws/scripts/setup.ps1', '--format=sarif');
    const sarif = JSON.parse(stdout);
    assert.equal(sarif.version, '2.1.0');
    const run = sarif.runs[0];
    assert.equal(run.tool.driver.name, 'PinPack');
    assert.deepEqual(run.tool.driver.rules.map((r: { id: string }) => r.id), ['PP1001', 'PP1008']);
    assert.match(run.tool.driver.rules[0].fullDescription.text, /QuietInstall/);
    assert.match(run.tool.driver.rules[1].help.markdown, /^# PP1008:/);
    const result = run.results.find((r: { ruleId: string }) => r.ruleId === 'PP1001');
    assert.equal(result.level, 'error');
    assert.equal(run.tool.driver.rules[result.ruleIndex].id, 'PP1001');
    assert.deepEqual(result.locations[0].physicalLocation, {
      artifactLocation: { uri: 'ws/scripts/setup.ps1', uriBaseId: '%SRCROOT%' },
      region: { startLine: 3, startColumn: 1, endLine: 3, endColumn: 28 },
    });
  });

  it('exits 0 on warnings alone, and 1 when they exceed --max-warnings', () => {
    assert.equal(pinpack(dir, 'ws/copy.bat').code, 0);
    assert.equal(pinpack(dir, 'ws/copy.bat', '--max-warnings', '1').code, 0);
    assert.equal(pinpack(dir, 'ws/copy.bat', '--max-warnings', '0').code, 1);
  });

  it('refuses bad usage with exit 2 and one sentence', () => {
    for (const args of [[], ['ws', '--format', 'xml'], ['ws', '--max-warnings', '-1'], ['missing.ps1'], ['ws/notes.txt'], ['ws', '--fix']]) {
      const { code, stderr } = pinpack(dir, ...args);
      assert.equal(code, 2, JSON.stringify(args));
      assert.match(stderr, /^pinpack lint: [^\n]+\n$/, JSON.stringify(args));
    }
  });
});
