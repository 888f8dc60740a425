import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from '../../../src/core/lint/rules/registry';
import { repoRoot } from '../paths';

const read = (file: string) => readFileSync(join(repoRoot, file), 'utf8');

/** Every `%key%` placeholder in the manifest, wherever it stands. */
function placeholders(value: unknown, found = new Set<string>()): Set<string> {
  if (typeof value === 'string') {
    const match = /^%([^%]+)%$/.exec(value);
    if (match?.[1]) found.add(match[1]);
  } else if (Array.isArray(value)) {
    for (const item of value) placeholders(item, found);
  } else if (value && typeof value === 'object') {
    for (const item of Object.values(value)) placeholders(item, found);
  }
  return found;
}

describe('contributed strings (package.nls)', () => {
  const manifest = JSON.parse(read('package.json')) as { contributes: unknown; displayName: string; description: string };
  const en = JSON.parse(read('package.nls.json')) as Record<string, string>;
  const ja = JSON.parse(read('package.nls.ja.json')) as Record<string, string>;

  it('has an English and a Japanese string for every placeholder, and no orphan', () => {
    const used = [...placeholders(manifest)].sort();
    assert.ok(used.length > 5, 'the manifest uses almost no placeholders');
    assert.deepEqual(Object.keys(en).sort(), used);
    assert.deepEqual(Object.keys(ja).sort(), used);
  });

  it('shows no user-visible contributed string without going through package.nls', () => {
    const contributes = manifest.contributes as {
      commands: { title: string; category: string }[];
      views: Record<string, { name: string }[]>;
      viewsWelcome: { contents: string }[];
      viewsContainers: { activitybar: { title: string }[] };
      walkthroughs: { title: string; description: string; steps: { title: string; description: string }[] }[];
      configuration: { title: string; properties: Record<string, { markdownDescription?: string; enumDescriptions?: string[] }> }[];
    };
    const visible = [
      manifest.displayName,
      manifest.description,
      ...contributes.commands.flatMap((c) => [c.title, c.category]),
      ...Object.values(contributes.views).flat().map((v) => v.name),
      ...contributes.viewsWelcome.map((w) => w.contents),
      ...contributes.viewsContainers.activitybar.map((c) => c.title),
      ...contributes.walkthroughs.flatMap((w) => [w.title, w.description, ...w.steps.flatMap((s) => [s.title, s.description])]),
      ...contributes.configuration.flatMap((c) => [
        c.title,
        ...Object.values(c.properties).flatMap((p) => [...(p.markdownDescription ? [p.markdownDescription] : []), ...(p.enumDescriptions ?? [])]),
      ]),
    ];
    assert.deepEqual(visible.filter((s) => !/^%[^%]+%$/.test(s)), []);
  });

  it('translates the Japanese strings rather than copying the English ones', () => {
    const untranslated = Object.keys(en).filter((k) => ja[k] === en[k] && !/PinPack|Ivanti/.test(en[k] ?? ''));
    assert.deepEqual(untranslated, []);
    assert.match(ja['command.showOutput.title'] ?? '', /[\u3040-\u30ff\u4e00-\u9fff]/);
  });

  it('keeps command links of welcome views intact in every language', () => {
    const links = (s: string) => [...s.matchAll(/\(command:([\w.]+)\)/g)].map((m) => m[1]);
    for (const key of Object.keys(en)) assert.deepEqual(links(ja[key] ?? ''), links(en[key] ?? ''), key);
  });
});

describe('runtime strings (l10n bundles)', () => {
  /**
   * Every literal passed to l10n.t (vscode.l10n.t in the extension, @vscode/l10n in the CLI and
   * core), unescaped as JavaScript reads it. Quoted strings and template literals without `${}`.
   * Plus every lint rule's message.
   */
  function runtimeStrings(): Set<string> {
    const found = new Set<string>();
    const walk = (dir: string): string[] =>
      readdirSync(dir).flatMap((name) => {
        const path = join(dir, name);
        return statSync(path).isDirectory() ? walk(path) : path.endsWith('.ts') ? [path] : [];
      });
    const literal = /l10n\.t\(\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|`((?:[^`\\$]|\\.|\$(?!\{))*)`)/g;
    const unescape = (text: string) => text.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c));
    for (const folder of ['extension', 'cli', 'core', 'server', 'demo-tenant']) {
      for (const file of walk(join(repoRoot, 'src', folder))) {
        for (const match of readFileSync(file, 'utf8').matchAll(literal)) found.add(unescape(match[1] ?? match[2] ?? match[3] ?? ''));
      }
    }
    // A lint rule's message is a plain constant that the engine translates when it reports.
    for (const rule of RULES) found.add(rule.message);
    return found;
  }

  const ja = JSON.parse(read('l10n/bundle.l10n.ja.json')) as Record<string, string>;

  it('translates every runtime string of the extension, the CLI and core into Japanese, and keeps no orphan', () => {
    const used = [...runtimeStrings()].sort();
    assert.ok(used.length > 20, `only ${used.length} runtime strings found: is the extraction broken?`);
    assert.deepEqual(used.filter((s) => !(s in ja)), [], 'missing Japanese translations');
    assert.deepEqual(Object.keys(ja).filter((k) => !used.includes(k)), [], 'Japanese translations of strings no longer used');
  });

  it('keeps every placeholder of the English string in its translation', () => {
    const holes = (s: string) => [...s.matchAll(/\{\d+\}/g)].map((m) => m[0]).sort();
    for (const [en, translated] of Object.entries(ja)) assert.deepEqual(holes(translated), holes(en), en);
  });

  it('declares the bundle folder in package.json', () => {
    assert.equal((JSON.parse(read('package.json')) as { l10n?: string }).l10n, './l10n');
  });
});
