import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TEMPLATE_FILES } from '../../../../src/core/templates';
import { repoRoot } from '../../paths';

describe('core/templates', () => {
  it('bundles the SCCM copier byte for byte, CRLF line endings included', () => {
    const onDisk = readFileSync(join(repoRoot, 'src', 'core', 'templates', 'sccm', 'pinpack-copy.bat'), 'utf8');
    const bundled = TEMPLATE_FILES['pinpack-copy.bat'];
    assert.equal(bundled, onDisk);
    assert.ok(bundled?.includes('\r\n'));
    assert.doesNotMatch(bundled ?? '', /[^\r]\n/, 'a line ends in a bare LF: cmd.exe can miss labels');
  });

  it('passes robocopy small retries and normalises its exit code (0-7 success, 8+ failure)', () => {
    const bat = TEMPLATE_FILES['pinpack-copy.bat'] ?? '';
    assert.match(bat, /^@echo off\r\n/);
    assert.match(bat, /robocopy "%~dp0\." "%DEST%" .*\/R:\d .*\/W:\d/);
    assert.match(bat, /if %RC% GEQ 8 \(\r\n\s+endlocal & exit \/b %RC%\r\n\)/);
    assert.match(bat, /endlocal & exit \/b 0\r\n$/);
  });
});
