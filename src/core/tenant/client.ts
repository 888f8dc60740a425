import * as l10n from '@vscode/l10n';
import type { z } from 'zod';
import { redactSecrets } from '../pins/mask';
import { parseClusterUrl } from './cluster-url';
import { TenantError } from './errors';
import { errorForStatus, parseJsonBody } from './http-status';
import { pages, type Page, type PageFetcher, type PagingOptions } from './paging';
import { DEFAULT_RETRY, retryDelay, type RetryPolicy } from './retry';
import {
  accountGroupFacetSchema,
  accountSchema,
  deviceSchema,
  groupSchema,
  listEnvelopeSchema,
  parsePayload,
  spaceSchema,
  tenantMetadataEnvelopeSchema,
  type Account,
  type Device,
  type Group,
  type Space,
} from './schemas';
import { Transport } from './transport';

/** What {@link TenantClient.groupListing} returns. */
export interface GroupListing {
  readonly groups: Group[];
  /** True when the tenant's list leaves out groups without members (the facet fallback). */
  readonly onlyWithMembers: boolean;
}

export interface TenantConnection {
  /** The cluster host, validated by parseClusterUrl (https, or http on loopback). */
  readonly url: string;
  readonly username: string;
  readonly password: string;
  /** An explicit proxy URL (VS Code's `http.proxy`); else HTTPS_PROXY/HTTP_PROXY from `env`. */
  readonly proxy?: string;
  readonly noProxy?: string;
  /** Extra trusted CA certificates (PEM text), added to Node's roots. */
  readonly ca?: string;
  /** False skips certificate checks (VS Code's `http.proxyStrictSSL: false`); default true. */
  readonly strictSSL?: boolean;
  /** Where proxy variables are read; nothing is read from process.env unless passed here. */
  readonly env?: NodeJS.ProcessEnv;
}

export interface TenantClientOptions {
  /** Silence on the connection longer than this fails the call; default 30 s. */
  readonly timeoutMs?: number;
  readonly retry?: RetryPolicy;
  /** The clock, in epoch milliseconds; tests pass their own. */
  readonly now?: () => number;
  /** Waits between retries; tests pass a fast one. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly random?: () => number;
  /** One line per call: method, path (no query), status, duration. Never headers or bodies. */
  readonly log?: (line: string) => void;
}

export interface UserFilter {
  /** Free text (`q`). */
  readonly search?: string;
  /** A field expression (`fq`), e.g. `EMAILADDRESS EQ user@contoso.com`. */
  readonly fq?: string;
  /** Only members of this user group. */
  readonly group?: string;
}

/** A sleep that ends early, without error, when the signal aborts. */
export function realSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted || ms <= 0) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Quotes a value for an `fq` expression. (inferred: the quoting rules are not documented.) */
export function fqQuote(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

const accountList = listEnvelopeSchema(accountSchema);
const deviceList = listEnvelopeSchema(deviceSchema);
const spaceList = listEnvelopeSchema(spaceSchema);
const groupList = listEnvelopeSchema(groupSchema);

/** Rows a page may hold (DOMAIN.md §4: more gives 400). */
export const MAX_ROWS = 500;

/**
 * The N-MDM v1 REST API client. Credentials go out preemptively as HTTP Basic on every call;
 * reads are retried on 429/503/5xx/timeouts with the tenant's Retry-After or jittered backoff;
 * writes (PIN generation) are sent once, see `requestPins`.
 */
export class TenantClient {
  readonly origin: string;
  private readonly transport: Transport;
  private readonly authorization: string;
  private readonly retry: RetryPolicy;
  readonly now: () => number;
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly random: () => number;
  private readonly logLine: ((line: string) => void) | undefined;
  private readonly secrets: string[];

  constructor(
    private readonly connection: TenantConnection,
    options: TenantClientOptions = {},
  ) {
    this.origin = parseClusterUrl(connection.url);
    this.transport = new Transport(new URL(this.origin), {
      timeoutMs: options.timeoutMs ?? 30_000,
      env: connection.env ?? {},
      ...(connection.proxy ? { proxy: connection.proxy } : {}),
      ...(connection.noProxy ? { noProxy: connection.noProxy } : {}),
      ...(connection.ca ? { ca: connection.ca } : {}),
      ...(connection.strictSSL === false ? { strictSSL: false } : {}),
    });
    const token = Buffer.from(`${connection.username}:${connection.password}`, 'utf8').toString('base64');
    this.authorization = `Basic ${token}`;
    this.secrets = [connection.password, token];
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? realSleep;
    this.random = options.random ?? Math.random;
    this.logLine = options.log;
  }

  get username(): string {
    return this.connection.username;
  }

  /** The proxy host in use, if any. */
  get proxyHost(): string | undefined {
    return this.transport.proxyHost;
  }

  close(): void {
    this.transport.close();
  }

  private log(line: string): void {
    // Redaction is the last line of defence: nothing logged is built from secrets to begin with.
    this.logLine?.(redactSecrets(line, this.secrets));
  }

  /** One call, without retries; returns the parsed JSON of a 2xx answer. */
  private async once(method: 'GET' | 'POST', path: string, signal?: AbortSignal): Promise<unknown> {
    const endpoint = `${method} ${path.split('?')[0]}`;
    const host = new URL(this.origin).host;
    const started = this.now();
    let response;
    try {
      response = await this.transport.send({
        method,
        path,
        headers: { authorization: this.authorization, accept: 'application/json', 'user-agent': `PinPack/${PINPACK_VERSION}` },
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      this.log(`${endpoint} -> ${error instanceof TenantError ? error.code : 'error'} after ${this.now() - started} ms`);
      throw error;
    }
    this.log(`${endpoint} -> ${response.status} in ${this.now() - started} ms`);
    if (response.status < 200 || response.status > 299) {
      throw errorForStatus(endpoint, host, this.connection.username, response.status, response.headers, response.body, this.now());
    }
    if (response.body.trim() === '') return undefined;
    return parseJsonBody(endpoint, host, response.status, response.headers, response.body);
  }

  /** A read, retried while the failure is transient and attempts remain. */
  async get<T extends z.ZodType>(path: string, schema: T, signal?: AbortSignal): Promise<z.output<T>> {
    const endpoint = `GET ${path.split('?')[0]}`;
    for (let attempt = 1; ; attempt++) {
      try {
        return parsePayload(schema, await this.once('GET', path, signal), endpoint);
      } catch (error) {
        if (!(error instanceof TenantError) || !error.transient || attempt >= this.retry.attempts || signal?.aborted) throw error;
        const wait = retryDelay(this.retry, attempt, error.details.retryAfterMs, this.random);
        this.log(`${endpoint} -> retry ${attempt} in ${wait} ms (${error.code})`);
        await this.sleep(wait, signal);
        if (signal?.aborted) throw new TenantError('cancelled', l10n.t('{0} was cancelled.', endpoint), { endpoint });
      }
    }
  }

  private listFetcher<T extends z.ZodType>(path: string, params: Record<string, string>, envelope: ReturnType<typeof listEnvelopeSchema<T>>): PageFetcher<z.output<T>> {
    return async (start, rows, signal) => {
      const query = new URLSearchParams({ ...params, rows: String(rows), start: String(start) });
      const body = await this.get(`${path}?${query}`, envelope, signal);
      return { items: body.result.searchResults, totalCount: body.result.totalCount, facets: body.result.facetedResults ?? undefined };
    };
  }

  /** Checks the URL, credentials and role with the cheapest call there is. */
  async testConnection(signal?: AbortSignal): Promise<{ readonly spaces: number }> {
    const body = await this.get('/api/v1/tenant/partition/device?rows=1&start=0', spaceList, signal);
    return { spaces: body.result.totalCount };
  }

  private userParams(filter: UserFilter): Record<string, string> {
    const fq = [filter.fq, filter.group !== undefined ? `ACCOUNTGROUP EQ ${fqQuote(filter.group)}` : undefined].filter((x): x is string => !!x);
    return {
      ...(filter.search ? { q: filter.search } : {}),
      ...(fq.length ? { fq: fq.join(' AND ') } : {}),
    };
  }

  /** Users page by page, each page holding at most what is still wanted. */
  userPages(filter: UserFilter = {}, options: PagingOptions = {}): AsyncGenerator<Page<Account>> {
    return pages(this.listFetcher('/api/v1/account', this.userParams(filter), accountList), options);
  }

  /** Users one by one, fetched a page at a time as the caller reads on. */
  async *users(filter: UserFilter = {}, options: PagingOptions = {}): AsyncGenerator<Account> {
    for await (const page of this.userPages(filter, options)) yield* page.items;
  }

  async getUserByUid(uid: string, signal?: AbortSignal): Promise<Account | undefined> {
    const query = new URLSearchParams({ fq: `UID=${uid}`, rows: '5', start: '0' });
    const body = await this.get(`/api/v1/account?${query}`, accountList, signal);
    return body.result.searchResults.find((a) => a.uid === uid);
  }

  /**
   * User groups. `GET /api/v1/group` is not publicly documented, so when the tenant does not
   * serve it the groups come from the ACCOUNTGROUP facet of the user list.
   */
  async listGroups(signal?: AbortSignal): Promise<Group[]> {
    return (await this.groupListing(signal)).groups;
  }

  /**
   * The groups, and whether the tenant listed every group or, through the ACCOUNTGROUP facet of
   * the user list, only those with members (a facet counts accounts: an empty group is not in it).
   */
  async groupListing(signal?: AbortSignal): Promise<GroupListing> {
    try {
      const groups: Group[] = [];
      for await (const page of pages(this.listFetcher('/api/v1/group', {}, groupList), { pageSize: 50, ...(signal ? { signal } : {}) })) groups.push(...page.items);
      return { groups: groups.sort((a, b) => a.name.localeCompare(b.name)), onlyWithMembers: false };
    } catch (error) {
      if (!(error instanceof TenantError) || (error.code !== 'not-found' && error.details.status !== 405)) throw error;
    }
    const body = await this.get('/api/v1/account?rows=1&start=0', accountList, signal);
    const facet = body.result.facetedResults?.['ACCOUNTGROUP'];
    if (facet === undefined || facet === null) return { groups: [], onlyWithMembers: true };
    const counts = parsePayload(accountGroupFacetSchema, facet, 'GET /api/v1/account (facet ACCOUNTGROUP)');
    const groups = Object.entries(counts)
      .map(([name, memberCount]) => ({ name, memberCount }))
      .sort((a, b) => a.name.localeCompare(b.name));
    return { groups, onlyWithMembers: true };
  }

  groupMembers(group: string, options: PagingOptions = {}): AsyncGenerator<Account> {
    return this.users({ group }, options);
  }

  async listSpaces(signal?: AbortSignal): Promise<Space[]> {
    const spaces: Space[] = [];
    for await (const page of pages(this.listFetcher('/api/v1/tenant/partition/device', {}, spaceList), { ...(signal ? { signal } : {}) })) spaces.push(...page.items);
    return spaces;
  }

  async defaultSpaceId(signal?: AbortSignal): Promise<number> {
    return (await this.get('/api/v1/metadata/tenant', tenantMetadataEnvelopeSchema, signal)).result.defaultDmPartitionId;
  }

  /**
   * Asks the tenant to issue PINs. Sent exactly once, never retried here: when it fails in a way
   * that leaves open whether PINs were issued (`error.ambiguous`), the caller re-reads the
   * accounts before asking again (see pin-generation.ts).
   */
  async requestPins(accountIds: readonly number[], signal?: AbortSignal): Promise<void> {
    if (accountIds.length === 0) return;
    await this.once('POST', `/api/v1/account/regpin?${new URLSearchParams({ accountIds: accountIds.join(',') })}`, signal);
  }

  /** Devices registered with this e-mail address, in a space (default: the tenant's default space). */
  async findDevicesByEmail(email: string, options: { spaceId?: number; signal?: AbortSignal } = {}): Promise<Device[]> {
    const spaceId = options.spaceId ?? (await this.defaultSpaceId(options.signal));
    const fetch = this.listFetcher('/api/v1/device', { dmPartitionId: String(spaceId), fq: `EMAILADDRESS EQ ${email}` }, deviceList);
    const devices: Device[] = [];
    for await (const page of pages(fetch, { ...(options.signal ? { signal: options.signal } : {}) })) devices.push(...page.items);
    return devices;
  }

  /** The user's Windows desktops that registered at or after `since`, newest first. */
  async enrolledSince(email: string, since: Date, options: { spaceId?: number; signal?: AbortSignal } = {}): Promise<Device[]> {
    const devices = await this.findDevicesByEmail(email, options);
    return devices
      .filter((d) => d.platformType === 'WINDOWS_PHONE' && d.windowsDeviceType === 'WINDOWS_DESKTOP')
      .filter((d) => d.lastRegistrationTime !== undefined && d.lastRegistrationTime !== null && d.lastRegistrationTime.getTime() >= since.getTime())
      .sort((a, b) => (b.lastRegistrationTime?.getTime() ?? 0) - (a.lastRegistrationTime?.getTime() ?? 0));
  }
}
