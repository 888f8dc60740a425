import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applySections, README_FILES, renderSections, SECTION_NAMES, type SectionName } from '../../../scripts/readme-sections';
import { COMMANDS } from '../../../src/cli/commands';
import { TargetId } from '../../../src/core/workspace/targets';
import { repoRoot } from '../paths';

const FIX = 'run "npm run docs" and commit README.md and README.ja.md';

function section(readme: string, name: SectionName): string {
  const match = new RegExp(`<!-- generated:${name}:begin[^>]*-->\\n([\\s\\S]*?)\\n<!-- generated:${name}:end`).exec(readme);
  assert.ok(match, `no generated section ${name}`);
  return match[1] ?? '';
}

describe('README.md and README.ja.md: generated sections', () => {
  for (const language of ['en', 'ja'] as const) {
    const file = README_FILES[language];

    it(`${file} is up to date with package.json, the CLI's --help and the package README templates`, async function () {
      this.timeout(60_000);
      const readme = readFileSync(join(repoRoot, file), 'utf8');
      const sections = await renderSections(repoRoot, language);
      const stale = SECTION_NAMES.filter((name) => section(readme, name) !== sections[name]);
      assert.deepEqual(stale, [], `${file} is out of date (generated sections: ${stale.join(', ')}): ${FIX}.`);
      assert.equal(applySections(readme, sections, file), readme, `${file} is out of date: ${FIX}.`);
    });

    it(`${file} documents every setting, every CLI command and every target`, async function () {
      this.timeout(60_000);
      const sections = await renderSections(repoRoot, language);
      const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { contributes: { configuration: { properties: object }[] } };
      for (const key of [pkg.contributes.configuration].flat().flatMap((c) => Object.keys(c.properties))) {
        assert.ok(sections.settings.includes(`| \`${key}\` |`), `the settings table lacks ${key}`);
      }
      assert.doesNotMatch(sections.settings, /%[\w.]+%/, 'a setting description was not localized');
      for (const command of COMMANDS) assert.ok(sections.cli.includes(`#### \`pinpack ${command.name}\``), `the CLI reference lacks ${command.name}`);
      for (const target of TargetId.options) assert.ok(sections.deploy.includes(`(\`${target}\`)`), `the deployment steps lack ${target}`);
      assert.doesNotMatch(sections.deploy + sections['exit-codes'], /\{\{\w+\}\}/, 'a template slot was left unfilled');
      for (const code of ['| 0 |', '| 15 |', '| 19 |', '| 22 |', '| step 2 | 33 |'.replace('step 2', language === 'ja' ? 'ステップ 2' : 'step 2')]) {
        assert.ok(sections['exit-codes'].includes(code), `the exit codes lack the row ${code}`);
      }
    });
  }

  it('replaces a stale section and refuses a README whose markers are gone', async () => {
    const readme = readFileSync(join(repoRoot, README_FILES.en), 'utf8');
    const sections = await renderSections(repoRoot, 'en');
    const stale = readme.replace(section(readme, 'settings'), '| setting | type | default | description |\n|---|---|---|---|\n| `pinpack.gone` | string | `""` | removed |');
    assert.notEqual(stale, readme);
    assert.equal(applySections(stale, sections, 'README.md'), readme);
    assert.throws(() => applySections(readme.replace(/<!-- generated:cli:end -->/, ''), sections, 'README.md'), /README\.md lacks the markers <!-- generated:cli:begin --> and <!-- generated:cli:end -->/);
  });
});
