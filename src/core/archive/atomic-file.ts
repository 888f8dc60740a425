import { closeSync, readdirSync, unlinkSync } from 'node:fs';
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import * as l10n from '@vscode/l10n';
import { PinPackError } from '../errors';

/**
 * Writes a file so that readers see either the previous file or the complete new one (DESIGN.md
 * §3: builds write to a temp file and rename). The temp file sits beside the target, so the
 * rename stays on one file system. On failure, SIGINT or SIGTERM the temp file is removed; a
 * process killed outright (SIGKILL, power loss) cannot clean up, so every write first sweeps the
 * temp files that dead processes left beside the same target.
 */

const SUFFIX = '.pinpack-tmp';
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

function tempPrefix(target: string): string {
  return `.${basename(target)}.`;
}

/** Whether a process id names a live process; EPERM means it lives under another user. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes temp files of this target whose writing process is gone. */
export function sweepStaleTempFiles(target: string): void {
  sweep(dirname(target), tempPrefix(target));
}

/** Removes every temp file in `dir` (not below it) whose writing process is gone, whatever its target. */
export function sweepStaleTempFilesIn(dir: string): void {
  sweep(dir, '.');
}

function sweep(dir: string, prefix: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith(SUFFIX)) continue;
    // .<target name>.<pid>.<random hex>.pinpack-tmp; the target's name may hold dots itself.
    const parts = name.slice(0, -SUFFIX.length).split('.');
    const pid = Number(parts[parts.length - 2]);
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || isAlive(pid)) continue;
    try {
      unlinkSync(join(dir, name));
    } catch {
      // Another build may have swept it first.
    }
  }
}

/**
 * Calls `write` with a handle on a fresh temp file beside `target`, then renames the temp file
 * over the target. Whatever `write` throws is rethrown after the temp file is removed.
 */
export async function writeAtomically<T>(target: string, write: (file: FileHandle, tempPath: string) => Promise<T>): Promise<T> {
  sweepStaleTempFiles(target);
  const tempPath = join(dirname(target), `${tempPrefix(target)}${process.pid}.${randomBytes(4).toString('hex')}${SUFFIX}`);
  let file: FileHandle;
  try {
    file = await open(tempPath, 'wx');
  } catch (error) {
    throw new PinPackError('io', l10n.t('Cannot write beside {0} ({1}): check that the folder exists and is writable.', target, (error as NodeJS.ErrnoException).code ?? 'error'), { cause: error });
  }
  // A signal handler must be synchronous: the event loop may never run again after it.
  const onSignal = (signal: NodeJS.Signals): void => {
    removeHandlers();
    try {
      closeSync(file.fd);
    } catch {
      // Already closed.
    }
    try {
      unlinkSync(tempPath);
    } catch {
      // Already gone.
    }
    // Re-raise so the default action (exit) happens when nobody else listens for the signal.
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  const removeHandlers = (): void => {
    for (const signal of SIGNALS) process.removeListener(signal, onSignal);
  };
  for (const signal of SIGNALS) process.once(signal, onSignal);
  try {
    const result = await write(file, tempPath);
    await file.sync();
    await file.close();
    await rename(tempPath, target);
    return result;
  } catch (error) {
    await file.close().catch(() => undefined);
    await unlink(tempPath).catch(() => undefined);
    if (error instanceof PinPackError) throw error;
    throw new PinPackError('io', l10n.t('Cannot write {0} ({1}); the previous file, if any, is unchanged.', target, (error as NodeJS.ErrnoException).code ?? (error as Error).message), { cause: error });
  } finally {
    removeHandlers();
  }
}

/** Whether a file name beside `target` is one of its temp files (a build in progress or a leftover). */
export function isTempFileOf(target: string, name: string): boolean {
  return name.startsWith(tempPrefix(target)) && name.endsWith(SUFFIX);
}
