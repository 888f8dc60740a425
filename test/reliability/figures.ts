import * as assert from 'node:assert/strict';
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The reliability suite's figures (issue #10). Each test states what it measured as a figure with
 * a bound; the figure is appended to PINPACK_FIGURES_FILE (JSON lines, printed as a report by
 * test/harness/run-all.mjs) and asserted, so a figure over its bound fails the test that measured it.
 */
export interface Figure {
  readonly area: string;
  readonly name: string;
  readonly value: number;
  /** The figure must not exceed this. */
  readonly max?: number;
  /** The figure must reach this. */
  readonly min?: number;
  readonly note?: string;
}

export function figure(f: Figure, detail?: () => string): void {
  const file = process.env['PINPACK_FIGURES_FILE'];
  if (file) {
    mkdirSync(dirname(file), { recursive: true });
    appendFileSync(file, `${JSON.stringify(f)}\n`);
  }
  const bound = f.max !== undefined && f.min !== undefined ? `${f.min}..${f.max}` : f.max !== undefined ? `<= ${f.max}` : f.min !== undefined ? `>= ${f.min}` : 'reported';
  console.log(`      [figure] ${f.area}: ${f.name} = ${f.value} (bound ${bound})${f.note ? ` ${f.note}` : ''}`);
  if (f.max !== undefined) assert.ok(f.value <= f.max, `${f.area}: ${f.name} is ${f.value}, over its bound of ${f.max}${detail ? `\n${detail()}` : ''}`);
  if (f.min !== undefined) assert.ok(f.value >= f.min, `${f.area}: ${f.name} is ${f.value}, under its bound of ${f.min}${detail ? `\n${detail()}` : ''}`);
}

/** The repository root: reliability tests run from out/test/reliability/*, bundled by esbuild.mjs. */
export const repoRoot = ((): string => {
  const marker = join('out', 'test', 'reliability');
  const index = __dirname.lastIndexOf(marker);
  if (index < 0) throw new Error(`reliability tests must run from ${marker}, not ${__dirname}`);
  return __dirname.slice(0, index);
})();

/** Counts unhandled promise rejections while `body` runs (and a tick after). */
export async function countingUnhandledRejections<T>(body: () => Promise<T>): Promise<{ result: T; unhandled: unknown[] }> {
  const unhandled: unknown[] = [];
  const listener = (reason: unknown): void => {
    unhandled.push(reason);
  };
  process.on('unhandledRejection', listener);
  try {
    const result = await body();
    await new Promise((resolve) => setTimeout(resolve, 20));
    return { result, unhandled };
  } finally {
    process.off('unhandledRejection', listener);
  }
}
