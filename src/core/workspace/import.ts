import * as l10n from '@vscode/l10n';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import * as yauzl from 'yauzl';
import { unsafeEntryNameReason } from '../archive/entry-name';
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
 * The zip reading below is deliberately private and conservative: the archive issue brings the
 * fully hardened reader (zip bombs judged on inflated bytes, CRC, encryption, ...) in
 * `core/archive/`, and this module then swaps `readEntries`/`extractEntry` for it.
 */

const MAX_ENTRIES = 10_000;
const MAX_TOTAL_BYTES = 1024 * 1024 * 1024;
const IMPORTED_PINS = `${STATE_FOLDER}/imported-pins`;

export const STEP1 = 'setupEPMCopyContentsToTempFolderStep1.ps1';
export const STEP2 = 'setupEPMCopyContentsToTempFolderStep2.ps1';

interface ZipEntry {
  readonly entry: yauzl.Entry;
  readonly name: string;
  readonly isDirectory: boolean;
}

export interface ImportOptions {
  readonly zip: string;
  readonly dir: string;
  /** Overrides the inferred target. */
  readonly target?: TargetId;
  readonly name?: string;
}

export interface ImportReport {
  readonly dir: string;
  readonly manifest: Manifest;
  readonly targetReason: string;
  /** Workspace-relative paths of the console's files, as extracted. */
  readonly files: string[];
  /** Where PIN files went, relative to the workspace (all under `.pinpack/`). */
  readonly pinFiles: string[];
}

function refuse(zip: string, message: string): PinPackError {
  return new PinPackError('refused', `${basename(zip)}: ${message}`);
}

function openZip(zip: string): Promise<yauzl.ZipFile> {
  return new Promise((resolvePromise, reject) => {
    // Names are decoded here rather than by yauzl, so that a hostile name is refused with
    // PinPack's own reason instead of a low-level error.
    yauzl.open(zip, { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true }, (error, file) => {
      if (error || !file) reject(error ?? new Error('no zip file'));
      else resolvePromise(file);
    });
  });
}

function readEntries(zip: string, file: yauzl.ZipFile): Promise<ZipEntry[]> {
  return new Promise((resolvePromise, reject) => {
    const entries: ZipEntry[] = [];
    let total = 0;
    file.on('entry', (entry: yauzl.Entry) => {
      const raw = entry.fileName as unknown as Buffer;
      const name = raw.toString('utf8');
      const reason = unsafeEntryNameReason(name);
      if (reason) return reject(refuse(zip, `the entry "${name}" is refused: ${reason}. Nothing was extracted.`));
      const mode = (entry.externalFileAttributes >>> 16) & 0o170000;
      const isDirectory = name.endsWith('/');
      if (mode !== 0 && mode !== 0o100000 && mode !== 0o040000) {
        return reject(refuse(zip, `the entry "${name}" is a link or special file, which a package never holds. Nothing was extracted.`));
      }
      if ((entry.generalPurposeBitFlag & 1) !== 0) return reject(refuse(zip, `the entry "${name}" is encrypted. Nothing was extracted.`));
      if (entries.some((e) => e.name.toLowerCase() === name.toLowerCase())) {
        return reject(refuse(zip, `the name "${name}" appears twice (Windows ignores case). Nothing was extracted.`));
      }
      total += entry.uncompressedSize;
      if (entries.length >= MAX_ENTRIES || total > MAX_TOTAL_BYTES) {
        return reject(refuse(zip, 'it holds more files or bytes than a deployment package ever does. Nothing was extracted.'));
      }
      entries.push({ entry, name, isDirectory });
      file.readEntry();
    });
    file.on('end', () => resolvePromise(entries));
    file.on('error', (error: Error) => reject(refuse(zip, `it is not a readable zip file (${error.message}). Download it again.`)));
    file.readEntry();
  });
}

async function extractEntry(file: yauzl.ZipFile, entry: yauzl.Entry, target: string, secret: boolean): Promise<void> {
  const stream = await new Promise<NodeJS.ReadableStream>((resolvePromise, reject) => {
    file.openReadStream(entry, (error, readStream) => (error || !readStream ? reject(error ?? new Error('no stream')) : resolvePromise(readStream)));
  });
  // The header's size is a claim: count the bytes that actually come out.
  let written = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      written += chunk.length;
      if (written > entry.uncompressedSize) callback(new Error('the entry inflates beyond its declared size'));
      else callback(null, chunk);
    },
  });
  await mkdir(dirname(target), { recursive: true });
  // A PIN file is readable by its owner only (where the OS honours modes).
  await pipeline(stream, limit, createWriteStream(target, { flags: 'wx', mode: secret ? 0o600 : 0o666 }));
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

export function inferTarget(files: readonly string[]): { target: TargetId; reason: string } {
  const names = new Set(files.map((f) => basename(f).toLowerCase()));
  if (names.has(STEP1.toLowerCase()) && names.has(STEP2.toLowerCase())) {
    return { target: 'epm-case3-twostep', reason: 'it holds the EPM step 1 and step 2 scripts' };
  }
  if ([...names].some((n) => n.endsWith('.bat') || n.endsWith('.cmd'))) return { target: 'sccm', reason: 'it holds a batch copier' };
  return { target: 'epm-case2', reason: 'it holds setup.ps1 alone, which runs as the current user by default' };
}

async function isEmptyOrMissing(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length === 0;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw new PinPackError('io', `${dir} could not be read (${(error as Error).message}).`);
  }
}

export async function importConsoleZip(options: ImportOptions): Promise<ImportReport> {
  const dir = resolve(options.dir);
  await ensureFolderPath(dir);
  if (!(await isEmptyOrMissing(dir))) {
    throw new PinPackError('usage', l10n.t('{0} is not empty: import into a new or empty folder, so that nothing in it is overwritten.', dir));
  }
  let file: yauzl.ZipFile;
  try {
    file = await openZip(options.zip);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new PinPackError('usage', l10n.t('{0} does not exist: give the path of the zip downloaded from the console.', options.zip));
    throw refuse(options.zip, `it is not a readable zip file (${(error as Error).message}). Download it again.`);
  }
  const createdDir = !(await folderExists(dir));
  try {
    const entries = await readEntries(options.zip, file);
    const files = entries.filter((e) => !e.isDirectory);
    const prefix = commonFolder(files.map((e) => e.name));
    const relativeName = (e: ZipEntry) => e.name.slice(prefix.length);
    const setup = files.find((e) => relativeName(e).toLowerCase() === 'setup.ps1');
    if (!setup) {
      throw refuse(options.zip, 'it holds no setup.ps1, so it is not a Neurons for MDM deployment package. Download it again from Admin > Windows > Deployment Package.');
    }
    const consoleFiles: string[] = [];
    const pinFiles: string[] = [];
    const plan = files.map((e) => {
      const rel = relativeName(e);
      const workspacePath = isPinFileName(rel) ? `${IMPORTED_PINS}/${rel}` : rel;
      (isPinFileName(rel) ? pinFiles : consoleFiles).push(workspacePath);
      const target = resolve(dir, ...workspacePath.split('/'));
      if (target !== dir && !target.startsWith(dir + sep)) throw refuse(options.zip, `the entry "${e.name}" would land outside ${dir}. Nothing was extracted.`);
      return { entry: e.entry, target, workspacePath, secret: isPinFileName(rel) };
    });
    const reserved = [MANIFEST_FILE_NAME, '.gitignore', `${STATE_FOLDER}/scaffold.json`];
    const clash = consoleFiles.find((f) => reserved.includes(f));
    if (clash) throw refuse(options.zip, `it holds "${clash}", which PinPack writes itself: this is not a console zip.`);

    const inferred = inferTarget(consoleFiles);
    const target = options.target ?? inferred.target;
    const targetReason = options.target ? 'chosen with --target' : `inferred because ${inferred.reason}; pass --target to choose another`;
    const manifestCandidate = {
      schemaVersion: 1,
      name: options.name ?? basename(options.zip).replace(/\.zip$/i, ''),
      target,
      imported: { from: basename(options.zip), files: [...consoleFiles].sort() },
    };
    const validated = validateManifest(manifestCandidate);
    if (!validated.ok) {
      const issue = validated.issues[0];
      throw new PinPackError('usage', `The imported manifest's "${formatJsonPath(issue?.path ?? [])}" ${issue?.message ?? 'is invalid'}: pass --name to choose a valid package name.`);
    }

    for (const step of plan) {
      try {
        await extractEntry(file, step.entry, step.target, step.secret);
      } catch (error) {
        throw refuse(options.zip, `"${step.workspacePath}" could not be extracted (${(error as Error).message}). Nothing was kept.`);
      }
    }
    const state: ScaffoldState = { version: 1, files: {} };
    for (const path of consoleFiles) state.files[path] = { sha256: sha256(await readFile(join(dir, ...path.split('/')))), origin: 'import' };
    await writeFileAtomic(join(dir, MANIFEST_FILE_NAME), serializeManifest(validated.manifest));
    await writeFileAtomic(join(dir, '.gitignore'), GITIGNORE);
    await writeScaffoldState(dir, state);
    return { dir, manifest: validated.manifest, targetReason, files: consoleFiles, pinFiles };
  } catch (error) {
    // Nothing half-imported stays: DIR was empty or missing before, so it is emptied or removed.
    await cleanUp(dir, createdDir);
    throw error;
  } finally {
    file.close();
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
