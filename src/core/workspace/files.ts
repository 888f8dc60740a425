import * as l10n from '@vscode/l10n';
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { PinPackError } from '../errors';

/** File operations of the workspace code, each failing with one clear `PinPackError`. */

export function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

export async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new PinPackError('io', l10n.t('{0} could not be read ({1}): check its permissions.', path, (error as Error).message));
  }
}

/** Writes through a temp file and a rename, so that an interrupted write never leaves half a file. */
export async function writeFileAtomic(path: string, content: string | Buffer): Promise<void> {
  // A dot name: a temp file that a killed process leaves behind is never packaged or linted.
  const temp = join(dirname(path), `.${basename(path)}.pinpack-${process.pid}-${Date.now()}.tmp`);
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(temp, content);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw new PinPackError('io', l10n.t("{0} could not be written ({1}): check the folder's permissions and free space.", path, (error as Error).message));
  }
}

/** Refuses a DIR that exists as a file, before anything is written. */
export async function ensureFolderPath(dir: string): Promise<void> {
  try {
    const info = await stat(dir);
    if (!info.isDirectory()) throw new PinPackError('usage', l10n.t('{0} is a file, not a folder: choose a folder for the workspace.', dir));
  } catch (error) {
    if (error instanceof PinPackError) throw error;
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new PinPackError('io', l10n.t('{0} could not be examined ({1}).', dir, (error as Error).message));
    }
  }
}
