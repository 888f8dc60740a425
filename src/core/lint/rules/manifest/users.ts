import * as l10n from '@vscode/l10n';
import uidDocs from '../../../../../docs/rules/PP3002.md';
import type { Node } from 'jsonc-parser/lib/esm/main.js';
import { nodeAt, type ManifestParse } from '../../manifest/parser';
import type { Rule, TextEdit } from '../../rule';

/** Every Unicode space separator and whitespace counts as a space (issue 11), and the invisible ones too. */
const SPACE = /[\s\p{Zs}\u200b\ufeff]/u;
/** Full-width forms of ASCII (U+FF01-U+FF5E): an IME left on while typing an e-mail. */
const FULL_WIDTH = /[\uff01-\uff5e]/;

const SPACE_NAMES: Readonly<Record<string, () => string>> = {
  ' ': () => l10n.t('a space'),
  '\t': () => l10n.t('a tab'),
  '\u00a0': () => l10n.t('a no-break space (U+00A0)'),
  '\u3000': () => l10n.t('an ideographic (full-width) space (U+3000)'),
  '\u200b': () => l10n.t('a zero-width space (U+200B)'),
  '\ufeff': () => l10n.t('a zero-width no-break space (U+FEFF)'),
};

function spaceName(c: string): string {
  const known = SPACE_NAMES[c];
  if (known) return known();
  return l10n.t('a Unicode space (U+{0})', (c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0'));
}

export function isUserIdPath(path: readonly (string | number)[]): boolean {
  return (path.length === 3 && path[0] === 'enrollees' && path[1] === 'users' && typeof path[2] === 'number') || (path.length === 2 && path[0] === 'users' && typeof path[1] === 'number');
}

/** Whether a user id has a problem this rule reports (and the schema rule then leaves to it). */
export function userIdProblem(uid: unknown): boolean {
  return typeof uid === 'string' && (SPACE.test(uid) || FULL_WIDTH.test(uid));
}

/** The uid strings of the manifest (current and first-preview shape), as they sit in the file. */
export function userIdNodes(parse: ManifestParse): Node[] {
  const current = nodeAt(parse, ['enrollees', 'users']);
  const old = nodeAt(parse, ['users']);
  return [current, old].flatMap((n) => (n?.type === 'array' ? (n.children ?? []) : [])).filter((n) => n.type === 'string');
}

export const userIdSpaces: Rule<ManifestParse> = {
  id: 'PP3002',
  language: 'manifest',
  severity: 'error',
  message: 'Remove spaces (Unicode spaces included) and full-width characters from user ids: enrollment fails for user names with spaces, and "＠" is not "@".',
  docs: uidDocs,
  fixable: true,
  check({ parsed, report }) {
    for (const node of userIdNodes(parsed)) {
      const uid = node.value as string;
      if (!userIdProblem(uid)) continue;
      // Offsets inside the string are exact only when the source spells it without escapes.
      const raw = parsed.text.slice(node.offset + 1, node.offset + node.length - 1);
      const exact = raw === uid;
      const at = (index: number, length = 1) => (exact ? { start: node.offset + 1 + index, end: node.offset + 1 + index + length } : { start: node.offset, end: node.offset + node.length });
      const trimmed = uid.replace(/^[\s\p{Zs}\u200b\ufeff]+|[\s\p{Zs}\u200b\ufeff]+$/gu, '');
      const ascii = trimmed.replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
      // Trimming the ends and narrowing full-width forms is what the admin meant; a space inside is not ours to guess.
      const fix: TextEdit[] | undefined = exact && !SPACE.test(ascii) && ascii.length > 0 ? [{ start: node.offset + 1, end: node.offset + node.length - 1, text: ascii }] : undefined;
      const space = SPACE.exec(uid);
      const wide = FULL_WIDTH.exec(uid);
      if (space) {
        const inside = SPACE.test(trimmed);
        report({
          ...at(space.index, (space[0] as string).length),
          message: inside
            ? l10n.t('User id "{0}" contains {1}: enrollment fails for user names with spaces; use the id exactly as the tenant lists it.', uid, spaceName(space[0] as string))
            : l10n.t('User id "{0}" starts or ends with {1}: remove it.', uid, spaceName(space[0] as string)),
          ...(fix ? { fix } : {}),
        });
      }
      if (wide) {
        const c = wide[0] as string;
        const narrow = String.fromCharCode(c.charCodeAt(0) - 0xfee0);
        report({
          ...at(wide.index),
          message: c === '\uff20' ? l10n.t('User id "{0}" contains a full-width "＠": type the ASCII "@" instead.', uid) : l10n.t('User id "{0}" contains the full-width "{1}": type the ASCII "{2}" instead.', uid, c, narrow),
          ...(fix && !space ? { fix } : {}),
        });
      }
    }
  },
};
