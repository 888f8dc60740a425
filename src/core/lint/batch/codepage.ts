import { decode, fromText, type DecodedText } from '../decode';

const cp932 = new TextDecoder('shift_jis', { fatal: false, ignoreBOM: true });

/**
 * Decodes a batch file. cmd.exe reads batch files in the console's OEM code page, CP932 on
 * Japanese Windows, not as UTF-8: bytes that are not valid UTF-8 are read here as CP932 (the
 * WHATWG Shift_JIS decoder, which is Windows' CP932 table), so that Japanese text written by
 * Notepad's "ANSI" or by an older editor shows as the admin wrote it. `validUtf8` stays false, which
 * tells the encoding rule the text came from CP932; bytes CP932 cannot decode become U+FFFD.
 */
export function decodeBatch(bytes: Uint8Array): DecodedText {
  const decoded = decode(bytes);
  if (decoded.validUtf8 || decoded.hasBom) return decoded;
  return { ...fromText(cp932.decode(bytes)), bytes, validUtf8: false };
}
