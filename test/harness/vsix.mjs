// The VSIX suite: builds the VSIX exactly as `npm run package` does, installs it with the VS Code
// server's `--install-extension` into a fresh extensions folder, and runs the smoke tests of
// test/vsix/ in a workbench where PinPack is an ordinary installed extension. VS Code runs
// extension tests only next to a development extension, so the development extension is the
// empty test/vsix/driver, never PinPack's source folder.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root, SetupError } from './tools.mjs';
import { runInVSCodeServer } from './vscode-server.mjs';

const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;

function npm(args, { quiet }) {
  return new Promise((resolve, reject) => {
    const output = [];
    const child = spawn('npm', args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    for (const stream of [child.stdout, child.stderr]) {
      stream.on('data', (chunk) => (quiet ? output.push(chunk) : process.stdout.write(chunk)));
    }
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new SetupError(`npm ${args.join(' ')} failed (exit ${code}):\n${Buffer.concat(output).toString().trim()}`)),
    );
  });
}

/**
 * `npm run package` into a scratch folder: returns the VSIX path and the sizes of the production
 * bundles it holds. `npm run package` leaves a production build in dist/; the development build
 * is put back afterwards, so the other suites and the CLI keep their sourcemaps.
 */
export async function packageVsix({ quiet = true } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'pinpack-vsix-'));
  const vsix = join(dir, `pinpack-${version}.vsix`);
  try {
    await npm(['run', 'package', '--', '--out', vsix], { quiet });
    const dist = join(root, 'dist');
    const bundles = Object.fromEntries(['extension.mjs', 'server.js', 'cli.js'].map((f) => [f, statSync(join(dist, f)).size]));
    // The extension's chunks, which its entry (extension.mjs) loads on first use.
    const chunks = readdirSync(dist).filter((f) => /^extension-.+\.mjs$/.test(f));
    bundles[`extension-*.mjs (${chunks.length} chunks)`] = chunks.reduce((sum, f) => sum + statSync(join(dist, f)).size, 0);
    return { dir, vsix, size: statSync(vsix).size, bundles };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  } finally {
    await new Promise((resolve) => {
      const child = spawn(process.execPath, [join(root, 'esbuild.mjs')], { cwd: root, stdio: 'ignore' });
      child.once('exit', resolve);
      child.once('error', resolve);
    });
  }
}

/** Packages, installs and runs the smoke tests; resolves with what the tests reported. */
export async function runVsixSuite({ resultsFile, timeoutMs = 600_000, verbose = false, figuresFile }) {
  const packaged = await packageVsix({ quiet: !verbose });
  try {
    console.log(`packaged ${packaged.vsix} (${(packaged.size / 1024).toFixed(0)} KiB)`);
    await runInVSCodeServer({
      testsEntry: join(root, 'out', 'test', 'vsix', 'index.js'),
      resultsFile,
      timeoutMs,
      verbose,
      developmentPath: join(root, 'test', 'vsix', 'driver'),
      install: [packaged.vsix],
      env: { PINPACK_VSIX_VERSION: version, ...(figuresFile ? { PINPACK_VSIX_FIGURES: figuresFile } : {}) },
    });
    return packaged;
  } finally {
    rmSync(packaged.dir, { recursive: true, force: true });
  }
}
