import type { Account } from './schemas';

/**
 * Any space in a uid breaks the migration (DOMAIN.md §1). `\s` in a Unicode regex covers the
 * ASCII spaces and every Unicode space separator; the ideographic space (U+3000), which a
 * Japanese IME types, and the no-break space (U+00A0) are named so that no reader has to check.
 */
const SPACE = /[\s\u3000\u00a0]/u;

export function uidHasSpace(uid: string): boolean {
  return SPACE.test(uid);
}

/** Why this account gets no PIN, or undefined when it may have one. */
export function pinSkipReason(account: Account): string | undefined {
  if (uidHasSpace(account.uid)) return 'the user name contains a space, which breaks the migration: rename the user in the identity source first';
  if (account.enabled === false) return 'the account is disabled: enable it in the N-MDM console first';
  if (account.locked === true) return 'the account is locked: unlock it in the N-MDM console first';
  if (account.accountType && account.accountType !== 'USER') return `the account is of type ${account.accountType}, not a user who enrolls devices`;
  return undefined;
}
