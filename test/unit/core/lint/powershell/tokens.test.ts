import * as assert from 'node:assert/strict';
import { parsePowerShell } from '../../../../../src/core/lint/powershell/parser';
import { KIND, TokenList, type Token, type TokenKind } from '../../../../../src/core/lint/powershell/tokens';

/** A list holding `tokens` (in order), built with put as the lexer builds it. */
function listOf(tokens: readonly Token[], capacity = 16): TokenList {
  const list = new TokenList(capacity);
  tokens.forEach((t, i) => list.put(i, t.kind, t.start, t.end));
  return list;
}

/** `count` made-up tokens from offset `from`, two characters apart, of varied kinds. */
function made(count: number, from = 0): Token[] {
  const kinds: TokenKind[] = ['Word', 'Variable', 'Operator', 'Comment', 'NewLine', 'HereStringExpandable'];
  return Array.from({ length: count }, (_, i) => ({ kind: kinds[i % kinds.length] as TokenKind, start: from + 2 * i, end: from + 2 * i + 1 }));
}

describe('core/lint/powershell/tokens: TokenList', () => {
  it('grows past its room and keeps every token it held', () => {
    const tokens = made(1000);
    const list = listOf(tokens, 16);
    assert.equal(list.length, 1000);
    assert.deepEqual(list.toArray(), tokens);
    assert.equal(list.kind(3), 'Comment');
    assert.equal(list.code(3), KIND.Comment);
    assert.equal(list.isString(5), true);
    assert.equal(list.isString(4), false);
  });

  it('stores and re-labels every kind under its own code', () => {
    const kinds = Object.keys(KIND) as TokenKind[];
    assert.equal(kinds.length, 16);
    const list = listOf(kinds.map((kind, i) => ({ kind, start: i, end: i + 1 })));
    kinds.forEach((kind, i) => {
      assert.equal(list.kind(i), kind);
      assert.equal(list.code(i), KIND[kind]);
    });
    kinds.forEach((kind, i) => list.retag(kinds.length - 1 - i, kind));
    kinds.forEach((kind, i) => assert.equal(list.code(kinds.length - 1 - i), KIND[kind]));
  });

  it('forgets what came after a token stored again at an earlier place (the lexer rewinding)', () => {
    const list = listOf(made(10));
    list.put(4, 'Keyword', 8, 10);
    assert.equal(list.length, 5);
    assert.deepEqual(list.at(4), { kind: 'Keyword', start: 8, end: 10 });
  });

  it('replaces a middle with fewer or more tokens, moving the tail, and appends and copies heads', () => {
    const base = made(50);
    for (const added of [0, 3, 10, 40]) {
      const list = listOf(base);
      const source = listOf(made(60, 1000));
      list.replace(10, 20, source, 5, 5 + added);
      const expected = [...base.slice(0, 10), ...made(60, 1000).slice(5, 5 + added), ...base.slice(20)];
      assert.deepEqual(list.toArray(), expected, `${added} tokens in place of 10`);
    }
    const head = listOf(base).head(7);
    head.append(listOf(base), 30, 50);
    assert.deepEqual(head.toArray(), [...base.slice(0, 7), ...base.slice(30)]);
  });

  it('moves offsets, re-labels, finds by offset and writes tokens as JSON', () => {
    const list = listOf(made(6));
    list.shift(2, 6, 100);
    assert.deepEqual([list.start(1), list.start(2), list.end(5)], [2, 104, 111]);
    list.retag(0, 'Keyword');
    assert.deepEqual(list.at(0), { kind: 'Keyword', start: 0, end: 1 });
    assert.equal(list.firstStartingAtOrAfter(3), 2);
    assert.equal(list.firstStartingAtOrAfter(104), 2);
    assert.equal(list.firstStartingAtOrAfter(105), 3);
    assert.equal(list.firstStartingAtOrAfter(1000), 6);
    // The token holding an offset: none in the gaps between tokens or past the last one.
    assert.deepEqual([0, 1, 2, 3, 103, 104, 105, 110, 111].map((o) => list.holding(o)), [0, -1, 1, -1, -1, 2, -1, 5, -1]);
    assert.deepEqual(JSON.parse(JSON.stringify(list)), list.toArray());
  });

  it('finds the token starting at an offset among the first ones, the last of two that start there', () => {
    const list = listOf([
      { kind: 'Word', start: 0, end: 3 },
      { kind: 'Word', start: 4, end: 6 },
      { kind: 'EndOfInput', start: 6, end: 6 },
      { kind: 'Word', start: 6, end: 8 },
    ]);
    assert.deepEqual([0, 4, 6, 1, 5, 9].map((o) => list.startingAt(o, 4)), [0, 1, 3, -1, -1, -1]);
    // Tokens past `count` (scanned, then rewound) are not the parse's.
    assert.deepEqual([list.startingAt(6, 3), list.startingAt(4, 1)], [2, -1]);
  });

  it('holds what the parser re-labelled: a keyword used as a command name is a word', () => {
    const text = '& foreach 1\nusing namespace System.IO\n';
    const { tokens } = parsePowerShell(text);
    const words = tokens.toArray().filter((t) => ['foreach', 'namespace'].includes(text.slice(t.start, t.end)));
    assert.deepEqual(
      words.map((t) => t.kind),
      ['Word', 'Keyword'],
    );
  });

  it('reads a braced variable run into more of an argument as one bare word', () => {
    const kinds = (text: string) => parsePowerShell(text).tokens.toArray().map((t) => `${t.kind} ${text.slice(t.start, t.end)}`);
    assert.deepEqual(kinds('echo ${a}b ${a}.b'), ['Word echo', 'Word ${a}b', 'Variable ${a}', 'Operator .', 'Word b', 'EndOfInput ']);
  });

  it('reads a backtick glued to a word as part of the word, line break included, as PowerShell does (a continuation needs a blank before it)', () => {
    const kinds = (text: string) => parsePowerShell(text).tokens.toArray().map((t) => `${t.kind} ${text.slice(t.start, t.end)}`);
    // LF: the word holds the newline and goes on with what follows on the next line.
    assert.deepEqual(kinds('echo ab`\ncd'), ['Word echo', 'Word ab`\ncd', 'EndOfInput ']);
    assert.deepEqual(kinds('echo ${a}`\nx'), ['Word echo', 'Word ${a}`\nx', 'EndOfInput ']);
    assert.deepEqual(kinds('echo $a`\n  -x'), ['Word echo', 'Word $a`\n', 'Parameter -x', 'EndOfInput ']);
    // CR LF: only the CR is escaped; the LF ends the word and the statement, and `-x` is a command of its own.
    assert.deepEqual(kinds('echo $a`\r\n  -x'), ['Word echo', 'Word $a`\r', 'NewLine \n', 'Word -x', 'EndOfInput ']);
    // With a blank before it, the backtick is a line continuation.
    assert.deepEqual(kinds('echo $a `\r\n  -x'), ['Word echo', 'Variable $a', 'LineContinuation `\r\n', 'Parameter -x', 'EndOfInput ']);
  });
});
