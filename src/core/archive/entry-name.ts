/**
 * Checks of a zip entry's name before anything is written for it (DESIGN.md §3: import never
 * writes outside its folder). The names are judged as Windows would judge them too, because the
 * package is unpacked on Windows by the SCCM or EPM admin.
 */

import * as l10n from '@vscode/l10n';

/** Device names that Windows reserves in every folder, with or without an extension. */
const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)(\..*)?$/i;

/**
 * Why an entry name is refused, or undefined when it is safe to extract under a folder. The reason
 * is a translated clause that the reader and the writer set into their own translated sentences
 * ("... is refused because {2}.", "Cannot add ... to the zip: {1}; ..."), so each reads as a whole
 * statement in Japanese too (です/ます, no final period).
 */
export function unsafeEntryNameReason(name: string): string | undefined {
  if (name.length === 0) return l10n.t('the name is empty');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return l10n.t('the name contains a NUL or control character');
  if (name.includes('\\')) return l10n.t('the name contains a backslash, which Windows reads as a folder separator');
  if (name.startsWith('/')) return l10n.t('the name is an absolute path');
  if (/^[a-z]:/i.test(name)) return l10n.t('the name starts with a drive letter');
  const segments = name.replace(/\/$/, '').split('/');
  for (const segment of segments) {
    if (segment === '..') return l10n.t('the name climbs out of the folder with ".."');
    if (segment === '' || segment === '.') return l10n.t('the name has an empty or "." path segment');
    if (RESERVED.test(segment)) return l10n.t('"{0}" is a device name that Windows reserves', segment);
    if (/[. ]$/.test(segment)) return l10n.t('"{0}" ends with a dot or space, which Windows strips', segment);
    if (/[<>:"|?*]/.test(segment)) return l10n.t('"{0}" contains a character that Windows forbids in file names', segment);
  }
  return undefined;
}

/**
 * The key under which two entry names denote the same file once extracted on Windows (case-
 * insensitive) or macOS (Unicode-normalising): "Setup.ps1" and "setup.ps1" collide, and so do a
 * folder entry "a/" and a file "a".
 */
export function entryNameKey(name: string): string {
  return name.replace(/\/$/, '').normalize('NFC').toLowerCase();
}
