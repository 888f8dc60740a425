/**
 * Character classes of PowerShell's tokenizer, over UTF-16 char codes. PowerShell accepts the
 * typographic dashes and quotes that word processors put into pasted scripts, so these do too.
 */
export function isWhitespace(c: number): boolean {
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
  return c === 0x2d || c === 0x2013 || c === 0x2014 || c === 0x2015;
}

export function isSingleQuote(c: number): boolean {
  return c === 0x27 || c === 0x2018 || c === 0x2019 || c === 0x201a || c === 0x201b;
}

export function isDoubleQuote(c: number): boolean {
  return c === 0x22 || c === 0x201c || c === 0x201d || c === 0x201e;
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
  return isLetter(c) || isDigit(c) || c === 0x5f;
}

/** What a `$name` variable is made of: identifier characters and `?` (PowerShell 7 reads `$a?` as one name). */
export function isVariableChar(c: number): boolean {
  return isIdentifierChar(c) || c === 0x3f;
}

/** Characters that end a bare word in argument mode. */
export function endsGenericWord(c: number): boolean {
  return (
    isWhitespace(c) || isNewline(c) || c === 0x3b /* ; */ || c === 0x2c /* , */ || c === 0x7c /* | */ || c === 0x26 /* & */ ||
    c === 0x28 /* ( */ || c === 0x29 /* ) */ || c === 0x7b /* { */ || c === 0x7d /* } */
  );
}
