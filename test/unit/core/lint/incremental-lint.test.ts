import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromText } from '../../../../src/core/lint/decode';
import { lintFile } from '../../../../src/core/lint/engine';
import { IncrementalLint } from '../../../../src/core/lint/incremental-lint';
import type { PowerShellIndex } from '../../../../src/core/lint/powershell/index';
import { checkByFacts, type Rule, type StatementFacts } from '../../../../src/core/lint/rule';
import { RULES } from '../../../../src/core/lint/rules/registry';
import { repoRoot } from '../../paths';
import { fuzzInputs, random } from './fuzz-powershell';

const fixtureDir = join(repoRoot, 'test', 'fixtures', 'powershell');
const fixtures = readdirSync(fixtureDir)
  .sort()
  .map((name) => readFileSync(join(fixtureDir, name), 'utf8').replace(/^\uFEFF/, ''));
const functions = fixtures.map((text, i) => `function F${i} {\n${text}\n}\n`).join('');

/** Typed text that trips rules, suppresses them, or changes the structure around it. */
const TYPED = [
  'a', '$', '{', '}', '(', ')', '"', "'", '\n', ' ', '  \n', '|', '#', '<#', '#>', '`', '` \n', ';', 'else', 'Write-Host x\n', 'iex $a\n',
  '# pinpack-disable-next-line PP1008\n', '# pinpack-disable-next-line\n', '$global:x = 1\n', "exit 'a'\n", 'gwmi x\n', '$a ?? $b\n',
  'catch { }', "$ErrorActionPreference = 'Continue'\n", 'Install-ProvisioningPackage -PackagePath x\n', '$p = @{ QuietInstall = $true }\n',
  'function Write-Host { }\n', 'Get-Content -AsByteStream x\n', '#requires -Version 7\n', 'param($Password)\n', 'é',
  // Facts kept per statement (PP1020, PP1024): a write or a read of a variable in one statement, a
  // deletion in another, suppressions and param blocks that change what the whole script means.
  '$x = 1\n', 'Write-Output $x\n', '"$x"', 'Get-Variable x\n', '$x += 1\n', '$script:x = 2\n', '$pinFile = \'pins.json\'\n',
  'Set-Content $out $pin\n', 'Remove-Item $pinFile\n', 'try { } finally { Remove-Item $pinFile }\n', 'function Clean { Remove-Item $out }\n',
  'try { } finally { Clean }\n', 'ICD.exe /CustomizationXML:$xml /PackagePath:$ppkg\n', '$xml = Join-Path $run \'customizations.xml\'\n',
  '# pinpack-disable-file PP1020\n', '# pinpack-disable-next-line PP1024\n', 'param($x)\n',
  "[Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSUseDeclaredVarsMoreThanAssignments', '')]\nparam()\n",
  // Rules whose kept statement findings depend on the rest of the script: #Requires (PP1003), the
  // functions it defines (PP1011 aliases, PP1021 positional arguments), the script's param block
  // (PP1022), splatted hashtables (PP1001), EnableLUA anywhere (PP1026), exit-code comments (PP1027).
  '#Requires -PSEdition Core\n', '$a?.b\n', 'a && b\n', 'function gc { }\n', 'gc x\n', 'function robocopy { }\n', 'robocopy a b c\n', 'Copy-Item a b c\n',
  '$x | Copy-Item a b\n', 'function Login($User, $Password) { }\n', 'param($UserName, $Password)\n', "$password = 'secret1'\n", "$user = 'John Smith'\n",
  'Install-ProvisioningPackage @p\n', '$p = @{ PackagePath = 1 }\n', 'Set-ItemProperty $k -Name EnableLUA -Value 0\n', '$v = Get-ItemProperty $k EnableLUA\n',
  'Set-ItemProperty $k -Name EnableLUA -Value $v\n', '$name = "EnableLUA"\n', '# EnableLUA\n', '$off = 0\n', 'exit 13\n', '# Exit codes:\n#  13  bad\n',
];

/** Top-level statements whose findings hang on other statements (see the last lines of TYPED). */
const CROSS = [
  'function gc { Get-Content $args }',
  'gc a.txt',
  'gwmi Win32_BIOS',
  'function robocopy { param($a, $b, $c) }',
  'robocopy a b c',
  'Copy-Item a b c',
  'Get-Item x | Copy-Item a b',
  '$p = @{ PackagePath = "x.ppkg"; QuietInstall = $true }',
  'Install-ProvisioningPackage @p',
  '$q = @{ PackagePath = "y.ppkg" }',
  'Add-ProvisioningPackage @q',
  '$q = @{ PackagePath = "y.ppkg"; QuietInstall = $true }',
  'function Login { param($User, $Password) }',
  '$off = 0',
  'Set-ItemProperty $key -Name EnableLUA -Value $off',
  '$value = Get-ItemProperty $key EnableLUA',
  "Set-ItemProperty $key -Name EnableLUA -Value 0",
  "Set-ItemProperty $key -Name 'ConsentPromptBehaviorAdmin' -Value $value",
  '# Exit codes:',
  '#   13  the user name has a space',
  'function Fail { exit 13 }',
  'exit 14',
  '$a ?? $b',
  'Write-Output ($x?.y)',
  "$user = 'John Smith'",
  "$password = 'P@ssw0rd1'",
].join('\n');

/** A script of many top-level statements that share variables and files across statements. */
const SHARED = [
  "$pinFile = 'C:\\Temp\\pins.json'",
  "$run = Join-Path $env:TEMP 'run'",
  "$xml = Join-Path $run 'customizations.xml'",
  '$x = 1',
  '$unused = 2',
  'function Clean { Remove-Item $xml; Remove-Item $pinFile }',
  'function Build { ICD.exe /CustomizationXML:$xml /PackagePath:$ppkg; $local = 3; Write-Output $x }',
  '$ppkg = "$run\\out.ppkg"',
  'try { Build } finally { Clean }',
  'Write-Output "$x"',
  'Set-Content -Path $pinFile -Value $pin',
].join('\n');

function edit(rnd: () => number, text: string): string {
  const at = Math.floor(rnd() * (text.length + 1));
  const what = rnd();
  if (what < 0.45) {
    const typed = TYPED[Math.floor(rnd() * TYPED.length)] as string;
    // A typed line goes at the start of a line half the time: a new statement (or comment) of its own.
    const where = typed.endsWith('\n') && rnd() < 0.5 ? text.lastIndexOf('\n', at - 1) + 1 : at;
    return text.slice(0, where) + typed + text.slice(where);
  }
  if (what < 0.8) return text.slice(0, at) + text.slice(at + 1 + Math.floor(rnd() * 4));
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  const lineEnd = text.indexOf('\n', at);
  const line = text.slice(lineStart, lineEnd < 0 ? text.length : lineEnd + 1);
  return rnd() < 0.5 ? text.slice(0, lineStart) + text.slice(lineStart + line.length) : text.slice(0, lineStart) + line + text.slice(lineStart);
}

describe('core/lint/incremental-lint', () => {
  it('gives exactly what a full lint gives, over chains of random edits', function () {
    this.timeout(180_000);
    const rnd = random(4242);
    const config = { PP1012: 'error' as const, PP1005: 'off' as const };
    let edits = 0;
    for (const start of [functions, SHARED, CROSS, ...fixtures, ...fuzzInputs(fixtures, 100, 5)]) {
      const linter = new IncrementalLint();
      let text = start;
      for (let step = 0; step < (start === functions || start === SHARED || start === CROSS ? 300 : 10); step++) {
        const cfg = step % 7 === 3 ? config : {};
        const ours = linter.lint('setup.ps1', fromText(text), cfg);
        const full = lintFile('setup.ps1', fromText(text), cfg);
        assert.deepEqual(ours?.findings, full?.findings, `after ${step} edits of a ${start.length}-character script`);
        text = edit(rnd, text);
        edits++;
      }
    }
    assert.ok(edits > 1000, `${edits} edits`);
  });

  it('runs statement-scoped rules only on the statements an edit touched', () => {
    let checked = 0;
    const counting: Rule<PowerShellIndex> = {
      id: 'PP1999',
      language: 'powershell',
      severity: 'warning',
      message: 'Counts.',
      docs: '',
      fixable: false,
      scope: 'statement',
      check({ parsed, report }) {
        checked++;
        for (const c of parsed.nodes('Command')) if (c.name === 'Write-Host') report({ start: c.start, end: c.end });
      },
    };
    const rules = [...RULES, counting] as readonly Rule<never>[];
    const linter = new IncrementalLint();
    const text = 'function a { Write-Host 1 }\nfunction b { 2 }\nfunction c { 3 }\nfunction d { 4 }\nfunction e { Write-Host 5 }\n';
    const first = linter.lint('x.ps1', fromText(text), {}, rules);
    assert.equal(checked, 5);
    assert.deepEqual(first?.findings.filter((f) => f.rule === 'PP1999').map((f) => f.line), [1, 5]);
    const edited = text.replace('{ 3 }', '{\n 33 }');
    const second = linter.lint('x.ps1', fromText(edited), {}, rules);
    // The edited statement and the one before it (whose end the parser may have looked past) run again.
    assert.equal(checked, 7, 'only functions b and c were checked again');
    assert.deepEqual(second?.findings.filter((f) => f.rule === 'PP1999').map((f) => [f.line, f.start]), [[1, 13], [6, edited.indexOf('Write-Host 5')]]);
    assert.deepEqual(second?.findings, lintFile('x.ps1', fromText(edited), {}, rules)?.findings);
  });

  it('collects statement facts only for the statements an edit touched, and combines them for the whole script', () => {
    const collected: string[] = [];
    const facts: StatementFacts<PowerShellIndex, string[]> = {
      collect(parsed) {
        const names = parsed.nodes('FunctionDefinition').map((f) => f.name);
        collected.push(...names);
        return names;
      },
      // A finding that depends on every statement: the last function named like an earlier one.
      combine({ parsed, report }, all) {
        const seen = new Set<string>();
        for (const f of parsed.nodes('FunctionDefinition')) if (all.flat().includes(f.name) && (seen.has(f.name.toLowerCase()) || !seen.add(f.name.toLowerCase()))) report({ start: f.start, end: f.nameStart });
      },
    };
    const duplicate: Rule<PowerShellIndex> = {
      id: 'PP1998',
      language: 'powershell',
      severity: 'warning',
      message: 'Rename one of the two functions.',
      docs: '',
      fixable: false,
      facts: facts as StatementFacts<PowerShellIndex, unknown>,
      check: checkByFacts(facts),
    };
    const rules = [...RULES, duplicate] as readonly Rule<never>[];
    const linter = new IncrementalLint();
    const text = 'function a { 1 }\nfunction b { 2 }\nfunction c { 3 }\nfunction d { 4 }\n';
    const dup = (lint: ReturnType<IncrementalLint['lint']>) => lint?.findings.filter((f) => f.rule === 'PP1998').map((f) => f.line);
    assert.deepEqual(dup(linter.lint('x.ps1', fromText(text), {}, rules)), []);
    assert.deepEqual(collected, ['a', 'b', 'c', 'd']);
    collected.length = 0;
    const edited = text.replace('function d', 'function a');
    const second = linter.lint('x.ps1', fromText(edited), {}, rules);
    assert.deepEqual(collected, ['c', 'a'], 'only the edited statement and the one before it were collected again');
    assert.deepEqual(dup(second), [4]);
    assert.deepEqual(second?.findings, lintFile('x.ps1', fromText(edited), {}, rules)?.findings);
  });

  it('reports an unused script-level variable, and a PIN file not deleted, as lintFile does when another statement changes', () => {
    const linter = new IncrementalLint();
    const steps = [
      "$x = 1\nfunction f { 1 }\nWrite-Output $x\n",
      "$x = 1\nfunction f { 1 }\nWrite-Output $y\n",
      "$x = 1\nfunction f { $x }\nWrite-Output $y\n",
      "$pin = 'pins.json'\nfunction Clean { Remove-Item $pin }\ntry { 1 } finally { Clean }\n",
      "$pin = 'pins.json'\nfunction Clean { Remove-Item $pin }\ntry { 1 } finally { Other }\n",
      "$pin = 'pins.json'\nfunction Other { Remove-Item $pin }\ntry { 1 } finally { Other }\n",
      "# pinpack-disable-next-line PP1024\n$pin = 'pins.json'\nfunction Other { Remove-Item $pin }\ntry { 1 } finally { Other2 }\n",
    ];
    const rules = (text: string) => linter.lint('x.ps1', fromText(text))?.findings.map((f) => `${f.rule}:${f.line}`).filter((r) => /PP102[04]/.test(r));
    assert.deepEqual(steps.map(rules), [[], ['PP1020:1'], [], [], ['PP1024:1'], [], []]);
    for (const text of steps) assert.deepEqual(linter.lint('x.ps1', fromText(text))?.findings, lintFile('x.ps1', fromText(text))?.findings);
  });

  it('drops or keeps a statement\'s kept findings when another statement changes what they mean, as lintFile does', () => {
    const linter = new IncrementalLint();
    const body = 'gc a.txt\nrobocopy a b c\nInstall-ProvisioningPackage @p\n$x = $a ?? $b\nSet-ItemProperty $key -Name EnableLUA -Value 0\n';
    const steps = [
      `$p = @{ PackagePath = 'x' }\n${body}`,
      // Another statement defines gc (no alias then) and robocopy (a PowerShell function then).
      `$p = @{ PackagePath = 'x' }\n${body}function gc { }\n`,
      `$p = @{ PackagePath = 'x' }\n${body}function robocopy { }\n`,
      // The splatted hashtable, assigned in another statement, passes -QuietInstall.
      `$p = @{ PackagePath = 'x'; QuietInstall = $true }\n${body}`,
      `$p = @{ PackagePath = 'x'; QuietInstall = $true }\n${body}$p = @{ PackagePath = 'y' }\n`,
      // #Requires in a comment between statements turns PP1003 off.
      `#Requires -Version 7\n$p = @{ PackagePath = 'x' }\n${body}`,
      // The value read in another statement first: saved (and no restore to look for beside a script linted from memory).
      `$p = @{ PackagePath = 'x' }\n$v = Get-ItemProperty $key EnableLUA\n${body}`,
    ];
    const rules = (text: string) => linter.lint('x.ps1', fromText(text))?.findings.map((f) => `${f.rule}:${f.line}`).filter((r) => /PP10(01|03|11|21|26)/.test(r));
    assert.deepEqual(steps.map(rules), [
      ['PP1011:2', 'PP1001:4', 'PP1003:5', 'PP1026:6'],
      ['PP1001:4', 'PP1003:5', 'PP1026:6'],
      ['PP1011:2', 'PP1021:3', 'PP1001:4', 'PP1003:5', 'PP1026:6'],
      ['PP1011:2', 'PP1003:5', 'PP1026:6'],
      ['PP1011:2', 'PP1001:4', 'PP1003:5', 'PP1026:6'],
      ['PP1011:3', 'PP1001:5', 'PP1026:7'],
      ['PP1011:3', 'PP1001:5', 'PP1003:6'],
    ]);
    for (const text of steps) assert.deepEqual(linter.lint('x.ps1', fromText(text))?.findings, lintFile('x.ps1', fromText(text))?.findings);
  });

  it('starts over when the path changes, and lints batch files in full', () => {
    const linter = new IncrementalLint();
    const ps = linter.lint('a.ps1', fromText('iex $a\n'));
    assert.deepEqual(ps?.findings.map((f) => f.rule).filter((r) => r === 'PP1006'), ['PP1006']);
    const bat = linter.lint('b.bat', fromText('copy a b\r\n'));
    assert.equal(bat?.language, 'batch');
    assert.deepEqual(bat?.findings, lintFile('b.bat', fromText('copy a b\r\n'))?.findings);
    assert.deepEqual(linter.lint('a.ps1', fromText('iex $b\n'))?.findings, lintFile('a.ps1', fromText('iex $b\n'))?.findings);
  });

  it('reports a script nested too deeply as one syntax error, as lintFile does, and goes on after the next edit', () => {
    const linter = new IncrementalLint();
    linter.lint('deep.ps1', fromText('Write-Output 1\n'));
    const deep = `Write-Output 1\n${'('.repeat(100_000)}`;
    const found = linter.lint('deep.ps1', fromText(deep));
    assert.deepEqual(found?.findings.map((f) => f.rule), ['PP1000']);
    assert.deepEqual(found?.findings, lintFile('deep.ps1', fromText(deep))?.findings);
    assert.deepEqual(linter.lint('deep.ps1', fromText('iex $a\n'))?.findings, lintFile('deep.ps1', fromText('iex $a\n'))?.findings);
  });
});
