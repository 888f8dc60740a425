import * as assert from 'node:assert/strict';
import { parseBatch } from '../../../../../src/core/lint/batch/parser';

const crlf = (lines: string[]) => `${lines.join('\r\n')}\r\n`;

describe('core/lint/batch parser', () => {
  it('finds labels, comments and the goto/call jumps, case-insensitively', () => {
    const p = parseBatch(crlf(['@echo off', ':: a comment', 'rem another', 'goto :Main', ':main', 'call :sub "x y"', 'call other.bat', 'goto :eof', ':SUB', 'exit /b 0']));
    assert.deepEqual(p.labels.map((l) => [l.name, l.line]), [['main', 4], ['sub', 8]]);
    assert.deepEqual(p.jumps.map((j) => [j.kind, j.target]), [['goto', 'main'], ['call', 'sub']]);
    assert.equal(p.comments.length, 2);
    assert.deepEqual(p.errors, []);
  });

  it('splits chained commands and reads if/else, for and parenthesised blocks', () => {
    const text = crlf([
      'if exist "%DEST%\\" (',
      '  echo yes & del x.tmp',
      ') else (',
      '  mkdir "%DEST%" || exit /b 1',
      ')',
      'for /f "tokens=*" %%i in (\'dir /b\') do echo %%i',
      'if /i "%~1"=="/quiet" set QUIET=1',
      'if %ERRORLEVEL% GEQ 8 (exit /b %ERRORLEVEL%) else (exit /b 0)',
    ]);
    const p = parseBatch(text);
    assert.deepEqual(p.errors, []);
    assert.deepEqual(p.commands.map((c) => `${c.name}@${c.depth}${c.after ? c.after : ''}`), [
      'if@0', 'echo@1', 'del@1&', 'mkdir@1', 'exit@1||', 'for@0', 'echo@0', 'if@0', 'set@0', 'if@0', 'exit@1', 'exit@1',
    ]);
    const set = p.commands.find((c) => c.name === 'set');
    assert.equal(set?.parent?.name, 'if');
  });

  it('reads %var%, %~dp0-style modifiers, %%i and !var! references', () => {
    const p = parseBatch('copy "%~dp0setup.ps1" "%TEMP%\\x" & echo !COUNT! %1 %%a\r\n');
    assert.deepEqual(p.variables.map((v) => [v.name, v.modifiers, v.delayed]), [
      ['0', '~dp', false], ['TEMP', '', false], ['COUNT', '', true], ['1', '', false], ['a', '', false],
    ]);
  });

  it('joins lines continued with ^ and keeps redirections apart from arguments', () => {
    const p = parseBatch('robocopy a b ^\r\n  /E /R:2 ^\r\n  /W:5 >> "%LOG%" 2>&1\r\necho done\r\n');
    const robocopy = p.commands[0];
    assert.deepEqual(robocopy?.args.map((a) => a.text), ['a', 'b', '/E', '/R:2', '/W:5']);
    assert.deepEqual(robocopy?.redirections.map((r) => r.text), ['>> "%LOG%"', '2>&1']);
    assert.equal(p.commands[1]?.line, 3);
  });

  it('reports unbalanced parentheses and incomplete if/for', () => {
    assert.deepEqual(parseBatch('if exist x (\r\n  echo open\r\n').errors.map((e) => e.id), ['MissingCloseParenthesis']);
    assert.deepEqual(parseBatch('echo a\r\n)\r\n').errors.map((e) => e.id), ['UnexpectedCloseParenthesis']);
    assert.deepEqual(parseBatch('if exist\r\n').errors.map((e) => e.id), ['IncompleteIf']);
    assert.deepEqual(parseBatch('for %%i in (a b)\r\n').errors.map((e) => e.id), ['IncompleteFor']);
  });

  it('treats echo. and cd\\ as the internal command followed by text', () => {
    const p = parseBatch('echo.\r\ncd\\windows\r\n');
    assert.deepEqual(p.commands.map((c) => c.name), ['echo', 'cd']);
  });

  it('reads a free-standing == in if a == b as the comparison, not as delimiters', () => {
    const p = parseBatch('if %ERRORLEVEL% == 1 exit /b 1\r\nif "%~1" ==/q set Q=1\r\n');
    assert.deepEqual(p.errors, []);
    assert.deepEqual(p.commands.map((c) => c.name), ['if', 'exit', 'if', 'set']);
    assert.deepEqual(p.commands[0]?.args.map((a) => a.text), ['%ERRORLEVEL%', '==', '1']);
  });
});
