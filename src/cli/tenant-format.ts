import { pinStatus } from '../core/pins/lifetime';
import { uidHasFullWidthAt, uidHasSpace } from '../core/tenant/pin-eligibility';
import type { Account } from '../core/tenant/schemas';

/** How the tenant commands show times, states and PIN statuses (never the PIN itself). */

export function formatTime(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function accountState(account: Account): string {
  const states = [
    account.enabled === false ? 'disabled' : undefined,
    account.locked ? 'locked' : undefined,
    uidHasSpace(account.uid) ? 'space in uid' : undefined,
    uidHasFullWidthAt(account.uid) ? 'full-width ＠ in uid' : undefined,
    account.accountType && account.accountType !== 'USER' ? account.accountType : undefined,
  ].filter((s): s is string => !!s);
  return states.length ? states.join(', ') : 'active';
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
  if (state === 'valid' && expiresAt) return `valid until ${formatTime(expiresAt)}`;
  if (state === 'expired' && expiresAt) return `expired ${formatTime(expiresAt)}`;
  return state;
}
