import * as vscode from 'vscode';

/**
 * Stand-ins that VS Code gets at activation for what PinPack's services module implements (see
 * services.ts, loaded right after activate() returns): each forwards to the real one once it is
 * loaded, so a view or an account request that comes first simply waits for it.
 */

/** A tree view's data provider that forwards to the real provider once it is loaded. */
export class DeferredTreeDataProvider<T> implements vscode.TreeDataProvider<T>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<T | T[] | undefined | null | void>();
  readonly onDidChangeTreeData = this.changed.event;
  private forwarding: vscode.Disposable | undefined;

  constructor(private readonly provider: Promise<vscode.TreeDataProvider<T>>) {
    provider.then(
      (p) => (this.forwarding = p.onDidChangeTreeData?.((e) => this.changed.fire(e))),
      () => undefined,
    );
  }

  async getTreeItem(element: T): Promise<vscode.TreeItem> {
    return (await this.provider).getTreeItem(element);
  }

  async getChildren(element?: T): Promise<T[]> {
    return (await (await this.provider).getChildren(element)) ?? [];
  }

  async getParent(element: T): Promise<T | undefined> {
    const provider = await this.provider;
    return (await provider.getParent?.(element)) ?? undefined;
  }

  dispose(): void {
    this.forwarding?.dispose();
    this.changed.dispose();
  }
}

/** An authentication provider that forwards to the real provider once it is loaded. */
export class DeferredAuthenticationProvider implements vscode.AuthenticationProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.AuthenticationProviderAuthenticationSessionsChangeEvent>();
  readonly onDidChangeSessions = this.changed.event;
  private forwarding: vscode.Disposable | undefined;

  constructor(private readonly provider: Promise<vscode.AuthenticationProvider>) {
    provider.then(
      (p) => (this.forwarding = p.onDidChangeSessions((e) => this.changed.fire(e))),
      () => undefined,
    );
  }

  async getSessions(scopes: readonly string[] | undefined, options: vscode.AuthenticationProviderSessionOptions): Promise<vscode.AuthenticationSession[]> {
    return [...(await (await this.provider).getSessions(scopes, options))];
  }

  async createSession(scopes: readonly string[], options: vscode.AuthenticationProviderSessionOptions): Promise<vscode.AuthenticationSession> {
    return (await this.provider).createSession(scopes, options);
  }

  async removeSession(sessionId: string): Promise<void> {
    return (await this.provider).removeSession(sessionId);
  }

  dispose(): void {
    this.forwarding?.dispose();
    this.changed.dispose();
  }
}
