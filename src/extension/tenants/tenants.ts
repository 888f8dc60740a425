import * as vscode from 'vscode';
import { TenantClient } from '../../core/tenant/client';
import { parseClusterUrl } from '../../core/tenant/cluster-url';
import { startDemoTenant, type DemoTenant } from '../../demo-tenant/server';
import { TenantStore, type SavedTenant } from './store';

/** A tenant PinPack is connected to in this window. */
export interface Tenant {
  readonly id: string;
  readonly label: string;
  readonly url: string;
  readonly username: string;
  /** True for the embedded demo tenant, which is marked as such wherever it appears. */
  readonly demo: boolean;
  readonly client: TenantClient;
}

const DEMO_ID = 'demo';

/** The client's connection settings from VS Code's own: `http.proxy`, else the environment. */
function proxySettings(): { proxy?: string; env: NodeJS.ProcessEnv } {
  const proxy = vscode.workspace.getConfiguration('http').get<string>('proxy')?.trim();
  return { ...(proxy ? { proxy } : {}), env: process.env };
}

/**
 * The connected tenants: saved ones (credentials in SecretStorage) and, on request, the embedded
 * demo tenant started in-process on loopback.
 */
export class Tenants implements vscode.Disposable {
  private readonly connected = new Map<string, Tenant>();
  private demoServer: DemoTenant | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly store: TenantStore,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** Reconnects the tenants saved in earlier sessions (no network call until a view asks). */
  async restore(): Promise<void> {
    for (const saved of this.store.list()) {
      const password = await this.store.password(saved.id);
      if (password !== undefined) this.connected.set(saved.id, this.open(saved, password, false));
    }
    this.changed.fire();
  }

  list(): Tenant[] {
    return [...this.connected.values()];
  }

  get(id: string): Tenant | undefined {
    return this.connected.get(id);
  }

  private open(saved: SavedTenant, password: string, demo: boolean): Tenant {
    const client = new TenantClient(
      { url: saved.url, username: saved.username, password, ...proxySettings() },
      { log: (line) => this.log.trace(`[${saved.label}] ${line}`) },
    );
    return { ...saved, demo, client };
  }

  /** Checks the credentials with a cheap call before anything is saved. */
  async connect(url: string, username: string, password: string, signal?: AbortSignal): Promise<Tenant> {
    const origin = parseClusterUrl(url);
    const saved: SavedTenant = { id: `${username}@${new URL(origin).host}`, label: `${new URL(origin).host} (${username})`, url: origin, username };
    const tenant = this.open(saved, password, false);
    try {
      await tenant.client.testConnection(signal);
    } catch (error) {
      tenant.client.close();
      throw error;
    }
    await this.store.save(saved, password);
    this.connected.get(saved.id)?.client.close();
    this.connected.set(saved.id, tenant);
    this.log.info(`Connected to ${saved.label}.`);
    this.changed.fire();
    return tenant;
  }

  /** Starts the demo tenant on loopback, or returns it when it already runs. */
  async startDemo(): Promise<Tenant> {
    const running = this.connected.get(DEMO_ID);
    if (running) return running;
    this.demoServer = await startDemoTenant();
    const tenant = this.open(
      { id: DEMO_ID, label: 'Demo tenant', url: this.demoServer.url, username: this.demoServer.username },
      this.demoServer.password,
      true,
    );
    this.connected.set(DEMO_ID, tenant);
    this.log.info(`Demo tenant started on ${this.demoServer.url}.`);
    this.changed.fire();
    return tenant;
  }

  get demo(): DemoTenant | undefined {
    return this.demoServer;
  }

  async disconnect(id: string): Promise<void> {
    const tenant = this.connected.get(id);
    if (!tenant) return;
    this.connected.delete(id);
    tenant.client.close();
    if (tenant.demo) {
      await this.demoServer?.close();
      this.demoServer = undefined;
    } else {
      await this.store.remove(id);
    }
    this.log.info(`Disconnected from ${tenant.label}.`);
    this.changed.fire();
  }

  dispose(): void {
    for (const tenant of this.connected.values()) tenant.client.close();
    void this.demoServer?.close();
    this.changed.dispose();
  }
}
