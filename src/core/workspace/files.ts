import * as l10n from '@vscode/l10n';
import { createHash } from 'node:crypto';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeAtomically } from '../archive/atomic-file';
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

/**
 * Writes through a temp file and a rename (the build's atomic writer), so that an interrupted
 * write never leaves half a file. The temp file is a dot file beside the target, so one that a
 * killed process leaves behind is never packaged or linted; the next write of the same target
 * sweeps it.
 */
export async function writeFileAtomic(path: string, content: string | Buffer): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeAtomically(path, (file) => file.writeFile(content));
  } catch (error) {
    const reason = error instanceof PinPackError && error.cause instanceof Error ? error.cause.message : (error as Error).message;
    throw new PinPackError('io', l10n.t("{0} could not be written ({1}): check the folder's permissions and free space.", path, reason), { cause: error });
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
