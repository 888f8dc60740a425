import * as l10n from '@vscode/l10n';
import { readFile } from 'node:fs/promises';
import { sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Diagnostic, WorkDoneProgressServerReporter } from 'vscode-languageserver/node';
import { lintFile } from '../core/lint/engine';
import { lintableFiles } from '../core/lint/files';
import type { WorkspaceLintedParams } from '../core/lint/server-protocol';
import { diagnosticOf } from './document-lint';
import type { LintConfigs } from './lint-config';

function paths(uris: readonly string[]): string[] {
  return uris.filter((u) => u.startsWith('file:')).map((u) => fileURLToPath(u));
}

/** More files than this in scope, and the background lint stops there and says so. */
export const MAX_WORKSPACE_FILES = 5000;

/** What the workspace lint needs from the server around it. */
export interface WorkspaceLintHost {
  readonly configs: LintConfigs;
  /** `pinpack.lint.scope` and `pinpack.lint.hidePssaRules` as they are now. */
  settings(): { scope: 'packages' | 'everywhere'; hidePssaRules: boolean };
  /** Whether the editor has the file open: its diagnostics then come from the editor's text. */
  isOpen(path: string): boolean;
  publish(uri: string, diagnostics: Diagnostic[]): void;
  progress(): Promise<WorkDoneProgressServerReporter>;
  finished(params: WorkspaceLintedParams): void;
  log(message: string): void;
}

/**
 * Lints every file of the workspace folders in the background, so the Problems panel shows each
 * finding of a package before its files are opened: the files of package workspaces (folders
 * with a pinpack.json, at any depth), or every script when `pinpack.lint.scope` is `everywhere`.
 * It reads from disk one file at a time and yields to the event loop between files, so edits of
 * open documents are linted first; it reports progress and stops when the user cancels it or a
 * newer run (settings, folders or a manifest changed) replaces it.
 */
export class WorkspaceLint {
  private folders: string[] = [];
  /** Files whose diagnostics come from disk, by path, with the URI they were published under. */
  private readonly published = new Map<string, string>();
  private generation = 0;
  private running: Promise<void> = Promise.resolve();

  constructor(private readonly host: WorkspaceLintHost) {}

  setFolders(uris: readonly string[]): void {
    this.folders = paths(uris);
  }

  changeFolders(added: readonly string[], removed: readonly string[]): void {
    const gone = new Set(paths(removed));
    this.folders = [...new Set([...this.folders.filter((f) => !gone.has(f)), ...paths(added)])];
  }

  /** Starts a new background run, replacing (cancelling) the one in progress; resolves when it ends. */
  restart(): Promise<void> {
    const generation = ++this.generation;
    const previous = this.running;
    this.running = previous.then(() => this.run(generation, [...this.folders]));
    return this.running;
  }

  /** Ends the run in progress without starting another. */
  cancel(): void {
    this.generation++;
  }

  /** Whether the background lint covers a file: in a workspace folder, and in a package unless the scope is everywhere. */
  covers(path: string): boolean {
    if (!this.folders.some((f) => path === f || path.startsWith(f.endsWith(sep) ? f : f + sep))) return false;
    return this.host.settings().scope === 'everywhere' || this.host.configs.forFile(path).inPackage;
  }

  /**
   * Brings one file's diagnostics up to date from disk: after its editor closes, or when it
   * changed or disappeared on disk. Files the background lint does not cover lose theirs.
   */
  async refresh(path: string): Promise<void> {
    if (this.host.isOpen(path)) return;
    if (!this.covers(path)) {
      this.clear(path);
      return;
    }
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch {
      this.clear(path);
      return;
    }
    this.lintBytes(path, bytes);
  }

  /** Drops the diagnostics published from disk for a file (it was deleted, or the editor now owns it). */
  clear(path: string): void {
    const uri = this.published.get(path);
    if (uri === undefined) return;
    this.published.delete(path);
    this.host.publish(uri, []);
  }

  private lintBytes(path: string, bytes: Uint8Array): number {
    if (this.host.isOpen(path)) return 0;
    const lint = lintFile(path, bytes, this.host.configs.forFile(path).rules);
    if (!lint) return 0;
    const findings = this.host.settings().hidePssaRules ? lint.findings.filter((f) => !f.pssa) : lint.findings;
    const diagnostics = findings.map((f) => diagnosticOf(f, { start: { line: f.line - 1, character: f.column - 1 }, end: { line: f.endLine - 1, character: f.endColumn - 1 } }));
    const uri = this.published.get(path) ?? pathToFileURL(path).href;
    // A file with nothing to report is published only to clear what it had.
    if (diagnostics.length > 0 || this.published.has(path)) {
      this.published.set(path, uri);
      this.host.publish(uri, diagnostics);
    }
    return findings.length;
  }

  private async run(generation: number, folders: readonly string[]): Promise<void> {
    if (generation !== this.generation) return;
    const started = performance.now();
    const stale = () => generation !== this.generation;
    const progress = await this.host.progress();
    let cancelled = false;
    const stop = () => {
      cancelled ||= progress.token.isCancellationRequested || stale();
      return cancelled;
    };
    progress.begin(l10n.t('PinPack: linting the workspace'), 0, l10n.t('Finding scripts…'), true);
    let files = 0;
    let findings = 0;
    try {
      const paths: string[] = [];
      for (const folder of folders) {
        for await (const path of lintableFiles(folder, stop)) {
          if (this.covers(path)) paths.push(path);
          if (paths.length > MAX_WORKSPACE_FILES) break;
        }
      }
      if (paths.length > MAX_WORKSPACE_FILES) {
        paths.length = MAX_WORKSPACE_FILES;
        this.host.log(l10n.t('The workspace has more than {0} scripts in scope, so PinPack lints only the first {0} in the background; open a package folder on its own to lint all of its files.', MAX_WORKSPACE_FILES));
      }
      const inScope = new Set(paths);
      for (const path of [...this.published.keys()]) if (!inScope.has(path) && !stop()) this.clear(path);
      let reported = performance.now();
      for (const path of paths) {
        // Lets queued edits of open documents run first: the background never delays them by more than one file.
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (stop()) break;
        let bytes: Buffer;
        try {
          bytes = await readFile(path);
        } catch {
          continue;
        }
        if (stop()) break;
        findings += this.lintBytes(path, bytes);
        files++;
        if (performance.now() - reported > 200) {
          reported = performance.now();
          progress.report(Math.floor((files / paths.length) * 100), l10n.t('{0} of {1} files', files, paths.length));
        }
      }
    } finally {
      progress.done();
      this.host.finished({ files, findings, durationMs: performance.now() - started, cancelled });
    }
  }
}
