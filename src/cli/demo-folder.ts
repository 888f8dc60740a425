import * as l10n from '@vscode/l10n';
import { readdir, stat, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PinPackError } from '../core/errors';

/**
 * The demo's output folder. The demo writes only into a folder it created itself, recognised by
 * a marker file; it never deletes anything there either: a re-run updates the workspaces through
 * the scaffold (files the admin changed are kept) and replaces the zips atomically. A folder
 * that exists without the marker and is not empty belongs to someone else and is refused.
 */

export const DEMO_MARKER = '.pinpack-demo';

const MARKER_TEXT = `This folder was created by "pinpack demo". Running it again updates the workspaces here
(files you changed are kept) and rebuilds the zips. Delete the folder to start afresh.
`;

/** Makes sure `dir` is the demo's own folder; returns true when it was created just now. */
export async function claimDemoFolder(dir: string): Promise<boolean> {
  let entries: string[];
  try {
    const info = await stat(dir);
    if (!info.isDirectory()) throw new PinPackError('usage', l10n.t('{0} is a file: choose a folder for the demo with --dir.', dir));
    entries = await readdir(dir);
  } catch (error) {
    if (error instanceof PinPackError) throw error;
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      throw new PinPackError('io', l10n.t('{0} could not be read ({1}): check its permissions or choose another folder with --dir.', dir, code), { cause: error });
    }
    entries = [];
  }
  if (entries.includes(DEMO_MARKER)) return false;
  if (entries.length > 0) {
    throw new PinPackError(
      'usage',
      l10n.t('{0} already exists and was not created by "pinpack demo" (it has no {1} file), so the demo leaves it alone: choose another folder with --dir.', dir, DEMO_MARKER),
    );
  }
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, DEMO_MARKER), MARKER_TEXT, { flag: 'wx' });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new PinPackError('io', l10n.t('{0} could not be created ({1}): check the permissions of its parent folder or choose another with --dir.', dir, code), { cause: error });
  }
  return true;
}
