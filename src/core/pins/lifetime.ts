/** A package PIN is valid for 24 hours from its creation (DOMAIN.md §1). */
export const PIN_LIFETIME_MS = 24 * 60 * 60 * 1000;

/** What the tenant tells about one account's registration PIN. */
export interface PinRecord {
  /** Absent when no PIN was generated. */
  readonly createdAt?: Date;
  /** When absent, derived from `createdAt` and the 24 h lifetime. */
  readonly expiresAt?: Date;
  readonly used?: boolean;
}

export type PinStatus =
  | { readonly state: 'none' }
  | { readonly state: 'used' }
  | { readonly state: 'expired'; readonly expiredAt: Date }
  /** Valid, but expiring within the margin: a build refuses it, the views warn. */
  | { readonly state: 'expiring'; readonly expiresAt: Date; readonly remainingMs: number }
  | { readonly state: 'valid'; readonly expiresAt: Date; readonly remainingMs: number };

export function pinExpiry(record: PinRecord): Date | undefined {
  if (record.expiresAt) return record.expiresAt;
  if (record.createdAt) return new Date(record.createdAt.getTime() + PIN_LIFETIME_MS);
  return undefined;
}

/**
 * The status of a PIN at `now`. A PIN expiring in less than `marginMs` is `expiring`: it would
 * likely lapse while the package is distributed, so a build treats it as unusable.
 */
export function pinStatus(record: PinRecord, now: Date, marginMs = 0): PinStatus {
  const expiresAt = pinExpiry(record);
  if (!expiresAt) return { state: 'none' };
  if (record.used) return { state: 'used' };
  const remainingMs = expiresAt.getTime() - now.getTime();
  if (remainingMs <= 0) return { state: 'expired', expiredAt: expiresAt };
  if (remainingMs < marginMs) return { state: 'expiring', expiresAt, remainingMs };
  return { state: 'valid', expiresAt, remainingMs };
}
