// `npm test`: builds, then runs the five suites in order (unit in plain Node, integration in a
// real VS Code, PowerShell under real pwsh with Pester, vsix: the packaged VSIX installed into a
// real VS Code and smoke-tested, and reliability: faults, hostile input and secrets as figures, in
// Node and Pester), prints each suite's counts, and ends with one line
// `N passed, N failed[, N skipped]` summed over all of them. Exits non-zero when a test
// failed or a suite could not run; a suite that could not run counts as one failure and says why.
//
//   node test/harness/run-all.mjs [unit] [integration] [powershell] [vsix] [reliability] [--verbose] [--grep=TEXT]
//
// --grep=TEXT runs only the unit, integration and reliability (Node) tests whose full title
// contains TEXT (mocha's grep), for a quick loop while working on one area; `npm test` never sets it.
// The reliability suite prints a report of its figures (each with its bound) at its end.
//
// Environment: PINPACK_VSCODE=electron runs the integration suite with @vscode/test-electron (a
// machine that can download VS Code); PINPACK_INTEGRATION_TIMEOUT (seconds, default 900);
// PINPACK_TEST_CACHE moves the tool cache (default .vscode-test/).
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensurePester, ensurePwsh, root, run, SetupError } from './tools.mjs';

const ALL = ['unit', 'integration', 'powershell', 'vsix', 'reliability'];
const args = process.argv.slice(2);
const verbose = args.includes('--verbose');
const grep = args.find((a) => a.startsWith('--grep='))?.slice('--grep='.length);
const chosen = args.filter((a) => !a.startsWith('--'));
const unknown = chosen.filter((s) => !ALL.includes(s));
if (unknown.length) {
  console.error(`Unknown suite ${unknown.join(', ')}: choose from ${ALL.join(', ')}.`);
  process.exit(2);
}
const suites = ALL.filter((s) => chosen.length === 0 || chosen.includes(s));
const resultsDir = join(root, 'out', 'results');

/** A suite's counts, and its failed tests as `{ title, message }` (the reporters write them). */
function readResults(file) {
  if (!existsSync(file)) return undefined;
  const { passed, failed, skipped, failures } = JSON.parse(readFileSync(file, 'utf8'));
  return { passed, failed, skipped, failures: Array.isArray(failures) ? failures : [] };
}

async function mochaRun(resultsFile, files, env = {}) {
  const mocha = join(root, 'node_modules', 'mocha', 'bin', 'mocha.js');
  await run(process.execPath, [
    mocha,
    '--enable-source-maps',
    '--color',
    '--timeout', '30000',
    '--reporter', join(root, 'test', 'harness', 'mocha-reporter.cjs'),
    ...(grep ? ['--grep', grep] : []),
    files,
  ], { env: { ...process.env, ...env, PINPACK_RESULTS_FILE: resultsFile }, prefix: ' ' }).catch((error) => {
    // Failing tests make mocha exit non-zero; only a run that wrote no results is a setup problem.
    if (!existsSync(resultsFile)) throw error;
  });
}

async function unit(resultsFile) {
  // The linter's oracle tests compare with the real PowerShell parser. When pwsh cannot be
  // installed here, those tests fail and say so; the rest of the suite still runs.
  await ensurePwsh().catch((error) => console.log(`[setup] ${error.message}`));
  await mochaRun(resultsFile, 'out/test/unit/**/*.test.js');
}

/**
 * The integration suite runs twice in the VS Code server: the whole suite in English, then the
 * `*.ja.test.ts` files in a VS Code started in Japanese (a second, short pass); their counts are
 * summed into one result. A pass that reports nothing counts as one failure.
 */
async function integration(resultsFile) {
  const testsEntry = join(root, 'out', 'test', 'integration', 'index.js');
  const timeoutMs = Number(process.env.PINPACK_INTEGRATION_TIMEOUT ?? 900) * 1000;
  const harness = await import('./vscode-server.mjs');
  if (grep) process.env.PINPACK_TEST_GREP = grep;
  if (process.env.PINPACK_VSCODE === 'electron') {
    await harness.runInTestElectron({ testsEntry, resultsFile });
    return;
  }
  const totals = { passed: 0, failed: 0, skipped: 0, failures: [] };
  let problem;
  for (const locale of ['en', 'ja']) {
    if (locale !== 'en') console.log(`\n== integration (VS Code in ${locale})`);
    const passFile = join(resultsDir, `integration-${locale}.json`);
    try {
      await harness.runInVSCodeServer({ testsEntry, resultsFile: passFile, timeoutMs, verbose, locale });
    } catch (error) {
      problem ??= error;
    }
    const results = readResults(passFile);
    if (!results) {
      totals.failed += 1;
      if (!problem) console.log(`integration (${locale}): the pass ended without reporting any result`);
      continue;
    }
    for (const key of ['passed', 'failed', 'skipped']) totals[key] += results[key];
    totals.failures.push(...results.failures.map((f) => ({ ...f, title: `(${locale}) ${f.title}` })));
  }
  writeFileSync(resultsFile, JSON.stringify(totals));
  if (problem) throw problem;
}

async function pesterRun(resultsFile, testPath, env = {}) {
  const pwsh = await ensurePwsh();
  const pester = await ensurePester();
  await run(pwsh, [
    '-NoLogo', '-NoProfile', '-NonInteractive',
    '-File', join(root, 'test', 'harness', 'run-pester.ps1'),
    '-PesterManifest', pester,
    '-TestPath', testPath,
    '-ResultsFile', resultsFile,
  ], { env: { ...process.env, ...env }, prefix: ' ' }).catch((error) => {
    if (!existsSync(resultsFile)) throw error;
  });
}

async function powershell(resultsFile) {
  await pesterRun(resultsFile, join(root, 'test', 'powershell'));
}

async function vsix(resultsFile) {
  const timeoutMs = Number(process.env.PINPACK_INTEGRATION_TIMEOUT ?? 900) * 1000;
  const { runVsixSuite } = await import('./vsix.mjs');
  await runVsixSuite({ resultsFile, timeoutMs, verbose, figuresFile: join(resultsDir, 'vsix-figures.json') });
}

/** One report line per figure: `area: name  value  (bound)  ok|OVER BOUND`. */
function printFigures(figuresFile) {
  const figures = existsSync(figuresFile)
    ? readFileSync(figuresFile, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l))
    : [];
  console.log('\n== reliability figures');
  if (figures.length === 0) console.log('(no figure was recorded)');
  const width = Math.max(0, ...figures.map((f) => `${f.area}: ${f.name}`.length));
  for (const f of figures) {
    const within = (f.max === undefined || f.value <= f.max) && (f.min === undefined || f.value >= f.min);
    const bound = f.max !== undefined && f.min !== undefined ? `${f.min}..${f.max}` : f.max !== undefined ? `<= ${f.max}` : f.min !== undefined ? `>= ${f.min}` : 'reported';
    console.log(`${`${f.area}: ${f.name}`.padEnd(width)}  ${String(f.value).padStart(9)}  (bound ${bound})  ${within ? 'ok' : 'OVER BOUND'}${f.note ? `  ${f.note}` : ''}`);
  }
  return figures;
}

/**
 * Faults, hostile input and secrets (issue #10): the Node tests under test/reliability, then the
 * device scripts under faults with Pester. Every test records the figures it measured (value and
 * bound) in one JSON-lines file; the report printed at the end lists them all. A figure over its
 * bound fails the test that measured it, and counts as a failure here too should that test not
 * have said so.
 */
async function reliability(resultsFile) {
  const figuresFile = join(resultsDir, 'reliability-figures.jsonl');
  rmSync(figuresFile, { force: true });
  const env = { PINPACK_FIGURES_FILE: figuresFile };
  await ensurePwsh().catch((error) => console.log(`[setup] ${error.message}`));
  const nodeResults = join(resultsDir, 'reliability-node.json');
  const pesterResults = join(resultsDir, 'reliability-pester.json');
  let problem;
  await mochaRun(nodeResults, 'out/test/reliability/**/*.test.js', env).catch((error) => (problem = error));
  if (!grep) await pesterRun(pesterResults, join(root, 'test', 'reliability'), env).catch((error) => (problem ??= error));
  const parts = [readResults(nodeResults), grep ? { passed: 0, failed: 0, skipped: 0 } : readResults(pesterResults)];
  const figures = printFigures(figuresFile);
  if (parts.some((p) => p === undefined)) throw problem ?? new Error('a part of the reliability suite reported no result');
  const over = figures.filter((f) => (f.max !== undefined && f.value > f.max) || (f.min !== undefined && f.value < f.min)).length;
  const sum = { passed: 0, failed: 0, skipped: 0, failures: [] };
  for (const p of parts) {
    for (const k of ['passed', 'failed', 'skipped']) sum[k] += p[k] ?? 0;
    sum.failures.push(...(p.failures ?? []));
  }
  if (over > 0 && sum.failed === 0) sum.failed = over;
  writeFileSync(resultsFile, JSON.stringify(sum));
}

const runners = { unit, integration, powershell, vsix, reliability };
const totals = { passed: 0, failed: 0, skipped: 0 };
const lines = [];
/** Every failed test, by suite: repeated next to the summary, where a CI log is read first. */
const failedTests = [];

let built = true;
console.log('== build');
try {
  await run(process.execPath, [join(root, 'esbuild.mjs'), '--tests'], { prefix: ' ' });
} catch (error) {
  built = false;
  console.log(`build failed: ${error.message}`);
  totals.failed += 1;
  lines.push('build: failed, no suite ran');
}

// After the build, which starts out/ afresh.
rmSync(resultsDir, { recursive: true, force: true });
mkdirSync(resultsDir, { recursive: true });

for (const suite of built ? suites : []) {
  console.log(`\n== ${suite}`);
  const resultsFile = join(resultsDir, `${suite}.json`);
  let problem;
  try {
    await runners[suite](resultsFile);
  } catch (error) {
    problem = error instanceof SetupError ? error.message : String(error?.stack ?? error);
  }
  const results = readResults(resultsFile);
  if (!results) {
    const why = problem ?? 'the suite ended without reporting any result';
    console.log(`${suite}: could not run: ${why}`);
    lines.push(`${suite}: could not run (counted as 1 failed): ${why.split('\n')[0]}`);
    totals.failed += 1;
    continue;
  }
  if (problem) console.log(`${suite}: ended abnormally after reporting its results: ${problem}`);
  failedTests.push(...results.failures.map((f) => `${suite}: ${f.title}: ${f.message}`));
  const failed = results.failed + (problem ? 1 : 0);
  totals.passed += results.passed;
  totals.failed += failed;
  totals.skipped += results.skipped;
  lines.push(`${suite}: ${results.passed} passed, ${failed} failed${results.skipped ? `, ${results.skipped} skipped` : ''}`);
}

if (failedTests.length > 0) {
  console.log('\n== failed tests');
  for (const line of failedTests) console.log(line);
}
console.log('\n== summary');
for (const line of lines) console.log(line);
console.log(`${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`);
process.exitCode = totals.failed > 0 ? 1 : 0;
