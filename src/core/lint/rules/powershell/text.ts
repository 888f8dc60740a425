/**
 * Case-insensitive comparisons of names with lower-case ASCII constants, for the rules' hot
 * loops: they compare char codes instead of lower-casing or running a regex on every node. They
 * agree with the `/i` regexes they replace (without the `u` flag, only ASCII letters fold to
 * ASCII letters).
 */

/** Whether the char code `c` equals the lower-case ASCII char code `lower`, ignoring case. */
function same(c: number, lower: number): boolean {
  return c === lower || (lower >= 0x61 && lower <= 0x7a && c === lower - 0x20);
}

/** Whether `text` starts with `lower` (lower-case ASCII), ignoring case. */
export function startsWithIgnoreCase(text: string, lower: string, at = 0): boolean {
  if (text.length - at < lower.length) return false;
  for (let i = 0; i < lower.length; i++) if (!same(text.charCodeAt(at + i), lower.charCodeAt(i))) return false;
  return true;
}

/** Whether `text` is `lower` (lower-case ASCII), ignoring case. */
export function equalsIgnoreCase(text: string, lower: string): boolean {
  return text.length === lower.length && startsWithIgnoreCase(text, lower);
}

/** Whether `text` is a prefix of `lower` (lower-case ASCII), ignoring case. */
export function isPrefixIgnoreCase(text: string, lower: string): boolean {
  if (text.length > lower.length) return false;
  for (let i = 0; i < text.length; i++) if (!same(text.charCodeAt(i), lower.charCodeAt(i))) return false;
  return true;
}
