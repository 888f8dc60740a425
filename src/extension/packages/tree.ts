import * as vscode from 'vscode';
import { TARGETS } from '../../core/workspace/targets';
import type { BuildRecords } from '../enrollment/builds';
import type { PackageWorkspace, PackageWorkspaces } from './workspaces';

export type PackageTreeNode =
  | { readonly kind: 'package'; readonly workspace: PackageWorkspace }
  | { readonly kind: 'detail'; readonly label: string; readonly description: string; readonly icon: string }
  | { readonly kind: 'file'; readonly uri: vscode.Uri; readonly type: vscode.FileType };

const HIDDEN = new Set(['.pinpack', 'node_modules', '.git']);

/** Lint findings of the files under a folder, from the Problems that the language server publishes. */
function lintCounts(folder: vscode.Uri): { errors: number; warnings: number } {
  let errors = 0;
  let warnings = 0;
  const prefix = folder.path.endsWith('/') ? folder.path : `${folder.path}/`;
  for (const [uri, diagnostics] of vscode.languages.getDiagnostics()) {
    if (!uri.path.startsWith(prefix)) continue;
    for (const d of diagnostics) {
      if (d.source !== 'pinpack') continue;
      if (d.severity === vscode.DiagnosticSeverity.Error) errors++;
      else if (d.severity === vscode.DiagnosticSeverity.Warning) warnings++;
    }
  }
  return { errors, warnings };
}

/** The Packages view: every package workspace in the open folders, its facts, then its files. */
export class PackageTreeProvider implements vscode.TreeDataProvider<PackageTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<PackageTreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly workspaces: PackageWorkspaces,
    private readonly builds: BuildRecords,
  ) {
    this.subscriptions = [
      workspaces.onDidChange(() => this.changed.fire(undefined)),
      builds.onDidChange(() => this.changed.fire(undefined)),
      vscode.languages.onDidChangeDiagnostics(() => this.changed.fire(undefined)),
    ];
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }

  getTreeItem(node: PackageTreeNode): vscode.TreeItem {
    switch (node.kind) {
      case 'package': {
        const { workspace } = node;
        const label = workspace.manifest?.name ?? vscode.workspace.asRelativePath(workspace.folder);
        const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `package:${workspace.folder.toString()}`;
        item.resourceUri = workspace.folder;
        item.description = workspace.manifest ? workspace.manifest.target : vscode.l10n.t('manifest has errors');
        item.tooltip = workspace.problem ?? vscode.workspace.asRelativePath(workspace.folder);
        item.iconPath = new vscode.ThemeIcon(workspace.problem ? 'error' : 'package');
        item.contextValue = 'pinpack.package';
        return item;
      }
      case 'detail': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
        item.description = node.description;
        item.iconPath = new vscode.ThemeIcon(node.icon);
        return item;
      }
      case 'file': {
        const folder = node.type === vscode.FileType.Directory;
        const item = new vscode.TreeItem(node.uri, folder ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
        if (!folder) item.command = { title: vscode.l10n.t('Open'), command: 'vscode.open', arguments: [node.uri] };
        item.contextValue = folder ? 'pinpack.folder' : 'pinpack.file';
        return item;
      }
    }
  }

  async getChildren(node?: PackageTreeNode): Promise<PackageTreeNode[]> {
    if (!node) return (await this.workspaces.list()).map((workspace) => ({ kind: 'package', workspace }));
    if (node.kind === 'package') {
      const { manifest, problem, folder } = node.workspace;
      const details: PackageTreeNode[] = [];
      if (problem) details.push({ kind: 'detail', label: vscode.l10n.t('Manifest'), description: problem, icon: 'error' });
      if (manifest) {
        const lint = lintCounts(folder);
        details.push(
          { kind: 'detail', label: vscode.l10n.t('Target'), description: TARGETS[manifest.target].label, icon: 'rocket' },
          {
            kind: 'detail',
            label: vscode.l10n.t('Enrollees'),
            description: vscode.l10n.t('{0} users, {1} groups', manifest.enrollees.users.length, manifest.enrollees.groups.length),
            icon: 'person',
          },
          {
            kind: 'detail',
            label: vscode.l10n.t('Lint'),
            description: vscode.l10n.t('{0} errors, {1} warnings', lint.errors, lint.warnings),
            icon: lint.errors ? 'error' : lint.warnings ? 'warning' : 'pass',
          },
        );
        const built = this.builds.get(folder);
        if (built) {
          const at = new Date(built.builtAt).toLocaleString(vscode.env.language, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
          details.push({ kind: 'detail', label: vscode.l10n.t('Last build'), description: vscode.l10n.t('{0}, SHA-256 {1}', at, built.sha256.slice(0, 12)), icon: 'package' });
        }
      }
      return [...details, ...(await this.files(folder))];
    }
    if (node.kind === 'file' && node.type === vscode.FileType.Directory) return this.files(node.uri);
    return [];
  }

  private async files(folder: vscode.Uri): Promise<PackageTreeNode[]> {
    const entries = await vscode.workspace.fs.readDirectory(folder);
    return entries
      .filter(([name]) => !HIDDEN.has(name))
      .sort(([a, at], [b, bt]) => (at === bt ? a.localeCompare(b) : at === vscode.FileType.Directory ? -1 : 1))
      .map(([name, type]) => ({ kind: 'file', uri: vscode.Uri.joinPath(folder, name), type }));
  }
}
