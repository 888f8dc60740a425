import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { reparse } from '../../../../../src/core/lint/powershell/incremental';
import { parseWithCheckpoints, type CheckpointedParse } from '../../../../../src/core/lint/powershell/parser';
import { repoRoot } from '../../../paths';
import { fuzzInputs, random } from '../fuzz-powershell';

const fixtureDir = join(repoRoot, 'test', 'fixtures', 'powershell');
const fixtures = readdirSync(fixtureDir)
  .sort()
  .map((name) => readFileSync(join(fixtureDir, name), 'utf8').replace(/^\uFEFF/, ''));

/** A script of many top-level statements, as the incremental path is built for. */
const functions = fixtures.map((text, i) => `function F${i} {\n${text}\n}\n`).join('');

/** Edits an editor makes: a typed or deleted character, a pasted fragment, a deleted or duplicated line. */
const TYPED = ['a', '$', '{', '}', '(', ')', '"', "'", '\n', ' ', '|', '#', '<#', '#>', '`', ';', '-eq', 'if', 'else', 'switch ($x) { }', '@"\n', '\n"@', 'param($a)', 'using namespace x\n', 'begin {'];

function edit(rnd: () => number, text: string): string {
  const at = Math.floor(rnd() * (text.length + 1));
  const what = rnd();
  if (what < 0.35) return text.slice(0, at) + TYPED[Math.floor(rnd() * TYPED.length)] + text.slice(at);
  if (what < 0.7) return text.slice(0, at) + text.slice(at + 1 + Math.floor(rnd() * 4));
  if (what < 0.85) return text.slice(0, at) + text.charAt(at).toUpperCase() + text.slice(at + 1);
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  const lineEnd = text.indexOf('\n', at);
  const line = text.slice(lineStart, lineEnd < 0 ? text.length : lineEnd + 1);
  return rnd() < 0.5 ? text.slice(0, lineStart) + text.slice(lineStart + line.length) : text.slice(0, lineStart) + line + text.slice(lineStart);
}

/** What a full parse and an incremental one must agree on: the tree, tokens, errors and checkpoints. */
function plain(p: CheckpointedParse): unknown {
  return JSON.parse(JSON.stringify({ ast: p.parse.ast, tokens: p.parse.tokens, errors: p.parse.errors, raw: p.rawErrors, checkpoints: p.checkpoints }));
}

describe('core/lint/powershell/incremental', () => {
  it('re-parses only around an edit and gives what a full parse gives, over chains of random edits', function () {
    this.timeout(120_000);
    const rnd = random(20261126);
    const starts = [functions, ...fixtures, ...fuzzInputs(fixtures, 150, 11)];
    let edits = 0;
    let reused = 0;
    for (const start of starts) {
      let text = start;
      let state = parseWithCheckpoints(text);
      for (let step = 0; step < (start === functions ? 400 : 12); step++) {
        const next = edit(rnd, text);
        const before = state.parse.ast.blocks[0]?.statements.slice() ?? [];
        const incremental = reparse(state, next);
        const full = parseWithCheckpoints(next);
        assert.deepEqual(plain(incremental), plain(full), `after edit ${step} of a ${start.length}-character script`);
        const kept = incremental.parse.ast.blocks[0]?.statements ?? [];
        if (kept.some((s) => before.includes(s))) reused++;
        edits++;
        text = next;
        state = incremental;
      }
    }
    assert.ok(edits > 2000, `${edits} edits`);
    // The property is only interesting if statements were actually reused rather than re-parsed.
    assert.ok(reused > edits / 4, `statements were reused in ${reused} of ${edits} edits`);
  });

  it('keeps the statements before and after a one-character edit as the same objects', () => {
    const first = parseWithCheckpoints(functions);
    const statements = first.parse.ast.blocks[0]?.statements.slice() ?? [];
    assert.ok(statements.length >= 5);
    const middle = statements[3];
    assert.ok(middle);
    const at = middle.start + 20;
    const lastStart = statements[statements.length - 1]?.start ?? 0;
    const next = reparse(first, `${functions.slice(0, at)}x${functions.slice(at)}`);
    const after = next.parse.ast.blocks[0]?.statements ?? [];
    assert.equal(after.length, statements.length);
    assert.equal(after[0], statements[0]);
    assert.equal(after[after.length - 1], statements[statements.length - 1]);
    assert.equal(after[after.length - 1]?.start, lastStart + 1);
  });

  it('falls back to a full parse for scripts with a param block, and still agrees', () => {
    const text = 'param($a)\nWrite-Output $a\nfunction f { 1 }\n';
    const first = parseWithCheckpoints(text);
    assert.equal(first.checkpoints, undefined);
    const edited = text.replace('1 }', '2 }');
    assert.deepEqual(plain(reparse(first, edited)), plain(parseWithCheckpoints(edited)));
  });
});
