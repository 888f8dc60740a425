import * as l10n from '@vscode/l10n';
import type { Node } from 'jsonc-parser/lib/esm/main.js';
import { withLanguage, type DisplayLanguage } from '../../language';
import type { GroupListing, TenantClient } from '../../tenant/client';
import { pinSkipReason } from '../../tenant/pin-eligibility';
import type { Account } from '../../tenant/schemas';
import { lintConfigOf } from '../config';
import type { LintFinding, RuleConfig, RuleLevel } from '../engine';
import { LineMap } from '../lines';
import { nodeAt, type ManifestParse } from '../manifest/parser';
import type { TextEdit } from '../rule';
import { tenantUsers } from '../rules/manifest/tenant-users';
import { userIdNodes, userIdProblem } from '../rules/manifest/users';

/**
 * PP3004 checked online: every user and group of a pinpack.json asked of the tenant, each
 * finding at the entry's exact place in the file. Lookups go out once per distinct uid, by a
 * small pool; when the list is long compared with the tenant, the tenant's user list is read
 * page by page instead (500 users a call), whichever needs fewer calls. A tenant failure is
 * thrown, never turned into a report that looks clean.
 */

/** What the check needs of the tenant: the TenantClient, with its retries and Retry-After handling. */
export type UserDirectory = Pick<TenantClient, 'origin' | 'userPages' | 'groupListing'>;

export interface TenantCheckOptions {
  /** Rule levels from outside the file (a folder's pinpack.json); the manifest's own `lint.rules` win, as offline. */
  readonly config?: RuleConfig;
  readonly signal?: AbortSignal;
  /** The language of the findings' messages; default the current one. */
  readonly messages?: DisplayLanguage;
  /** Requests in flight at once; default 4. */
  readonly concurrency?: number;
}

/** What a manifest asks the tenant about, read from the file alone. */
export interface TenantCheckPlan {
  readonly level: Exclude<RuleLevel, 'off'>;
  readonly users: readonly Node[];
  readonly groups: readonly Node[];
  /** Each uid once (the tenant matches uids without regard to case), as first written. */
  readonly uids: readonly string[];
}

/** Up to this many distinct users are looked up one by one without first asking how big the tenant is. */
const DIRECT_LOOKUPS = 8;
const PAGE = 500;

function groupNodes(parse: ManifestParse): Node[] {
  return [nodeAt(parse, ['enrollees', 'groups']), nodeAt(parse, ['groups'])]
    .flatMap((n) => (n?.type === 'array' ? (n.children ?? []) : []))
    .filter((n) => n.type === 'string' && (n.value as string).trim() !== '');
}

/**
 * The users and groups a check would ask about, or undefined when it would ask nothing: the
 * rule is off, the file does not parse (PP3000 reports that), or it names nobody. Synchronous
 * and offline, so a caller can decide not to connect at all.
 */
export function planTenantCheck(parse: ManifestParse, config: RuleConfig = {}): TenantCheckPlan | undefined {
  if (parse.syntaxError || parse.value === undefined) return undefined;
  const levels = { ...config, ...lintConfigOf(parse.value).rules };
  const level = levels[tenantUsers.id] ?? tenantUsers.severity;
  if (level === 'off') return undefined;
  // An id with a space or a full-width character is PP3002's: the tenant is not asked about it twice over.
  const spacesReported = (levels['PP3002'] ?? 'error') !== 'off';
  const users = userIdNodes(parse).filter((n) => {
    const uid = n.value as string;
    return uid !== '' && !(spacesReported && userIdProblem(uid));
  });
  const groups = groupNodes(parse);
  if (users.length === 0 && groups.length === 0) return undefined;
  const first = new Map<string, string>();
  for (const n of users) if (!first.has((n.value as string).toLowerCase())) first.set((n.value as string).toLowerCase(), n.value as string);
  const uids = [...first.values()];
  return { level, users, groups, uids };
}

/** Runs the tasks with at most `limit` at once; the first failure stops the rest and is thrown. */
async function pool<T>(tasks: readonly T[], limit: number, signal: AbortSignal | undefined, run: (task: T, signal: AbortSignal) => Promise<void>): Promise<void> {
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  if (signal?.aborted) stop.abort();
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (!failure && !stop.signal.aborted && next < tasks.length) {
      const task = tasks[next++] as T;
      try {
        await run(task, stop.signal);
      } catch (error) {
        failure ??= { error };
        stop.abort();
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, tasks.length)) }, worker));
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
  if (failure) throw failure.error;
}

/** The accounts of the given uids that the tenant has, by lower-case uid. */
async function lookUpUsers(client: UserDirectory, uids: readonly string[], concurrency: number, signal: AbortSignal | undefined): Promise<Map<string, Account>> {
  const found = new Map<string, Account>();
  const wanted = new Set(uids.map((u) => u.toLowerCase()));
  const keep = (accounts: readonly Account[]) => {
    for (const a of accounts) {
      const key = a.uid.toLowerCase();
      if (wanted.has(key) && !found.has(key)) found.set(key, a);
    }
  };
  const opts = (more: object) => ({ ...more, ...(signal ? { signal } : {}) });
  let pending = uids;
  if (uids.length > DIRECT_LOOKUPS) {
    // The first page of the whole list tells how many calls reading all of it would take.
    const first = await client.userPages({}, opts({ pageSize: PAGE, limit: PAGE })).next();
    if (first.done) return found;
    keep(first.value.items);
    pending = uids.filter((u) => !found.has(u.toLowerCase()));
    const read = first.value.items.length;
    const starts: number[] = [];
    for (let start = read; start < first.value.totalCount; start += PAGE) starts.push(start);
    if (starts.length <= pending.length) {
      await pool(starts, concurrency, signal, async (start, s) => {
        for await (const page of client.userPages({}, { pageSize: PAGE, start, limit: PAGE, signal: s })) keep(page.items);
      });
      return found;
    }
  }
  await pool(pending, concurrency, signal, async (uid, s) => {
    // The fq form TenantClient.getUserByUid sends; the match is made here without regard to case.
    for await (const page of client.userPages({ fq: `UID=${uid}` }, { pageSize: 5, limit: 5, signal: s })) keep(page.items);
  });
  return found;
}

/** The content of a string node: its exact range when the file spells it without escapes. */
function stringRange(parse: ManifestParse, node: Node): { start: number; end: number } {
  const raw = parse.text.slice(node.offset + 1, node.offset + node.length - 1);
  return raw === node.value ? { start: node.offset + 1, end: node.offset + node.length - 1 } : { start: node.offset, end: node.offset + node.length };
}

interface RawFinding {
  readonly start: number;
  readonly end: number;
  readonly message: string;
  readonly fix?: readonly TextEdit[];
}

function userFindings(parse: ManifestParse, nodes: readonly Node[], accounts: ReadonlyMap<string, Account>, host: string): RawFinding[] {
  const out: RawFinding[] = [];
  for (const node of nodes) {
    const uid = node.value as string;
    const at = stringRange(parse, node);
    const account = accounts.get(uid.toLowerCase());
    if (!account) {
      const search = uid.split('@')[0] || uid;
      out.push({ ...at, message: l10n.t('"{0}" is not a user of the tenant {1}: check the spelling with "pinpack users --search {2}", or remove it.', uid, host, search) });
      continue;
    }
    const reason = pinSkipReason(account);
    if (reason) {
      out.push({ ...at, message: l10n.t('"{0}" cannot enroll: {1}, or remove the user.', uid, reason) });
    } else if (account.uid !== uid) {
      // The build looks users up by their exact id: the tenant's spelling is the safe one.
      out.push({
        ...at,
        message: l10n.t('"{0}" is written "{1}" on the tenant: write it as the tenant does.', uid, account.uid),
        fix: [{ start: node.offset, end: node.offset + node.length, text: JSON.stringify(account.uid) }],
      });
    }
  }
  return out;
}

function groupFindings(parse: ManifestParse, nodes: readonly Node[], listing: GroupListing, host: string): RawFinding[] {
  const out: RawFinding[] = [];
  const { groups } = listing;
  for (const node of nodes) {
    const name = node.value as string;
    const at = stringRange(parse, node);
    const group = groups.find((g) => g.name === name);
    if (!group) {
      const near = groups.find((g) => g.name.toLowerCase() === name.trim().toLowerCase());
      out.push({
        ...at,
        message: near
          ? l10n.t('The group "{0}" does not exist on the tenant {1}; did you mean "{2}"?', name, host, near.name)
          : listing.onlyWithMembers
            ? // This tenant lists groups through the accounts in them: an empty group looks absent.
              l10n.t('The group "{0}" does not exist on the tenant {1}, or has no members: run "pinpack groups" to see the groups with members, or remove it.', name, host)
            : l10n.t('The group "{0}" does not exist on the tenant {1}: run "pinpack groups" to see the groups, or remove it.', name, host),
        ...(near ? { fix: [{ start: node.offset, end: node.offset + node.length, text: JSON.stringify(near.name) }] } : {}),
      });
    } else if (group.memberCount === 0) {
      out.push({ ...at, message: l10n.t('The group "{0}" has no members on the tenant: add users to it, or remove it.', name) });
    }
  }
  return out;
}

/**
 * PP3004's findings for one parsed pinpack.json, at each entry's range. No request at all when
 * the rule is off or the file names nobody. Throws the client's TenantError (or PinPackError)
 * when the tenant cannot answer: a partial answer is never reported as clean.
 */
export async function checkManifestUsers(parse: ManifestParse, client: UserDirectory, options: TenantCheckOptions = {}): Promise<LintFinding[]> {
  const plan = planTenantCheck(parse, options.config);
  if (!plan) return [];
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 4));
  const accounts = plan.uids.length ? await lookUpUsers(client, plan.uids, concurrency, options.signal) : new Map<string, Account>();
  const groups: GroupListing = plan.groups.length ? await client.groupListing(options.signal) : { groups: [], onlyWithMembers: false };
  const host = new URL(client.origin).host;
  const report = (): LintFinding[] => {
    const lines = new LineMap(parse.text);
    const position = (offset: number) => lines.position(offset);
    const raw = [...userFindings(parse, plan.users, accounts, host), ...groupFindings(parse, plan.groups, groups, host)];
    return raw
      .map((f) => {
        const from = position(f.start);
        const to = position(f.end);
        return {
          rule: tenantUsers.id,
          severity: plan.level,
          message: f.message,
          line: from.line,
          column: from.column,
          endLine: to.line,
          endColumn: to.column,
          fix: f.fix !== undefined,
          start: f.start,
          end: f.end,
          ...(f.fix ? { edits: f.fix } : {}),
        };
      })
      .sort((a, b) => a.start - b.start || a.end - b.end);
  };
  return options.messages ? withLanguage(options.messages, report) : report();
}
