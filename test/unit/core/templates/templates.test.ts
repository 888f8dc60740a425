import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TARGET_SCRIPTS, TEMPLATE_FILES } from '../../../../src/core/templates';
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

describe('core/templates: every scaffolded script', () => {
  it('is bundled for each file a target lists, byte for byte with its source', () => {
    const sources: Record<string, string> = {
      'setup.ps1': 'common/setup.ps1',
      'pinpack-copy.bat': 'sccm/pinpack-copy.bat',
      'New-PinPackSccmObjects.ps1': 'sccm/New-PinPackSccmObjects.ps1',
      'setupEPMCopyContentsToTempFolderStep1.ps1': 'epm/setupEPMCopyContentsToTempFolderStep1.ps1',
      'setupEPMCopyContentsToTempFolderStep2.ps1': 'epm/setupEPMCopyContentsToTempFolderStep2.ps1',
      'Disable-PinPackUac.ps1': 'epm/Disable-PinPackUac.ps1',
      'Restore-PinPackUac.ps1': 'epm/Restore-PinPackUac.ps1',
    };
    assert.deepEqual(Object.keys(TEMPLATE_FILES).sort(), Object.keys(sources).sort());
    for (const names of Object.values(TARGET_SCRIPTS)) for (const name of names) assert.ok(TEMPLATE_FILES[name], name);
    for (const [name, source] of Object.entries(sources)) {
      assert.equal(TEMPLATE_FILES[name], readFileSync(join(repoRoot, 'src', 'core', 'templates', ...source.split('/')), 'utf8'), name);
    }
  });

  it('is ASCII, so that Windows PowerShell 5.1 (ANSI without a BOM) and cmd.exe (CP932 on Japanese Windows) read it right', () => {
    for (const [name, text] of Object.entries(TEMPLATE_FILES)) {
      const offending = [...text].findIndex((c) => c.charCodeAt(0) > 0x7e || (c.charCodeAt(0) < 0x20 && !'\r\n\t'.includes(c)));
      assert.equal(offending, -1, `${name} has a non-ASCII character at offset ${offending}`);
    }
  });

  it('reads every per-build value from the settings and PIN files, never from a slot to fill', () => {
    for (const [name, text] of Object.entries(TEMPLATE_FILES)) assert.doesNotMatch(text, /\{\{\w+\}\}/, name);
    assert.match(TEMPLATE_FILES['setup.ps1'] ?? '', /'pinpack-settings\.json'/);
    assert.match(TEMPLATE_FILES['setup.ps1'] ?? '', /'pinpack-pins\.json'/);
  });
});
