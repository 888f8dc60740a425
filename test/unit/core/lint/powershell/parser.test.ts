import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command, FunctionDefinition, Node, Statement, VariableExpr } from '../../../../../src/core/lint/powershell/ast';
import { forEachNode, loneExpression, walk } from '../../../../../src/core/lint/powershell/ast';
import { PowerShellIndex } from '../../../../../src/core/lint/powershell/index';
import { parsePowerShell } from '../../../../../src/core/lint/powershell/parser';
import { repoRoot } from '../../../paths';
import { fuzzInputs } from '../fuzz-powershell';

const index = (text: string) => new PowerShellIndex(parsePowerShell(text), text);
const slice = (text: string, n: { start: number; end: number }) => text.slice(n.start, n.end);

describe('core/lint/powershell parser: the tree rules read', () => {
  it('gives commands their name, parameters and arguments, with -Name:value bound', () => {
    const text = "Get-ChildItem -Path:C:\\Temp -Filter '*.log' -Recurse 2>&1 | Remove-Item -WhatIf";
    const [gci, ri] = index(text).nodes('Command') as Command[];
    assert.equal(gci?.name, 'Get-ChildItem');
    assert.deepEqual(gci?.elements.map((e) => (e.type === 'CommandParameter' ? `-${e.name}${e.argument ? `=${slice(text, e.argument)}` : ''}` : slice(text, e))), ['-Path=C:\\Temp', '-Filter', "'*.log'", '-Recurse']);
    assert.deepEqual(gci?.redirections.map((r) => r.operator), ['2>&1']);
    assert.equal(ri?.name, 'Remove-Item');
  });

  it('reads a script param block with its attributes, types and defaults', () => {
    const text = "[CmdletBinding()]\nparam(\n  [Parameter(Mandatory)][ValidateNotNull()][string] $Name,\n  [int] $Count = 3\n)\n$Name";
    const ast = parsePowerShell(text).ast;
    assert.deepEqual(ast.paramBlock?.attributes.map((a) => a.name), ['CmdletBinding']);
    assert.deepEqual(ast.paramBlock?.parameters.map((p) => [p.variable.name, p.attributes.map((a) => a.name), p.defaultValue && slice(text, p.defaultValue)]), [
      ['Name', ['Parameter', 'ValidateNotNull', 'string'], undefined],
      ['Count', ['int'], '3'],
    ]);
  });

  it('nests functions, try/catch/finally, loops and the commands inside them', () => {
    const text = 'function Show-A { param($x) try { foreach ($i in 1..2) { Write-Host $i } } catch [System.IO.IOException] { } finally { Remove-Item $x } }';
    const idx = index(text);
    const fn = idx.nodes('FunctionDefinition')[0] as FunctionDefinition;
    assert.equal(fn.name, 'Show-A');
    const tryNode = idx.nodes('Try')[0];
    assert.deepEqual(tryNode?.catches.map((c) => c.types), [['System.IO.IOException']]);
    const writeHost = idx.commandsNamed(['write-host'])[0] as Command;
    assert.equal(idx.enclosingFunction(writeHost)?.name, 'Show-A');
    assert.equal(idx.nodes('Foreach')[0]?.variable?.name, 'i');
  });

  it('parses assignments, hashtables, member calls, casts and the PowerShell 7 operators', () => {
    const text = "$h = @{ a = 1; 'b c' = Get-Date }\n$x = [int]$h.a + $h['b c'].AddDays(-1).Day\n$y = $x ? 1 : ($z ?? 2)";
    const idx = index(text);
    assert.equal(parsePowerShell(text).errors.length, 0);
    assert.deepEqual(idx.nodes('Assignment').map((a) => slice(text, a.left)), ['$h', '$x', '$y']);
    assert.deepEqual(idx.nodes('Hashtable')[0]?.pairs.map((p) => slice(text, p.key)), ['a', "'b c'"]);
    assert.deepEqual(idx.nodes('Member').filter((m) => m.arguments).map((m) => m.name), ['AddDays']);
    assert.deepEqual(idx.nodes('Convert').map((c) => c.typeName), ['int']);
    assert.equal(idx.nodes('Ternary').length, 1);
    assert.deepEqual(idx.nodes('Binary').map((b) => b.operator).sort(), ['+', '??']);
  });

  it('makes a lone expression its own statement, and keeps the pipeline of one with redirections, in the background or among several', () => {
    const text = "$h = @{ a = 1 }\n$list.Add(1)\n($x)\n$x > out.txt\n$x &\n$x | Out-Null";
    const statements = parsePowerShell(text).ast.blocks[0]?.statements as Statement[];
    assert.deepEqual(statements.map((s) => s.type), ['Assignment', 'Member', 'Paren', 'Pipeline', 'Pipeline', 'Pipeline']);
    assert.deepEqual(statements.map((s) => loneExpression(s)?.type), [undefined, 'Member', 'Paren', 'Variable', 'Variable', undefined]);
    const [assignment, , paren, redirected, background, piped] = statements;
    assert.equal(assignment?.type === 'Assignment' && loneExpression(assignment.right)?.type, 'Hashtable');
    assert.equal(paren?.type === 'Paren' && loneExpression(paren.statement)?.type, 'Variable');
    assert.deepEqual(redirected?.type === 'Pipeline' && redirected.elements.map((e) => [e.type, e.redirections.length]), [['CommandExpression', 1]]);
    assert.equal(background?.type === 'Pipeline' && background.background, true);
    assert.deepEqual(piped?.type === 'Pipeline' && piped.elements.map((e) => e.type), ['CommandExpression', 'Command']);
    // Each statement spans its line (the background one without its "&").
    assert.deepEqual(statements.map((s) => slice(text, s)), text.split('\n').map((line) => line.replace(/ &$/, '')));
  });

  it('parses the subexpressions inside expandable strings and here-strings', () => {
    const text = '"Total: $(Get-Count -All) items"\n@"\n$(Invoke-Expression $cmd)\n"@';
    const idx = index(text);
    assert.deepEqual(idx.nodes('Command').map((c) => c.name), ['Get-Count', 'Invoke-Expression']);
  });

  it('recovers after an error and keeps parsing the statements that follow', () => {
    const text = 'if ($a {\n}\nInstall-ProvisioningPackage -PackagePath x\n';
    const parse = parsePowerShell(text);
    assert.ok(parse.errors.length > 0);
    const names: string[] = [];
    walk(parse.ast, (n: Node) => {
      if (n.type === 'Command') names.push(n.name);
    });
    assert.ok(names.includes('Install-ProvisioningPackage'), JSON.stringify(names));
  });

  it('never throws, on any input', () => {
    for (const text of ['', '`', '@"', '$(', '${', '[', '{{{{', ')))', '"$("', "'", '<#', 'class', 'function', 'param(', '@{a=', '2>', '-', '--%', '\uFEFF', '\r', '\u2018', '[math]&::R', 'a & ::b']) {
      assert.doesNotThrow(() => index(text), JSON.stringify(text));
    }
  });

  it("answers parent() within a statement's own index, and nothing outside that statement", () => {
    const text = "$a = 1\nif ($a) { Write-Output $a }\n$b = 2\n";
    const parse = parsePowerShell(text);
    const [first, second] = (parse.ast.blocks[0] as { statements: Node[] }).statements;
    const piece = new PowerShellIndex(parse, text, second);
    const inside = piece.nodes('Command')[0] as Command;
    assert.equal(slice(text, inside), 'Write-Output $a');
    assert.ok(piece.parent(inside));
    // The whole script's first statement is not this piece's business (and walking the whole
    // script for it made every keystroke's re-lint cost a walk per statement).
    const outside = new PowerShellIndex(parse, text, first).nodes('Variable')[0] as Node;
    assert.equal(piece.parent(outside), undefined);
    assert.equal(piece.parent(second as Node), undefined);
  });

  it('answers parent() for every node as a walk of the whole tree does: whole scripts, joined statement indexes, broken scripts', () => {
    const dir = join(repoRoot, 'test', 'fixtures', 'powershell');
    const sources = readdirSync(dir)
      .sort()
      .map((name) => readFileSync(join(dir, name), 'utf8').replace(/^\uFEFF/, ''));
    let asked = 0;
    let joined = 0;
    for (const text of [...sources, ...fuzzInputs(sources, 1500, 11)]) {
      const parse = parsePowerShell(text);
      const expected = new Map<Node, Node | undefined>();
      forEachNode(parse.ast, (node, parent) => {
        expected.set(node, parent);
      });
      const indexes = [new PowerShellIndex(parse, text)];
      const ast = parse.ast;
      if (!ast.paramBlock && ast.usings.length === 0 && ast.blocks.length === 1) {
        // As the incremental linter joins it, from one index per top-level statement.
        const statements = (ast.blocks[0] as { statements: Statement[] }).statements;
        indexes.push(PowerShellIndex.join(parse, text, statements.map((s) => new PowerShellIndex(parse, text, s))));
        joined++;
      }
      for (const idx of indexes) {
        // From the last node back (leaves before their parents, as rules walk up), then in walk order.
        const nodes = [...expected.keys()];
        for (const node of [...nodes.slice().reverse(), ...nodes]) {
          assert.equal(idx.parent(node), expected.get(node), `${node.type} at ${node.start} in ${JSON.stringify(text.slice(0, 80))}`);
          asked++;
        }
      }
    }
    assert.ok(asked > 100_000 && joined > 500, `${asked} nodes asked, ${joined} joined indexes`);
  });

  it('lists nodes in source order, outer first where two start together, sorting only a list the walk left out of order', () => {
    const byStart = (a: Node, b: Node) => a.start - b.start || b.end - a.end;
    const dir = join(repoRoot, 'test', 'fixtures', 'powershell');
    const sources = readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8'));
    const types = ['Variable', 'Assignment', 'Binary', 'Member', 'Command', 'String', 'ScriptBlock', 'Paren'] as const;
    for (const text of [...sources, ...fuzzInputs(sources, 1500, 5)]) {
      const idx = index(text);
      for (const type of types) assert.deepEqual(idx.nodesInOrder(type), [...idx.nodes(type)].sort(byStart), `${type} in ${JSON.stringify(text.slice(0, 60))}`);
    }
    const text = '$a = 1 + (2 + 3)\n$b = $a';
    const idx = index(text);
    assert.equal(idx.nodesInOrder('Binary'), idx.nodes('Binary'), 'a list already in order is not copied');
    const parse = parsePowerShell(text);
    const [, b] = new PowerShellIndex(parse, text).nodes('Variable');
    // As some error recoveries leave it: a node whose range starts before the one walked before it.
    (b as { start: number }).start = 0;
    const broken = new PowerShellIndex(parse, text);
    assert.deepEqual(broken.nodes('Variable').map((v) => v.name), ['a', 'b', 'a']);
    assert.deepEqual(broken.nodesInOrder('Variable').map((v) => v.name), ['b', 'a', 'a']);
    assert.equal(broken.nodesInOrder('Variable')[0], b);
  });

  it('answers parent() where a node lies outside its parent range (a search by range misses it)', () => {
    const text = "Write-Output $a\n$b = 1\n";
    const parse = parsePowerShell(text);
    const command = parse.ast.blocks[0]?.statements[0] as Statement & { elements: Command[] };
    const a = (command.elements[0] as Command).elements[0] as VariableExpr;
    assert.equal(a.type, 'Variable');
    // As some error recoveries leave it: a child that ends past its parents.
    (a as { end: number }).end = text.length;
    const idx = new PowerShellIndex(parse, text);
    assert.equal(idx.parent(a), command.elements[0]);
    assert.equal(idx.parent(command.elements[0] as Node), command);
  });

  it('keeps what rules share with each index: made once per key and index, never shared between indexes', () => {
    const text = '$a = 1\n$b = 2\n';
    const parse = parsePowerShell(text);
    const whole = new PowerShellIndex(parse, text);
    const joined = PowerShellIndex.join(parse, text, parse.ast.blocks[0]!.statements.map((s) => new PowerShellIndex(parse, text, s)));
    const key = {};
    let made = 0;
    const make = () => ({ made: ++made });
    const first = whole.memo(key, make);
    assert.equal(whole.memo(key, make), first);
    assert.deepEqual(first, { made: 1 });
    assert.deepEqual(whole.memo({}, make), { made: 2 }, 'another key');
    assert.deepEqual(joined.memo(key, make), { made: 3 }, 'another index');
    assert.equal(joined.memo(key, make), joined.memo(key, make));
  });
});
