import * as l10n from '@vscode/l10n';
import type { ResolvedPin } from '../archive/pin-checks';
import { PinPackError } from '../errors';
import type { TenantClient } from '../tenant/client';
import { pinSkipReason } from '../tenant/pin-eligibility';
import type { Account } from '../tenant/schemas';
import { Uid, type Manifest } from './manifest';

/**
 * The enrollees of a workspace and their current PINs, read from the tenant at build time. Only
 * reads: generating PINs is a separate, deliberate step (`pinpack pins generate`), and the build
 * refuses what is missing, used or about to expire (pin-checks.ts).
 *
 * A user named in `enrollees.users` must exist and be able to enroll, or the build is refused: the
 * admin asked for that user. A group member who cannot enroll (a space in the user name, disabled,
 * locked, an API account) is left out and reported, as `pinpack pins generate` skips them.
 */

export interface SkippedEnrollee {
  readonly uid: string;
  readonly group: string;
  readonly reason: string;
}

export interface EnrolleePins {
  /** One per enrollee, `user` being the uid, which is also the UPN in the PIN file. */
  readonly pins: readonly ResolvedPin[];
  readonly skipped: readonly SkippedEnrollee[];
}

function resolvedPin(account: Account): ResolvedPin {
  const rp = account.registrationPin;
  return {
    user: account.uid,
    pin: rp?.pin ?? undefined,
    ...(rp?.createdAt ? { createdAt: rp.createdAt } : {}),
    ...(rp?.expiresAt ? { expiresAt: rp.expiresAt } : {}),
    ...(rp?.used ? { used: true } : {}),
  };
}

/** Why a group member is left out, or undefined when they enroll. */
function memberSkipReason(account: Account): string | undefined {
  const reason = pinSkipReason(account);
  if (reason) return reason;
  const uid = Uid.safeParse(account.uid);
  // The Uid messages are predicates ("must not be empty"; in Japanese "は空にできません"), set after the subject.
  return uid.success ? undefined : l10n.t('the user name {0}', uid.error.issues[0]?.message ?? l10n.t('is not valid'));
}

export async function resolveEnrolleePins(client: TenantClient, enrollees: Manifest['enrollees'], signal?: AbortSignal): Promise<EnrolleePins> {
  const byUid = new Map<string, ResolvedPin>();
  const skipped: SkippedEnrollee[] = [];
  for (const uid of enrollees.users) {
    const account = await client.getUserByUid(uid, signal);
    if (!account) {
      throw new PinPackError('refused', l10n.t('Build refused: {0} (enrollees.users in pinpack.json) is not a user of the tenant; check the spelling with "pinpack users --search {1}" or remove it.', uid, uid.split('@')[0] ?? uid));
    }
    const reason = pinSkipReason(account);
    // The reason is a translated clause of pinSkipReason that ends in what to do ("... first").
    if (reason) throw new PinPackError('refused', l10n.t('Build refused: {0} (enrollees.users in pinpack.json) cannot enroll: {1}, or remove the user.', uid, reason));
    byUid.set(account.uid.toLowerCase(), resolvedPin(account));
  }
  for (const group of enrollees.groups) {
    let members = 0;
    for await (const account of client.groupMembers(group, signal ? { signal } : {})) {
      members++;
      const reason = memberSkipReason(account);
      if (reason) skipped.push({ uid: account.uid, group, reason });
      else if (!byUid.has(account.uid.toLowerCase())) byUid.set(account.uid.toLowerCase(), resolvedPin(account));
    }
    if (members === 0) {
      throw new PinPackError('refused', l10n.t('Build refused: the group "{0}" (enrollees.groups in pinpack.json) has no members or does not exist on the tenant; run "pinpack groups" to see the groups.', group));
    }
  }
  return { pins: [...byUid.values()], skipped };
}
