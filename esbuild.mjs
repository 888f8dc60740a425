// Bundles PinPack's entry points (DESIGN.md §1) into dist/, and with --tests the test and
// benchmark sources into out/. One script for every mode so that tests run exactly the code the
// VSIX ships: same loaders, same defines.
//
//   node esbuild.mjs                 development build: dist/ with linked sourcemaps
//   node esbuild.mjs --production    minified, no sourcemaps (what `npm run package` ships)
//   node esbuild.mjs --tests         dist/ plus out/test/** and out/bench/**
//   node esbuild.mjs --watch         rebuild dist/ on change
//   --outdir=DIR                     put the products somewhere other than dist/ (used by tests)
import * as esbuild from 'esbuild';
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));
const argv = process.argv.slice(2);
const args = new Set(argv);
const production = args.has('--production');
const withTests = args.has('--tests');
const watch = args.has('--watch');
const distDir = argv.find((a) => a.startsWith('--outdir='))?.slice('--outdir='.length) ?? 'dist';
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/** Script templates and documents are imported as text: the bundle carries them byte for byte. */
const textLoaders = { '.ps1': 'text', '.psm1': 'text', '.bat': 'text', '.cmd': 'text', '.md': 'text', '.xml': 'text' };

/** @type {esbuild.BuildOptions} */
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  loader: textLoaders,
  define: { PINPACK_VERSION: JSON.stringify(pkg.version) },
  sourcemap: production ? false : 'linked',
  minify: production,
  legalComments: production ? 'none' : 'inline',
  logLevel: 'warning',
  absWorkingDir: root,
  // The `vscode` module is provided by the extension host at run time.
  external: ['vscode'],
};

/**
 * The Japanese strings (l10n/bundle.l10n.ja.json, 161 KiB) are bundled into the CLI and the
 * language server, which find no file at run time. The extension host hands the extension its
 * bundle through vscode.l10n (src/extension/core-l10n.ts), so the extension's chunks do not carry
 * a second copy: where core asks for it there (src/core/language.ts), it is read from the VSIX's
 * l10n/ folder, beside dist/, on first use.
 */
const japaneseFromDisk = {
  name: 'japanese-bundle-from-disk',
  setup(build) {
    build.onResolve({ filter: /[\\/]l10n[\\/]bundle\.l10n\.ja\.json$/ }, () => ({ path: 'bundle.l10n.ja.json', namespace: 'l10n-from-disk' }));
    build.onLoad({ filter: /.*/, namespace: 'l10n-from-disk' }, () => ({
      loader: 'js',
      // `require` is the chunk's own (see the banner below), so it resolves from dist/.
      contents: "module.exports = JSON.parse(require('node:fs').readFileSync(require.resolve(['..', 'l10n', 'bundle.l10n.ja.json'].join('/')), 'utf8'));",
    }));
  },
};

/**
 * The extension is ES modules split into chunks (VS Code loads an `.mjs` main as ESM): the entry,
 * dist/extension.mjs, holds only what activate() runs; the language client, the linter, the
 * templates, the archive code and each command's implementation are chunks it imports on first
 * use, sharing one copy of every module they have in common. CommonJS packages inside (the
 * language client) still `require('vscode')`, so each chunk gets a `require` of its own.
 */
const extensionProduct = {
  entryPoints: { extension: 'src/extension/extension.ts' },
  outdir: distDir,
  format: 'esm',
  splitting: true,
  outExtension: { '.js': '.mjs' },
  chunkNames: 'extension-[name]-[hash]',
  banner: { js: "import { createRequire as __pinpackCreateRequire } from 'node:module';\nconst require = __pinpackCreateRequire(import.meta.url);" },
  plugins: [japaneseFromDisk],
};

/** @type {esbuild.BuildOptions[]} */
const products = [
  extensionProduct,
  { entryPoints: { server: 'src/server/server.ts' }, outdir: distDir },
  { entryPoints: { cli: 'src/cli/main.ts' }, outdir: distDir, banner: { js: '#!/usr/bin/env node' } },
];

/** Every file under `dir` whose name ends with one of `suffixes`, as paths relative to the root. */
function walk(dir, suffixes) {
  const abs = join(root, dir);
  let names;
  try {
    names = readdirSync(abs);
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const path = join(abs, name);
    if (statSync(path).isDirectory()) return walk(relative(root, path), suffixes);
    return suffixes.some((s) => name.endsWith(s)) ? [relative(root, path)] : [];
  });
}

function testBuilds() {
  const entries = (dir, suffixes) =>
    Object.fromEntries(walk(dir, suffixes).map((file) => [file.replace(/\.ts$/, ''), file]));
  // Mocha stays external: the runner and the test files must share one instance of it.
  const external = ['vscode', 'mocha'];
  return [
    // Each test file is its own bundle so mocha can load, filter and report them one by one.
    { entryPoints: entries('test/unit', ['.test.ts']), outdir: 'out', external },
    { entryPoints: entries('test/reliability', ['.test.ts']), outdir: 'out', external },
    { entryPoints: entries('test/integration', ['.ts']), outdir: 'out', external },
    { entryPoints: entries('test/vsix', ['.ts']), outdir: 'out', external },
    { entryPoints: entries('bench', ['.bench.ts']), outdir: 'out', external },
  ].filter((b) => Object.keys(b.entryPoints).length > 0);
}

/**
 * dist/pinpack.schema.json, the JSON Schema that package.json's `jsonValidation` gives VS Code for
 * pinpack.json. It is generated from the manifest's zod schema (z.toJSONSchema), so the editor and
 * PinPack can never disagree: the manifest module is bundled in memory and asked for it.
 */
async function writeManifestSchema() {
  const result = await esbuild.build({
    ...common,
    entryPoints: ['src/core/workspace/manifest.ts'],
    write: false,
    sourcemap: false,
    minify: false,
    legalComments: 'none',
  });
  const module = { exports: {} };
  const require = createRequire(join(root, 'esbuild.mjs'));
  new Function('module', 'exports', 'require', result.outputFiles[0].text)(module, module.exports, require);
  const schema = module.exports.manifestJsonSchema();
  mkdirSync(resolve(root, distDir), { recursive: true });
  writeFileSync(resolve(root, distDir, 'pinpack.schema.json'), `${JSON.stringify(schema, null, 2)}\n`);
}

const builds = [...products, ...(withTests ? testBuilds() : [])].map((b) => ({ ...common, ...b }));

rmSync(join(root, distDir), { recursive: true, force: true });
if (withTests) rmSync(join(root, 'out'), { recursive: true, force: true });

if (watch) {
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
  await writeManifestSchema();
  console.log('esbuild: watching for changes');
} else {
  const started = Date.now();
  await Promise.all([...builds.map((b) => esbuild.build(b)), writeManifestSchema()]);
  console.log(`esbuild: ${builds.length} bundles in ${Date.now() - started} ms (${production ? 'production' : 'development'})`);
}
