import * as l10n from '@vscode/l10n';
import { pinExpiry } from '../pins/lifetime';
import type { TenantClient } from './client';
import { TenantError } from './errors';
import { pinSkipReason } from './pin-eligibility';
import { retryDelay, DEFAULT_RETRY } from './retry';
import type { Account, RegistrationPin } from './schemas';

/**
 * PIN generation for one user or thousands. Accounts are sent in batches to
 * `POST /api/v1/account/regpin`, by a pool whose size adapts to throttling the way TCP does
 * (AIMD): +1/size per success, halved on a 429 or 503, with every worker waiting out the
 * tenant's Retry-After. Each PIN is read back from its account, which is also how an ambiguous
 * failure is settled: a request is re-sent only for accounts whose PIN did not change.
 */

export type PinResult =
  | { readonly status: 'issued'; readonly account: Account; readonly pin: string; readonly createdAt?: Date; readonly expiresAt: Date }
  | { readonly status: 'failed'; readonly account: Account; readonly reason: string }
  | { readonly status: 'skipped'; readonly account: Account; readonly reason: string }
  /** Not asked for because the run was cancelled first. */
  | { readonly status: 'cancelled'; readonly account: Account };

export interface PinProgress {
  readonly total: number;
  readonly done: number;
  readonly issued: number;
  readonly failed: number;
  readonly skipped: number;
  /** The current number of requests allowed in flight. */
  readonly concurrency: number;
}

export interface PinGenerationOptions {
  /** Accounts per request; default 25. */
  readonly batchSize?: number;
  /** Requests in flight at the start; default 2. */
  readonly initialConcurrency?: number;
  /** The most requests in flight; default 8. */
  readonly maxConcurrency?: number;
  /** Tries per batch when the tenant throttles (429) or is unavailable (503); default 20. */
  readonly maxThrottledAttempts?: number;
  readonly onProgress?: (progress: PinProgress) => void;
  /** Stops sending new requests; those in flight finish and are read back. */
  readonly signal?: AbortSignal;
}

interface Batch {
  readonly accounts: readonly Account[];
  readonly attempt: number;
  /** True once re-sent after an ambiguous failure: a second one is not risked. */
  readonly resent: boolean;
}

function samePin(a: RegistrationPin | null | undefined, b: RegistrationPin | null | undefined): boolean {
  return (a?.pin ?? null) === (b?.pin ?? null) && (a?.createdAt?.getTime() ?? null) === (b?.createdAt?.getTime() ?? null);
}

export async function generatePins(client: TenantClient, accounts: readonly Account[], options: PinGenerationOptions = {}): Promise<PinResult[]> {
  const batchSize = Math.max(1, Math.min(500, options.batchSize ?? 25));
  const maxConcurrency = Math.max(1, options.maxConcurrency ?? 8);
  const maxThrottled = Math.max(1, options.maxThrottledAttempts ?? 20);
  const signal = options.signal;

  const unique = [...new Map(accounts.map((a) => [a.id, a])).values()];
  const results = new Map<number, PinResult>();
  const counts = { issued: 0, failed: 0, skipped: 0 };
  let limit = Math.min(maxConcurrency, Math.max(1, options.initialConcurrency ?? 2));
  let pauseUntil = 0;
  let fatal: string | undefined;

  const settle = (result: PinResult): void => {
    if (results.has(result.account.id)) return;
    results.set(result.account.id, result);
    if (result.status !== 'cancelled') counts[result.status]++;
    options.onProgress?.({ total: unique.length, done: results.size, ...counts, concurrency: Math.floor(limit) });
  };

  const eligible: Account[] = [];
  for (const account of unique) {
    const reason = pinSkipReason(account);
    if (reason) settle({ status: 'skipped', account, reason });
    else eligible.push(account);
  }
  const queue: Batch[] = [];
  for (let i = 0; i < eligible.length; i += batchSize) queue.push({ accounts: eligible.slice(i, i + batchSize), attempt: 1, resent: false });

  /**
   * Reads each account back and settles those with a new PIN. After a failure (`afterFailure` set)
   * the unchanged ones are returned to be re-sent; after a success they had no PIN issued.
   */
  const readBack = async (batch: readonly Account[], afterFailure: string | undefined): Promise<Account[]> => {
    const unchanged: Account[] = [];
    for (const before of batch) {
      let after: Account | undefined;
      try {
        after = await client.getUserByUid(before.uid);
      } catch (error) {
        const why = error instanceof TenantError ? error.message : String(error);
        settle({ status: 'failed', account: before, reason: `the PIN request was sent but reading the account back failed (${why}) - check the user in the console before generating again` });
        continue;
      }
      const pin = after?.registrationPin;
      const expiresAt = pin ? pinExpiry({ ...(pin.createdAt ? { createdAt: pin.createdAt } : {}), ...(pin.expiresAt ? { expiresAt: pin.expiresAt } : {}) }) : undefined;
      if (after && pin?.pin && expiresAt && !samePin(pin, before.registrationPin)) {
        settle({ status: 'issued', account: after, pin: pin.pin, ...(pin.createdAt ? { createdAt: pin.createdAt } : {}), expiresAt });
      } else if (!after) {
        settle({ status: 'failed', account: before, reason: l10n.t('the account no longer exists on the tenant') });
      } else if (afterFailure === undefined) {
        settle({ status: 'failed', account: before, reason: l10n.t('the tenant accepted the request but issued no PIN: set device registration authentication to "PIN only" or "PIN and password" in the tenant') });
      } else {
        unchanged.push(before);
      }
    }
    return unchanged;
  };

  const run = async (batch: Batch): Promise<void> => {
    try {
      await client.requestPins(batch.accounts.map((a) => a.id));
    } catch (error) {
      const tenantError = error instanceof TenantError ? error : undefined;
      const reason = tenantError?.message ?? `unexpected error: ${String(error)}`;
      if (tenantError && (tenantError.code === 'rate-limited' || tenantError.code === 'unavailable')) {
        limit = Math.max(1, limit / 2);
        const wait = retryDelay(DEFAULT_RETRY, Math.min(batch.attempt, 6), tenantError.details.retryAfterMs, client.random);
        pauseUntil = Math.max(pauseUntil, client.now() + wait);
        if (batch.attempt < maxThrottled) queue.unshift({ ...batch, attempt: batch.attempt + 1 });
        else for (const account of batch.accounts) settle({ status: 'failed', account, reason });
        return;
      }
      if (tenantError && (tenantError.code === 'unauthorized' || tenantError.code === 'forbidden')) {
        fatal = reason;
        for (const account of batch.accounts) settle({ status: 'failed', account, reason });
        return;
      }
      if (tenantError && !tenantError.ambiguous) {
        for (const account of batch.accounts) settle({ status: 'failed', account, reason });
        return;
      }
      // The request may or may not have been carried out: the accounts say which.
      const unchanged = await readBack(batch.accounts, reason);
      if (unchanged.length === 0) return;
      if (batch.resent) for (const account of unchanged) settle({ status: 'failed', account, reason });
      else queue.unshift({ accounts: unchanged, attempt: batch.attempt, resent: true });
      return;
    }
    limit = Math.min(maxConcurrency, limit + 1 / limit);
    await readBack(batch.accounts, undefined);
  };

  const running = new Set<Promise<void>>();
  while ((queue.length > 0 || running.size > 0) && !signal?.aborted) {
    if (fatal === undefined && queue.length > 0 && running.size < Math.floor(limit)) {
      const wait = pauseUntil - client.now();
      if (wait > 0) {
        await Promise.race([client.sleep(wait, signal), ...running]);
        continue;
      }
      const batch = queue.shift() as Batch;
      const task: Promise<void> = run(batch).finally(() => running.delete(task));
      running.add(task);
      continue;
    }
    if (running.size === 0) break;
    await Promise.race(running);
  }
  await Promise.all(running);
  for (const batch of queue) {
    for (const account of batch.accounts) settle(fatal !== undefined ? { status: 'failed', account, reason: fatal } : { status: 'cancelled', account });
  }
  return unique.map((a) => results.get(a.id) as PinResult);
}
