import * as assert from 'node:assert/strict';
import { applyEdits, languageOf, lintFile, toFileReport } from '../../../../src/core/lint/engine';
import { createLintReport, LintReport } from '../../../../src/core/lint/report';
import { TEMPLATE_FILES } from '../../../../src/core/templates/index';

const ps = (text: string, config = {}) => lintFile('setup.ps1', Buffer.from(text, 'utf8'), config)?.findings ?? [];
const bat = (text: string, config = {}) => lintFile('copy.bat', Buffer.from(text.replace(/\r?\n/g, '\r\n'), 'utf8'), config)?.findings ?? [];
const rules = (findings: readonly { rule: string }[]) => findings.map((f) => f.rule);

describe('core/lint/engine', () => {
  it('knows the languages by file name', () => {
    assert.equal(languageOf('a/Setup.PS1'), 'powershell');
    assert.equal(languageOf('m.psm1'), 'powershell');
    assert.equal(languageOf('copy.CMD'), 'batch');
    assert.equal(languageOf('pinpack.json'), 'manifest');
    assert.equal(languageOf('notes.txt'), undefined);
    assert.equal(lintFile('notes.txt', Buffer.from('x')), undefined);
  });

  it('reports a file nested too deeply to analyse as one syntax error instead of crashing', () => {
    for (const text of ['('.repeat(100_000), '{'.repeat(100_000), '[int]'.repeat(100_000), 'if ($a) { '.repeat(30_000), '1 + '.repeat(200_000)]) {
      const findings = ps(text);
      assert.deepEqual(rules(findings), ['PP1000'], text.slice(0, 20));
      assert.equal(findings[0]?.severity, 'error');
      assert.match(findings[0]?.message ?? '', /nests too deeply/);
    }
    const batch = bat('if 1==1 '.repeat(40_000));
    assert.deepEqual(rules(batch), ['PP2000']);
    assert.match(batch[0]?.message ?? '', /nests too deeply/);
    assert.ok(!rules(ps('$x = ((1))')).includes('PP1000'), 'ordinary nesting is analysed as usual');
  });

  it('reports 1-based positions that match the JSON contract', () => {
    const lint = lintFile('setup.ps1', Buffer.from("$ErrorActionPreference = 'Stop'\n\niex $cmd\n"));
    assert.ok(lint);
    const report = createLintReport([toFileReport('setup.ps1', lint)], 1);
    assert.deepEqual(LintReport.parse(report), report);
    const iex = report.files[0]?.diagnostics.find((d) => d.rule === 'PP1006');
    assert.deepEqual(iex && [iex.line, iex.column, iex.endLine, iex.endColumn, iex.pssa], [3, 1, 3, 4, 'PSAvoidUsingInvokeExpression']);
  });

  it('applies the workspace configuration: off, and severity overrides', () => {
    const text = "$ErrorActionPreference = 'Stop'\nWrite-Host 'x'\n";
    assert.deepEqual(rules(ps(text)), ['PP1008']);
    assert.deepEqual(rules(ps(text, { PP1008: 'off' })), []);
    assert.equal(ps(text, { PP1008: 'error' })[0]?.severity, 'error');
  });

  it('honours # pinpack-disable-next-line for the listed rules only', () => {
    const text = "$ErrorActionPreference = 'Stop'\n# pinpack-disable-next-line PP1008\nWrite-Host 'x'; iex $a\nWrite-Host 'y'\n";
    assert.deepEqual(rules(ps(text)), ['PP1006', 'PP1011', 'PP1008']);
    assert.equal(ps(text).find((f) => f.rule === 'PP1008')?.line, 4);
  });

  it("honours PSScriptAnalyzer's SuppressMessageAttribute for its rule, in the function it decorates", () => {
    const text = [
      "$ErrorActionPreference = 'Stop'",
      'function Write-Banner {',
      "    [Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSAvoidUsingWriteHost', '')]",
      '    param()',
      "    Write-Host 'inside'",
      '}',
      "Write-Host 'outside'",
    ].join('\n');
    const found = ps(text).filter((f) => f.rule === 'PP1008');
    assert.deepEqual(found.map((f) => f.line), [7]);
    const script = `[System.Diagnostics.CodeAnalysis.SuppressMessage('PSAvoidUsingWriteHost', '')]\nparam()\n${text}`;
    assert.deepEqual(ps(script).filter((f) => f.rule === 'PP1008'), []);
  });

  it('honours REM and :: suppressions in batch files', () => {
    const text = '@echo off\nREM pinpack-disable-next-line PP2007\nexit 1\n:: pinpack-disable-next-line\nexit 2\nexit 3\n';
    assert.deepEqual(bat(text).map((f) => [f.rule, f.line]), [['PP2007', 6]]);
  });

  it('honours # pinpack-disable-file for the listed rules, wherever the comment stands in the file', () => {
    const text = "$ErrorActionPreference = 'Stop'\nWrite-Host 'x'; iex $a\nWrite-Host 'y'\n# pinpack-disable-file PP1008, pp1011\n";
    assert.deepEqual(rules(ps(text)), ['PP1006']);
    assert.deepEqual(rules(ps(text.replace('pinpack-disable-file PP1008, pp1011', 'pinpack-disable-file'))), []);
    assert.deepEqual(rules(ps(text.replace('pinpack-disable-file', 'pinpack-disable-files'))), ['PP1008', 'PP1006', 'PP1011', 'PP1008']);
  });

  it('honours REM and :: pinpack-disable-file in batch files', () => {
    const text = '@echo off\nREM pinpack-disable-file PP2007\nexit 1\nexit 2\n';
    assert.deepEqual(bat(text).map((f) => f.rule), []);
    assert.deepEqual(bat(text.replace('REM pinpack-disable-file PP2007', ':: pinpack-disable-file PP2001')).map((f) => [f.rule, f.line]), [['PP2007', 3], ['PP2007', 4]]);
  });

  it('reports each syntax error once, at the place PowerShell does', () => {
    const found = ps("$ErrorActionPreference = 'Stop'\nif ($a {\n  'x'\n}\n").filter((f) => f.rule === 'PP1000');
    assert.ok(found.length >= 1);
    assert.equal(new Set(found.map((f) => f.start)).size, found.length);
  });

  it('lints the SCCM copier template clean', () => {
    const text = TEMPLATE_FILES['pinpack-copy.bat'] as string;
    assert.deepEqual(lintFile('pinpack-copy.bat', Buffer.from(text, 'utf8'))?.findings.map((f) => `${f.rule} ${f.message}`), []);
  });

  it('applies fixes without overlapping edits', () => {
    assert.equal(applyEdits('abcdef', [{ start: 4, end: 5, text: 'E' }, { start: 0, end: 1, text: 'A' }, { start: 0, end: 2, text: 'zz' }]), 'AbcdEf');
  });
});

describe('core/lint rules: cases beyond the documentation examples', () => {
  it('PP1001 accepts -QuietInstall through a literal splat, prefixes and the old cmdlet name', () => {
    const head = "$ErrorActionPreference = 'Stop'\n";
    assert.deepEqual(rules(ps(`${head}$p = @{ PackagePath = $x; QuietInstall = $true }\nInstall-ProvisioningPackage @p\n`)), []);
    assert.deepEqual(rules(ps(`${head}Install-ProvisioningPackage -PackagePath $x -Quiet\n`)), []);
    assert.deepEqual(rules(ps(`${head}Add-ProvisioningPackage -PackagePath $x\n`)), ['PP1001']);
    assert.deepEqual(rules(ps(`${head}$p = @{ PackagePath = $x }\nInstall-ProvisioningPackage @p\n`)), ['PP1001']);
  });

  it('PP1002 finds message boxes and host prompts, not just cmdlets', () => {
    const head = "$ErrorActionPreference = 'Stop'\n";
    assert.deepEqual(rules(ps(`${head}[System.Windows.Forms.MessageBox]::Show('Done')\n`)), ['PP1002']);
    assert.deepEqual(rules(ps(`${head}$c = $Host.UI.PromptForChoice('t', 'm', $o, 0)\n$c\n`)), ['PP1002']);
    assert.deepEqual(rules(ps(`${head}pause\n`)), ['PP1002']);
    assert.deepEqual(rules(ps(`${head}$creds = Get-Credential\n$creds\n`)), ['PP1002']);
  });

  it('PP1003 flags each PowerShell 7 construct, unless the script requires PowerShell 7', () => {
    const text = "$ErrorActionPreference = 'Stop'\n$a = $b ? 1 : 2\n$c = ${d}?.e\n$f ??= 1\ng && h\n1..3 | ForEach-Object -Parallel { $_ }\n$j = ${k}?[0]\n";
    assert.equal(ps(text).filter((f) => f.rule === 'PP1003').length, 6);
    assert.deepEqual(ps(`#Requires -Version 7.2\n${text}`).filter((f) => f.rule === 'PP1003'), []);
  });

  it('PP1007 catches every prefix PowerShell accepts for -AsPlainText', () => {
    for (const p of ['-AsPlainText', '-AsPlain', '-asp', '-A']) {
      assert.deepEqual(rules(ps(`$ErrorActionPreference = 'Stop'\n$s = ConvertTo-SecureString $t ${p} -Force\n$s\n`)), ['PP1007'], p);
    }
  });

  it('PP1008 allows Write-Host in Show-* functions', () => {
    assert.deepEqual(rules(ps("$ErrorActionPreference = 'Stop'\nfunction Show-Summary { Write-Host 'ok' }\nShow-Summary\n")), []);
  });

  it('PP1011 rewrites % and ? and leaves functions of the same name alone', () => {
    const lint = lintFile('s.ps1', Buffer.from("$ErrorActionPreference = 'Stop'\n1, 2 | ? { $_ } | % { $_ }\n"));
    const edits = lint?.findings.filter((f) => f.rule === 'PP1011').flatMap((f) => f.edits ?? []) ?? [];
    assert.equal(applyEdits(lint?.file.text ?? '', edits), "$ErrorActionPreference = 'Stop'\n1, 2 | Where-Object { $_ } | ForEach-Object { $_ }\n");
    assert.deepEqual(rules(ps("$ErrorActionPreference = 'Stop'\nfunction ls { 'mine' }\nls\n")), []);
  });

  it('PP1013 only concerns entry scripts, not modules or function libraries', () => {
    assert.deepEqual(rules(lintFile('m.psm1', Buffer.from("Copy-Item a b\n"))?.findings ?? []), []);
    assert.deepEqual(rules(ps('function Get-X { 1 }\n')), []);
    assert.deepEqual(rules(ps("$ErrorActionPreference = 'Continue'\nCopy-Item a b\n")), ['PP1013']);
  });

  it('PP1019 accepts integers and variables, and flags strings, booleans and fractions', () => {
    const exit = (value: string) => rules(ps(`$ErrorActionPreference = 'Stop'\nexit ${value}\n`)).filter((r) => r === 'PP1019');
    for (const ok of ['0', '0x10', '$LASTEXITCODE', '$codes.Failed', "'3'"]) assert.deepEqual(exit(ok), [], ok);
    for (const bad of ['$true', "'failed'", '1.5']) assert.deepEqual(exit(bad), ['PP1019'], bad);
  });

  it('PP1028 finds a backtick glued to a word, variable or parameter, and its fix makes the next line part of the command again', () => {
    const head = "$ErrorActionPreference = 'Stop'\r\n";
    // With CR LF, PowerShell ends the command at the glued backtick: -QuietInstall is lost, as PP1001 now sees.
    const crlf = `${head}Install-ProvisioningPackage -PackagePath $ppkg\`\r\n    -QuietInstall\r\n`;
    const lint = lintFile('setup.ps1', Buffer.from(crlf, 'utf8'));
    const glued = lint?.findings.filter((f) => f.rule === 'PP1028') ?? [];
    assert.deepEqual(glued.map((f) => [f.line, f.column, f.endColumn]), [[2, 47, 48]]);
    assert.ok(rules(lint?.findings ?? []).includes('PP1001'));
    const fixed = applyEdits(lint?.file.text ?? '', glued.flatMap((f) => f.edits ?? []));
    assert.equal(fixed, `${head}Install-ProvisioningPackage -PackagePath $ppkg \`\r\n    -QuietInstall\r\n`);
    assert.deepEqual(rules(ps(fixed)), []);
    // A bare word, a braced variable and a parameter, with LF line endings too.
    const found = (text: string) => ps(text).filter((f) => f.rule === 'PP1028').map((f) => [f.line, f.column]);
    assert.deepEqual(found("Copy-Item C:\\a`\n  D:\\b\nWrite-Output ${x}`\n  y\nRemove-Item -Force`\n  -Path $p\n"), [[1, 15], [3, 18], [5, 19]]);
    // A continuation after a blank, and backticks in strings, here-strings and comments, are not.
    assert.deepEqual(found("Copy-Item a `\n  b\n$s = \"a\`nb\"\n$h = @'\nx`\n'@\n# note`\nWrite-Output 'a'`\n  'b'\n"), []);
  });

  it('PP2002 and PP2003 compare labels case-insensitively and know :eof', () => {
    assert.deepEqual(rules(bat('@echo off\ngoto :Done\ncall :sub\ngoto :eof\n:done\n:SUB\nexit /b 0\n')), []);
    assert.deepEqual(rules(bat('@echo off\ncall :missing arg\n:a\n:A\nexit /b 0\n')), ['PP2002', 'PP2003']);
  });

  it('PP2005 and PP2006 read robocopy inside blocks and normalisation by errorlevel', () => {
    assert.deepEqual(rules(bat('@echo off\nif exist x (\n  robocopy a b /E /R:2 /W:5\n  if errorlevel 8 exit /b 8\n)\nexit /b 0\n')), []);
    assert.deepEqual(rules(bat('@echo off\nrobocopy a b /R:100 /W:30\nif %ERRORLEVEL% LSS 8 exit /b 0\nexit /b 1\n')), ['PP2005']);
  });

  it('PP2008 accepts cmd /v:on and only flags !var! before setlocal EnableDelayedExpansion', () => {
    assert.deepEqual(rules(bat('@echo off\necho !A!\nsetlocal EnableDelayedExpansion\necho !A!\n')), ['PP2008']);
    assert.deepEqual(rules(bat('@echo off\necho Done!\n')), []);
  });
});
