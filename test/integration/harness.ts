/**
 * What a test asks of the browser side of the headless harness (test/harness/vscode-server.mjs):
 * a PNG screenshot of the workbench, the text of workbench elements. Under @vscode/test-electron
 * there is no browser side; `available` is false and tests that need it skip with that reason.
 */
const url = process.env.PINPACK_HARNESS_URL;

export const harnessAvailable = url !== undefined;

async function call<T>(path: string, body: unknown): Promise<T> {
  if (!url) throw new Error('The headless harness is not running these tests (PINPACK_HARNESS_URL is unset).');
  const response = await fetch(`${url}${path}`, { method: 'POST', body: JSON.stringify(body) });
  const result = (await response.json()) as T & { error?: string };
  if (!response.ok) throw new Error(`harness ${path}: ${result.error ?? response.status}`);
  return result;
}

/** Saves a PNG of the whole workbench to out/screenshots/<name>.png and returns its path. */
export async function screenshot(name: string): Promise<string> {
  return (await call<{ path: string }>('/screenshot', { name })).path;
}

/**
 * The rendered text of every workbench element matching a CSS selector. Editors render spaces as
 * no-break spaces; they come back as plain spaces so tests can match what was written.
 */
export async function workbenchTexts(selector: string): Promise<string[]> {
  return (await call<{ texts: string[] }>('/text', { selector })).texts.map((t) => t.replace(/\u00a0/g, ' '));
}

/**
 * Turns the mouse wheel over the first workbench element matching a CSS selector (positive
 * `deltaY` scrolls down). Lists render only the rows in view; this brings the others in.
 */
export async function wheel(selector: string, deltaY: number): Promise<void> {
  await call('/wheel', { selector, deltaY });
}

/**
 * Polls until `probe` returns a value other than undefined, or fails after `timeoutMs`; `seen`
 * says what the last probe found instead, for the failure's message.
 */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000, seen?: () => string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.${seen ? ` Seen instead: ${seen()}` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
