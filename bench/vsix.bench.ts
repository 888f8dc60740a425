import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Benchmark, Figure } from './figure';

const root = join(__dirname, '..', '..');

interface VsixHarness {
  runVsixSuite(options: { resultsFile: string; figuresFile: string; verbose?: boolean }): Promise<{ size: number; bundles: Record<string, number> }>;
}

interface SmokeFigures {
  readonly activationMs: number;
  readonly reference?: { readonly label: string; readonly activationMs: number };
}

/**
 * The release budgets of the VSIX: `npm run package` (a production build), its size and the sizes
 * of the bundles in it, and the activation time VS Code itself measures (code loading plus the
 * activate() call, as Developer: Show Running Extensions shows it) for PinPack installed from that
 * VSIX, beside a small built-in extension activated in the same window. The activation figure
 * comes from the VSIX smoke suite (test/harness/vsix.mjs), so this benchmark starts a real VS Code.
 */
const benchmark: Benchmark = async () => {
  const harness = (await import(pathToFileURL(join(root, 'test', 'harness', 'vsix.mjs')).href)) as VsixHarness;
  const scratch = mkdtempSync(join(tmpdir(), 'pinpack-bench-vsix-'));
  try {
    const resultsFile = join(scratch, 'results.json');
    const figuresFile = join(scratch, 'figures.json');
    const packaged = await harness.runVsixSuite({ resultsFile, figuresFile });
    const results = JSON.parse(readFileSync(resultsFile, 'utf8')) as { passed: number; failed: number };
    if (results.failed > 0) throw new Error(`the VSIX smoke suite failed (${results.failed}): run "npm run test:vsix" to see why`);
    const smoke = JSON.parse(readFileSync(figuresFile, 'utf8')) as SmokeFigures;
    const kib = (bytes: number) => bytes / 1024;
    const figures: Figure[] = [
      { name: 'VSIX size (npm run package)', unit: 'KiB', value: kib(packaged.size), target: { on: 'value', max: 3 * 1024 } },
      {
        name: 'Activation in VS Code, installed VSIX (Running Extensions)',
        unit: 'ms',
        value: smoke.activationMs,
        ...(smoke.reference ? { reference: { label: smoke.reference.label, value: smoke.reference.activationMs } } : {}),
        target: { on: 'value', max: 50 },
      },
    ];
    for (const [file, size] of Object.entries(packaged.bundles)) {
      figures.push({ name: `Bundle size, production: dist/${file}`, unit: 'KiB', value: kib(size) });
    }
    return figures;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
};

export default benchmark;
