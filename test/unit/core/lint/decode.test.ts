import * as assert from 'node:assert/strict';
import { decode, fromText } from '../../../../src/core/lint/decode';

const bytes = (...parts: Array<number[] | string>) =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'utf8')] : p)));

describe('core/lint/decode', () => {
  it('reads UTF-8 with a BOM, dropping the BOM from the text', () => {
    const d = decode(bytes([0xef, 0xbb, 0xbf], '# ユーザー\r\n'));
    assert.equal(d.encoding, 'utf8bom');
    assert.equal(d.hasBom, true);
    assert.equal(d.text, '# ユーザー\r\n');
    assert.equal(d.firstNonAscii, 2);
    assert.deepEqual(d.lineEndings, { crlf: 1, lf: 0, cr: 0 });
  });

  it('reads BOM-less UTF-8 and says where the first non-ASCII character is', () => {
    const d = decode(bytes('echo 1\n# café\n'));
    assert.equal(d.encoding, 'utf8');
    assert.equal(d.hasBom, false);
    assert.equal(d.validUtf8, true);
    assert.equal(d.text.charAt(d.firstNonAscii), 'é');
    assert.deepEqual(d.lineEndings, { crlf: 0, lf: 2, cr: 0 });
  });

  it('reads ASCII and UTF-8 from a view into a larger buffer, as read from a file, and counts line endings on first ask', () => {
    const whole = bytes('xx', '$a = 1\r\nWrite-Output $a\n', '# caf\u00e9\r', 'yy');
    const ascii = decode(whole.subarray(2, 2 + 24));
    assert.equal(ascii.text, '$a = 1\r\nWrite-Output $a\n');
    assert.equal(ascii.firstNonAscii, -1);
    assert.equal(ascii.validUtf8, true);
    assert.deepEqual(ascii.lineEndings, { crlf: 1, lf: 1, cr: 0 });
    const utf8 = decode(whole.subarray(2, whole.length - 2));
    assert.equal(utf8.text, '$a = 1\r\nWrite-Output $a\n# caf\u00e9\r');
    assert.equal(utf8.text.charAt(utf8.firstNonAscii), '\u00e9');
    assert.deepEqual(utf8.lineEndings, { crlf: 1, lf: 1, cr: 1 });
    assert.equal(utf8.bytes.length, whole.length - 4);
  });

  it('reads UTF-16 LE and BE with their BOMs', () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('@echo off\r\n', 'utf16le')]);
    assert.equal(decode(le).text, '@echo off\r\n');
    assert.equal(decode(le).encoding, 'utf16le');
    const be = Buffer.from(le);
    for (let i = 0; i < be.length; i += 2) [be[i], be[i + 1]] = [be[i + 1] as number, be[i] as number];
    assert.equal(decode(be).text, '@echo off\r\n');
    assert.equal(decode(be).encoding, 'utf16be');
  });

  it('keeps the raw bytes and flags bytes that are not UTF-8 (an ANSI file)', () => {
    const raw = bytes('# caf', [0xe9], '\r\n');
    const d = decode(raw);
    assert.equal(d.validUtf8, false);
    assert.equal(d.bytes, raw);
    assert.match(d.text, /\uFFFD/);
  });

  it('counts lone CR line endings and treats editor text as BOM-less UTF-8', () => {
    assert.deepEqual(decode(bytes('a\rb\r\nc\n')).lineEndings, { crlf: 1, lf: 1, cr: 1 });
    const t = fromText('x = 1\n');
    assert.equal(t.hasBom, false);
    assert.equal(t.firstNonAscii, -1);
  });
});
