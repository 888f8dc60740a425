import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromText } from '../../../../src/core/lint/decode';
import { lintFile } from '../../../../src/core/lint/engine';
import { IncrementalLint } from '../../../../src/core/lint/incremental-lint';
import type { PowerShellIndex } from '../../../../src/core/lint/powershell/index';
import type { Rule } from '../../../../src/core/lint/rule';
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
];

function edit(rnd: () => number, text: string): string {
  const at = Math.floor(rnd() * (text.length + 1));
  const what = rnd();
  if (what < 0.45) return text.slice(0, at) + TYPED[Math.floor(rnd() * TYPED.length)] + text.slice(at);
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
    for (const start of [functions, ...fixtures, ...fuzzInputs(fixtures, 100, 5)]) {
      const linter = new IncrementalLint();
      let text = start;
      for (let step = 0; step < (start === functions ? 300 : 10); step++) {
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
