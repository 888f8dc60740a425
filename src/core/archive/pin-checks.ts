import { pinStatus, type PinRecord } from '../pins/lifetime';
import { PinPackError } from '../errors';

/** Default margin: a PIN that lapses within 2 h would likely expire while the package travels. */
export const DEFAULT_PIN_MARGIN_MS = 2 * 60 * 60 * 1000;

/** One enrollee's PIN as resolved at build time (from the tenant or SecretStorage). */
export interface ResolvedPin extends PinRecord {
  /** The enrollee, as the admin knows them (UID or e-mail). */
  readonly user: string;
  /** The PIN itself; absent when none was generated. */
  readonly pin: string | undefined;
}

const hours = (ms: number): string => `${Math.round((ms / 3_600_000) * 10) / 10} h`;

/** Why one PIN cannot go into a build, or undefined when it can. Never mentions the PIN itself. */
export function pinProblem(resolved: ResolvedPin, now: Date, marginMs: number): string | undefined {
  if (!resolved.pin) return `${resolved.user} has no PIN: generate one (pinpack pins generate --user ${resolved.user})`;
  const status = pinStatus(resolved, now, marginMs);
  switch (status.state) {
    case 'none':
      return `the PIN of ${resolved.user} has no creation or expiry time, so its validity is unknown: generate a new one`;
    case 'used':
      return `the PIN of ${resolved.user} was already used: generate a new one`;
    case 'expired':
      return `the PIN of ${resolved.user} expired at ${status.expiredAt.toISOString()}: generate a new one`;
    case 'expiring':
      return `the PIN of ${resolved.user} expires at ${status.expiresAt.toISOString()}, within the ${hours(marginMs)} margin: generate a new one`;
    case 'valid':
      return undefined;
  }
}

/** Refuses the build when any PIN is missing, used, expired or about to expire, naming the first and counting the rest. */
export function checkPins(pins: readonly ResolvedPin[], now: Date, marginMs = DEFAULT_PIN_MARGIN_MS): void {
  if (pins.length === 0) throw new PinPackError('refused', 'The package has no enrollees: add users or a group to the workspace and build again.');
  const problems = pins.map((p) => pinProblem(p, now, marginMs)).filter((p): p is string => p !== undefined);
  if (!problems.length) return;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more unusable PIN${problems.length > 2 ? 's' : ''})` : '';
  const first = problems[0] as string;
  throw new PinPackError('refused', `Build refused: ${first}${more}, then build again.`);
}
