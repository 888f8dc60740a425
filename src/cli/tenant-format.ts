import * as l10n from '@vscode/l10n';
import { pinStatus } from '../core/pins/lifetime';
import { uidHasFullWidthAt, uidHasSpace } from '../core/tenant/pin-eligibility';
import type { Account } from '../core/tenant/schemas';

/** How the tenant commands show times, states and PIN statuses (never the PIN itself). */

export function formatTime(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function accountState(account: Account): string {
  const states = [
    account.enabled === false ? l10n.t('disabled') : undefined,
    account.locked ? l10n.t('locked') : undefined,
    uidHasSpace(account.uid) ? l10n.t('space in uid') : undefined,
    uidHasFullWidthAt(account.uid) ? l10n.t('full-width ＠ in uid') : undefined,
    account.accountType && account.accountType !== 'USER' ? account.accountType : undefined,
  ].filter((s): s is string => !!s);
  return states.length ? states.join(', ') : l10n.t('active');
}

export function pinState(account: Account, now: Date): { readonly state: string; readonly expiresAt?: Date } {
  const pin = account.registrationPin;
  const status = pinStatus(
    {
      ...(pin?.createdAt ? { createdAt: pin.createdAt } : {}),
      ...(pin?.expiresAt ? { expiresAt: pin.expiresAt } : {}),
      ...(pin?.used ? { used: true } : {}),
    },
    now,
  );
  switch (status.state) {
    case 'none':
    case 'used':
      return { state: status.state };
    case 'expired':
      return { state: 'expired', expiresAt: status.expiredAt };
    default:
      return { state: 'valid', expiresAt: status.expiresAt };
  }
}

export function pinStateText(account: Account, now: Date): string {
  const { state, expiresAt } = pinState(account, now);
  if (state === 'valid' && expiresAt) return l10n.t('valid until {0}', formatTime(expiresAt));
  if (state === 'expired' && expiresAt) return l10n.t('expired {0}', formatTime(expiresAt));
  if (state === 'used') return l10n.t('used');
  if (state === 'none') return l10n.t('none');
  return state;
}
