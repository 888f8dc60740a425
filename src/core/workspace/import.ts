import * as l10n from '@vscode/l10n';
import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve, sep } from 'node:path';
import { DEFAULT_ZIP_LIMITS, readZip, type ReadEntry } from '../archive/reader';
import { PinPackError } from '../errors';
import { MANIFEST_FILE_NAME, serializeManifest, validateManifest, formatJsonPath, type Manifest } from './manifest';
import { SETTINGS_FILE_NAME } from './package-files';
import { ensureFolderPath, sha256, writeFileAtomic } from './files';
import { GITIGNORE, STATE_FOLDER, writeScaffoldState, type ScaffoldState } from './state';
import { TargetId } from './targets';

/**
 * `pinpack import ZIP DIR`: turns a Deployment Package zip downloaded from the N-MDM console into
 * a workspace. The console's files are kept byte for byte and marked as imported (manifest
 * `imported`, origin `import` in the scaffold state, so a later `pinpack new` treats them as the
 * admin's). PIN files go to the git-ignored `.pinpack/imported-pins/`, never into the tracked tree
 * (DESIGN.md §3).
 *
 * The zip is read whole by the hardened reader (`core/archive/reader.ts`: every name, link,
 * duplicate, encryption flag, size and CRC checked, bombs judged on the inflated bytes) before a
 * single file is written.
 */

const IMPORTED_PINS = `${STATE_FOLDER}/imported-pins`;

export const STEP1 = 'setupEPMCopyContentsToTempFolderStep1.ps1';
export const STEP2 = 'setupEPMCopyContentsToTempFolderStep2.ps1';

export interface ImportOptions {
  readonly zip: string;
  readonly dir: string;
  /** Overrides the inferred target. */
  readonly target?: TargetId;
  readonly name?: string;
  /**
   * Takes each PIN file instead of `.pinpack/imported-pins/`: the extension keeps them in VS Code's
   * SecretStorage, so no PIN reaches the disk in clear. Called once every other file is written;
   * if it throws, the import is undone like any other failure.
   */
  readonly keepPinFile?: (workspacePath: string, data: Buffer) => Promise<void>;
}

export interface ImportReport {
  readonly dir: string;
  readonly manifest: Manifest;
  readonly targetReason: string;
  /** Workspace-relative paths of the console's files, as extracted. */
  readonly files: string[];
  /** Where PIN files went, relative to the workspace (all under `.pinpack/`, unless `keepPinFile` took them). */
  readonly pinFiles: string[];
}

/** `message` is a whole translated sentence; the zip's name before it reads the same in every language. */
function refuse(zip: string, message: string): PinPackError {
  return new PinPackError('refused', `${basename(zip)}: ${message}`);
}

/** Writes one extracted file; a PIN file is readable by its owner only (where the OS honours modes). */
async function writeEntry(target: string, data: Buffer, secret: boolean): Promise<void> {
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, data, { flag: 'wx', mode: secret ? 0o600 : 0o666 });
}

/** A PIN file by name: the console's PIN list, or PinPack's own. Never a script or a document. */
export function isPinFileName(path: string): boolean {
  const name = basename(path).toLowerCase();
  if (name === SETTINGS_FILE_NAME || name === MANIFEST_FILE_NAME) return false;
  if (['.ps1', '.psm1', '.bat', '.cmd', '.md', '.exe', '.dll'].includes(extname(name))) return false;
  return /pin/.test(name);
}

/** The folder all entries share, when they share one (console zips may wrap the package). */
function commonFolder(names: readonly string[]): string {
  const first = names[0]?.split('/')[0];
  if (first === undefined || names.some((n) => !n.startsWith(`${first}/`))) return '';
  return `${first}/`;
}

/** The target a console zip's files point to, and why, as the phrase the import report shows (translated). */
export function inferTarget(files: readonly string[]): { target: TargetId; reason: string } {
  const names = new Set(files.map((f) => basename(f).toLowerCase()));
  if (names.has(STEP1.toLowerCase()) && names.has(STEP2.toLowerCase())) {
    return { target: 'epm-case3-twostep', reason: l10n.t('inferred because it holds the EPM step 1 and step 2 scripts; pass --target to choose another') };
  }
  if ([...names].some((n) => n.endsWith('.bat') || n.endsWith('.cmd'))) return { target: 'sccm', reason: l10n.t('inferred because it holds a batch copier; pass --target to choose another') };
  return { target: 'epm-case2', reason: l10n.t('inferred because it holds setup.ps1 alone, which runs as the current user by default; pass --target to choose another') };
}

async function isEmptyOrMissing(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length === 0;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw new PinPackError('io', l10n.t('{0} could not be read ({1}).', dir, (error as Error).message));
  }
}

export async function importConsoleZip(options: ImportOptions): Promise<ImportReport> {
  const dir = resolve(options.dir);
  await ensureFolderPath(dir);
  if (!(await isEmptyOrMissing(dir))) {
    throw new PinPackError('usage', l10n.t('{0} is not empty: import into a new or empty folder, so that nothing in it is overwritten.', dir));
  }
  if (!(await exists(options.zip))) {
    throw new PinPackError('usage', l10n.t('{0} does not exist: give the path of the zip downloaded from the console.', options.zip));
  }
  const entries = await readZip(options.zip, DEFAULT_ZIP_LIMITS);
  const createdDir = !(await folderExists(dir));
  try {
    const files = entries.filter((e) => !e.directory);
    const prefix = commonFolder(files.map((e) => e.name));
    const relativeName = (e: ReadEntry) => e.name.slice(prefix.length);
    const setup = files.find((e) => relativeName(e).toLowerCase() === 'setup.ps1');
    if (!setup) {
      throw refuse(options.zip, l10n.t('it holds no setup.ps1, so it is not a Neurons for MDM deployment package. Download it again from Admin > Windows > Deployment Package.'));
    }
    const consoleFiles: string[] = [];
    const pinFiles: string[] = [];
    const plan = files.map((e) => {
      const rel = relativeName(e);
      const workspacePath = isPinFileName(rel) ? `${IMPORTED_PINS}/${rel}` : rel;
      (isPinFileName(rel) ? pinFiles : consoleFiles).push(workspacePath);
      const target = resolve(dir, ...workspacePath.split('/'));
      if (target !== dir && !target.startsWith(dir + sep)) throw refuse(options.zip, l10n.t('the entry "{0}" would land outside {1}. Nothing was extracted.', e.name, dir));
      return { data: e.data ?? Buffer.alloc(0), target, workspacePath, secret: isPinFileName(rel) };
    });
    const reserved = [MANIFEST_FILE_NAME, '.gitignore', `${STATE_FOLDER}/scaffold.json`];
    const clash = consoleFiles.find((f) => reserved.includes(f));
    if (clash) throw refuse(options.zip, l10n.t('it holds "{0}", which PinPack writes itself: this is not a console zip.', clash));

    const inferred = inferTarget(consoleFiles);
    const target = options.target ?? inferred.target;
    const targetReason = options.target ? l10n.t('chosen with --target') : inferred.reason;
    const manifestCandidate = {
      schemaVersion: 1,
      name: options.name ?? basename(options.zip).replace(/\.zip$/i, ''),
      target,
      imported: { from: basename(options.zip), files: [...consoleFiles].sort() },
    };
    const validated = validateManifest(manifestCandidate);
    if (!validated.ok) {
      const issue = validated.issues[0];
      throw new PinPackError('usage', l10n.t('The imported manifest\'s "{0}" {1}: pass --name to choose a valid package name.', formatJsonPath(issue?.path ?? []), issue?.message ?? l10n.t('is invalid')));
    }

    for (const step of plan) {
      if (step.secret && options.keepPinFile) continue;
      try {
        await writeEntry(step.target, step.data, step.secret);
      } catch (error) {
        throw refuse(options.zip, l10n.t('"{0}" could not be extracted ({1}). Nothing was kept.', step.workspacePath, (error as Error).message));
      }
    }
    const state: ScaffoldState = { version: 1, files: {} };
    for (const step of plan) if (!step.secret) state.files[step.workspacePath] = { sha256: sha256(step.data), origin: 'import' };
    await writeFileAtomic(join(dir, MANIFEST_FILE_NAME), serializeManifest(validated.manifest));
    await writeFileAtomic(join(dir, '.gitignore'), GITIGNORE);
    await writeScaffoldState(dir, state);
    if (options.keepPinFile) {
      for (const step of plan) if (step.secret) await options.keepPinFile(step.workspacePath, step.data);
    }
    return { dir, manifest: validated.manifest, targetReason, files: consoleFiles, pinFiles };
  } catch (error) {
    // Nothing half-imported stays: DIR was empty or missing before, so it is emptied or removed.
    await cleanUp(dir, createdDir);
    throw error;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

async function folderExists(dir: string): Promise<boolean> {
  try {
    await readdir(dir);
    return true;
  } catch {
    return false;
  }
}

async function cleanUp(dir: string, createdDir: boolean): Promise<void> {
  if (createdDir) {
    await rm(dir, { recursive: true, force: true });
    return;
  }
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    await rm(join(dir, name), { recursive: true, force: true });
  }
}
