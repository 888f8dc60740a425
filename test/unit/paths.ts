import { join } from 'node:path';

/** The repository root: unit tests run from out/test/unit/**, bundled by esbuild.mjs. */
export const repoRoot = ((): string => {
  const marker = `${join('out', 'test', 'unit')}`;
  const index = __dirname.lastIndexOf(marker);
  if (index < 0) throw new Error(`unit tests must run from ${marker}, not ${__dirname}`);
  return __dirname.slice(0, index);
})();

export const distDir = join(repoRoot, 'dist');
export const cliPath = join(distDir, 'cli.js');
