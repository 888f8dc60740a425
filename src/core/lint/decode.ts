/**
 * Decodes a script's bytes the way Windows tools read them: a UTF-8, UTF-16 LE or UTF-16 BE
 * byte-order mark decides; without one the bytes are read as UTF-8. The facts rules need about
 * the raw file (BOM, line endings, non-ASCII text, invalid UTF-8) are kept beside the text,
 * because Windows PowerShell 5.1 reads a BOM-less file as the ANSI code page and cmd.exe
 * mis-finds labels in LF-only batch files.
 */

import { isAscii, isUtf8 } from 'node:buffer';

export type Encoding = 'utf8' | 'utf8bom' | 'utf16le' | 'utf16be';

export interface DecodedText {
  /** The text without its byte-order mark. */
  readonly text: string;
  readonly bytes: Uint8Array;
  readonly encoding: Encoding;
  readonly hasBom: boolean;
  readonly lineEndings: { readonly crlf: number; readonly lf: number; readonly cr: number };
  /** UTF-16 offset in `text` of the first character above U+007F, or -1. */
  readonly firstNonAscii: number;
  /** False when BOM-less bytes were not valid UTF-8 (the text then holds U+FFFD replacements). */
  readonly validUtf8: boolean;
}

const utf8 = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
const utf16le = new TextDecoder('utf-16le', { fatal: false, ignoreBOM: true });

export function decode(bytes: Uint8Array): DecodedText {
  let encoding: Encoding = 'utf8';
  let text: string;
  let validUtf8 = true;
  // Most scripts are ASCII: checked at machine speed, their bytes are their characters (as Latin-1
  // reads them), which skips the UTF-8 decoder's validation and the search for a non-ASCII character.
  if (isAscii(bytes)) {
    text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
    return withLineEndings({ text, bytes, encoding, hasBom: false, firstNonAscii: -1, validUtf8 });
  }
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    encoding = 'utf8bom';
    text = utf8.decode(bytes.subarray(3));
  } else if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
    encoding = 'utf16le';
    text = utf16le.decode(bytes.subarray(2));
  } else if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    encoding = 'utf16be';
    const swapped = new Uint8Array(bytes.length - 2 - (bytes.length % 2));
    for (let i = 0; i + 1 < swapped.length; i += 2) {
      swapped[i] = bytes[i + 3] as number;
      swapped[i + 1] = bytes[i + 2] as number;
    }
    text = utf16le.decode(swapped);
  } else if (isUtf8(bytes)) {
    // Checked at machine speed too: valid UTF-8 is decoded without the strict decoder's own checks.
    text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8');
  } else {
    validUtf8 = false;
    text = utf8.decode(bytes);
  }
  return withLineEndings({ text, bytes, encoding, hasBom: encoding !== 'utf8', firstNonAscii: firstNonAscii(text), validUtf8 });
}

/** The decoded text with its line endings counted when a rule first asks (most lints never do). */
function withLineEndings(decoded: Omit<DecodedText, 'lineEndings'>): DecodedText {
  let lineEndings: DecodedText['lineEndings'] | undefined;
  return {
    ...decoded,
    get lineEndings() {
      return (lineEndings ??= countLineEndings(decoded.text));
    },
  };
}

/**
 * Decodes a text that is already a string (an editor buffer): as if saved as BOM-less UTF-8, or
 * with the encoding of the file it was loaded from. The bytes and line endings are worked out
 * only when asked for: the language server calls this on every keystroke and few rules read them.
 */
export function fromText(text: string, saved: { encoding: Encoding; hasBom: boolean } = { encoding: 'utf8', hasBom: false }): DecodedText {
  let bytes: Uint8Array | undefined;
  let lineEndings: DecodedText['lineEndings'] | undefined;
  return {
    text,
    get bytes() {
      return (bytes ??= new TextEncoder().encode(text));
    },
    encoding: saved.encoding,
    hasBom: saved.hasBom,
    get lineEndings() {
      return (lineEndings ??= countLineEndings(text));
    },
    firstNonAscii: firstNonAscii(text),
    validUtf8: true,
  };
}

/** Counts with indexOf, which scans far faster than a loop over char codes. */
function countLineEndings(text: string): DecodedText['lineEndings'] {
  let newlines = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) newlines++;
  let returns = 0;
  let crlf = 0;
  for (let i = text.indexOf('\r'); i >= 0; i = text.indexOf('\r', i + 1)) {
    returns++;
    if (text.charCodeAt(i + 1) === 0x0a) crlf++;
  }
  return { crlf, lf: newlines - crlf, cr: returns - crlf };
}

const NON_ASCII = /[^\x00-\x7f]/;

function firstNonAscii(text: string): number {
  return text.search(NON_ASCII);
}
