import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { distDir, repoRoot } from '../paths';

const PRODUCTS = ['extension.mjs', 'server.js', 'cli.js'];

/** The production entry and the chunks it imports statically: what VS Code loads to activate PinPack. */
const ACTIVATION_BUDGET_KIB = 64;

/** The chunks a bundle imports statically (`import ... from "./x.mjs"`), not the ones it loads with import(). */
function staticImports(code: string): string[] {
  return [...code.matchAll(/\bimport\s*(?:\{[^}]*\}\s*from\s*|\*\s*as\s+[\w$]+\s+from\s*|[\w$]+\s+from\s*)?"\.\/([^"]+\.mjs)"/g)].map((m) => m[1]!);
}

/** The entry and every chunk reachable from it through static imports. */
function activationGraph(dir: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const next of staticImports(readFileSync(join(dir, file), 'utf8'))) visit(next);
  };
  visit('extension.mjs');
  return [...seen];
}

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
    const extension = readFileSync(join(distDir, 'extension.mjs'), 'utf8');
    assert.match(extension, /^import \* as \w+ from "vscode";$/m);
    const chunks = readdirSync(distDir).filter((f) => /^extension.*\.mjs$/.test(f));
    const sources = chunks.flatMap(sourcesOf);
    assert.ok(sources.includes('src/extension/extension.ts'), sources.join(', '));
    assert.deepEqual(sources.filter((s) => s.startsWith('src/server/') || s.startsWith('src/cli/')), []);
  });

  it('activates the extension from a small entry: the services, language client, linter, templates, archive code and zod load later', () => {
    const graph = activationGraph(distDir);
    assert.ok(graph.length < readdirSync(distDir).filter((f) => /^extension.*\.mjs$/.test(f)).length, 'every chunk is loaded at activation');
    const loaded = graph.flatMap(sourcesOf);
    assert.ok(loaded.includes('src/extension/extension.ts'), loaded.join(', '));
    const heavy = loaded.filter((s) =>
      /^(node_modules\/(vscode-languageclient|vscode-jsonrpc|vscode-languageserver-protocol|yauzl|yazl|minimatch|semver|zod)\/|src\/core\/(lint|templates|archive|tenant|workspace)\/|src\/demo-tenant\/|src\/extension\/services\.ts|l10n\/)/.test(s),
    );
    assert.deepEqual(heavy, []);
    // Loaded on use, so present in some chunk, not in the entry's graph.
    const all = readdirSync(distDir).filter((f) => /^extension.*\.mjs$/.test(f)).flatMap(sourcesOf);
    assert.ok(all.some((s) => s.startsWith('node_modules/vscode-languageclient/')), 'the language client is in no chunk');
  });

  it('does not carry the Japanese strings in the extension: VS Code hands them to it', () => {
    for (const chunk of readdirSync(distDir).filter((f) => /^extension.*\.mjs$/.test(f))) {
      assert.deepEqual(sourcesOf(chunk).filter((s) => s.startsWith('l10n/')), [], chunk);
    }
    // The language server and the CLI find no file at run time: they carry the bundle.
    for (const product of ['server.js', 'cli.js']) assert.ok(sourcesOf(product).includes('l10n/bundle.l10n.ja.json'), product);
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
      assert.deepEqual(readdirSync(out).filter((f) => !/^extension-.+\.mjs$/.test(f)).sort(), [...PRODUCTS, 'pinpack.schema.json'].sort());
      const activation = activationGraph(out).reduce((sum, f) => sum + statSync(join(out, f)).size, 0) / 1024;
      assert.ok(activation < ACTIVATION_BUDGET_KIB, `the code loaded at activation is ${activation.toFixed(0)} KiB, over its ${ACTIVATION_BUDGET_KIB} KiB budget`);
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
