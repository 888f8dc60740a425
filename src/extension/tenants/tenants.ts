import * as vscode from 'vscode';
import { TenantClient, type TenantConnection } from '../../core/tenant/client';
import type { DemoTenant } from '../../demo-tenant/server';
import { credentialLabel, type NmdmAuthenticationProvider, type StoredCredential } from './auth-provider';

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

/** The VS Code settings the tenant connection follows; a change reopens every client. */
const CONNECTION_SETTINGS = ['http.proxy', 'http.proxyStrictSSL', 'http.noProxy'];

/**
 * The client's connection settings from VS Code's own: `http.proxy` (else HTTPS_PROXY/HTTP_PROXY
 * from the environment), `http.noProxy`, and `http.proxyStrictSSL`, which as in VS Code itself
 * turns off certificate checks for the tenant connection when false.
 */
export function connectionSettings(): Pick<TenantConnection, 'proxy' | 'noProxy' | 'strictSSL' | 'env'> {
  const http = vscode.workspace.getConfiguration('http');
  const proxy = http.get<string>('proxy')?.trim();
  const noProxy = (http.get<string[]>('noProxy') ?? []).filter((h) => typeof h === 'string' && h.trim() !== '');
  return {
    ...(proxy ? { proxy } : {}),
    ...(noProxy.length ? { noProxy: noProxy.join(',') } : {}),
    strictSSL: http.get<boolean>('proxyStrictSSL') ?? true,
    env: process.env,
  };
}

/**
 * The connected tenants: one per N-MDM account signed in through PinPack's authentication
 * provider (credentials in SecretStorage, listed in VS Code's Accounts menu) and, on request, the
 * embedded demo tenant started in-process on loopback.
 */
export class Tenants implements vscode.Disposable {
  private readonly connected = new Map<string, Tenant>();
  private demoServer: DemoTenant | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [];
  /** Each open client's password, to rebuild the client when the proxy settings change. */
  private readonly passwords = new Map<string, string>();

  constructor(
    private readonly auth: NmdmAuthenticationProvider,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.subscriptions.push(
      auth.onDidChangeSessions(() => void this.sync()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (CONNECTION_SETTINGS.some((s) => e.affectsConfiguration(s))) this.reopen();
      }),
    );
  }

  /** Opens the accounts signed in earlier (no network call until a view asks). */
  async restore(): Promise<void> {
    const moved = await this.auth.migrate();
    if (moved > 0) this.log.info(`Moved ${moved} saved tenant connection(s) into the N-MDM accounts.`);
    await this.sync();
  }

  /** Makes the connected tenants match the signed-in accounts. */
  async sync(): Promise<void> {
    const credentials = await this.auth.credentials();
    const ids = new Set(credentials.map((c) => c.id));
    let changed = false;
    for (const [id, tenant] of this.connected) {
      if (tenant.demo || ids.has(id)) continue;
      tenant.client.close();
      this.connected.delete(id);
      this.passwords.delete(id);
      this.log.info(`Signed out of ${tenant.label}.`);
      changed = true;
    }
    for (const credential of credentials) {
      const open = this.connected.get(credential.id);
      if (open && this.passwords.get(credential.id) === credential.password) continue;
      open?.client.close();
      this.connected.set(credential.id, this.open(credential));
      if (!open) this.log.info(`Connected to ${credentialLabel(credential)}.`);
      changed = true;
    }
    if (changed) this.changed.fire();
  }

  list(): Tenant[] {
    return [...this.connected.values()];
  }

  get(id: string): Tenant | undefined {
    return this.connected.get(id);
  }

  private open(credential: StoredCredential, demo = false, label = credentialLabel(credential)): Tenant {
    const client = new TenantClient(
      { url: credential.url, username: credential.username, password: credential.password, ...connectionSettings() },
      { log: (line) => this.log.trace(`[${label}] ${line}`) },
    );
    this.passwords.set(credential.id, credential.password);
    return { id: credential.id, label, url: credential.url, username: credential.username, demo, client };
  }

  /** The proxy settings changed: every client is rebuilt with them. */
  private reopen(): void {
    for (const [id, tenant] of this.connected) {
      tenant.client.close();
      const password = this.passwords.get(id) ?? '';
      this.connected.set(id, this.open({ id, url: tenant.url, username: tenant.username, password }, tenant.demo, tenant.label));
    }
    this.log.info('The proxy settings changed: tenant connections reopened.');
    this.changed.fire();
  }

  /** Checks a tenant URL and credentials with the cheapest call there is; throws a clear error. */
  async check(url: string, username: string, password: string): Promise<void> {
    const client = new TenantClient({ url, username, password, ...connectionSettings() }, { log: (line) => this.log.trace(`[sign-in ${username}] ${line}`) });
    try {
      await client.testConnection();
    } finally {
      client.close();
    }
  }

  /** Starts the demo tenant on loopback, or returns it when it already runs. */
  async startDemo(): Promise<Tenant> {
    const running = this.connected.get(DEMO_ID);
    if (running) return running;
    // The emulator is loaded the first time someone tries the demo tenant, not at activation.
    const { startDemoTenant } = await import('../../demo-tenant/server.js');
    this.demoServer = await startDemoTenant();
    const tenant = this.open(
      { id: DEMO_ID, url: this.demoServer.url, username: this.demoServer.username, password: this.demoServer.password },
      true,
      vscode.l10n.t('Demo tenant'),
    );
    this.connected.set(DEMO_ID, tenant);
    this.log.info(`Demo tenant started on ${this.demoServer.url}.`);
    this.changed.fire();
    return tenant;
  }

  get demo(): DemoTenant | undefined {
    return this.demoServer;
  }

  /** Disconnects: stops the demo tenant, or signs the account out (its credential is deleted). */
  async disconnect(id: string): Promise<void> {
    const tenant = this.connected.get(id);
    if (!tenant) return;
    if (tenant.demo) {
      this.connected.delete(id);
      this.passwords.delete(id);
      tenant.client.close();
      await this.demoServer?.close();
      this.demoServer = undefined;
      this.log.info(`Disconnected from ${tenant.label}.`);
      this.changed.fire();
      return;
    }
    await this.auth.removeSession(id);
    await this.sync();
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    for (const tenant of this.connected.values()) tenant.client.close();
    void this.demoServer?.close();
    this.changed.dispose();
  }
}
