// `npm run bench`: runs every benchmark bundled under out/bench/ (from bench/*.bench.ts) and
// prints one table: figure, PinPack, reference measured in the same run, ratio, target, met.
//   node bench/run.mjs [--json FILE] [name-filter]
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, type as osType, release } from 'node:os';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { cacheDir } from '../test/harness/tools.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const argv = process.argv.slice(2);
const jsonIndex = argv.indexOf('--json');
const jsonFile = jsonIndex >= 0 ? (argv[jsonIndex + 1] ?? join(root, 'bench', 'results', 'bench.json')) : undefined;
const filters = argv.filter((a, i) => !a.startsWith('--') && (jsonIndex < 0 || i !== jsonIndex + 1));

const dir = join(root, 'out', 'bench');
let files;
try {
  files = readdirSync(dir).filter((f) => f.endsWith('.bench.js')).sort();
} catch {
  console.error('No benchmarks are built: run "npm run bench", which builds them first.');
  process.exit(2);
}
files = files.filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)));

/** The version of a tool the harness installed, without installing it: undefined when it is absent. */
function installedVersion(read) {
  try {
    return read();
  } catch {
    return undefined;
  }
}
const machine = {
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  os: `${osType()} ${release()}`,
  node: process.version,
  vscode: installedVersion(
    () => JSON.parse(readFileSync(join(cacheDir, 'vscode-server', 'node_modules', 'code-server', 'lib', 'vscode', 'product.json'), 'utf8')).version,
  ),
  pwsh: installedVersion(() =>
    execFileSync(join(cacheDir, 'pwsh', process.platform === 'win32' ? 'pwsh.exe' : 'pwsh'), ['-NoLogo', '-NoProfile', '-Command', '$PSVersionTable.PSVersion.ToString()'], { encoding: 'utf8' }).trim(),
  ),
};
console.log(
  `PinPack benchmarks on ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.os}, Node ${machine.node}, ` +
    `VS Code ${machine.vscode ?? 'not installed'} (headless server), PowerShell ${machine.pwsh ?? 'not installed'}\n`,
);

const fmt = (n) => (n === undefined ? '' : Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2));
const rows = [];
const failures = [];
for (const file of files) {
  const benchmark = require(join(dir, file)).default;
  let figures;
  try {
    figures = await benchmark();
  } catch (error) {
    // One broken benchmark must not hide the others' figures: it is reported, and the run fails.
    console.error(`${file}: ${error instanceof Error ? error.message : String(error)}`);
    failures.push(file);
    continue;
  }
  for (const figure of figures) {
    const ratio = figure.reference ? figure.value / figure.reference.value : undefined;
    const subject = figure.target?.on === 'ratio' ? ratio : figure.value;
    const { max, min } = figure.target ?? {};
    const met = figure.target === undefined || subject === undefined ? undefined : (max === undefined || subject <= max) && (min === undefined || subject >= min);
    const target = figure.target ? `${figure.target.on === 'ratio' ? 'ratio' : figure.unit} ${max !== undefined ? `<= ${max}` : ''}${min !== undefined ? `>= ${min}` : ''}` : '';
    rows.push({ bench: file.replace(/\.bench\.js$/, ''), ...figure, ratio, met, targetText: target });
  }
}

const table = [
  ['figure', 'PinPack', 'reference', 'ratio', 'target', 'met'],
  ...rows.map((r) => [
    r.name,
    `${fmt(r.value)} ${r.unit}`,
    r.reference ? `${fmt(r.reference.value)} ${r.unit} (${r.reference.label})` : '-',
    r.ratio === undefined ? '-' : `${r.ratio.toFixed(2)}x`,
    r.targetText || '-',
    r.met === undefined ? '-' : r.met ? 'yes' : 'NO',
  ]),
];
const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
for (const [i, row] of table.entries()) {
  console.log(row.map((cell, j) => cell.padEnd(widths[j])).join('  ').trimEnd());
  if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
}
if (jsonFile) {
  mkdirSync(dirname(jsonFile), { recursive: true });
  writeFileSync(jsonFile, JSON.stringify({ machine, figures: rows }, null, 2));
  console.log(`\nJSON: ${jsonFile}`);
}
if (failures.length > 0) {
  console.error(`\n${failures.length} benchmark(s) failed and have no figures: ${failures.join(', ')}`);
  process.exitCode = 1;
}
