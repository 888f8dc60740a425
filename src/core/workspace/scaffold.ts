import * as l10n from '@vscode/l10n';
import { basename, dirname, join, resolve } from 'node:path';
import { PinPackError } from '../errors';
import { TARGET_SCRIPTS, TEMPLATE_FILES } from '../templates';
import { renderReadme } from '../templates/readme';
import { unifiedDiff } from './diff';
import { MANIFEST_FILE_NAME, parseManifest, serializeManifest, validateManifest, formatJsonPath, type Manifest } from './manifest';
import { sweepStaleTempFilesIn } from '../archive/atomic-file';
import { ensureFolderPath, readIfExists, sha256, writeFileAtomic } from './files';
import { GITIGNORE, readScaffoldState, STATE_FOLDER, writeScaffoldState } from './state';
import { TargetId } from './targets';

/**
 * Writes a package workspace, and updates one (DESIGN.md §3: the admin's edits are sacred).
 * PinPack records the SHA-256 of every file it wrote (state.ts); on a re-run a
 * file whose hash still matches is PinPack's own and is updated, a file the admin changed is a
 * conflict, settled by `onConflict` (keep by default). An overwritten file is first copied to
 * `.pinpack/backup/`, so nothing is lost even then.
 */

export interface Conflict {
  /** The workspace-relative path. */
  readonly path: string;
  readonly current: string;
  readonly proposed: string;
  /** A unified diff from the admin's version to PinPack's. */
  readonly diff: () => string;
}

export type ConflictChoice = 'keep' | 'overwrite';
export type ConflictPolicy = ConflictChoice | ((conflict: Conflict) => Promise<ConflictChoice>);

export interface ScaffoldOptions {
  readonly dir: string;
  readonly target: TargetId;
  readonly name?: string;
  readonly users?: readonly string[];
  readonly groups?: readonly string[];
  readonly adDomain?: string;
  readonly destination?: string;
  readonly language?: 'en' | 'ja';
  readonly onConflict?: ConflictPolicy;
  /** For backup names; tests pass a fixed one. */
  readonly now?: Date;
}

export interface ScaffoldReport {
  readonly dir: string;
  readonly manifest: Manifest;
  readonly created: string[];
  readonly updated: string[];
  readonly unchanged: string[];
  readonly kept: string[];
  /** Overwritten after a conflict, each with its backup path. */
  readonly overwritten: { readonly path: string; readonly backup: string }[];
}

function union(a: readonly string[], b: readonly string[] | undefined): string[] {
  return [...new Set([...a, ...(b ?? [])])];
}

/** The manifest a scaffold run leads to: the existing one with the options merged in. */
function plannedManifest(existing: Manifest | undefined, options: ScaffoldOptions, label: string): Manifest {
  const base = existing ?? {
    schemaVersion: 1,
    name: options.name ?? basename(resolve(options.dir)),
    target: options.target,
  };
  const candidate = {
    ...base,
    ...(options.name !== undefined ? { name: options.name } : {}),
    ...(options.language !== undefined ? { language: options.language } : {}),
    enrollees: {
      users: union(existing?.enrollees.users ?? [], options.users),
      groups: union(existing?.enrollees.groups ?? [], options.groups),
    },
    device: {
      ...(existing?.device ?? {}),
      ...(options.adDomain !== undefined ? { adDomain: options.adDomain } : {}),
      ...(options.destination !== undefined ? { destination: options.destination } : {}),
    },
  };
  const result = validateManifest(candidate);
  if (result.ok) return result.manifest;
  const issue = result.issues[0];
  const path = formatJsonPath(issue?.path ?? []);
  const hint = path === 'name' && options.name === undefined ? l10n.t(' (it comes from the folder name: pass --name)') : '';
  throw new PinPackError('usage', l10n.t('{0}: "{1}" {2}{3}; fix the option and run again.', label, path, issue?.message ?? l10n.t('is invalid'), hint));
}

/** The files a workspace of this manifest holds, besides pinpack.json. */
export function workspaceFiles(manifest: Manifest): Map<string, string> {
  const files = new Map<string, string>();
  for (const name of TARGET_SCRIPTS[manifest.target]) {
    const text = TEMPLATE_FILES[name];
    // l10n-exempt: a broken build of PinPack itself (the templates are bundled), not something the admin can fix.
    if (text === undefined) throw new Error(`template ${name} is missing from the bundle`);
    files.set(name, text);
  }
  files.set('README.md', renderReadme(manifest));
  files.set('.gitignore', GITIGNORE);
  return files;
}

async function decide(policy: ConflictPolicy, conflict: Conflict): Promise<ConflictChoice> {
  return typeof policy === 'function' ? policy(conflict) : policy;
}

export async function scaffoldWorkspace(options: ScaffoldOptions): Promise<ScaffoldReport> {
  const parsedTarget = TargetId.safeParse(options.target);
  if (!parsedTarget.success) {
    throw new PinPackError('usage', l10n.t('Unknown target "{0}": choose one of {1}.', String(options.target), TargetId.options.join(', ')));
  }
  const dir = resolve(options.dir);
  await ensureFolderPath(dir);
  const manifestPath = join(dir, MANIFEST_FILE_NAME);
  const existingText = await readIfExists(manifestPath);
  const existing = existingText === undefined ? undefined : parseManifest(existingText, manifestPath);
  if (existing && existing.target !== options.target) {
    throw new PinPackError(
      'usage',
      l10n.t('{0} already holds a {1} workspace: pass --target {1}, or scaffold the {2} package in another folder.', dir, existing.target, options.target),
    );
  }
  const manifest = plannedManifest(existing, options, manifestPath);
  const policy = options.onConflict ?? 'keep';
  const state = await readScaffoldState(dir);
  const stamp = (options.now ?? new Date()).toISOString().replace(/[:.]/g, '-');
  const report: ScaffoldReport = { dir, manifest, created: [], updated: [], unchanged: [], kept: [], overwritten: [] };

  // pinpack.json is data PinPack reads and merges, not text it owns: rewrite it only when the
  // merge changed something, so the admin's formatting survives a no-op run.
  const manifestText = serializeManifest(manifest);
  if (existing === undefined) {
    await writeFileAtomic(manifestPath, manifestText);
    report.created.push(MANIFEST_FILE_NAME);
  } else if (serializeManifest(existing) !== manifestText) {
    await writeFileAtomic(manifestPath, manifestText);
    report.updated.push(MANIFEST_FILE_NAME);
  } else {
    report.unchanged.push(MANIFEST_FILE_NAME);
  }

  const files = workspaceFiles(manifest);
  // A scaffold killed mid-write (SIGKILL, power loss) may have left hidden temp files beside any
  // file it writes, its backups and its state: sweep them, also beside files this run keeps.
  const folders = new Set([dir, join(dir, STATE_FOLDER), ...[...files.keys()].flatMap((p) => [dirname(join(dir, p)), dirname(join(dir, STATE_FOLDER, 'backup', p))])]);
  for (const folder of folders) sweepStaleTempFilesIn(folder);
  for (const [path, proposed] of files) {
    const full = join(dir, path);
    const current = await readIfExists(full);
    const recorded = state.files[path];
    if (current === undefined) {
      await writeFileAtomic(full, proposed);
      report.created.push(path);
    } else if (current === proposed) {
      report.unchanged.push(path);
    } else if (recorded?.origin === 'scaffold' && recorded.sha256 === sha256(current)) {
      await writeFileAtomic(full, proposed);
      report.updated.push(path);
    } else {
      const choice = await decide(policy, { path, current, proposed, diff: () => unifiedDiff(current, proposed, `${path} (yours)`, `${path} (PinPack)`) });
      if (choice === 'keep') {
        report.kept.push(path);
        continue;
      }
      const backup = `${STATE_FOLDER}/backup/${path}.${stamp}`;
      await writeFileAtomic(join(dir, backup), current);
      await writeFileAtomic(full, proposed);
      report.overwritten.push({ path, backup });
    }
    state.files[path] = { sha256: sha256(proposed), origin: 'scaffold' };
  }
  await writeScaffoldState(dir, state);
  return report;
}
