/**
 * The PINs and passwords the integration tests type or make up, gathered across test files (each
 * is bundled on its own, so the list lives on globalThis) for the final scan that proves none of
 * them reached a log, a setting or a workspace file (zz-no-secrets-left.test.ts).
 */
const KEY = Symbol.for('pinpack.integration.secrets');

function store(): Set<string> {
  const holder = globalThis as unknown as Record<symbol, Set<string> | undefined>;
  return (holder[KEY] ??= new Set<string>());
}

/** Returns the secret, so a test can write `const PASSWORD = remember('...')`. */
export function remember(secret: string): string {
  store().add(secret);
  return secret;
}

export function remembered(): string[] {
  return [...store()];
}
