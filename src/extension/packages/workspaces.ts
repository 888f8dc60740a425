import * as vscode from 'vscode';
import { describeError } from '../../core/errors';
import { MANIFEST_FILE_NAME, parseManifest, type Manifest } from '../../core/workspace/manifest';

/** A package workspace found in the open folders, or the reason its manifest does not load. */
export type PackageWorkspace =
  | { readonly folder: vscode.Uri; readonly manifest: Manifest; readonly problem?: undefined }
  | { readonly folder: vscode.Uri; readonly manifest?: undefined; readonly problem: string };

/** A package workspace whose manifest loads. */
export type LoadedPackage = PackageWorkspace & { readonly manifest: Manifest };

const EXCLUDE = '**/{node_modules,.git,.pinpack,dist,out,.vscode-test}/**';

/** Every `pinpack.json` under the open folders, kept current by a file watcher. */
export class PackageWorkspaces implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly watcher = vscode.workspace.createFileSystemWatcher(`**/${MANIFEST_FILE_NAME}`);
  private readonly folderListener: vscode.Disposable;

  constructor() {
    const fire = () => this.changed.fire();
    this.watcher.onDidCreate(fire);
    this.watcher.onDidChange(fire);
    this.watcher.onDidDelete(fire);
    this.folderListener = vscode.workspace.onDidChangeWorkspaceFolders(fire);
  }

  async list(): Promise<PackageWorkspace[]> {
    const manifests = await vscode.workspace.findFiles(`**/${MANIFEST_FILE_NAME}`, EXCLUDE);
    const found = await Promise.all(
      manifests.map(async (uri): Promise<PackageWorkspace> => {
        const folder = vscode.Uri.joinPath(uri, '..');
        try {
          const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
          return { folder, manifest: parseManifest(text, vscode.workspace.asRelativePath(uri)) };
        } catch (error) {
          return { folder, problem: describeError(error) };
        }
      }),
    );
    return found.sort((a, b) => a.folder.path.localeCompare(b.folder.path));
  }

  /**
   * The package a command or the status bar is about: the one at `folder`, else the innermost one
   * holding the active editor's file, else the only one. Only packages whose manifest loads count.
   */
  async resolve(folder?: vscode.Uri): Promise<{ readonly found?: LoadedPackage; readonly loaded: LoadedPackage[] }> {
    const loaded = (await this.list()).filter((p): p is LoadedPackage => p.manifest !== undefined);
    const active = vscode.window.activeTextEditor?.document.uri;
    const found =
      (folder && loaded.find((p) => p.folder.toString() === folder.toString())) ??
      (active && loaded.filter((p) => active.path.startsWith(`${p.folder.path}/`)).sort((a, b) => b.folder.path.length - a.folder.path.length)[0]) ??
      (loaded.length === 1 ? loaded[0] : undefined);
    return { ...(found ? { found } : {}), loaded };
  }

  refresh(): void {
    this.changed.fire();
  }

  dispose(): void {
    this.watcher.dispose();
    this.folderListener.dispose();
    this.changed.dispose();
  }
}
