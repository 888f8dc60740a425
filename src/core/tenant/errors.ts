import { PinPackError } from '../errors';

/**
 * What went wrong talking to the tenant. The code decides what a caller may do next: retry a read,
 * re-read an account after an ambiguous PIN request, or stop and show the message.
 */
export type TenantErrorCode =
  /** 401: wrong credentials, or Basic auth refused because admin MFA is on. */
  | 'unauthorized'
  /** 403: the API user lacks a role. */
  | 'forbidden'
  | 'not-found'
  /** 400, with the tenant's `fieldErrors`. */
  | 'bad-request'
  /** 429: over the rate limit. */
  | 'rate-limited'
  /** 503: the tenant is briefly unavailable. */
  | 'unavailable'
  /** Any other 5xx. */
  | 'server-error'
  /** Another status PinPack does not expect. */
  | 'unexpected-status'
  | 'timeout'
  /** The connection broke after the request may have been sent. */
  | 'connection-reset'
  /** Nothing listens there, or the host name does not resolve: the request never left. */
  | 'unreachable'
  | 'tls'
  | 'proxy'
  /** The body is not JSON. */
  | 'not-json'
  /** The JSON does not have the shape PinPack expects. */
  | 'schema'
  | 'cancelled';

export interface FieldError {
  readonly field?: string;
  readonly code?: string;
  readonly message: string;
}

export interface TenantErrorDetails {
  /** `METHOD /path` of the call, without the query (which may hold user names). */
  readonly endpoint: string;
  readonly status?: number;
  /** The wait the tenant asked for, from `Retry-After`. */
  readonly retryAfterMs?: number;
  readonly fieldErrors?: readonly FieldError[];
}

/** Codes after which the call certainly did not change anything on the tenant. */
const DEFINITE: ReadonlySet<TenantErrorCode> = new Set<TenantErrorCode>([
  'unauthorized', 'forbidden', 'not-found', 'bad-request', 'rate-limited', 'unavailable', 'unreachable', 'tls', 'proxy', 'cancelled',
]);

/** Codes worth retrying for a read: the next attempt may well succeed. */
const TRANSIENT: ReadonlySet<TenantErrorCode> = new Set<TenantErrorCode>([
  'rate-limited', 'unavailable', 'server-error', 'timeout', 'connection-reset', 'not-json',
]);

export class TenantError extends PinPackError {
  constructor(
    readonly code: TenantErrorCode,
    message: string,
    readonly details: TenantErrorDetails,
    options?: { cause?: unknown },
  ) {
    super('tenant', message, options);
  }

  /** True when a read failing this way should be tried again. */
  get transient(): boolean {
    return TRANSIENT.has(this.code);
  }

  /**
   * True when a write failing this way may nevertheless have been carried out (the tenant may
   * have issued a PIN and the answer got lost): re-read before trying again.
   */
  get ambiguous(): boolean {
    return !DEFINITE.has(this.code);
  }
}
