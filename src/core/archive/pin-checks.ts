import * as l10n from '@vscode/l10n';
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

const hours = (ms: number): number => Math.round((ms / 3_600_000) * 10) / 10;

/**
 * Why one PIN cannot go into a build, or undefined when it can. Never mentions the PIN itself. A
 * translated clause that ends in what to do; checkPins sets it into a whole translated sentence.
 */
export function pinProblem(resolved: ResolvedPin, now: Date, marginMs: number): string | undefined {
  if (!resolved.pin) return l10n.t('{0} has no PIN: generate one (pinpack pins generate --user {0})', resolved.user);
  const status = pinStatus(resolved, now, marginMs);
  switch (status.state) {
    case 'none':
      return l10n.t('the PIN of {0} has no creation or expiry time, so its validity is unknown: generate a new one', resolved.user);
    case 'used':
      return l10n.t('the PIN of {0} was already used: generate a new one', resolved.user);
    case 'expired':
      return l10n.t('the PIN of {0} expired at {1}: generate a new one', resolved.user, status.expiredAt.toISOString());
    case 'expiring':
      return l10n.t('the PIN of {0} expires at {1}, within the {2} h margin: generate a new one', resolved.user, status.expiresAt.toISOString(), hours(marginMs));
    case 'valid':
      return undefined;
  }
}

/** Refuses the build when any PIN is missing, used, expired or about to expire, naming the first and counting the rest. */
export function checkPins(pins: readonly ResolvedPin[], now: Date, marginMs = DEFAULT_PIN_MARGIN_MS): void {
  if (pins.length === 0) throw new PinPackError('refused', l10n.t('The package has no enrollees: add users or a group to the workspace and build again.'));
  const problems = pins.map((p) => pinProblem(p, now, marginMs)).filter((p): p is string => p !== undefined);
  if (!problems.length) return;
  const first = problems[0] as string;
  const more = problems.length - 1;
  throw new PinPackError(
    'refused',
    more === 0
      ? l10n.t('Build refused: {0}, then build again.', first)
      : more === 1
        ? l10n.t('Build refused: {0} (and 1 more unusable PIN), then build again.', first)
        : l10n.t('Build refused: {0} (and {1} more unusable PINs), then build again.', first, more),
  );
}
