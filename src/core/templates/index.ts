import type { TargetId } from '../workspace/targets';
import setup from './common/setup.ps1';
import step1 from './epm/setupEPMCopyContentsToTempFolderStep1.ps1';
import step2 from './epm/setupEPMCopyContentsToTempFolderStep2.ps1';
import disableUac from './epm/Disable-PinPackUac.ps1';
import restoreUac from './epm/Restore-PinPackUac.ps1';
import sccmObjects from './sccm/New-PinPackSccmObjects.ps1';
import sccmCopier from './sccm/pinpack-copy.bat';

/**
 * The scripts PinPack writes into a package workspace, bundled byte for byte (esbuild's text
 * loader), keyed by the file name they get in the workspace. Batch files keep their CRLF line
 * endings: with LF, cmd.exe can miss `goto` labels (DOMAIN.md §3). No script is templated: the
 * per-build values travel in the settings and PIN files beside them (package-files.ts).
 */
export const TEMPLATE_FILES: Readonly<Record<string, string>> = {
  'setup.ps1': setup,
  'pinpack-copy.bat': sccmCopier,
  'New-PinPackSccmObjects.ps1': sccmObjects,
  // The EPM vendor's own file names, so that admins who know Ivanti's guide find them.
  'setupEPMCopyContentsToTempFolderStep1.ps1': step1,
  'setupEPMCopyContentsToTempFolderStep2.ps1': step2,
  'Disable-PinPackUac.ps1': disableUac,
  'Restore-PinPackUac.ps1': restoreUac,
};

/** The scripts each target's workspace holds. */
export const TARGET_SCRIPTS: Readonly<Record<TargetId, readonly string[]>> = {
  sccm: ['setup.ps1', 'pinpack-copy.bat', 'New-PinPackSccmObjects.ps1'],
  'epm-case1': ['setup.ps1'],
  'epm-case2': ['setup.ps1'],
  'epm-case3-twostep': ['setup.ps1', 'setupEPMCopyContentsToTempFolderStep1.ps1', 'setupEPMCopyContentsToTempFolderStep2.ps1'],
  'epm-case3-uac': ['setup.ps1', 'Disable-PinPackUac.ps1', 'Restore-PinPackUac.ps1'],
};
