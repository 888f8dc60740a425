import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ruleDocs } from '../../../../src/core/lint/rule-docs';
import { RULES } from '../../../../src/core/lint/rules/registry';
import { repoRoot } from '../../paths';

const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;
const SEVERITY = { error: 'エラー', warning: '警告', info: '情報' } as const;
const jaFolder = join(repoRoot, 'docs', 'rules', 'ja');
const read = (...path: string[]) => readFileSync(join(repoRoot, 'docs', 'rules', ...path), 'utf8');

/** Every fenced code block of a page, with its language, in order. */
const codeBlocks = (page: string) => [...page.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => `${m[1]}\n${m[2]}`);

/**
 * The Japanese rule pages (docs/rules/ja/<ID>.md) against the English ones: one for every rule,
 * the same structure, and code examples identical to the byte, so the examples the English page's
 * tests run (rule-docs.test.ts) are the ones a Japanese reader sees.
 */
describe('core/lint rules: Japanese documentation pages', () => {
  it('has a Japanese page for every rule and none without a rule', () => {
    const pages = readdirSync(jaFolder).map((f) => f.replace(/\.md$/, '')).sort();
    assert.deepEqual(pages, RULES.map((r) => r.id).sort());
  });

  for (const rule of RULES) {
    it(`${rule.id}: has the English page's structure in Japanese and the same code blocks`, () => {
      const ja = read('ja', `${rule.id}.md`);
      const en = read(`${rule.id}.md`);
      assert.match(ja, new RegExp(`^# ${rule.id}: \\S`));
      assert.match(ja.split('\n')[0] ?? '', /^# PP\d{4}: .+$/);
      assert.match(ja, new RegExp(`\\n重大度: ${SEVERITY[rule.severity]}。`), 'the severity line names the rule severity');
      if (rule.pssa) assert.ok(ja.includes(`PSScriptAnalyzer: ${rule.pssa}`), 'the page names the PSScriptAnalyzer rule');
      const why = /\n## 理由\n(.+)\n/.exec(ja)?.[1] ?? '';
      assert.match(why, JAPANESE, 'a "## 理由" paragraph in Japanese');
      assert.match(ja, /\n## 悪い例\n```\w+\n[\s\S]*?```\n\n## 良い例\n```\w+\n/, 'a bad, then a good example');
      assert.deepEqual(codeBlocks(ja), codeBlocks(en));
      assert.ok(codeBlocks(en).length >= 2);
    });
  }

  it('gives the language server the page in the display language, English for anything else', () => {
    for (const rule of RULES) {
      assert.equal(ruleDocs(rule.id, 'ja'), read('ja', `${rule.id}.md`));
      assert.equal(ruleDocs(rule.id, 'en'), rule.docs);
      assert.equal(rule.docs, read(`${rule.id}.md`));
    }
    assert.equal(ruleDocs('pp1001', 'ja'), read('ja', 'PP1001.md'), 'ids are case-insensitive, as in suppressions');
    assert.equal(ruleDocs('PP9999', 'ja'), undefined);
    assert.equal(ruleDocs('../PP1001', 'ja'), undefined);
  });
});
