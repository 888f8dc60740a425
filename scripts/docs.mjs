// `npm run docs`: rewrites the generated sections of README.md and README.ja.md (settings, CLI
// reference, deployment steps, exit codes; see scripts/readme-sections.ts).
//   node scripts/docs.mjs [--check]    --check only reports, and exits 1 when a README is stale
import * as esbuild from 'esbuild';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFileSync, writeFileSync } from 'node:fs';

const root = fileURLToPath(new URL('..', import.meta.url));
const check = process.argv.includes('--check');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

// Bundled in memory with the loaders and defines of esbuild.mjs, so the help text and the
// templates are exactly what dist/ ships.
const result = await esbuild.build({
  entryPoints: [join(root, 'scripts', 'readme-sections.ts')],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  write: false,
  loader: { '.ps1': 'text', '.psm1': 'text', '.bat': 'text', '.cmd': 'text', '.md': 'text', '.xml': 'text' },
  define: { PINPACK_VERSION: JSON.stringify(pkg.version) },
  logLevel: 'warning',
  absWorkingDir: root,
});
const module = { exports: {} };
new Function('module', 'exports', 'require', result.outputFiles[0].text)(module, module.exports, createRequire(join(root, 'scripts', 'docs.mjs')));
const stale = await module.exports.updateReadmes(root, check, (file, text) => writeFileSync(file, text));
if (check) {
  if (stale.length) {
    console.error(`Out of date: ${stale.join(', ')}. Run "npm run docs" and commit the result.`);
    process.exitCode = 1;
  } else {
    console.log('README.md and README.ja.md are up to date.');
  }
} else {
  console.log(stale.length ? `Rewrote the generated sections of ${stale.join(', ')}.` : 'README.md and README.ja.md were already up to date.');
}
