/**
 * Checks of a zip entry's name before anything is written for it (DESIGN.md §3: import never
 * writes outside its folder). The names are judged as Windows would judge them too, because the
 * package is unpacked on Windows by the SCCM or EPM admin.
 */

/** Device names that Windows reserves in every folder, with or without an extension. */
const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)(\..*)?$/i;

/** Why an entry name is refused, or undefined when it is safe to extract under a folder. */
export function unsafeEntryNameReason(name: string): string | undefined {
  if (name.length === 0) return 'the name is empty';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'the name contains a NUL or control character';
  if (name.includes('\\')) return 'the name contains a backslash, which Windows reads as a folder separator';
  if (name.startsWith('/')) return 'the name is an absolute path';
  if (/^[a-z]:/i.test(name)) return 'the name starts with a drive letter';
  const segments = name.replace(/\/$/, '').split('/');
  for (const segment of segments) {
    if (segment === '..') return 'the name climbs out of the folder with ".."';
    if (segment === '' || segment === '.') return 'the name has an empty or "." path segment';
    if (RESERVED.test(segment)) return `"${segment}" is a device name that Windows reserves`;
    if (/[. ]$/.test(segment)) return `"${segment}" ends with a dot or space, which Windows strips`;
    if (/[<>:"|?*]/.test(segment)) return `"${segment}" contains a character that Windows forbids in file names`;
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
