import type { DemoUser } from './directory';

/**
 * The demo tenant's reading of `q` (free text) and `fq` (field expressions joined by AND):
 * `FIELD=value` or `FIELD EQ value`, the value bare or in single quotes with backslash escapes.
 */

export type FqField = 'UID' | 'EMAILADDRESS' | 'ACCOUNTGROUP' | 'ACCOUNTTYPE' | 'ENABLED';
const FIELDS: readonly FqField[] = ['UID', 'EMAILADDRESS', 'ACCOUNTGROUP', 'ACCOUNTTYPE', 'ENABLED'];

export interface FqTerm {
  readonly field: FqField;
  readonly value: string;
}

export class QueryError extends Error {
  constructor(
    readonly field: 'q' | 'fq',
    message: string,
  ) {
    super(message);
  }
}

function unquote(text: string): string {
  const t = text.trim();
  if (t.startsWith("'") && t.endsWith("'") && t.length >= 2) return t.slice(1, -1).replace(/\\(.)/g, '$1');
  return t;
}

/** Splits on AND outside quotes. */
function splitAnd(fq: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < fq.length; i++) {
    const c = fq[i] as string;
    if (c === '\\' && quoted) {
      current += c + (fq[i + 1] ?? '');
      i++;
      continue;
    }
    if (c === "'") quoted = !quoted;
    if (!quoted && /^\sAND\s/i.test(fq.slice(i, i + 5))) {
      parts.push(current);
      current = '';
      i += 4;
      continue;
    }
    current += c;
  }
  parts.push(current);
  return parts;
}

export function parseFq(fq: string): FqTerm[] {
  return splitAnd(fq).map((part) => {
    const match = /^\s*([A-Za-z_]+)\s*(?:=|\s+EQ\s+)(.*)$/is.exec(part);
    if (!match) throw new QueryError('fq', `cannot read "${part.trim()}": use FIELD=value or FIELD EQ value`);
    const field = (match[1] as string).toUpperCase() as FqField;
    if (!FIELDS.includes(field)) throw new QueryError('fq', `unknown field ${match[1]}: use one of ${FIELDS.join(', ')}`);
    return { field, value: unquote(match[2] as string) };
  });
}

export function matchesTerm(user: DemoUser, term: FqTerm): boolean {
  switch (term.field) {
    case 'UID':
      return user.uid.toLowerCase() === term.value.toLowerCase();
    case 'EMAILADDRESS':
      return user.emailAddress.toLowerCase() === term.value.toLowerCase();
    case 'ACCOUNTGROUP':
      return user.groups.includes(term.value);
    case 'ACCOUNTTYPE':
      return user.accountType === term.value.toUpperCase();
    case 'ENABLED':
      return String(user.enabled) === term.value.toLowerCase();
  }
}

export function matchesText(user: DemoUser, q: string): boolean {
  const needle = q.trim().toLowerCase();
  if (needle === '') return true;
  return [user.uid, user.emailAddress, user.displayName, user.firstName, user.lastName].some((f) => f.toLowerCase().includes(needle));
}
