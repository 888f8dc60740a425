import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import type { Duplex } from 'node:stream';
import * as tls from 'node:tls';
import * as l10n from '@vscode/l10n';
import { PinPackError } from '../errors';

/**
 * Proxy selection and tunnelling for the tenant client. Node 20's http clients ignore the proxy
 * variables, so PinPack reads them itself: an explicit proxy URL (the extension passes VS Code's
 * `http.proxy`) wins over `HTTPS_PROXY`/`HTTP_PROXY`; `NO_PROXY` exempts hosts either way.
 * Every request goes through a CONNECT tunnel, so the proxy never sees the Authorization header.
 */

export interface ProxySettings {
  /** An explicit proxy URL; overrides the environment. */
  readonly proxy?: string;
  /** Extra host patterns that bypass the proxy, in NO_PROXY syntax. */
  readonly noProxy?: string;
  /** Where to read HTTPS_PROXY, HTTP_PROXY and NO_PROXY (either case). */
  readonly env?: NodeJS.ProcessEnv;
}

function envValue(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name] ?? env[name.toLowerCase()];
  return value && value.trim() !== '' ? value.trim() : undefined;
}

/** Parses a proxy URL; a bare `host:port` is taken as http. */
export function parseProxyUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`);
  } catch {
    throw new PinPackError('usage', l10n.t('The proxy "{0}" is not a valid URL: use the form http://proxy.example.com:8080.', text));
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new PinPackError('usage', l10n.t('The proxy {0} uses {1}, which PinPack does not support: use an http:// or https:// proxy.', url.host, url.protocol.replace(/:$/, '')));
  }
  return url;
}

/**
 * True when `NO_PROXY`-style `patterns` exempt `hostname:port`. Follows curl: entries are
 * separated by commas or spaces; `*` matches everything; `example.com`, `.example.com` and
 * `*.example.com` match the domain and its subdomains; an entry may end with `:port`.
 */
export function bypassesProxy(hostname: string, port: number, patterns: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  for (const raw of patterns.split(/[\s,]+/)) {
    const entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') return true;
    // `[v6]:port`, a bare IPv6 address (several colons, no port), or `host[:port]`.
    const match = /^\[(.+)\](?::(\d+))?$/.exec(entry) ?? (entry.indexOf(':') !== entry.lastIndexOf(':') ? [entry, entry] : /^(.*?)(?::(\d+))?$/.exec(entry));
    const name = (match?.[1] ?? entry).replace(/^\*?\./, '');
    const entryPort = match?.[2];
    if (entryPort !== undefined && Number(entryPort) !== port) continue;
    if (host === name || host.endsWith(`.${name}`)) return true;
  }
  return false;
}

/** The proxy to use for `target`, or undefined to connect directly. */
export function proxyFor(target: URL, settings: ProxySettings): URL | undefined {
  const env = settings.env ?? {};
  const explicit = settings.proxy?.trim();
  const chosen = explicit || envValue(env, target.protocol === 'https:' ? 'HTTPS_PROXY' : 'HTTP_PROXY');
  if (!chosen) return undefined;
  const port = Number(target.port || (target.protocol === 'https:' ? 443 : 80));
  const noProxy = [envValue(env, 'NO_PROXY') ?? '', settings.noProxy ?? ''].join(',');
  if (bypassesProxy(target.hostname, port, noProxy)) return undefined;
  return parseProxyUrl(chosen);
}

/** Why a proxy refused or failed a tunnel (a translated clause); mapped to a TenantError by the transport, which sets it into its sentence. */
export class ProxyTunnelError extends Error {
  override readonly name = 'ProxyTunnelError';
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** Opens a CONNECT tunnel through `proxy` to `host:port`. */
export function openTunnel(proxy: URL, host: string, port: number, ca: readonly string[] | undefined, timeoutMs: number, rejectUnauthorized = true): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { host: `${host}:${port}` };
    if (proxy.username) {
      const credentials = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
      headers['proxy-authorization'] = `Basic ${Buffer.from(credentials).toString('base64')}`;
    }
    const options: https.RequestOptions = {
      host: proxy.hostname.replace(/^\[|\]$/g, ''),
      port: Number(proxy.port || (proxy.protocol === 'https:' ? 443 : 80)),
      method: 'CONNECT',
      path: `${host.includes(':') ? `[${host}]` : host}:${port}`,
      headers,
      agent: false,
      timeout: timeoutMs,
    };
    if (proxy.protocol === 'https:' && ca) options.ca = [...ca];
    if (proxy.protocol === 'https:') options.rejectUnauthorized = rejectUnauthorized;
    const request = (proxy.protocol === 'https:' ? https : http).request(options);
    request.once('connect', (response, socket) => {
      if (response.statusCode === 200) {
        resolve(socket);
        return;
      }
      socket.destroy();
      reject(new ProxyTunnelError(l10n.t('the proxy {0} refused the tunnel with HTTP {1}', proxy.host, response.statusCode ?? 0), response.statusCode));
    });
    request.once('timeout', () => request.destroy(new ProxyTunnelError(l10n.t('the proxy {0} did not answer within {1} ms', proxy.host, timeoutMs))));
    request.once('error', (error: NodeJS.ErrnoException) => {
      reject(error instanceof ProxyTunnelError ? error : new ProxyTunnelError(l10n.t('the proxy {0} could not be reached ({1})', proxy.host, error.code ?? error.message)));
    });
    request.end();
  });
}

type Callback = (error: Error | null, socket?: Duplex) => void;

/**
 * A keep-alive agent whose sockets are CONNECT tunnels through the proxy; for an https target
 * TLS runs inside the tunnel, end to end with the tenant.
 */
export function tunnelAgent(proxy: URL, secure: boolean, ca: readonly string[] | undefined, timeoutMs: number, rejectUnauthorized = true): http.Agent {
  const Base = secure ? https.Agent : http.Agent;
  const agent = new Base({ keepAlive: true, ...(secure ? { rejectUnauthorized } : {}), ...(secure && ca ? { ca: [...ca] } : {}) });
  (agent as unknown as { createConnection: (options: tls.ConnectionOptions & http.ClientRequestArgs, callback: Callback) => undefined }).createConnection = (options, callback) => {
    const host = String(options.host ?? options.hostname ?? 'localhost');
    const port = Number(options.port ?? (secure ? 443 : 80));
    openTunnel(proxy, host, port, ca, timeoutMs, rejectUnauthorized).then(
      (socket) => {
        if (!secure) return callback(null, socket);
        const servername = net.isIP(host) ? undefined : host;
        // Handed over before the handshake ends, as https.Agent does: TLS errors reach the request.
        return callback(null, tls.connect({ ...options, socket, rejectUnauthorized, ...(servername ? { servername } : {}), ...(ca ? { ca: [...ca] } : {}) }));
      },
      (error: Error) => callback(error),
    );
    return undefined;
  };
  return agent;
}
