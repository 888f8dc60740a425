import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../paths';

const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;
const read = (file: string) => readFileSync(join(repoRoot, file), 'utf8');

describe('walkthrough pages in English and Japanese', () => {
  const manifest = JSON.parse(read('package.json')) as { contributes: { walkthroughs: { steps: { id: string; media: { markdown: string } }[] }[] } };
  const en = JSON.parse(read('package.nls.json')) as Record<string, string>;
  const ja = JSON.parse(read('package.nls.ja.json')) as Record<string, string>;
  const steps = manifest.contributes.walkthroughs.flatMap((w) => w.steps);

  it("chooses each step's page through an nls key: media/walkthrough/<step>.md, or ja/<step>.md in Japanese", () => {
    for (const step of steps) {
      const key = /^%(.+)%$/.exec(step.media.markdown)?.[1];
      assert.ok(key, `${step.id}: media.markdown is not an nls key`);
      assert.equal(en[key], `media/walkthrough/${step.id}.md`);
      assert.equal(ja[key], `media/walkthrough/ja/${step.id}.md`);
    }
  });

  it('has a Japanese page for every English one, with the same headings, lists and tables, and none extra', () => {
    const pages = (dir: string) => readdirSync(join(repoRoot, dir)).filter((f) => f.endsWith('.md')).sort();
    assert.deepEqual(pages('media/walkthrough/ja'), pages('media/walkthrough'));
    assert.deepEqual(pages('media/walkthrough').map((f) => f.replace(/\.md$/, '')).sort(), steps.map((s) => s.id).sort());
    const shape = (text: string) => text.split('\n').flatMap((l) => (/^(#+ |- |\|)/.exec(l) ? [l.slice(0, 2)] : []));
    for (const page of pages('media/walkthrough')) {
      const japanese = read(`media/walkthrough/ja/${page}`);
      assert.ok(existsSync(join(repoRoot, 'media/walkthrough/ja', page)));
      assert.match(japanese, JAPANESE, page);
      assert.deepEqual(shape(japanese), shape(read(`media/walkthrough/${page}`)), page);
    }
  });

  it('names the device check as the Japanese Settings app does', () => {
    assert.match(read('media/walkthrough/ja/deploy.md'), /\[設定\] > \[アカウント\] > \[職場または学校にアクセスする\] > \[プロビジョニング パッケージの追加または削除\]/);
  });
});
