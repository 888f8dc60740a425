import * as assert from 'node:assert/strict';
import * as iconv from 'iconv-lite';
import { applyEdits, lintFile } from '../../../../../src/core/lint/engine';

/**
 * PP2016 with real bytes. CP932 fixtures come from iconv-lite's encoder, which is independent of
 * the WHATWG Shift_JIS decoder the linter reads them with.
 */
const crlf = (text: string) => text.replace(/\r?\n/g, '\r\n');
const cp932 = (text: string) => iconv.encode(crlf(text), 'cp932');
const utf8 = (text: string) => Buffer.from(crlf(text), 'utf8');
const pp2016 = (bytes: Uint8Array) => (lintFile('copy.bat', bytes)?.findings ?? []).filter((f) => f.rule === 'PP2016');

const JAPANESE = '@echo off\necho パッケージを C:\\ProgramData\\表示名 にコピーします\nexit /b 0\n';

describe('core/lint batch rule PP2016: encodings as cmd.exe reads them', () => {
  it('accepts a CP932 file and reads its Japanese text as written', () => {
    const bytes = cp932(JAPANESE);
    assert.ok(Buffer.from(bytes).includes(Buffer.from([0x83, 0x70])), 'the fixture holds Shift-JIS bytes ("パ")');
    const lint = lintFile('copy.bat', bytes);
    assert.deepEqual(pp2016(bytes), []);
    assert.ok(lint?.file.text.includes('C:\\ProgramData\\表示名'), lint?.file.text);
  });

  it('reports a UTF-8 file without chcp 65001 at its first non-ASCII text, and fixes it', () => {
    const found = pp2016(utf8(JAPANESE));
    assert.deepEqual(found.map((f) => [f.line, f.column]), [[2, 6]]);
    const lint = lintFile('copy.bat', utf8(JAPANESE));
    const fixed = applyEdits(lint?.file.text ?? '', found.flatMap((f) => f.edits ?? []));
    assert.equal(fixed, crlf('@echo off\nchcp 65001 >nul\necho パッケージを C:\\ProgramData\\表示名 にコピーします\nexit /b 0\n'));
    assert.deepEqual(pp2016(Buffer.from(fixed, 'utf8')), []);
  });

  it('puts @chcp at the top when the file does not start with @echo off', () => {
    const found = pp2016(utf8('echo 日本語\n'));
    assert.deepEqual(found.flatMap((f) => f.edits ?? []), [{ start: 0, end: 0, text: '@chcp 65001 >nul\r\n' }]);
  });

  it('ignores non-ASCII text in rem and :: comments of a UTF-8 file', () => {
    assert.deepEqual(pp2016(utf8('@echo off\nrem パッケージをコピーします\n:: コメント\nexit /b 0\n')), []);
  });

  it('reports a chcp 65001 that comes too late, without a fix', () => {
    const found = pp2016(utf8('@echo off\necho 日本語\nchcp 65001 >nul\necho 日本語\n'));
    assert.deepEqual(found.map((f) => [f.line, f.fix]), [[2, false]]);
    assert.match(found[0]?.message ?? '', /move chcp 65001 up/);
  });

  it('reports chcp 65001 in a CP932 file, since cmd then reads the CP932 bytes as UTF-8', () => {
    const found = pp2016(cp932('@echo off\nchcp 65001 >nul\necho 日本語\n'));
    assert.deepEqual(found.map((f) => f.line), [2]);
    assert.match(found[0]?.message ?? '', /saved as CP932/);
  });

  it('reports bytes that are neither UTF-8 nor CP932 where they are', () => {
    const bytes = Buffer.concat([cp932('@echo off\necho 日本'), Buffer.from([0xff, 0x0d, 0x0a])]);
    const found = pp2016(bytes);
    assert.deepEqual(found.map((f) => [f.line, f.column]), [[2, 8]]);
    assert.match(found[0]?.message ?? '', /neither UTF-8 nor CP932/);
  });

  it('reports a UTF-8 byte-order mark and UTF-16 files, and stays quiet on ASCII', () => {
    const bom = pp2016(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8('@echo off\nexit /b 0\n')]));
    assert.deepEqual(bom.map((f) => [f.line, f.column]), [[1, 1]]);
    assert.match(bom[0]?.message ?? '', /byte-order mark/);
    const utf16 = pp2016(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(crlf('@echo off\n'), 'utf16le')]));
    assert.match(utf16[0]?.message ?? '', /UTF-16/);
    assert.deepEqual(pp2016(utf8('@echo off\necho plain\n')), []);
  });
});
