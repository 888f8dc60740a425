import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as yauzl from 'yauzl';
import { distDir, repoRoot } from '../paths';

function entries(zip: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    yauzl.open(zip, { lazyEntries: true }, (error, file) => {
      if (error || !file) return reject(error);
      const names: string[] = [];
      file.on('entry', (entry: yauzl.Entry) => {
        names.push(entry.fileName);
        file.readEntry();
      });
      file.on('end', () => resolve(names));
      file.on('error', reject);
      file.readEntry();
    });
  });
}

/** What .vscodeignore allows, plus the manifest files vsce itself writes. */
const ALLOWED = [
  /^extension\.vsixmanifest$/,
  /^\[Content_Types\]\.xml$/,
  /^extension\/dist\/[^/]+\.m?js$/,
  /^extension\/dist\/pinpack\.schema\.json$/,
  /^extension\/(media|snippets|syntaxes|l10n)\/.+/,
  /^extension\/package(\.nls(\.[a-z-]+)?)?\.json$/,
  /^extension\/(readme\.md|changelog\.md|LICENSE\.txt)$/,
];

describe('VSIX', () => {
  it('packages only the allow-listed files', async function () {
    this.timeout(120_000);
    const dir = mkdtempSync(join(tmpdir(), 'pinpack-vsix-'));
    try {
      const vsix = join(dir, 'pinpack.vsix');
      execFileSync(
        process.execPath,
        [join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--no-dependencies', '--allow-missing-repository', '--out', vsix],
        { cwd: repoRoot, stdio: 'pipe' },
      );
      const names = await entries(vsix);
      assert.deepEqual(names.filter((n) => !ALLOWED.some((re) => re.test(n))), []);
      // The extension's entry and every chunk it loads on demand: a chunk missing from the VSIX
      // would break its command only on first use.
      const chunks = readdirSync(distDir).filter((f) => /^extension-.+\.mjs$/.test(f));
      assert.ok(chunks.length > 0, 'dist/ holds no extension chunks');
      for (const needed of [...chunks.map((f) => `extension/dist/${f}`), 'extension/package.json', 'extension/dist/extension.mjs', 'extension/dist/server.js', 'extension/dist/cli.js', 'extension/dist/pinpack.schema.json', 'extension/readme.md']) {
        assert.ok(names.includes(needed), `${needed} is missing from the VSIX`);
      }
      assert.deepEqual(names.filter((n) => n.endsWith('.map') || n.includes('/src/') || n.includes('node_modules') || n.includes('/screenshots/')), []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
