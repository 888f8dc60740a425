import * as vscode from 'vscode';
import type { ReadEntry } from '../../core/archive/reader';
import { describeError } from '../../core/errors';

export const ZIP_SCHEME = 'pinpack-zip';

/** `pinpack-zip:/<entry>?<zip path>`: an entry of a package zip, opened read-only. */
export function zipEntryUri(zipPath: string, entry: string): vscode.Uri {
  return vscode.Uri.from({ scheme: ZIP_SCHEME, path: `/${entry}`, query: zipPath });
}

/**
 * A read-only file system over package zips, so a reviewer browses and lints a zip's scripts in
 * the editor without extracting anything. Each zip is read once through the hardened reader
 * (every entry checked and its hash verified) and kept in memory until its documents close.
 */
export class ZipFileSystem implements vscode.FileSystemProvider {
  private readonly zips = new Map<string, Promise<ReadEntry[]>>();
  private readonly emitter = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.emitter.event;

  entries(zipPath: string): Promise<ReadEntry[]> {
    let entries = this.zips.get(zipPath);
    if (!entries) {
      // The zip reader is loaded when a reviewer first opens a zip, not at activation.
      entries = import('../../core/archive/reader.js').then(({ readZip, DEFAULT_ZIP_LIMITS }) => readZip(zipPath, DEFAULT_ZIP_LIMITS));
      this.zips.set(zipPath, entries);
      entries.catch(() => this.zips.delete(zipPath));
    }
    return entries;
  }

  forget(zipPath: string): void {
    this.zips.delete(zipPath);
  }

  private async lookup(uri: vscode.Uri): Promise<{ entries: ReadEntry[]; name: string; entry: ReadEntry | undefined }> {
    let entries: ReadEntry[];
    try {
      entries = await this.entries(uri.query);
    } catch (error) {
      throw vscode.FileSystemError.Unavailable(describeError(error));
    }
    const name = uri.path.replace(/^\//, '');
    return { entries, name, entry: entries.find((e) => e.name === name || e.name === `${name}/`) };
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    const { entries, name, entry } = await this.lookup(uri);
    const isFolder = name === '' || entry?.directory || entries.some((e) => e.name.startsWith(`${name}/`));
    if (!entry && !isFolder) throw vscode.FileSystemError.FileNotFound(uri);
    return {
      type: isFolder ? vscode.FileType.Directory : vscode.FileType.File,
      ctime: 0,
      mtime: 0,
      size: entry?.size ?? 0,
      permissions: vscode.FilePermission.Readonly,
    };
  }

  async readDirectory(uri: vscode.Uri): Promise<[string, vscode.FileType][]> {
    const { entries, name } = await this.lookup(uri);
    const prefix = name === '' ? '' : `${name}/`;
    const children = new Map<string, vscode.FileType>();
    for (const e of entries) {
      if (!e.name.startsWith(prefix) || e.name === prefix) continue;
      const rest = e.name.slice(prefix.length);
      const [first, ...more] = rest.split('/');
      if (first) children.set(first, more.length > 0 || e.directory ? vscode.FileType.Directory : vscode.FileType.File);
    }
    return [...children.entries()].sort(([a], [b]) => a.localeCompare(b));
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    const { entry } = await this.lookup(uri);
    if (!entry || entry.directory || !entry.data) throw vscode.FileSystemError.FileNotFound(uri);
    return entry.data;
  }

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  createDirectory(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  writeFile(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  delete(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  rename(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }
}
