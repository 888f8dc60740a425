import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { distDir, repoRoot } from '../paths';

const PRODUCTS = ['extension.js', 'server.js', 'cli.js'];

function sourcesOf(bundle: string): string[] {
  const map = JSON.parse(readFileSync(join(distDir, `${bundle}.map`), 'utf8')) as { sources: string[] };
  return map.sources.map((s) => s.replace(/^(\.\.\/)+/, ''));
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

describe('esbuild output', () => {
  it('bundles the extension, the language server and the CLI into dist/ with sourcemaps', () => {
    for (const product of PRODUCTS) {
      const code = readFileSync(join(distDir, product), 'utf8');
      assert.match(code, new RegExp(`//# sourceMappingURL=${product.replace('.', '\\.')}\\.map\\s*$`), product);
      assert.ok(existsSync(join(distDir, `${product}.map`)), `${product}.map`);
    }
  });

  it('starts the CLI bundle with a node shebang', () => {
    assert.ok(readFileSync(join(distDir, 'cli.js'), 'utf8').startsWith('#!/usr/bin/env node\n'));
  });

  it('leaves `vscode` to the extension host and keeps the server out of the extension bundle', () => {
    const extension = readFileSync(join(distDir, 'extension.js'), 'utf8');
    assert.match(extension, /require\("vscode"\)/);
    const sources = sourcesOf('extension.js');
    assert.ok(sources.includes('src/extension/extension.ts'), sources.join(', '));
    assert.deepEqual(sources.filter((s) => s.startsWith('src/server/') || s.startsWith('src/cli/')), []);
  });

  it('never pulls `vscode` into the server or the CLI', () => {
    for (const product of ['server.js', 'cli.js']) {
      assert.doesNotMatch(readFileSync(join(distDir, product), 'utf8'), /require\("vscode"\)/, product);
      assert.deepEqual(sourcesOf(product).filter((s) => s.startsWith('src/extension/')), [], product);
    }
  });

  it('keeps core/ free of vscode imports (DESIGN.md dependency direction)', () => {
    const core = join(repoRoot, 'src', 'core');
    const offenders = walk(core)
      .filter((f) => f.endsWith('.ts'))
      .filter((f) => /from\s+['"](vscode['"]|(\.\.\/)+(extension|server|cli|demo-tenant)\/)/.test(readFileSync(f, 'utf8')));
    assert.deepEqual(offenders.map((f) => relative(repoRoot, f)), []);
  });

  it('imports zod as a namespace, so its locales stay out of the bundles', () => {
    const named = walk(join(repoRoot, 'src'))
      .filter((f) => f.endsWith('.ts'))
      .filter((f) => /import\s*\{[^}]*\bz\b[^}]*\}\s*from\s*['"]zod['"]/.test(readFileSync(f, 'utf8')));
    assert.deepEqual(named.map((f) => relative(repoRoot, f)), [], "use import * as z from 'zod'");
  });

  it('builds a minified production bundle without sourcemaps that still runs', function () {
    this.timeout(60_000);
    const out = mkdtempSync(join(tmpdir(), 'pinpack-prod-'));
    try {
      execFileSync(process.execPath, [join(repoRoot, 'esbuild.mjs'), '--production', `--outdir=${out}`], { cwd: repoRoot });
      assert.deepEqual(readdirSync(out).sort(), [...PRODUCTS, 'pinpack.schema.json'].sort());
      for (const product of PRODUCTS) {
        const prod = readFileSync(join(out, product), 'utf8');
        assert.doesNotMatch(prod, /sourceMappingURL/, product);
        assert.ok(prod.length < readFileSync(join(distDir, product), 'utf8').length, `${product} is not smaller when minified`);
      }
      const version = execFileSync(process.execPath, [join(out, 'cli.js'), '--version'], { encoding: 'utf8' });
      const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
      assert.equal(version.trim(), pkg.version);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
