import * as assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { applyEdits, lintFile } from '../../../../src/core/lint/engine';
import { RULES } from '../../../../src/core/lint/rules/registry';
import { repoRoot } from '../../paths';

/**
 * Every rule's documentation page is also its first test: the "Bad" example must trigger the rule,
 * the "Good" one must not, and where the rule has a fix, the fixed "Bad" example must be clean.
 */
function example(doc: string, section: 'Bad' | 'Good'): { lang: string; code: string } {
  const match = new RegExp(`## ${section}\\n\`\`\`(\\w+)\\n([\\s\\S]*?)\`\`\``).exec(doc);
  assert.ok(match, `the page has a "## ${section}" section with a code block`);
  return { lang: match[1] as string, code: match[2] as string };
}

function bytesOf(ruleId: string, section: 'Bad' | 'Good', lang: string, code: string): Uint8Array {
  // Markdown cannot show a BOM or CRLF: the examples of the encoding rules get them here.
  if (lang === 'bat') {
    const lf = ruleId === 'PP2001' && section === 'Bad';
    return Buffer.from(lf ? code : code.replace(/\n/g, '\r\n'), 'utf8');
  }
  const bom = ruleId === 'PP1004' && section === 'Good';
  return Buffer.concat([Buffer.from(bom ? [0xef, 0xbb, 0xbf] : []), Buffer.from(code, 'utf8')]);
}

const pathFor = (lang: string) => (lang === 'bat' ? 'example.bat' : lang === 'json' ? 'pinpack.json' : 'example.ps1');

describe('core/lint rules: documentation pages and their examples', () => {
  it('has one page per rule and no page without a rule', () => {
    const pages = readdirSync(join(repoRoot, 'docs', 'rules')).filter((f) => f.endsWith('.md')).map((f) => f.replace(/\.md$/, '')).sort();
    assert.deepEqual(pages, RULES.map((r) => r.id).sort());
  });

  it('has unique ids in the PP1xxx/PP2xxx/PP3xxx ranges matching their language', () => {
    assert.equal(new Set(RULES.map((r) => r.id)).size, RULES.length);
    for (const r of RULES) {
      const digit = { powershell: '1', batch: '2', manifest: '3' }[r.language];
      assert.match(r.id, new RegExp(`^PP${digit}\\d{3}$`), r.id);
    }
  });

  for (const rule of RULES) {
    describe(`${rule.id}${rule.pssa ? ` (${rule.pssa})` : ''}`, () => {
      it('has a page with its id, why, a bad and a good example', () => {
        assert.match(rule.docs, new RegExp(`^# ${rule.id}: \\S`));
        assert.match(rule.docs, /\n## Why\n\S/);
        if (rule.pssa) assert.ok(rule.docs.includes(`PSScriptAnalyzer: ${rule.pssa}`), 'the page names the PSScriptAnalyzer rule');
        assert.ok(rule.message.length > 10 && !rule.message.includes('\n'), 'a one-line message');
      });

      if (rule.needs === 'tenant') {
        // Its examples are checked against the demo tenant in test/unit/core/lint/online/users.test.ts.
        it('is never reported offline, not even on the bad example', () => {
          const { lang, code } = example(rule.docs, 'Bad');
          const lint = lintFile(pathFor(lang), bytesOf(rule.id, 'Bad', lang, code));
          assert.ok(lint, 'the example is linted');
          assert.deepEqual(lint.findings.filter((f) => f.rule === rule.id), []);
        });
        return;
      }

      it('reports the bad example', () => {
        const { lang, code } = example(rule.docs, 'Bad');
        const lint = lintFile(pathFor(lang), bytesOf(rule.id, 'Bad', lang, code));
        assert.ok(lint?.findings.some((f) => f.rule === rule.id), `expected ${rule.id} in ${JSON.stringify(lint?.findings.map((f) => f.rule))}`);
      });

      it('stays quiet on the good example', () => {
        const { lang, code } = example(rule.docs, 'Good');
        const lint = lintFile(pathFor(lang), bytesOf(rule.id, 'Good', lang, code));
        const hits = lint?.findings.filter((f) => f.rule === rule.id) ?? [];
        assert.deepEqual(hits.map((f) => f.message), []);
      });

      if (rule.fixable) {
        it('fixes the bad example', () => {
          const { lang, code } = example(rule.docs, 'Bad');
          const lint = lintFile(pathFor(lang), bytesOf(rule.id, 'Bad', lang, code));
          const edits = lint?.findings.filter((f) => f.rule === rule.id).flatMap((f) => f.edits ?? []) ?? [];
          assert.ok(edits.length > 0, 'the finding carries a fix');
          const fixed = applyEdits(lint?.file.text ?? '', edits);
          const again = lintFile(pathFor(lang), Buffer.from(fixed, 'utf8'));
          assert.deepEqual(again?.findings.filter((f) => f.rule === rule.id).map((f) => f.message), []);
        });
      }
    });
  }
});
