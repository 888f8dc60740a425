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
    if (!info.isDirectory()) throw new PinPackError('usage', `${dir} is a file: choose a folder for the demo with --dir.`);
    entries = await readdir(dir);
  } catch (error) {
    if (error instanceof PinPackError) throw error;
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new PinPackError('io', `${dir} could not be read (${(error as NodeJS.ErrnoException).code ?? 'error'}): check its permissions or choose another folder with --dir.`, { cause: error });
    }
    entries = [];
  }
  if (entries.includes(DEMO_MARKER)) return false;
  if (entries.length > 0) {
    throw new PinPackError('usage', `${dir} already exists and was not created by "pinpack demo" (it has no ${DEMO_MARKER} file), so the demo leaves it alone: choose another folder with --dir.`);
  }
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, DEMO_MARKER), MARKER_TEXT, { flag: 'wx' });
  } catch (error) {
    throw new PinPackError('io', `${dir} could not be created (${(error as NodeJS.ErrnoException).code ?? 'error'}): check the permissions of its parent folder or choose another with --dir.`, { cause: error });
  }
  return true;
}
