import sccmCopier from './sccm/pinpack-copy.bat';

/**
 * The scripts PinPack writes into a package workspace, bundled byte for byte (esbuild's text
 * loader), keyed by the file name they get in the workspace. Batch files keep their CRLF line
 * endings: with LF, cmd.exe can miss `goto` labels (DOMAIN.md §3).
 */
export const TEMPLATE_FILES: Readonly<Record<string, string>> = {
  'pinpack-copy.bat': sccmCopier,
};
