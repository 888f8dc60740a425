import * as z from 'zod';

/**
 * The distribution channels and their variants (DOMAIN.md §2). The identity mode decides how
 * `setup.ps1` resolves the enrollment UPN on the device.
 */
export const TargetId = z.enum(['sccm', 'epm-case1', 'epm-case2', 'epm-case3-twostep', 'epm-case3-uac']);
export type TargetId = z.infer<typeof TargetId>;

export type IdentityMode =
  /** `<COMPUTERNAME>@<AD domain>`: the script runs as LocalSystem, no user identity is at hand. */
  | 'device'
  /** The signed-in user's UPN or mail. */
  | 'user'
  /** The identity recorded by step 1 (current user) for step 2 (LocalSystem). */
  | 'recorded-user';

export interface TargetInfo {
  readonly id: TargetId;
  readonly channel: 'sccm' | 'epm';
  readonly label: string;
  /** The account the device-side script runs as. */
  readonly account: string;
  readonly identity: IdentityMode;
  /** EPM case 1 builds the UPN from the device name and needs the AD domain. */
  readonly needsAdDomain: boolean;
}

export const TARGETS: Readonly<Record<TargetId, TargetInfo>> = {
  sccm: {
    id: 'sccm',
    channel: 'sccm',
    label: 'SCCM / ConfigMgr: .bat copier + Run Script',
    account: 'SYSTEM',
    identity: 'user',
    needsAdDomain: false,
  },
  'epm-case1': {
    id: 'epm-case1',
    channel: 'epm',
    label: 'Ivanti EPM case 1: LocalSystem, device name @ AD domain',
    account: 'LocalSystem',
    identity: 'device',
    needsAdDomain: true,
  },
  'epm-case2': {
    id: 'epm-case2',
    channel: 'epm',
    label: 'Ivanti EPM case 2: current user',
    account: 'Current user',
    identity: 'user',
    needsAdDomain: false,
  },
  'epm-case3-twostep': {
    id: 'epm-case3-twostep',
    channel: 'epm',
    label: 'Ivanti EPM case 3a: two steps through a temp folder',
    account: 'Current user, then LocalSystem',
    identity: 'recorded-user',
    needsAdDomain: false,
  },
  'epm-case3-uac': {
    id: 'epm-case3-uac',
    channel: 'epm',
    label: 'Ivanti EPM case 3b: current user with UAC toggled',
    account: 'Current user',
    identity: 'user',
    needsAdDomain: false,
  },
};
