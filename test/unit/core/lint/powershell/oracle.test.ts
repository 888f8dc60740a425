import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePowerShell } from '../../../../../src/core/lint/powershell/parser';
import { compare, locatePwsh, PwshOracle, syntaxErrors } from '../../../../oracle/pwsh-oracle';
import { repoRoot } from '../../../paths';
import { fuzzInputs } from '../fuzz-powershell';

const fixtureDir = join(repoRoot, 'test', 'fixtures', 'powershell');
const fixtures = readdirSync(fixtureDir).map((name) => ({ name, text: readFileSync(join(fixtureDir, name), 'utf8').replace(/^\uFEFF/, '') }));

/** Small scripts that exercise one grammar corner each; some are broken on purpose. */
const SNIPPETS = [
  'Get-Item -Path:C:\\x foo.exe 1MB 1abc $a.b ${a b} $env:X @splat --x a=b',
  '1..5', '1.5.3', '-5', '$x = -5', '$x = 3 -5', '$a ? 1 : 2', '${a}?.b', '$a?.b', 'a |\nb',
  'echo $(1; 2) "x$(a "b") c"', '$a::b', '[int]::MaxValue', ':lbl foreach ($a in 1) { break lbl }',
  '& $s 1', 'return & $a', '. .\\helpers.ps1', 'a 2>&1 > x', 'Write-Output -InputObject:$true',
  '$h = @{ a = 1; "b" = 2; 3 = 4 }', "@'\nx\n'@", '@"\n$(Get-Date)\n"@', '[ValidateSet(\'a\')][string] $Level = \'a\'',
  'function f([int] $a = 1, $b) { $a }', 'class C { [int] $X = 1; C() : base() { } static [void] M() { } }',
  'enum E { A = 1; B }', 'try { 1 } catch [System.IO.IOException], [System.Exception] { 2 } finally { 3 }',
  'switch -Regex -CaseSensitive ($x) { "^a" { 1 } default { 2 } }', 'do { $i++ } while ($i -lt 3)',
  'for ($i = 0; $i -lt 3; $i++) { }', 'trap [System.Exception] { continue }', 'data { "a" }',
  'a && b || c', 'a &', '$x ??= 1', 'Write-Output ‘smart’ “quotes” –Verbose', '$x = `\n  1',
  '#requires -Version 5.1\n$x = 1', '<# block\n comment #> $x', '$a = @(1, 2)[0]', '[int[]] $a = 1, 2',
  '$x.y.z = 1', '$a, $b = 1, 2', '[string]$s = "a"', '$x = [System.Collections.Generic.List[string]]::new()',
  // a braced variable run into more of an argument is one bare word; after & and . too
  'echo ${a}b ${a b}c ${a}:x ${a}"x" ${a}$b ${a}-x ${items}?[0]', 'echo ${a}.b ${a}[0] ${a}(1) ${a},b', '& ${dir}x', '. $a-b', '& $a.b',
  // a backtick glued to a word is part of it, line break included (only the CR of a CR LF)
  'echo ab`\ncd 5`\n  $a`\n  ${a}`\nx @a`\n a.b`\n c', 'echo ab`\r\n  -x', 'ab`\ncd x', 'f -x`\n  b', 'echo a`\n',
  // $name and @name end where PowerShell ends them in an argument: `=`, a member, an index or a
  // static member after the whole name, drive included; not after ${name}
  'echo $a=1 @a=1 ${a}=1 $a:b=1 $a:b-c $a:b.c @env:x ${a}::b $a?.b', 'echo @a(1) @a{1} @a-b @a$b',
  // broken: a member or index of a splat, a splat in a list, a splat of a drive with no name
  'echo @a.b', 'echo @a[0].b', 'echo @a::b', 'echo @env:x[0]', 'echo @a,1', 'echo 1,@a', 'echo @a.b,1', 'echo @a:',
  // after a keyword statement the next one may start on the same line, with no separator
  'if ($a) { 1 } Write-Output 2', 'while ($a) { 1 } x', 'foreach ($a in 1) { } x', 'for (;;) { } x', 'try { } finally { } x',
  'trap { } x', 'function f { } f', 'do { } while ($a) x', 'data { } x', 'class C { } x', 'enum E { A } x', '$x = if ($a) { 1 } x',
  'if ($a) { } else { } else { }', 'f { } x', '& { } x',
  // broken: not after a pipeline or an expression
  '$x = { } x', '{ } x', '$(1) x', '@{} x', '(1) x', '[int] x',
  // a number run into `$ : ? @ [ \ ^ ~` or a backtick at the start of a command is a command name, as in PowerShell
  '1$y', '$v = 1.5$x', '$v = 0x10$y', '$v = 1MB$null', '1:label0', '0b101$z', '1?y', '1@y', '1[y', '1\\y', '1^y', '1~y', '1`y', '1+2', '1..3', '$v = 1,2',
  // a ${name} runs to its `}`, in an expandable string too (quotes included); an unescaped `{` in it is an error
  '"${a"b}" "${a`"b}" "x${a}{y" "${a`{b}" ${a`{b}', 'echo ${a{b}', '"${a{b}"', '@"\n${a{b}\n"@', '${a{b{c}', '${{}',
  // broken
  'if ($a { }', 'function { }', 'process', 'process x', 'function f { end }', 'begin    $x = 1', '()', '$x = (\n)', '( # note\n )', 'pam()', '$x = ', '1 = 2', '@{a=1;a=2}', 'a |', 'a | | b', 'exit 1 2', 'a <x', '"unterminated',
  "'unterminated", '@"\nno end', '$x = (1 + ', 'try { }', 'foreach ($a $b) { }', '$a.', '${', '@', 'param($a, $a)',
  'class C { [int] }', 'a 2>&3', '[CmdletBinding()]', '$x = 1 +', '{ ', ')', '$a[', 'switch ($x) { 1 }',
  'Write-Outpu$(t "trapped"; continue', 'echo a$(b (c)',
];

describe('PowerShell front end against the real PowerShell parser', function () {
  this.timeout(300_000);
  let oracle: PwshOracle;
  before(() => {
    oracle = new PwshOracle(locatePwsh(repoRoot), repoRoot);
  });
  after(() => oracle?.close());

  it(`parses every fixture (${fixtures.length}) without error, token for token like PowerShell`, async () => {
    assert.ok(fixtures.length >= 7);
    for (const { name, text } of fixtures) {
      const theirs = await oracle.parse(text);
      assert.deepEqual(syntaxErrors(theirs), [], `${name} must be a valid script`);
      const ours = parsePowerShell(text);
      const agreement = compare(text, ours, theirs);
      assert.ok(agreement.errorsAgree && agreement.tokensAgree, `${name}: ${agreement.detail}`);
    }
  });

  it('agrees on every snippet, and on broken ones reports the first error where PowerShell does', async () => {
    const results = await oracle.parseMany(SNIPPETS);
    const problems: string[] = [];
    SNIPPETS.forEach((text, i) => {
      const theirs = results[i] as Awaited<ReturnType<PwshOracle['parse']>>;
      const ours = parsePowerShell(text);
      const agreement = compare(text, ours, theirs);
      if (!agreement.errorsAgree || !agreement.tokensAgree) problems.push(`${JSON.stringify(text)}: ${agreement.detail}`);
      const first = syntaxErrors(theirs)[0];
      if (first && ours.errors[0] && ours.errors[0].start !== first.start) {
        problems.push(`${JSON.stringify(text)}: first error at ${ours.errors[0].start} (${ours.errors[0].id}), PowerShell at ${first.start} (${first.id})`);
      }
    });
    assert.deepEqual(problems, []);
  });

  it('fuzz: 10,000 mutated scripts parse without a crash or a hang, and agree with PowerShell', async () => {
    const inputs = fuzzInputs(fixtures.map((f) => f.text), 10_000, 20261126);
    const results = await oracle.parseMany(inputs);
    let errorAgree = 0;
    let bothValid = 0;
    let tokensAgree = 0;
    const examples: string[] = [];
    inputs.forEach((text, i) => {
      const ours = parsePowerShell(text);
      const agreement = compare(text, ours, results[i] as Awaited<ReturnType<PwshOracle['parse']>>);
      if (agreement.errorsAgree) errorAgree++;
      if (agreement.errorsAgree && ours.errors.length === 0) {
        bothValid++;
        if (agreement.tokensAgree) tokensAgree++;
      }
      if ((!agreement.errorsAgree || !agreement.tokensAgree) && examples.length < 5) examples.push(`${JSON.stringify(text.slice(0, 200))}: ${agreement.detail}`);
    });
    const errorRate = errorAgree / inputs.length;
    const tokenRate = tokensAgree / bothValid;
    assert.ok(bothValid > 2000, `enough valid inputs to compare tokens (${bothValid})`);
    assert.ok(errorRate >= 0.99, `"has a syntax error" agrees on ${(errorRate * 100).toFixed(2)}%; e.g.\n${examples.join('\n')}`);
    assert.ok(tokenRate >= 0.99, `tokens agree on ${(tokenRate * 100).toFixed(2)}% of valid inputs; e.g.\n${examples.join('\n')}`);
  });
});
