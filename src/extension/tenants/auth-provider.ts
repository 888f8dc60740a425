import * as vscode from 'vscode';
import * as z from 'zod';
import { parseClusterUrl } from '../../core/tenant/cluster-url';
import type { Prompts } from '../prompts';

// Its own module, so that activation registers the provider without loading this one.
export { AUTH_PROVIDER_ID } from './auth-id';

/** One signed-in API user of one tenant, as kept in SecretStorage (the whole record is secret). */
export const StoredCredential = z.object({
  /** `<API user>@<cluster host>`: also the tenant id the PIN vault files PINs under. */
  id: z.string().min(1),
  /** The cluster origin, e.g. `https://na1.mobileiron.com`. */
  url: z.string().min(1),
  username: z.string().min(1),
  password: z.string(),
});
export type StoredCredential = z.infer<typeof StoredCredential>;

const SESSIONS_KEY = 'pinpack.nmdm.sessions';
const Stored = z.array(StoredCredential);

/** Where the tenant connection kept its credentials before this provider existed. */
const LEGACY_LIST_KEY = 'pinpack.tenants';
const legacyPasswordKey = (id: string) => `pinpack.tenant.${id}.password`;
const LegacyTenant = z.object({ id: z.string().min(1), url: z.string().min(1), username: z.string().min(1) });

export function credentialId(url: string, username: string): string {
  return `${username}@${new URL(parseClusterUrl(url)).host}`;
}

/** How an account reads in the Accounts menu and the Tenants view. */
export function credentialLabel(credential: Pick<StoredCredential, 'url' | 'username'>): string {
  return `${new URL(credential.url).host} (${credential.username})`;
}

/**
 * A scope is a tenant: its cluster origin. A session has its tenant as its only scope, so
 * `getSession(AUTH_PROVIDER_ID, ['https://na1.mobileiron.com'])` asks for an account of that tenant.
 */
function scopeOrigin(scope: string): string | undefined {
  try {
    return parseClusterUrl(scope);
  } catch {
    return undefined;
  }
}

/** Checks a tenant URL and credentials before they are kept; throws the client's clear error. */
export type CredentialCheck = (url: string, username: string, password: string) => Promise<void>;

/**
 * Ivanti Neurons for MDM as a VS Code authentication provider: several API users of several
 * tenants side by side (prod, test), listed in the Accounts menu, signed out from there or from
 * the Tenants view. Everything (host, API user, password) lives in SecretStorage under one key;
 * a session's access token is the HTTP Basic credential N-MDM expects on every call.
 */
export class NmdmAuthenticationProvider implements vscode.AuthenticationProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.AuthenticationProviderAuthenticationSessionsChangeEvent>();
  readonly onDidChangeSessions = this.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [];
  /** Writes one at a time: each reads the list, changes it and stores it. */
  private queue: Promise<unknown> = Promise.resolve();
  private known: StoredCredential[] | undefined;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly state: vscode.Memento,
    private readonly prompts: Prompts,
    private readonly check: CredentialCheck,
  ) {
    // Another window signed in or out: tell VS Code and the Tenants view what changed.
    this.subscriptions.push(
      secrets.onDidChange((e) => {
        if (e.key === SESSIONS_KEY) void this.serialized(async () => this.announce(await this.read()));
      }),
    );
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }

  private serialized<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** The stored credentials; a record that does not parse is dropped rather than failing sign-in. */
  private async read(): Promise<StoredCredential[]> {
    const text = await this.secrets.get(SESSIONS_KEY);
    if (!text) return [];
    try {
      const parsed = Stored.safeParse(JSON.parse(text));
      return parsed.success ? parsed.data : [];
    } catch {
      return [];
    }
  }

  private async write(list: readonly StoredCredential[]): Promise<void> {
    await this.secrets.store(SESSIONS_KEY, JSON.stringify(list));
    this.announce([...list]);
  }

  /** Fires the sessions that appeared, went or changed since the last announcement. */
  private announce(list: StoredCredential[]): void {
    const before = new Map((this.known ?? []).map((c) => [c.id, c]));
    const after = new Map(list.map((c) => [c.id, c]));
    this.known = list;
    const added = list.filter((c) => !before.has(c.id)).map(toSession);
    const removed = [...before.values()].filter((c) => !after.has(c.id)).map(toSession);
    const changed = list.filter((c) => before.has(c.id) && before.get(c.id)?.password !== c.password).map(toSession);
    if (added.length + removed.length + changed.length > 0) this.changed.fire({ added, removed, changed });
  }

  /**
   * Moves credentials kept by earlier PinPack versions (a tenant list in global state, a password
   * per tenant in SecretStorage) into the provider, then deletes the old entries.
   */
  migrate(): Promise<number> {
    return this.serialized(async () => {
      const legacy = z.array(LegacyTenant).safeParse(this.state.get(LEGACY_LIST_KEY));
      if (!legacy.success || legacy.data.length === 0) {
        this.known ??= await this.read();
        return 0;
      }
      const list = await this.read();
      let moved = 0;
      for (const old of legacy.data) {
        const password = await this.secrets.get(legacyPasswordKey(old.id));
        if (password !== undefined && !list.some((c) => c.id === old.id)) {
          list.push({ id: old.id, url: old.url, username: old.username, password });
          moved++;
        }
      }
      this.known ??= [];
      await this.write(list);
      for (const old of legacy.data) await this.secrets.delete(legacyPasswordKey(old.id));
      await this.state.update(LEGACY_LIST_KEY, undefined);
      return moved;
    });
  }

  /** Every stored credential, for the Tenants view to open a client per tenant. */
  credentials(): Promise<StoredCredential[]> {
    return this.serialized(() => this.read());
  }

  async getSessions(scopes?: readonly string[]): Promise<vscode.AuthenticationSession[]> {
    const wanted = (scopes ?? []).map(scopeOrigin).filter((s): s is string => s !== undefined);
    const list = await this.credentials();
    return list.filter((c) => wanted.length === 0 || wanted.includes(c.url)).map(toSession);
  }

  /**
   * Asks for the tenant (unless a scope names it), the API user and the password, checks them
   * against the tenant, and keeps them. Signing in again as the same user replaces the password.
   */
  async createSession(scopes: readonly string[]): Promise<vscode.AuthenticationSession> {
    const scoped = scopes.map(scopeOrigin).find((s) => s !== undefined);
    const steps = scoped ? 2 : 3;
    let step = 0;
    const title = () => vscode.l10n.t('Sign in to Ivanti Neurons for MDM ({0}/{1})', ++step, steps);
    const url =
      scoped ??
      (await this.prompts.input({
        title: title(),
        prompt: vscode.l10n.t('The cluster host of your tenant'),
        placeHolder: 'https://na1.mobileiron.com',
        validateInput: (value) => {
          try {
            parseClusterUrl(value);
            return undefined;
          } catch (error) {
            return (error as Error).message;
          }
        },
      }));
    if (url === undefined) throw new vscode.CancellationError();
    const origin = parseClusterUrl(url);
    const username = await this.prompts.input({
      title: title(),
      prompt: vscode.l10n.t('The API user name for {0} (an e-mail address created in the console)', new URL(origin).host),
      validateInput: (value) => (value.trim() ? undefined : vscode.l10n.t('Enter the API user name.')),
    });
    if (username === undefined) throw new vscode.CancellationError();
    const password = await this.prompts.input({
      title: title(),
      prompt: vscode.l10n.t("The API user's password (kept in VS Code's secret storage)"),
      password: true,
    });
    if (password === undefined) throw new vscode.CancellationError();
    const credential: StoredCredential = { id: credentialId(origin, username.trim()), url: origin, username: username.trim(), password };
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Signing in to {0}', new URL(origin).host) },
      () => this.check(credential.url, credential.username, credential.password),
    );
    await this.serialized(async () => {
      this.known ??= await this.read();
      const list = (await this.read()).filter((c) => c.id !== credential.id);
      await this.write([...list, credential]);
    });
    return toSession(credential);
  }

  /** Sign out: the credential leaves SecretStorage. */
  async removeSession(sessionId: string): Promise<void> {
    await this.serialized(async () => {
      this.known ??= await this.read();
      const list = await this.read();
      if (list.some((c) => c.id === sessionId)) await this.write(list.filter((c) => c.id !== sessionId));
    });
  }
}

function toSession(credential: StoredCredential): vscode.AuthenticationSession {
  return {
    id: credential.id,
    accessToken: Buffer.from(`${credential.username}:${credential.password}`, 'utf8').toString('base64'),
    account: { id: credential.id, label: credentialLabel(credential) },
    scopes: [credential.url],
  };
}
