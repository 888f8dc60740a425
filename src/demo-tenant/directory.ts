import { SeededRandom } from './random';

/**
 * The demo tenant's users, groups, spaces and devices. A user is computed from its index and the
 * seed whenever it is asked for, never stored, so 100,000 users cost no memory and any page is as
 * quick to serve as the first. Every 50 users carry one of each special case (spaces in the uid,
 * disabled, locked, API account, a device's account for EPM case 1), so even a small tenant
 * shows them all.
 */

export interface DemoUser {
  readonly index: number;
  readonly id: number;
  readonly uid: string;
  readonly emailAddress: string;
  readonly displayName: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly accountSource: string;
  readonly accountType: 'USER' | 'API';
  readonly inviteState: string;
  readonly enabled: boolean;
  readonly locked: boolean;
  readonly groups: readonly string[];
}

export interface DemoSpace {
  readonly id: number;
  readonly name: string;
  readonly defaultPartition: boolean;
  readonly description: string;
}

export const DEMO_DOMAIN = 'contoso.example';

export const DEMO_SPACES: readonly DemoSpace[] = [
  { id: 1, name: 'Global', defaultPartition: true, description: 'Default space' },
  { id: 2, name: '日本 (Japan)', defaultPartition: false, description: 'Devices managed from Tokyo' },
  { id: 3, name: 'Europe', defaultPartition: false, description: 'EU devices, GDPR profile' },
];

/** Groups and the share of users in each. */
const GROUPS: ReadonlyArray<readonly [string, number]> = [
  ['営業部', 0.2],
  ['開発部', 0.2],
  ['Finance', 0.1],
  ['Tokyo Office', 0.15],
  ['Paris Office', 0.1],
  ['SCCM Migration Wave 1', 0.08],
  ['EPM Migration Wave 1', 0.08],
  ['Windows Pilot', 0.02],
];
/**
 * The device accounts of EPM case 1, where a device enrolls as <device name>@<AD domain>: the
 * tenant holds one account per device (pc-00038@contoso.example for the device PC-00038), all in
 * this group and no other.
 */
export const DEMO_DEVICE_GROUP = 'Windows Pilot Devices';
export const DEMO_GROUPS: readonly string[] = [...GROUPS.map(([name]) => name), DEMO_DEVICE_GROUP];

/** [display form, romanised form] */
const JAPANESE_FIRST: ReadonlyArray<readonly [string, string]> = [
  ['太郎', 'Taro'], ['花子', 'Hanako'], ['健太', 'Kenta'], ['陽菜', 'Hina'], ['翔', 'Sho'], ['美咲', 'Misaki'],
  ['大輔', 'Daisuke'], ['結衣', 'Yui'], ['蓮', 'Ren'], ['さくら', 'Sakura'], ['拓海', 'Takumi'], ['愛子', 'Aiko'],
];
const JAPANESE_LAST: ReadonlyArray<readonly [string, string]> = [
  ['山田', 'Yamada'], ['佐藤', 'Sato'], ['鈴木', 'Suzuki'], ['高橋', 'Takahashi'], ['田中', 'Tanaka'], ['伊藤', 'Ito'],
  ['渡辺', 'Watanabe'], ['中村', 'Nakamura'], ['小林', 'Kobayashi'], ['加藤', 'Kato'],
];
const WESTERN_FIRST = ['Anna', 'James', 'María', 'José', 'François', 'Zoë', 'Chloé', 'Renée', 'Noël', 'Björn', 'Émile', 'Liam', 'Olivia', 'Søren', 'Priya', 'Mohammed', 'Inês', 'Jürgen'];
const WESTERN_LAST = ['Smith', 'Müller', 'García', 'Núñez', 'Dubois', 'Lefèvre', 'Nowak', "O'Brien", 'Johansson', 'Kowalski', 'Rossi', 'Østergaard', 'Fernández', 'Schäfer', 'Brown'];
const SOURCES = ['LDAP', 'LDAP', 'AAD', 'SCIM_AAD', 'LOCAL'];

/** ASCII for a uid: accents dropped, letters without a decomposition spelled out. */
function asciiFold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/ø/g, 'o').replace(/Ø/g, 'O').replace(/ß/g, 'ss').replace(/æ/g, 'ae')
    .replace(/[^A-Za-z]/g, '')
    .toLowerCase();
}

export class DemoDirectory {
  constructor(
    readonly seed: string,
    readonly count: number,
  ) {}

  userAt(index: number): DemoUser {
    const rng = new SeededRandom(`${this.seed}#${index}`);
    const japanese = rng.chance(0.4);
    const [firstName, firstRoman] = japanese ? rng.pick(JAPANESE_FIRST) : (() => { const n = rng.pick(WESTERN_FIRST); return [n, n] as const; })();
    const [lastName, lastRoman] = japanese ? rng.pick(JAPANESE_LAST) : (() => { const n = rng.pick(WESTERN_LAST); return [n, n] as const; })();
    const special = index % 50;
    const id = index + 1;
    const email = `${asciiFold(firstRoman)}.${asciiFold(lastRoman)}${id}@${DEMO_DOMAIN}`;
    const groups = GROUPS.filter(([, share]) => rng.chance(share)).map(([name]) => name);
    if (special === 29) {
      // An API user: an auto-generated e-mail for a name, as the console creates them.
      const hex = Math.floor(rng.next() * 0xffffff).toString(16).padStart(6, '0');
      const uid = `api_${hex}.${id}@${DEMO_DOMAIN}`;
      return { index, id, uid, emailAddress: uid, displayName: 'Integration API', firstName: 'Integration', lastName: 'API', accountSource: 'LOCAL', accountType: 'API', inviteState: 'ACCEPTED', enabled: true, locked: false, groups: [] };
    }
    if (special === 37) {
      // A device's account (EPM case 1): named after the device, in the device group only.
      const device = `PC-${String(id).padStart(5, '0')}`;
      const uid = `${device.toLowerCase()}@${DEMO_DOMAIN}`;
      return { index, id, uid, emailAddress: uid, displayName: device, firstName: device, lastName: '', accountSource: 'LOCAL', accountType: 'USER', inviteState: 'ACCEPTED', enabled: true, locked: false, groups: [DEMO_DEVICE_GROUP] };
    }
    const space = special === 3 ? ' ' : special === 8 ? '\u3000' : special === 13 ? '\u00a0' : undefined;
    const uid = space ? `${asciiFold(firstRoman)}${space}${asciiFold(lastRoman)}${id}@${DEMO_DOMAIN}` : email;
    return {
      index,
      id,
      uid,
      emailAddress: email,
      displayName: japanese ? `${lastName} ${firstName}` : `${firstName} ${lastName}`,
      firstName,
      lastName,
      accountSource: rng.pick(SOURCES),
      accountType: 'USER',
      inviteState: rng.chance(0.9) ? 'ACCEPTED' : 'PENDING',
      enabled: special !== 17 && special !== 41,
      locked: special === 23 || special === 41,
      groups,
    };
  }

  byId(id: number): DemoUser | undefined {
    return Number.isInteger(id) && id >= 1 && id <= this.count ? this.userAt(id - 1) : undefined;
  }

  /** Every uid and e-mail ends with the id before the `@`, so a lookup needs no index. */
  byUidOrEmail(value: string, field: 'uid' | 'emailAddress'): DemoUser | undefined {
    const match = /(\d+)@[^@]*$/.exec(value);
    const user = match ? this.byId(Number(match[1])) : undefined;
    return user && user[field].toLowerCase() === value.toLowerCase() ? user : undefined;
  }

  /** Users 1 in 250 own an enrolled Windows desktop; 1 in 250 others an iPhone. */
  deviceKind(user: DemoUser): 'windows' | 'ios' | undefined {
    if (user.accountType !== 'USER') return undefined;
    return user.index % 250 === 1 ? 'windows' : user.index % 250 === 2 ? 'ios' : undefined;
  }
}
