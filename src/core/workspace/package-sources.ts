import { lstat, readdir } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import * as l10n from '@vscode/l10n';
import type { ZipSource } from '../archive/writer';
import { PinPackError } from '../errors';
import { MANIFEST_FILE_NAME } from './manifest';
import { PIN_FILE_NAME, SETTINGS_FILE_NAME } from './package-files';

/**
 * Which files of a workspace go into its zip. Everything the admin keeps in the folder ships
 * (scripts, README, an installer they added), except what is not part of the package: dot-files
 * and dot-folders (`.gitignore`, `.pinpack/` with its state and imported PINs, `.git/`,
 * `.vscode/`), `pinpack.json` (the settings file carries what the device needs), build output
 * (`out/`, `dist/`, any `.zip`) and the PIN-bearing artefacts the workspace's .gitignore keeps out
 * of git (`*.ppkg`, `customizations.xml`): they may hold PINs from a manual test run.
 */

/** Top-level folders that are never part of the package. */
const SKIPPED_FOLDERS = new Set(['out', 'dist', 'node_modules']);
const SKIPPED_FILE = /\.(zip|ppkg)$|^customizations\.xml$/i;

export function isShippedName(name: string, topLevel: boolean): boolean {
  if (name.startsWith('.')) return false;
  if (topLevel && name === MANIFEST_FILE_NAME) return false;
  return !SKIPPED_FILE.test(name);
}

/** The workspace's files as zip sources (names with `/`), sorted; `exclude` drops one path (the output zip). */
export async function collectPackageSources(dir: string, exclude?: string): Promise<ZipSource[]> {
  const root = resolve(dir);
  const excluded = exclude === undefined ? undefined : resolve(exclude);
  const sources: ZipSource[] = [];
  const visit = async (folder: string, topLevel: boolean): Promise<void> => {
    let entries;
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch (error) {
      throw new PinPackError('io', l10n.t('{0} could not be read ({1}): check its permissions.', folder, (error as NodeJS.ErrnoException).code ?? 'error'), { cause: error });
    }
    for (const entry of entries) {
      const path = join(folder, entry.name);
      const name = relative(root, path).split(sep).join('/');
      if (entry.isDirectory()) {
        if (entry.name.startsWith('.') || (topLevel && SKIPPED_FOLDERS.has(entry.name))) continue;
        await visit(path, false);
        continue;
      }
      if (!isShippedName(entry.name, topLevel) || path === excluded) continue;
      if (topLevel && (entry.name === PIN_FILE_NAME || entry.name === SETTINGS_FILE_NAME)) {
        throw new PinPackError(
          'refused',
          entry.name === PIN_FILE_NAME
            ? l10n.t('Build refused: the workspace holds {0}, which PinPack writes into the zip itself (PINs never belong in the workspace); delete it and build again.', entry.name)
            : l10n.t('Build refused: the workspace holds {0}, which PinPack writes into the zip itself (the build writes it from pinpack.json); delete it and build again.', entry.name),
        );
      }
      const info = await lstat(path);
      if (!info.isFile()) {
        throw new PinPackError(
          'refused',
          info.isSymbolicLink()
            ? l10n.t('Build refused: {0} is a symbolic link; a package ships regular files only, so replace it with the file itself.', name)
            : l10n.t('Build refused: {0} is not a regular file; a package ships regular files only, so replace it with the file itself.', name),
        );
      }
      sources.push({ name, file: path });
    }
  };
  await visit(root, true);
  return sources.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
