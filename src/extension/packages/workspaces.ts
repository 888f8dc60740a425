import * as vscode from 'vscode';
import { describeError } from '../../core/errors';
import { MANIFEST_FILE_NAME, parseManifest, type Manifest } from '../../core/workspace/manifest';

/** A package workspace found in the open folders, or the reason its manifest does not load. */
export type PackageWorkspace =
  | { readonly folder: vscode.Uri; readonly manifest: Manifest; readonly problem?: undefined }
  | { readonly folder: vscode.Uri; readonly manifest?: undefined; readonly problem: string };

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

  refresh(): void {
    this.changed.fire();
  }

  dispose(): void {
    this.watcher.dispose();
    this.folderListener.dispose();
    this.changed.dispose();
  }
}
