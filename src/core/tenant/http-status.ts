import * as l10n from '@vscode/l10n';
import type { IncomingHttpHeaders } from 'node:http';
import { TenantError, type FieldError } from './errors';
import { parseRetryAfter } from './retry';
import { errorEnvelopeSchema } from './schemas';

/**
 * The role an API user needs for each endpoint, named in the 403 message when the tenant does not
 * say. (inferred: Ivanti documents the roles in the console, not per endpoint.)
 */
const ROLE_FOR_ENDPOINT: ReadonlyArray<readonly [RegExp, string]> = [
  [/^POST \/api\/v1\/account\/regpin/, 'User Management'],
  [/ \/api\/v1\/(account|group)/, 'Users - Read Only'],
  [/ \/api\/v1\/device/, 'Device Read Only'],
  [/ \/api\/v1\/(tenant|metadata)/, 'API'],
];

function readErrorBody(body: string) {
  try {
    const parsed = errorEnvelopeSchema.safeParse(JSON.parse(body));
    return parsed.success ? parsed.data.errors ?? undefined : undefined;
  } catch {
    return undefined;
  }
}

/** The TenantError for a non-2xx answer. */
export function errorForStatus(
  endpoint: string,
  host: string,
  username: string,
  status: number,
  headers: IncomingHttpHeaders,
  body: string,
  now: number,
): TenantError {
  const errors = readErrorBody(body);
  const retryAfter = headers['retry-after'];
  const retryAfterMs = parseRetryAfter(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter, now);
  const base = { endpoint, status, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  switch (true) {
    case status === 401:
      return new TenantError(
        'unauthorized',
        l10n.t('The tenant {0} refused the API user "{1}" (401): check the user name and password, and if admin MFA is enabled for this user, use an API user without MFA, because the API refuses Basic authentication then.', host, username),
        base,
      );
    case status === 403: {
      const role = errors?.requiredRole ?? ROLE_FOR_ENDPOINT.find(([re]) => re.test(endpoint))?.[1] ?? 'API';
      return new TenantError(
        'forbidden',
        l10n.t('The API user "{0}" may not call {1} (403): in the N-MDM console (Admin > Admins), give it the "{2}" role.', username, endpoint, role),
        base,
      );
    }
    case status === 404:
      return new TenantError('not-found', l10n.t('{0} does not exist on {1} (404): check that the tenant URL is an N-MDM cluster host such as https://na1.mobileiron.com.', endpoint, host), base);
    case status === 400: {
      const fieldErrors: FieldError[] = (errors?.fieldErrors ?? []).map((e) => ({
        ...(e.field ? { field: e.field } : {}),
        ...(e.code ? { code: e.code } : {}),
        message: e.message ?? e.code ?? 'invalid',
      }));
      const listed = fieldErrors.map((e) => `${e.field ? `${e.field} ` : ''}${e.message}${e.code ? ` (${e.code})` : ''}`).join('; ');
      return new TenantError(
        'bad-request',
        listed
          ? l10n.t('The tenant refused {0} as invalid (400): {1}; correct the value named, or report it if PinPack chose it.', endpoint, listed)
          : l10n.t('The tenant refused {0} as invalid (400); correct the value named, or report it if PinPack chose it.', endpoint),
        { ...base, fieldErrors },
      );
    }
    case status === 429:
      return new TenantError('rate-limited', l10n.t('The tenant {0} is rate-limiting PinPack (429) on {1}: wait a minute and try again, or run fewer operations at once.', host, endpoint), base);
    case status === 503:
      return new TenantError('unavailable', l10n.t('The tenant {0} is temporarily unavailable (503) for {1}: try again in a few minutes.', host, endpoint), base);
    case status >= 500:
      return new TenantError('server-error', l10n.t("The tenant {0} failed on {1} with HTTP {2}: try again; if it persists, check Ivanti's status page.", host, endpoint, status), base);
    default:
      return new TenantError('unexpected-status', l10n.t('The tenant {0} answered {1} with HTTP {2}, which PinPack does not expect: check the tenant URL and any proxy in between.', host, endpoint, status), base);
  }
}

/** Parses a JSON body or throws a `not-json` error that describes it without quoting it. */
export function parseJsonBody(endpoint: string, host: string, status: number, headers: IncomingHttpHeaders, body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    const type = headers['content-type'] ?? l10n.t('no content type');
    return throwNotJson(endpoint, host, status, type, Buffer.byteLength(body));
  }
}

function throwNotJson(endpoint: string, host: string, status: number, type: string, bytes: number): never {
  // The body is never quoted: it may be a half-sent account with its PIN.
  throw new TenantError(
    'not-json',
    l10n.t('The tenant {0} answered {1} (HTTP {2}) with a body that is not valid JSON ({3}, {4} bytes): a proxy or captive portal may be answering instead of the tenant, or the answer was cut short: try again, and check the proxy settings if it persists.', host, endpoint, status, type, bytes),
    { endpoint, status },
  );
}
