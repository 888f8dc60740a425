import bomDocs from '../../../../../docs/rules/PP1004.md';
import whitespaceDocs from '../../../../../docs/rules/PP1005.md';
import type { PowerShellIndex } from '../../powershell/index';
import type { TokenList } from '../../powershell/tokens';
import { checkByFacts, type Finding, type Rule, type StatementFacts } from '../../rule';
import { localFindings, reportLocal, type LocalFindings } from './facts';

const isBlank = (c: number) => c === 0x20 || c === 0x09;

/**
 * The [start, end) of each run of blanks right before a line break or the end of the text, in
 * order. Line breaks are found with indexOf, which scans natively; only texts with a CR in them
 * (CRLF or old Mac line ends) need the loop over every character.
 */
function trailingBlanks(text: string): Array<[number, number]> {
  const runs: Array<[number, number]> = [];
  const at = (i: number) => {
    let j = i;
    while (j > 0 && isBlank(text.charCodeAt(j - 1))) j--;
    if (j < i) runs.push([j, i]);
  };
  if (text.indexOf('\r') < 0) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) at(i);
  } else {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x0a || c === 0x0d) at(i);
    }
  }
  at(text.length);
  return runs;
}

export const nonAsciiWithoutBom: Rule<PowerShellIndex> = {
  id: 'PP1004',
  language: 'powershell',
  severity: 'error',
  message: 'Save this file as UTF-8 with BOM: Windows PowerShell 5.1 reads a BOM-less file as the ANSI code page and garbles non-ASCII text.',
  docs: bomDocs,
  fixable: true,
  check({ file, report }) {
    if (file.hasBom || file.firstNonAscii < 0) return;
    // Inserting U+FEFF at the start: the UTF-8 writer turns it into the EF BB BF byte-order mark.
    report({ start: file.firstNonAscii, end: file.firstNonAscii + 1, fix: [{ start: 0, end: 0, text: '\uFEFF' }] });
  },
};

/** Whether the main token list holds a string with a line break in it around offset `at` (start < at < end). */
function inMultiLineString(text: string, tokens: TokenList, at: number): boolean {
  const t = tokens.holding(at);
  if (t < 0 || tokens.start(t) === at || !tokens.isString(t)) return false;
  const newline = text.indexOf('\n', tokens.start(t));
  return newline >= 0 && newline < tokens.end(t);
}

/**
 * The trailing blanks whose line break (or the end of the text) lies in [from, to), each
 * reported unless it is inside a multi-line string (its blanks are data, not style).
 */
function trailingIn(text: string, tokens: TokenList, from: number, to: number, crs: boolean, report: (f: Finding) => void): void {
  const at = (i: number) => {
    let j = i;
    while (j > 0 && isBlank(text.charCodeAt(j - 1))) j--;
    if (j < i && !inMultiLineString(text, tokens, j)) report({ start: j, end: i, fix: [{ start: j, end: i, text: '' }] });
  };
  for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) at(i);
  if (crs) for (let i = text.indexOf('\r', from); i >= 0 && i < to; i = text.indexOf('\r', i + 1)) at(i);
  if (to > text.length) at(text.length);
}

function trailingInFile(parsed: PowerShellIndex, report: (f: Finding) => void): void {
  const text = parsed.text;
  const tokens = parsed.tokens;
  let strings: number[] | undefined;
  let s = 0;
  for (const [j, i] of trailingBlanks(text)) {
    // Blanks inside a multi-line string are data, not style.
    strings ??= multiLineStrings(text, tokens);
    while (s < strings.length && tokens.end(strings[s] as number) <= j) s++;
    const inString = s < strings.length && tokens.start(strings[s] as number) < j;
    if (!inString) report({ start: j, end: i, fix: [{ start: j, end: i, text: '' }] });
  }
}

/** The indexes of the string tokens that hold a line break, in order. */
function multiLineStrings(text: string, tokens: TokenList): number[] {
  const found: number[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (!tokens.isString(i)) continue;
    const newline = text.indexOf('\n', tokens.start(i));
    if (newline >= 0 && newline < tokens.end(i)) found.push(i);
  }
  return found;
}

interface TrailingFacts extends LocalFindings {
  /** False when the statement starts with a blank (never seen): its runs might reach before it, so the whole text is read again. */
  readonly exact: boolean;
}

/**
 * The runs whose line break lies inside a top-level statement are kept with it (a statement
 * starts with a token, so its runs lie inside it); the text between statements (blank lines,
 * comments) is read on every lint.
 */
const trailingFacts: StatementFacts<PowerShellIndex, TrailingFacts> = {
  collect(parsed) {
    const root = parsed.root;
    const text = parsed.text;
    if (root === parsed.parse.ast) return { ...localFindings(parsed, trailingInFile), exact: true };
    const exact = root.start >= root.end || !isBlank(text.charCodeAt(root.start));
    const crs = text.indexOf('\r', root.start) >= 0 && text.indexOf('\r', root.start) < root.end;
    return { ...localFindings(parsed, (p, report) => trailingIn(text, p.tokens, root.start, root.end, crs, report)), exact };
  },
  combine({ parsed, report }, facts) {
    const text = parsed.text;
    if (facts.length === 1 && facts[0]?.root === parsed.parse.ast) return reportLocal(facts, report);
    if (!facts.every((f) => f.exact)) return trailingInFile(parsed, report);
    reportLocal(facts, report);
    const crs = text.indexOf('\r') >= 0;
    let from = 0;
    for (const { root } of facts) {
      trailingIn(text, parsed.tokens, from, root.start, crs, report);
      from = Math.max(from, root.end);
    }
    trailingIn(text, parsed.tokens, from, text.length + 1, crs, report);
  },
};

export const trailingWhitespace: Rule<PowerShellIndex> = {
  id: 'PP1005',
  language: 'powershell',
  severity: 'info',
  pssa: 'PSAvoidTrailingWhitespace',
  message: 'Remove the whitespace at the end of this line.',
  docs: whitespaceDocs,
  fixable: true,
  facts: trailingFacts as StatementFacts<PowerShellIndex, unknown>,
  check: checkByFacts(trailingFacts),
};
