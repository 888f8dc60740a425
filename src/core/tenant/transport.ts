import * as l10n from '@vscode/l10n';
import * as http from 'node:http';
import * as https from 'node:https';
import * as tls from 'node:tls';
import { TenantError } from './errors';
import { ProxyTunnelError, proxyFor, tunnelAgent, type ProxySettings } from './proxy';

/**
 * One HTTP exchange with the tenant over node:http(s), and the translation of what can go wrong
 * on the wire into TenantErrors. node:https rather than a fetch library: it takes a CA bundle
 * natively, adds nothing to start-up, and inside VS Code it is the module the editor patches with
 * the user's proxy settings.
 */

export interface TransportOptions extends ProxySettings {
  /**
   * Extra trusted CA certificates (PEM), for a TLS-inspecting corporate proxy. They are added to
   * Node's built-in roots, not used instead of them.
   */
  readonly ca?: string;
  /** How long the connection may stay silent before the call counts as timed out. */
  readonly timeoutMs: number;
  /**
   * False turns certificate checks off, for the tenant and an https proxy: VS Code's
   * `http.proxyStrictSSL: false`, for a TLS-inspecting proxy whose CA is not at hand. Default true.
   */
  readonly strictSSL?: boolean;
}

export interface WireRequest {
  readonly method: 'GET' | 'POST';
  /** Path and query, e.g. `/api/v1/account?rows=50&start=0`. */
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly signal?: AbortSignal;
}

export interface WireResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);
const TLS_CODE = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ALTNAME|DEPTH_ZERO|HOSTNAME_MISMATCH/i;

export class Transport {
  private readonly agent: http.Agent | undefined;
  private readonly secure: boolean;
  private readonly proxy: URL | undefined;

  constructor(
    readonly origin: URL,
    private readonly options: TransportOptions,
  ) {
    this.secure = origin.protocol === 'https:';
    const ca = options.ca ? [...tls.rootCertificates, options.ca] : undefined;
    const rejectUnauthorized = options.strictSSL ?? true;
    this.proxy = proxyFor(origin, options);
    if (this.proxy) this.agent = tunnelAgent(this.proxy, this.secure, ca, options.timeoutMs, rejectUnauthorized);
    else if (this.secure) this.agent = new https.Agent({ keepAlive: true, rejectUnauthorized, ...(ca ? { ca } : {}) });
    else this.agent = new http.Agent({ keepAlive: true });
  }

  /** The proxy in use, for a connection summary (credentials removed). */
  get proxyHost(): string | undefined {
    return this.proxy?.host;
  }

  send(request: WireRequest): Promise<WireResponse> {
    const endpoint = `${request.method} ${request.path.split('?')[0]}`;
    const host = this.origin.host;
    return new Promise((resolve, reject) => {
      if (request.signal?.aborted) {
        reject(cancelled(endpoint));
        return;
      }
      const client = this.secure ? https : http;
      const req = client.request({
        protocol: this.origin.protocol,
        hostname: this.origin.hostname.replace(/^\[|\]$/g, ''),
        port: this.origin.port || undefined,
        method: request.method,
        path: request.path,
        headers: request.headers,
        agent: this.agent,
        timeout: this.options.timeoutMs,
      });
      let settled = false;
      const fail = (error: TenantError): void => {
        if (settled) return;
        settled = true;
        request.signal?.removeEventListener('abort', onAbort);
        req.destroy();
        reject(error);
      };
      const onAbort = (): void => fail(cancelled(endpoint));
      request.signal?.addEventListener('abort', onAbort, { once: true });
      req.on('timeout', () => {
        fail(new TenantError('timeout', l10n.t('The tenant {0} did not answer {1} within {2}: it may be overloaded, or a proxy or firewall holds the connection. Try again later.', host, endpoint, formatDuration(this.options.timeoutMs)), { endpoint }));
      });
      req.on('error', (error) => fail(this.networkError(error, endpoint)));
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', (error) => fail(this.networkError(error, endpoint)));
        // l10n-exempt: the user sees the code ECONNRESET in the connection-reset message, never this text.
        res.on('aborted', () => fail(this.networkError(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }), endpoint)));
        res.on('end', () => {
          if (settled) return;
          if (!res.complete) {
            // l10n-exempt: as above, the code is shown, not the text.
            fail(this.networkError(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }), endpoint));
            return;
          }
          settled = true;
          request.signal?.removeEventListener('abort', onAbort);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') });
        });
      });
      req.end();
    });
  }

  close(): void {
    this.agent?.destroy();
  }

  private networkError(error: unknown, endpoint: string): TenantError {
    const host = this.origin.host;
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (error instanceof ProxyTunnelError) {
      // error.message is openTunnel's translated clause (what the proxy did), never the proxy's credentials.
      const message =
        error.status === 407
          ? l10n.t('PinPack could not reach {0} through the proxy: {1} (it asks for credentials: put them in the proxy URL, http://user:password@proxy:port); check the proxy setting (HTTPS_PROXY or the explicit proxy URL) and NO_PROXY.', host, error.message)
          : l10n.t('PinPack could not reach {0} through the proxy: {1}; check the proxy setting (HTTPS_PROXY or the explicit proxy URL) and NO_PROXY.', host, error.message);
      return new TenantError('proxy', message, { endpoint }, { cause: error });
    }
    if (UNREACHABLE.has(code)) {
      return new TenantError('unreachable', l10n.t('PinPack could not connect to {0} ({1}): check the tenant URL, the network, and whether a proxy is needed (HTTPS_PROXY).', host, code), { endpoint }, { cause: error });
    }
    if (TLS_CODE.test(code)) {
      return new TenantError('tls', l10n.t('The TLS certificate of {0} is not trusted ({1}): if a corporate proxy inspects TLS, give PinPack its CA bundle; otherwise check the tenant URL.', host, code), { endpoint }, { cause: error });
    }
    return new TenantError('connection-reset', l10n.t('The connection to {0} broke during {1} ({2}): the network or a proxy cut it, so try again.', host, endpoint, code || (error as Error).message), { endpoint }, { cause: error });
  }
}

function cancelled(endpoint: string): TenantError {
  return new TenantError('cancelled', l10n.t('{0} was cancelled.', endpoint), { endpoint });
}

function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
}
