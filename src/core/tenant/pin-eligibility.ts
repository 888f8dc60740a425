import * as l10n from '@vscode/l10n';
import type { Account } from './schemas';

/**
 * Any space in a uid breaks the migration (DOMAIN.md §1). `\s` in a Unicode regex covers the
 * ASCII spaces and every Unicode space separator; the ideographic space (U+3000), which a
 * Japanese IME types, and the no-break space (U+00A0) are named so that no reader has to check.
 * The zero-width space (U+200B) is no separator to Unicode but is refused as one, as the manifest
 * and setup.ps1 do.
 */
const SPACE = /[\s\u3000\u00a0\u200b]/u;

/** The full-width at sign a Japanese IME types in place of `@`. */
const FULL_WIDTH_AT = '\uff20';

export function uidHasSpace(uid: string): boolean {
  return SPACE.test(uid);
}

export function uidHasFullWidthAt(uid: string): boolean {
  return uid.includes(FULL_WIDTH_AT);
}

/** Why this account gets no PIN, or undefined when it may have one. */
export function pinSkipReason(account: Account): string | undefined {
  if (uidHasSpace(account.uid)) return l10n.t('the user name contains a space, which breaks the migration: rename the user in the identity source first');
  if (uidHasFullWidthAt(account.uid)) return l10n.t('the user name contains a full-width "＠" instead of the ASCII "@": fix it in the identity source first');
  if (account.enabled === false) return l10n.t('the account is disabled: enable it in the N-MDM console first');
  if (account.locked === true) return l10n.t('the account is locked: unlock it in the N-MDM console first');
  if (account.accountType && account.accountType !== 'USER') return l10n.t('the account is of type {0}, not a user who enrolls devices', account.accountType);
  return undefined;
}
