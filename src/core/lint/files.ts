import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { languageOf } from './engine';

/** Folders no lint walks into: dependencies, version control, PinPack's own state, build output. */
export const SKIPPED_FOLDERS: ReadonlySet<string> = new Set(['node_modules', '.git', '.pinpack', '.vscode-test', 'dist', 'out']);

/**
 * Every file the linter reads below `folder`, in name order, found without blocking the event
 * loop (the language server walks whole workspaces while the admin types). A folder that cannot
 * be read is skipped; `stop` ends the walk early.
 */
export async function* lintableFiles(folder: string, stop: () => boolean = () => false): AsyncGenerator<string> {
  let entries;
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch {
    return;
  }
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    if (stop()) return;
    const path = join(folder, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_FOLDERS.has(entry.name)) yield* lintableFiles(path, stop);
    } else if (entry.isFile() && languageOf(entry.name)) {
      yield path;
    }
  }
}
