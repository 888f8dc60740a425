/**
 * PINs are secrets (DESIGN.md §3): everywhere but inside a built zip they are shown masked.
 * The mask has a fixed length so that it does not even reveal how long the PIN is.
 */
export const PIN_MASK = '••••••';

export function maskPin(pin: string | undefined): string {
  return pin ? PIN_MASK : '';
}

/**
 * Replaces every occurrence of the given secrets (PINs, passwords) in a text. Used on anything
 * that may reach a log or an error message, as a last line of defence behind not logging them.
 */
export function redactSecrets(text: string, secrets: Iterable<string>): string {
  let result = text;
  // Longest first, so a secret that contains another is removed whole.
  const sorted = [...new Set(secrets)].filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
  for (const secret of sorted) result = result.split(secret).join(PIN_MASK);
  return result;
}
