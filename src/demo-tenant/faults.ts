import * as l10n from '@vscode/l10n';
import { SeededRandom } from './random';

/**
 * Fault injection for the demo tenant, per endpoint, for the tests here and the reliability suite.
 *
 * SPEC: rules separated by commas, each `ENDPOINT:KIND[=N][@P][#C]`
 *   ENDPOINT  account, regpin, device, partition, metadata, group, or * for all
 *   KIND      429 (Retry-After N s, default 1), 429-bare (no Retry-After), 500, 503 (Retry-After N
 *             s if given), 401, 403, slow (N ms before answering), drop (carry out the call, then
 *             cut the connection mid-body), stall (carry out the call, send the headers and half the
 *             body, then fall silent for N ms before the rest), reset (close the connection before
 *             doing anything),
 *             malformed (carry out the call, answer with broken JSON), html (a non-JSON page),
 *             drift (rename a field in the answer), limit (rate limit of N calls a minute, answered
 *             with 429 and Retry-After)
 *   @P        probability per call, 0-1 (default 1)
 *   #C        only the first C calls that match
 * Example: `regpin:429=2@0.5,account:slow=200#3,*:limit=600`
 */

export const ENDPOINTS = ['account', 'regpin', 'device', 'partition', 'metadata', 'group'] as const;
export type Endpoint = (typeof ENDPOINTS)[number];

export const FAULT_KINDS = ['429', '429-bare', '500', '503', '401', '403', 'slow', 'drop', 'stall', 'reset', 'malformed', 'html', 'drift', 'limit'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultRule {
  readonly endpoint: Endpoint | '*';
  readonly kind: FaultKind;
  readonly param?: number;
  readonly probability?: number;
  /** Only the first `count` matching calls. */
  readonly count?: number;
}

export class FaultSpecError extends Error {}

export function parseFaultSpec(spec: string): FaultRule[] {
  return spec
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((text) => {
      const match = /^([a-z*]+):([a-z0-9-]+)(?:=(\d+(?:\.\d+)?))?(?:@(\d*\.?\d+))?(?:#(\d+))?$/i.exec(text);
      if (!match) throw new FaultSpecError(l10n.t('The fault rule "{0}" is not ENDPOINT:KIND[=N][@P][#C], e.g. regpin:429=2@0.5.', text));
      const [, endpoint, kind, param, probability, count] = match as unknown as [string, string, string, string?, string?, string?];
      if (endpoint !== '*' && !(ENDPOINTS as readonly string[]).includes(endpoint)) {
        throw new FaultSpecError(l10n.t('The fault rule "{0}" names the endpoint "{1}": use one of {2} or *.', text, endpoint, ENDPOINTS.join(', ')));
      }
      if (!(FAULT_KINDS as readonly string[]).includes(kind)) throw new FaultSpecError(l10n.t('The fault rule "{0}" names the fault "{1}": use one of {2}.', text, kind, FAULT_KINDS.join(', ')));
      if ((kind === 'slow' || kind === 'stall' || kind === 'limit') && param === undefined) throw new FaultSpecError(l10n.t('The fault rule "{0}" needs a number: {1}=N.', text, kind));
      const p = probability === undefined ? undefined : Number(probability);
      if (p !== undefined && (p < 0 || p > 1)) throw new FaultSpecError(l10n.t('The fault rule "{0}" has probability {1}: use a number from 0 to 1.', text, p));
      return {
        endpoint: endpoint as Endpoint | '*',
        kind: kind as FaultKind,
        ...(param !== undefined ? { param: Number(param) } : {}),
        ...(p !== undefined ? { probability: p } : {}),
        ...(count !== undefined ? { count: Number(count) } : {}),
      };
    });
}

/** A token bucket holding one second's worth of calls: bursts stay small, the average is exact. */
class RateLimiter {
  private tokens: number;
  private last: number;
  constructor(
    private readonly perMinute: number,
    now: number,
  ) {
    this.tokens = this.capacity;
    this.last = now;
  }
  private get capacity(): number {
    return Math.max(1, this.perMinute / 60);
  }
  /** Takes a token, or returns the seconds to wait for one. */
  take(now: number): number | undefined {
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) * this.perMinute) / 60_000);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return undefined;
    }
    return Math.max(1, Math.ceil(((1 - this.tokens) * 60) / this.perMinute));
  }
}

interface ActiveRule {
  readonly rule: FaultRule;
  used: number;
  limiter?: RateLimiter;
}

export type FaultDecision =
  | { readonly kind: Exclude<FaultKind, 'limit' | 'slow'>; readonly param?: number }
  | { readonly kind: 'throttle'; readonly retryAfterSeconds: number };

export class FaultController {
  private rules: ActiveRule[] = [];
  private readonly random: SeededRandom;
  private readonly counts = new Map<string, number>();

  constructor(
    seed: string,
    private readonly now: () => number,
  ) {
    this.random = new SeededRandom(`${seed}/faults`);
  }

  /** Replaces all rules, from a SPEC string or rule objects. */
  set(rules: string | readonly FaultRule[]): void {
    this.rules = (typeof rules === 'string' ? parseFaultSpec(rules) : rules).map((rule) => ({ rule, used: 0 }));
  }

  add(rule: FaultRule): void {
    this.rules.push({ rule, used: 0 });
  }

  clear(): void {
    this.rules = [];
  }

  /**
   * How many faults were injected since the tenant started (or `resetCounts`), by kind; a
   * rate-limit refusal counts as `limit`. The reliability suite reports these.
   */
  injected(): Readonly<Record<string, number>> {
    return Object.fromEntries(this.counts);
  }

  resetCounts(): void {
    this.counts.clear();
  }

  private count(kind: FaultKind): void {
    this.counts.set(kind, (this.counts.get(kind) ?? 0) + 1);
  }

  /** The delay in ms that `slow` rules add to this call. */
  delayFor(endpoint: Endpoint): number {
    let delay = 0;
    for (const active of this.matching(endpoint, 'slow')) {
      if (this.fires(active)) delay += active.rule.param ?? 0;
    }
    return delay;
  }

  /** The fault to inject on this call, if any; the first rule that fires wins. */
  decide(endpoint: Endpoint): FaultDecision | undefined {
    for (const active of this.rules) {
      const { rule } = active;
      if (rule.kind === 'slow' || (rule.endpoint !== '*' && rule.endpoint !== endpoint)) continue;
      if (rule.kind === 'limit') {
        active.limiter ??= new RateLimiter(rule.param ?? 60, this.now());
        const wait = active.limiter.take(this.now());
        if (wait !== undefined) {
          this.count('limit');
          return { kind: 'throttle', retryAfterSeconds: wait };
        }
        continue;
      }
      if (this.fires(active)) return { kind: rule.kind, ...(rule.param !== undefined ? { param: rule.param } : {}) };
    }
    return undefined;
  }

  private matching(endpoint: Endpoint, kind: FaultKind): ActiveRule[] {
    return this.rules.filter((a) => a.rule.kind === kind && (a.rule.endpoint === '*' || a.rule.endpoint === endpoint));
  }

  private fires(active: ActiveRule): boolean {
    if (active.rule.count !== undefined && active.used >= active.rule.count) return false;
    if (active.rule.probability !== undefined && !this.random.chance(active.rule.probability)) return false;
    active.used++;
    this.count(active.rule.kind);
    return true;
  }
}
