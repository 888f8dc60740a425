import bomDocs from '../../../../../docs/rules/PP1004.md';
import whitespaceDocs from '../../../../../docs/rules/PP1005.md';
import type { PowerShellIndex } from '../../powershell/index';
import type { Token } from '../../powershell/tokens';
import type { Rule } from '../../rule';

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

export const trailingWhitespace: Rule<PowerShellIndex> = {
  id: 'PP1005',
  language: 'powershell',
  severity: 'info',
  pssa: 'PSAvoidTrailingWhitespace',
  message: 'Remove the whitespace at the end of this line.',
  docs: whitespaceDocs,
  fixable: true,
  check({ parsed, report }) {
    const text = parsed.text;
    let strings: Token[] | undefined;
    let s = 0;
    for (const [j, i] of trailingBlanks(text)) {
      // Blanks inside a multi-line string are data, not style.
      strings ??= parsed.tokens.filter((t) => t.kind.includes('String') && text.indexOf('\n', t.start) < t.end && text.indexOf('\n', t.start) >= 0);
      while (s < strings.length && (strings[s]?.end ?? 0) <= j) s++;
      const inString = s < strings.length && (strings[s]?.start ?? Infinity) < j;
      if (!inString) report({ start: j, end: i, fix: [{ start: j, end: i, text: '' }] });
    }
  },
};
