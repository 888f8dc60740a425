import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PIN_LIFETIME_MS } from '../core/pins/lifetime';
import { DEMO_GROUPS, DEMO_SPACES, DemoDirectory, type DemoUser } from './directory';
import { FaultController, type Endpoint, type FaultRule } from './faults';
import { matchesTerm, matchesText, parseFq, QueryError, type FqTerm } from './query';
import { SeededRandom } from './random';

/**
 * The embedded demo tenant: a real HTTP server on 127.0.0.1 that answers the N-MDM v1 calls
 * PinPack makes, with the real envelope, HTTP Basic auth, the `rows` range check, `q`/`fq`
 * search, ACCOUNTGROUP facets, 24-hour PINs, devices, and switchable faults.
 */

/** The demo tenant's fixed API credentials: not secret, printed by `pinpack demo-tenant`. */
export const DEMO_USERNAME = 'api_7c1e2a@contoso.example';
export const DEMO_PASSWORD = 'pinpack-demo';

export interface DemoTenantOptions {
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** Default 500. */
  readonly users?: number;
  /** Default "pinpack". The same seed gives the same tenant. */
  readonly seed?: string | number;
  /** A fault SPEC (see faults.ts) or rules, active from the start. */
  readonly faults?: string | readonly FaultRule[];
  /** The tenant's clock, in epoch ms; tests pass their own to make PINs expire. */
  readonly now?: () => number;
  /** Serve `GET /api/v1/group` (undocumented on real tenants); default false, so clients fall back to the facet. */
  readonly groupsEndpoint?: boolean;
  /** False: the tenant accepts PIN requests but issues nothing, as when PIN registration is off. */
  readonly pinRegistration?: boolean;
  /**
   * Calls a minute allowed before the tenant answers 429 with Retry-After, on one endpoint or all
   * (`*`, the default). The same as a `limit` fault rule, which the CLI sets with --faults.
   */
  readonly rateLimit?: { readonly perMinute: number; readonly endpoint?: Endpoint | '*' };
}

export interface DemoRequestRecord {
  readonly endpoint: Endpoint | 'other';
  readonly method: string;
  readonly params: Readonly<Record<string, string>>;
}

export interface DemoTenant {
  readonly url: string;
  readonly port: number;
  readonly username: string;
  readonly password: string;
  readonly directory: DemoDirectory;
  readonly faults: FaultController;
  /** The most recent requests (up to 20,000), oldest first. */
  readonly requests: DemoRequestRecord[];
  /** Enrolls a Windows desktop for the user with their current PIN, marking it used. */
  enroll(uid: string): { readonly ok: boolean; readonly reason?: string };
  /** Sets the PIN state directly (tests); undefined removes it. */
  setPin(id: number, pin: { pin: string; createdAt: number; used?: boolean } | undefined): void;
  close(): Promise<void>;
}

interface PinState {
  pin: string;
  createdAt: number;
  used: boolean;
}

interface Listing {
  readonly indexes: Int32Array | undefined;
  readonly total: number;
  readonly facet: Record<string, number>;
}

const ENDPOINT_PATHS: ReadonlyArray<readonly [string, string, Endpoint]> = [
  ['GET', '/api/v1/account', 'account'],
  ['POST', '/api/v1/account/regpin', 'regpin'],
  ['GET', '/api/v1/device', 'device'],
  ['GET', '/api/v1/tenant/partition/device', 'partition'],
  ['GET', '/api/v1/metadata/tenant', 'metadata'],
  ['GET', '/api/v1/group', 'group'],
];

class HttpFailure extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`HTTP ${status}`);
  }
}

function rangeError(field: string): HttpFailure {
  return new HttpFailure(400, { errors: { fieldErrors: [{ field, code: 'Range', message: 'must be between 1 and 500' }] } });
}

export async function startDemoTenant(options: DemoTenantOptions = {}): Promise<DemoTenant> {
  const now = options.now ?? Date.now;
  const seed = String(options.seed ?? 'pinpack');
  const directory = new DemoDirectory(seed, Math.max(0, Math.floor(options.users ?? 500)));
  const faults = new FaultController(seed, now);
  if (options.faults) faults.set(options.faults);
  if (options.rateLimit) faults.add({ endpoint: options.rateLimit.endpoint ?? '*', kind: 'limit', param: options.rateLimit.perMinute });
  const pins = new Map<number, PinState>();
  const enrolled = new Map<number, { at: number; serial: number }[]>();
  const pinRandom = new SeededRandom(`${seed}/pins`);
  const startedAt = now();
  const requests: DemoRequestRecord[] = [];
  const listings = new Map<string, Listing>();
  const expectedAuth = `Basic ${Buffer.from(`${DEMO_USERNAME}:${DEMO_PASSWORD}`).toString('base64')}`;

  const accountJson = (user: DemoUser): Record<string, unknown> => {
    const pin = pins.get(user.id);
    const devices = (directory.deviceKind(user) ? 1 : 0) + (enrolled.get(user.id)?.length ?? 0);
    return {
      id: user.id,
      uid: user.uid,
      emailAddress: user.emailAddress,
      displayName: user.displayName,
      firstName: user.firstName,
      lastName: user.lastName,
      accountSource: user.accountSource,
      accountType: user.accountType,
      inviteState: user.inviteState,
      enabled: user.enabled,
      locked: user.locked,
      groups: user.groups,
      deviceCount: devices,
      // (inferred) Only NOT_GENERATED has been seen for ppkgPinStatus; GENERATED is a guess.
      registrationPin: pin
        ? { createdAt: pin.createdAt, expiresAt: pin.createdAt + PIN_LIFETIME_MS, pin: pin.pin, used: pin.used, ppkgPinStatus: 'GENERATED' }
        : { createdAt: null, expiresAt: null, pin: null, used: false, ppkgPinStatus: 'NOT_GENERATED' },
    };
  };

  /** Matching users as an index list (undefined: all of them), cached per query. */
  const listing = (q: string, terms: readonly FqTerm[]): Listing => {
    const key = `${q}\u0000${JSON.stringify(terms)}`;
    const cached = listings.get(key);
    if (cached) return cached;
    const facet: Record<string, number> = Object.fromEntries(DEMO_GROUPS.map((g) => [g, 0]));
    const exact = terms.find((t) => t.field === 'UID' || t.field === 'EMAILADDRESS');
    const matches = (u: DemoUser): boolean => terms.every((t) => matchesTerm(u, t)) && matchesText(u, q);
    const found: number[] = [];
    if (exact) {
      const user = directory.byUidOrEmail(exact.value, exact.field === 'UID' ? 'uid' : 'emailAddress');
      if (user && matches(user)) found.push(user.index);
    } else {
      for (let i = 0; i < directory.count; i++) {
        const user = directory.userAt(i);
        if (!matches(user)) continue;
        if (q !== '' || terms.length > 0) found.push(i);
        for (const g of user.groups) facet[g] = (facet[g] ?? 0) + 1;
      }
    }
    if (exact) for (const i of found) for (const g of directory.userAt(i).groups) facet[g] = (facet[g] ?? 0) + 1;
    const all = q === '' && terms.length === 0;
    const result: Listing = { indexes: all ? undefined : Int32Array.from(found), total: all ? directory.count : found.length, facet };
    // Single-user lookups are cheap to redo and numerous in a bulk run: keep them out of the cache.
    if (!exact) {
      if (listings.size >= 16) listings.delete(listings.keys().next().value as string);
      listings.set(key, result);
    }
    return result;
  };

  const paging = (params: URLSearchParams, maxRows = 500): { rows: number; start: number } => {
    const rowsText = params.get('rows') ?? '50';
    const startText = params.get('start') ?? '0';
    const rows = Number(rowsText);
    const start = Number(startText);
    if (!/^\d+$/.test(rowsText) || rows < 1 || rows > 500) throw rangeError('rows');
    if (!/^\d+$/.test(startText)) throw new HttpFailure(400, { errors: { fieldErrors: [{ field: 'start', code: 'Min', message: 'must be greater than or equal to 0' }] } });
    return { rows: Math.min(rows, maxRows), start };
  };

  const envelope = (totalCount: number, searchResults: unknown[], rows: number, extra: Record<string, unknown> = {}) => ({
    errors: null,
    // `offset` is reported as 0 whatever the start, the quirk DOMAIN.md §4 warns about.
    result: { totalCount, searchResults, offset: 0, limit: rows, queryTime: 1 + (searchResults.length >> 6), ...extra },
  });

  const devicesOf = (user: DemoUser): Record<string, unknown>[] => {
    const list: Record<string, unknown>[] = [];
    const kind = directory.deviceKind(user);
    const common = { emailAddress: user.emailAddress, uid: user.uid, dmPartitionId: DEMO_SPACES[0]?.id ?? 1 };
    if (kind === 'windows') {
      const rng = new SeededRandom(`${seed}/device/${user.id}`);
      list.push({ id: 100_000 + user.id, deviceUuid: `dev-${user.id}`, platformType: 'WINDOWS_PHONE', windowsDeviceType: 'WINDOWS_DESKTOP', registrationState: 'ACTIVE', lastRegistrationTime: startedAt - (1 + rng.int(60)) * 86_400_000, deviceName: `DESKTOP-${(user.id * 7919).toString(36).toUpperCase()}`, manufacturer: 'LENOVO', model: 'ThinkPad T14', ...common });
    } else if (kind === 'ios') {
      list.push({ id: 100_000 + user.id, deviceUuid: `dev-${user.id}`, platformType: 'IOS', windowsDeviceType: null, registrationState: 'ACTIVE', lastRegistrationTime: startedAt - 3 * 86_400_000, deviceName: `${user.firstName}'s iPhone`, ...common });
    }
    for (const e of enrolled.get(user.id) ?? []) {
      list.push({ id: 200_000 + e.serial, deviceUuid: `enrolled-${e.serial}`, platformType: 'WINDOWS_PHONE', windowsDeviceType: 'WINDOWS_DESKTOP', registrationState: 'ACTIVE', lastRegistrationTime: e.at, deviceName: `PC-${String(e.serial).padStart(5, '0')}`, manufacturer: 'Dell Inc.', model: 'Latitude 7440', ...common });
    }
    return list;
  };

  const handlers: Record<Endpoint, (params: URLSearchParams) => unknown> = {
    account: (params) => {
      const { rows, start } = paging(params);
      let terms: FqTerm[] = [];
      try {
        terms = params.get('fq') ? parseFq(params.get('fq') as string) : [];
      } catch (error) {
        if (error instanceof QueryError) throw new HttpFailure(400, { errors: { fieldErrors: [{ field: error.field, code: 'Invalid', message: error.message }] } });
        throw error;
      }
      const list = listing(params.get('q') ?? '', terms);
      const users: Record<string, unknown>[] = [];
      for (let i = start; i < Math.min(list.total, start + rows); i++) users.push(accountJson(directory.userAt(list.indexes ? (list.indexes[i] as number) : i)));
      return envelope(list.total, users, rows, { facetedResults: { ACCOUNTGROUP: Object.fromEntries(Object.entries(list.facet).filter(([, n]) => n > 0)) } });
    },
    regpin: (params) => {
      const text = params.get('accountIds') ?? '';
      const ids = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
      if (ids.length === 0 || ids.some((s) => !/^\d+$/.test(s) || !directory.byId(Number(s)))) {
        throw new HttpFailure(400, { errors: { fieldErrors: [{ field: 'accountIds', code: 'Invalid', message: 'must be a comma-separated list of existing account ids' }] } });
      }
      if (options.pinRegistration !== false) {
        for (const id of ids) {
          const pin = String(pinRandom.int(100_000_000)).padStart(8, '0');
          pins.set(Number(id), { pin, createdAt: now(), used: false });
        }
      }
      return { errors: null, result: null };
    },
    device: (params) => {
      const { rows, start } = paging(params);
      const space = params.get('dmPartitionId');
      if (!space || !DEMO_SPACES.some((s) => String(s.id) === space)) {
        throw new HttpFailure(400, { errors: { fieldErrors: [{ field: 'dmPartitionId', code: 'Invalid', message: 'must name an existing space' }] } });
      }
      const fq = params.get('fq');
      const email = fq ? /^\s*EMAILADDRESS\s*(?:=|\s+EQ\s+)\s*'?([^']*)'?\s*$/i.exec(fq)?.[1] : undefined;
      if (fq && email === undefined) throw new HttpFailure(400, { errors: { fieldErrors: [{ field: 'fq', code: 'Invalid', message: 'the demo tenant filters devices by EMAILADDRESS only' }] } });
      const user = email !== undefined ? directory.byUidOrEmail(email, 'emailAddress') : undefined;
      const all = email !== undefined
        ? (user ? devicesOf(user) : [])
        : Array.from({ length: directory.count }, (_, i) => directory.userAt(i)).filter((u) => directory.deviceKind(u) || enrolled.has(u.id)).flatMap(devicesOf);
      const inSpace = all.filter((d) => String(d['dmPartitionId']) === space);
      return envelope(inSpace.length, inSpace.slice(start, start + rows), rows);
    },
    partition: (params) => {
      const { rows, start } = paging(params);
      return envelope(DEMO_SPACES.length, DEMO_SPACES.slice(start, start + rows), rows);
    },
    metadata: () => ({ errors: null, result: { defaultDmPartitionId: DEMO_SPACES.find((s) => s.defaultPartition)?.id ?? 1, name: 'Contoso (demo)' } }),
    group: (params) => {
      if (!options.groupsEndpoint) throw new HttpFailure(404, { errors: { message: 'Not Found' } });
      // Database-backed lists answer at most 50 rows a page (DOMAIN.md §4).
      const { rows, start } = paging(params, 50);
      const facet = listing('', []).facet;
      const groups = DEMO_GROUPS.map((name, i) => ({ id: 1000 + i, name, description: '', memberCount: facet[name] ?? 0 }));
      return envelope(groups.length, groups.slice(start, start + rows), rows);
    },
  };

  const DRIFT: Record<Endpoint, (body: { result?: Record<string, unknown> }) => void> = {
    account: (body) => renameInResults(body, 'uid', 'userId'),
    device: (body) => renameInResults(body, 'platformType', 'platform'),
    partition: (body) => renameInResults(body, 'name', 'spaceName'),
    group: (body) => rename(body.result, 'totalCount', 'total'),
    metadata: (body) => rename(body.result, 'defaultDmPartitionId', 'defaultPartitionId'),
    regpin: () => undefined,
  };

  const send = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8', 'content-length': Buffer.byteLength(text), ...headers });
    res.end(text);
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://demo');
    const route = ENDPOINT_PATHS.find(([method, path]) => method === req.method && path === url.pathname);
    const params = Object.fromEntries(url.searchParams);
    if (requests.length >= 20_000) requests.shift();
    requests.push({ endpoint: route?.[2] ?? 'other', method: req.method ?? '', params });
    if (!route) {
      send(res, 404, { errors: { message: `No such endpoint: ${req.method} ${url.pathname}` } });
      return;
    }
    const endpoint = route[2];
    const delay = faults.delayFor(endpoint);
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    if (res.destroyed) return;
    const fault = faults.decide(endpoint);
    switch (fault?.kind) {
      case 'reset':
        req.socket.destroy();
        return;
      case 'throttle':
        send(res, 429, { errors: { message: 'Too many requests' } }, { 'retry-after': String(fault.retryAfterSeconds) });
        return;
      case '429':
        send(res, 429, { errors: { message: 'Too many requests' } }, { 'retry-after': String(fault.param ?? 1) });
        return;
      case '429-bare':
        send(res, 429, { errors: { message: 'Too many requests' } });
        return;
      case '500':
        send(res, 500, { errors: { message: 'Internal Server Error' } });
        return;
      case '503':
        send(res, 503, { errors: { message: 'Service Unavailable' } }, fault.param !== undefined ? { 'retry-after': String(fault.param) } : {});
        return;
      case '401':
        send(res, 401, { errors: { message: 'Unauthorized' } }, { 'www-authenticate': 'Basic realm="MobileIron"' });
        return;
      case '403':
        send(res, 403, { errors: { message: 'Access is denied' } });
        return;
      default:
    }
    if (req.headers.authorization !== expectedAuth) {
      send(res, 401, { errors: { message: 'Unauthorized' } }, { 'www-authenticate': 'Basic realm="MobileIron"' });
      return;
    }
    let body: unknown;
    try {
      body = handlers[endpoint](url.searchParams);
    } catch (error) {
      if (error instanceof HttpFailure) return send(res, error.status, error.body);
      throw error;
    }
    if (fault?.kind === 'drift') DRIFT[endpoint](body as { result?: Record<string, unknown> });
    if (fault?.kind === 'html') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html><body>Please sign in to the corporate network.</body></html>');
      return;
    }
    const text = JSON.stringify(body);
    if (fault?.kind === 'malformed') {
      res.writeHead(200, { 'content-type': 'application/json;charset=UTF-8' });
      res.end(text.slice(0, Math.max(1, text.length >> 1)));
      return;
    }
    if (fault?.kind === 'stall') {
      const half = Math.max(1, text.length >> 1);
      res.writeHead(200, { 'content-type': 'application/json;charset=UTF-8', 'content-length': Buffer.byteLength(text) });
      res.write(text.slice(0, half));
      const timer = setTimeout(() => res.end(text.slice(half)), fault.param ?? 0);
      res.once('close', () => clearTimeout(timer));
      return;
    }
    if (fault?.kind === 'drop') {
      res.writeHead(200, { 'content-type': 'application/json;charset=UTF-8', 'content-length': Buffer.byteLength(text) });
      res.write(text.slice(0, Math.max(1, text.length >> 1)), () => req.socket.destroy());
      return;
    }
    send(res, 200, body);
  };

  // The all-users listing carries the group facet, a walk over every user: done once, up front.
  listing('', []);

  const server = http.createServer((req, res) => {
    req.resume();
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, { errors: { message: 'Internal Server Error' } });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  let serial = 0;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    username: DEMO_USERNAME,
    password: DEMO_PASSWORD,
    directory,
    faults,
    requests,
    enroll(uid) {
      const user = directory.byUidOrEmail(uid, 'uid');
      if (!user) return { ok: false, reason: 'no such user' };
      const pin = pins.get(user.id);
      if (!pin) return { ok: false, reason: 'no PIN' };
      if (pin.used) return { ok: false, reason: 'PIN already used' };
      if (now() >= pin.createdAt + PIN_LIFETIME_MS) return { ok: false, reason: 'PIN expired' };
      pin.used = true;
      const list = enrolled.get(user.id) ?? [];
      list.push({ at: now(), serial: ++serial });
      enrolled.set(user.id, list);
      return { ok: true };
    },
    setPin(id, pin) {
      if (pin) pins.set(id, { pin: pin.pin, createdAt: pin.createdAt, used: pin.used ?? false });
      else pins.delete(id);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function rename(target: Record<string, unknown> | undefined, from: string, to: string): void {
  if (!target || !(from in target)) return;
  target[to] = target[from];
  delete target[from];
}

function renameInResults(body: { result?: Record<string, unknown> }, from: string, to: string): void {
  const rows = body.result?.['searchResults'];
  if (Array.isArray(rows)) for (const row of rows) rename(row as Record<string, unknown>, from, to);
}
