import * as assert from 'node:assert/strict';
import { lintFile } from '../../../../../src/core/lint/engine';
import { TEMPLATE_FILES } from '../../../../../src/core/templates/index';

const crlf = (text: string) => text.replace(/\r?\n/g, '\r\n');
const lint = (text: string, config = {}) => lintFile('copy.bat', Buffer.from(crlf(text), 'utf8'), config);
const only = (id: string, text: string) => (lint(text)?.findings ?? []).filter((f) => f.rule === id);
const lines = (id: string, text: string) => only(id, text).map((f) => f.line);

describe('core/lint batch rules: copy checks, stacks and errorlevel (PP2013-PP2015)', () => {
  it('PP2013 accepts ||, &&, if errorlevel, %ERRORLEVEL% and exit /b after copy, with echo in between', () => {
    for (const check of ['|| exit /b 1', '&& echo ok']) assert.deepEqual(lines('PP2013', `@echo off\ncopy a b ${check}\nexit /b 0\n`), [], check);
    for (const next of ['if errorlevel 1 exit /b 1', 'if not errorlevel 1 goto ok', 'set "RC=%ERRORLEVEL%"', 'exit /b %errorlevel%', 'exit /b', 'goto :eof', 'if !ERRORLEVEL! NEQ 0 exit /b 1']) {
      assert.deepEqual(lines('PP2013', `@echo off\nxcopy a b /E /I\necho copied\nrem checked next\n${next}\n:ok\nexit /b 0\n`), [], next);
    }
    // The last command of the file: its exit code is the script's.
    assert.deepEqual(lines('PP2013', '@echo off\nxcopy a b /E /I\n'), []);
  });

  it('PP2013 reports copy, xcopy and xcopy.exe by path when nothing checks the exit code', () => {
    assert.deepEqual(lines('PP2013', '@echo off\ncopy /y a b\nset X=1\nexit /b 0\n'), [2]);
    assert.deepEqual(lines('PP2013', '@echo off\n%windir%\\System32\\xcopy.exe a b\nexit /b 0\n'), [2]);
    assert.deepEqual(lines('PP2013', '@echo off\nif exist a (\n  copy a b\n)\nexit /b 0\n'), [3]);
    assert.match(only('PP2013', '@echo off\nxcopy a b\nexit /b 0\n')[0]?.message ?? '', /^Check the exit code after xcopy/);
    assert.deepEqual(lines('PP2013', '@echo off\nREM pinpack-disable-next-line PP2013\ncopy a b\nexit /b 0\n'), []);
  });

  it('PP2014 reports an exit /b reached with a pushd open, and knows pushd || exit', () => {
    const leak = '@echo off\npushd "%~dp0"\nrobocopy . x /R:2 /W:5\nif errorlevel 8 exit /b 1\npopd\nexit /b 0\n';
    assert.deepEqual(lines('PP2014', leak), [4]);
    assert.deepEqual(lines('PP2014', leak.replace('exit /b 1', '(popd & exit /b 1)')), []);
    assert.deepEqual(lines('PP2014', '@echo off\npushd \\\\srv\\share || exit /b 1\ncopy a b || (popd & exit /b 2)\npopd\n'), []);
    assert.deepEqual(lines('PP2014', '@echo off\npushd x\ngoto :eof\n'), [3]);
    assert.deepEqual(lines('PP2014', '@echo off\npushd x\necho done\n'), [3]);
  });

  it('PP2014 follows goto and call :label, and accepts pushd in both branches of if/else', () => {
    const viaGoto = '@echo off\npushd x\ngoto work\n:work\necho hi\ngoto done\n:done\npopd\nexit /b 0\n';
    assert.deepEqual(lines('PP2014', viaGoto), []);
    assert.deepEqual(lines('PP2014', viaGoto.replace('goto done', 'exit /b 3')), [6]);
    // A subroutine starts with its own stack: the caller's pushd is not its business.
    const sub = '@echo off\npushd x\ncall :log\npopd\nexit /b 0\n:log\necho log\ngoto :eof\n';
    assert.deepEqual(lines('PP2014', sub), []);
    assert.deepEqual(lines('PP2014', sub.replace(':log\necho log', ':log\npushd y')), [8]);
    // A subroutine may close the caller's pushd (the stack is shared), but not the caller's setlocal.
    assert.deepEqual(lines('PP2014', '@echo off\npushd x\ncall :cleanup\nexit /b 0\n:cleanup\npopd\ngoto :eof\n'), []);
    assert.deepEqual(lines('PP2014', '@echo off\nsetlocal\ncall :done\nexit /b 0\n:done\nendlocal\ngoto :eof\n'), [6]);
    assert.deepEqual(lines('PP2014', '@echo off\nif exist a (pushd a) else (pushd b)\necho x\npopd\nexit /b 0\n'), []);
  });

  it('PP2014 reports popd and endlocal with nothing to close, and setlocal nesting in a loop', () => {
    assert.deepEqual(lines('PP2014', '@echo off\npopd\nexit /b 0\n'), [2]);
    assert.deepEqual(lines('PP2014', '@echo off\nendlocal\nexit /b 0\n'), [2]);
    assert.deepEqual(lines('PP2014', '@echo off\n:again\nsetlocal\nset /a N+=1\nif %N% LSS 100 goto again\nendlocal\n'), [3]);
    assert.deepEqual(lines('PP2014', '@echo off\n:again\nsetlocal\nset /a N+=1\nendlocal & set N=%N%\nif %N% LSS 100 goto again\n'), []);
    // cmd ends an open setlocal by itself when the script ends.
    assert.deepEqual(lines('PP2014', '@echo off\nsetlocal\nset X=1\nexit /b 0\n'), []);
  });

  it('PP2015 reports ==1 and EQU 1, quoted or not, and leaves errorlevel N, ==0, GEQ and NEQ alone', () => {
    for (const bad of ['%ERRORLEVEL%==1', '"%errorlevel%"=="1"', '%errorlevel% == 1', '%ErrorLevel% EQU 1', 'not %errorlevel%==1']) {
      assert.deepEqual(lines('PP2015', `@echo off\nfind "x" a.txt\nif ${bad} exit /b 1\n`), [3], bad);
    }
    for (const ok of ['errorlevel 1', 'not errorlevel 1', '%ERRORLEVEL%==0', '%ERRORLEVEL% GEQ 1', '%ERRORLEVEL% NEQ 0', '%MYLEVEL%==1', '!ERRORLEVEL!==1']) {
      assert.deepEqual(lines('PP2015', `@echo off\nfind "x" a.txt\nif ${ok} exit /b 1\n`), [], ok);
    }
  });

  it('PP2015 reports %ERRORLEVEL% read before the command it checks: same line, same block, for body', () => {
    const sameLine = only('PP2015', '@echo off\ncopy a b & if %ERRORLEVEL%==0 echo ok\n');
    assert.deepEqual(sameLine.map((f) => f.line), [2]);
    assert.match(sameLine[0]?.message ?? '', /use if not errorlevel 1/);
    assert.deepEqual(lines('PP2015', '@echo off\nif exist a (\n  copy a b\n  if %ERRORLEVEL% EQU 0 echo ok\n)\n'), [4]);
    assert.deepEqual(lines('PP2015', '@echo off\nfor %%f in (*.txt) do if %ERRORLEVEL%==0 echo %%f\n'), [2]);
    // First in its block: the value from before the block is the one meant.
    assert.deepEqual(lines('PP2015', '@echo off\ncopy a b\nif exist a (\n  if %ERRORLEVEL%==0 echo ok\n)\n'), []);
  });

  it('lints the SCCM copier template clean under the new rules', () => {
    const findings = lintFile('pinpack-copy.bat', Buffer.from(TEMPLATE_FILES['pinpack-copy.bat'] as string, 'utf8'))?.findings ?? [];
    assert.deepEqual(findings.map((f) => `${f.rule} ${f.line}`), []);
  });

  it('keeps every batch template ASCII, so cmd.exe reads it the same in every code page', () => {
    const batch = Object.entries(TEMPLATE_FILES).filter(([name]) => /\.(bat|cmd)$/i.test(name));
    assert.ok(batch.length > 0);
    for (const [name, text] of batch) assert.doesNotMatch(text as string, /[^\x00-\x7f]/, name);
  });

  it('applies pinpack.json levels to the new rules', () => {
    const text = '@echo off\ncopy a b\nset X=1\n';
    assert.equal(lint(text)?.findings.find((f) => f.rule === 'PP2013')?.severity, 'warning');
    assert.equal(lint(text, { PP2013: 'error' })?.findings.find((f) => f.rule === 'PP2013')?.severity, 'error');
    assert.deepEqual(lint(text, { PP2013: 'off' })?.findings.filter((f) => f.rule === 'PP2013'), []);
  });
});

describe('core/lint batch rules on random control flow', () => {
  it('lint 3,000 random scripts of jumps, calls, blocks and stack commands without throwing, with findings inside the text', () => {
    // A small seeded generator (mulberry32): the same scripts on every run.
    let seed = 0x5eed;
    const random = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)] as T;
    const pieces = [
      'pushd x', 'popd', 'setlocal', 'endlocal', 'goto a', 'goto b', 'goto :eof', 'call :a', 'call :b', 'exit /b 1', 'exit',
      ':a', ':b', 'if errorlevel 1 goto a', 'if exist x (', ')', ') else (', 'pushd y || exit /b 2', 'copy a b', 'xcopy a b',
      'if %ERRORLEVEL%==1 exit /b 1', 'echo 日本語', 'chcp 65001 >nul', 'for %%f in (*) do (', 'endlocal & exit /b %RC%', 'copy a b & popd',
    ];
    for (let n = 0; n < 3000; n++) {
      const text = Array.from({ length: 1 + Math.floor(random() * 30) }, () => pick(pieces)).join('\n');
      const result = lint(text);
      for (const f of result?.findings ?? []) assert.ok(f.start >= 0 && f.end <= (result?.file.text.length ?? 0), `${f.rule} out of range in:\n${text}`);
    }
  });
});
