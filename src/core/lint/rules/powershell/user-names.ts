import * as l10n from '@vscode/l10n';
import docs from '../../../../../docs/rules/PP1025.md';
import { type Command, type CommandParameter, type Expression, loneExpression } from '../../powershell/ast';
import { constantText, parameterArgument, type PowerShellIndex } from '../../powershell/index';
import type { Rule } from '../../rule';
import { assignmentsByTargetName, parametersByName } from './facts';

/**
 * Every character .NET's `\s` matches (the Unicode space separators U+0020, U+00A0, U+1680,
 * U+2000-U+200A, U+202F, U+205F, U+3000, and tab, line and paragraph breaks), plus the zero-width
 * U+200B and U+FEFF that look like nothing: setup.ps1 refuses the same set at run time.
 */
const SPACE = /[\s\u200B\uFEFF]/u;

/** Names of what holds a user name: `$user`, `$TargetUser`, `-UserPrincipalName`, `$upn`, `$env:USERNAME`. */
const USER_NAME = /(user|username|userid|userprincipalname|upn|upns|users|usernames|email|emailaddress|samaccountname|enrollee|enrollees|logonname|loginname)$/i;

/** Built-in principals whose names have spaces on every Windows (NT AUTHORITY\LOCAL SERVICE, ...). */
const WELL_KNOWN = /^(nt authority|nt service|builtin|iis apppool)\\|^(local service|network service)$/i;

/** The comparison operators, in each case form: `-eq`, `-ieq`, `-ceq`, ... */
const COMPARISONS = new Set(['', 'i', 'c'].flatMap((c) => ['eq', 'ne', 'like', 'notlike', 'in', 'notin', 'contains', 'notcontains'].map((op) => `-${c}${op}`)));

function codePoint(text: string): string {
  const c = [...text].find((ch) => SPACE.test(ch)) ?? ' ';
  return `U+${(c.codePointAt(0) ?? 0x20).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The constant strings of a value: itself, or the items of an array literal / `@( )`. */
function constants(e: Expression | undefined): Expression[] {
  if (!e) return [];
  if (e.type === 'ArrayLiteral') return e.elements.flatMap(constants);
  if (e.type === 'ArrayExpression' || e.type === 'SubExpression') return e.statements.flatMap((s) => constants(loneExpression(s)));
  if (e.type === 'Paren') return constants(loneExpression(e.statement));
  return e.type === 'String' || e.type === 'Word' ? [e] : [];
}

/**
 * A user name or UPN written into the script with a space in it, Unicode spaces included: the
 * vendor states that migration fails for such user names. Looked at: values assigned to, given as
 * defaults of, passed to, keyed as, or compared with a variable, parameter or key named like a
 * user name (`$user`, `$UserName`, `$upn`, `-UserPrincipalName`, `$env:USERNAME -eq '...'`).
 */
export const userNameWithSpace: Rule<PowerShellIndex> = {
  id: 'PP1025',
  language: 'powershell',
  scope: 'statement',
  severity: 'error',
  message: 'Remove the space from this user name: enrollment fails for user names that contain spaces, Unicode spaces included.',
  docs,
  fixable: false,
  check({ parsed, report }) {
    const isUser = (name: string | undefined) => name !== undefined && USER_NAME.test(name);
    const check = (e: Expression | undefined) => {
      for (const c of constants(e)) {
        const text = constantText(c);
        if (!text || !SPACE.test(text.trim()) || WELL_KNOWN.test(text.trim())) continue;
        report({ start: c.start, end: c.end, message: l10n.t('This user name contains a space ({0}): enrollment fails for user names with spaces, so use the name without it.', codePoint(text.trim())) });
      }
    };
    for (const [name, assignments] of assignmentsByTargetName(parsed)) if (isUser(name)) for (const a of assignments) check(loneExpression(a.right));
    for (const p of parsed.nodes('Parameter')) if (isUser(p.variable.name)) check(p.defaultValue);
    for (const h of parsed.nodes('Hashtable')) for (const pair of h.pairs) if (isUser(constantText(pair.key))) check(loneExpression(pair.value));
    for (const [name, pairs] of parametersByName(parsed)) {
      if (!isUser(name)) continue;
      for (let i = 0; i < pairs.length; i += 2) check(parameterArgument(pairs[i] as Command, pairs[i + 1] as CommandParameter));
    }
    for (const b of parsed.nodes('Binary')) {
      if (!COMPARISONS.has(b.operator) || !b.right) continue;
      const nameOf = (e: Expression) => (e.type === 'Variable' ? e.name : e.type === 'Member' ? e.name : undefined);
      if (isUser(nameOf(b.left))) check(b.right);
      else if (isUser(nameOf(b.right))) check(b.left);
    }
  },
};
