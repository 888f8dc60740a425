/**
 * Character classes of PowerShell's tokenizer, over UTF-16 char codes. PowerShell accepts the
 * typographic dashes and quotes that word processors put into pasted scripts, so these do too.
 */
export function isWhitespace(c: number): boolean {
  if ((c >>> 0) < 0x80) return ((ASCII[c] as number) & WHITESPACE) !== 0;
  return isWhitespaceByCode(c);
}

function isWhitespaceByCode(c: number): boolean {
  return (
    c === 0x20 || c === 0x09 || c === 0x0b || c === 0x0c || c === 0xa0 || c === 0x85 || c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff
  );
}

export function isNewline(c: number): boolean {
  return c === 0x0a || c === 0x0d;
}

/** `-` and the en, em and horizontal-bar dashes. */
export function isDash(c: number): boolean {
  if ((c >>> 0) < 0x80) return c === 0x2d;
  return c === 0x2013 || c === 0x2014 || c === 0x2015;
}

export function isSingleQuote(c: number): boolean {
  if ((c >>> 0) < 0x80) return c === 0x27;
  return c === 0x2018 || c === 0x2019 || c === 0x201a || c === 0x201b;
}

export function isDoubleQuote(c: number): boolean {
  if ((c >>> 0) < 0x80) return c === 0x22;
  return c === 0x201c || c === 0x201d || c === 0x201e;
}

export function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

export function isHexDigit(c: number): boolean {
  return isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
}

export function isLetter(c: number): boolean {
  if (c < 0x80) return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
  // Outside ASCII, anything that is not punctuation PowerShell knows counts as a letter.
  return !isWhitespace(c) && !isDash(c) && !isSingleQuote(c) && !isDoubleQuote(c);
}

/** Letters, digits and `_`: what an Identifier token is made of. */
export function isIdentifierChar(c: number): boolean {
  if ((c >>> 0) < 0x80) return ((ASCII[c] as number) & IDENTIFIER) !== 0;
  return isLetter(c);
}

/** What a `$name` variable is made of: identifier characters and `?` (PowerShell 7 reads `$a?` as one name). */
export function isVariableChar(c: number): boolean {
  if ((c >>> 0) < 0x80) return ((ASCII[c] as number) & VARIABLE) !== 0;
  return isLetter(c);
}

/** Characters that end a bare word in argument mode. */
export function endsGenericWord(c: number): boolean {
  if ((c >>> 0) < 0x80) return ((ASCII[c] as number) & ENDS_WORD) !== 0;
  return isWhitespaceByCode(c);
}

function endsGenericWordSlow(c: number): boolean {
  return (
    isWhitespaceByCode(c) || isNewline(c) || c === 0x3b /* ; */ || c === 0x2c /* , */ || c === 0x7c /* | */ || c === 0x26 /* & */ ||
    c === 0x28 /* ( */ || c === 0x29 /* ) */ || c === 0x7b /* { */ || c === 0x7d /* } */
  );
}

/**
 * The classes above of each ASCII character, as bits, worked out once from the definitions: the
 * tokenizer asks them for nearly every character of a script, and a letter would otherwise go
 * through every comparison of a class before it is found not to be in it.
 */
const WHITESPACE = 1;
const IDENTIFIER = 2;
const VARIABLE = 4;
const ENDS_WORD = 8;
const ASCII = ((): Uint8Array => {
  const table = new Uint8Array(0x80);
  for (let c = 0; c < 0x80; c++) {
    const identifier = isLetter(c) || isDigit(c) || c === 0x5f;
    table[c] =
      (isWhitespaceByCode(c) ? WHITESPACE : 0) |
      (identifier ? IDENTIFIER : 0) |
      (identifier || c === 0x3f ? VARIABLE : 0) |
      (endsGenericWordSlow(c) ? ENDS_WORD : 0);
  }
  return table;
})();

/**
 * A property key's string: V8 keeps one internalized copy of it, which `===` against a literal
 * compares by address (a string built at run time, by a template or `slice`, compares by content).
 */
export function internalized(s: string): string {
  return Object.keys({ [s]: 0 })[0] as string;
}

/**
 * A lookup of words of ASCII letters regardless of case, straight from the script's characters:
 * no slice, no `toLowerCase`, no new string to hash. Each key (lower case) maps to a value
 * (by default the key itself), kept internalized so `===` against a literal is one comparison.
 */
export class AsciiWordTable {
  private readonly keys: Array<string | undefined>;
  private readonly values: Array<string | undefined>;
  private readonly mask: number;

  constructor(entries: Iterable<string | readonly [key: string, value: string]>) {
    const list = [...entries].map((e) => (typeof e === 'string' ? [e, e] : e));
    let size = 16;
    while (size < list.length * 4) size *= 2;
    this.mask = size - 1;
    this.keys = new Array<string | undefined>(size).fill(undefined);
    this.values = new Array<string | undefined>(size).fill(undefined);
    for (const [key, value] of list) {
      let slot = hashLowerAscii(key, 0, key.length) & this.mask;
      while (this.keys[slot] !== undefined) slot = (slot + 1) & this.mask;
      this.keys[slot] = key;
      this.values[slot] = internalized(value);
    }
  }

  /** The value for `text[start, end)` read in lower case, or undefined. */
  get(text: string, start: number, end: number): string | undefined {
    const h = hashLowerAscii(text, start, end);
    if (h === -1) return undefined;
    const length = end - start;
    for (let slot = h & this.mask; ; slot = (slot + 1) & this.mask) {
      const key = this.keys[slot];
      if (key === undefined) return undefined;
      if (key.length === length) {
        let i = 0;
        while (i < length && (text.charCodeAt(start + i) | 0x20) === key.charCodeAt(i)) i++;
        if (i === length) return this.values[slot];
      }
    }
  }
}

/** A hash of the characters read in lower case, or -1 when one is not an ASCII letter. */
function hashLowerAscii(text: string, start: number, end: number): number {
  let h = end - start;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i) | 0x20;
    if (!(c >= 0x61 && c <= 0x7a)) return -1;
    h = (Math.imul(h, 31) + c) | 0;
  }
  return (h ^ (h >>> 15)) & 0x3fffffff;
}
