import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderReadme } from '../../../../src/core/templates/readme';
import { ManifestSchema, type Manifest } from '../../../../src/core/workspace/manifest';
import { scaffoldWorkspace } from '../../../../src/core/workspace/scaffold';
import { TARGETS, TargetId, type TargetId as Target } from '../../../../src/core/workspace/targets';
import { cliPath, repoRoot } from '../../paths';

const JAPANESE_TEXT = /[\u3040-\u30ff\u4e00-\u9fff]/;

function manifest(target: Target, language: 'en' | 'ja'): Manifest {
  return ManifestSchema.parse({ schemaVersion: 1, name: '営業部 Sales', target, language, device: { adDomain: 'contoso.com' } });
}

/**
 * The skeleton of a README: headings by level, and per table row its numeric cells (exit codes).
 * Both languages must give the same skeleton, so a translation can neither drop nor add a row.
 */
function structure(readme: string): string[] {
  return readme.split('\n').flatMap((line) => {
    const heading = /^(#+) /.exec(line);
    if (heading) return [`h${heading[1]?.length}`];
    if (line.startsWith('|')) {
      const cells = line.split('|').map((c) => c.trim()).filter((c) => /^[\d-]+$/.test(c) && !/^-+$/.test(c));
      return [`row ${cells.join(' ')}`];
    }
    if (/^\s*\d+\. /.test(line)) return [`item ${/^\s*(\d+)\./.exec(line)?.[1]}`];
    if (line.startsWith('```')) return ['fence'];
    return [];
  });
}

/** Console paths as the Japanese consoles show them (issue 11). */
const JAPANESE_PATHS: Record<'sccm' | 'epm' | 'device', string[]> = {
  sccm: ['[ソフトウェア ライブラリ] > [アプリケーション管理] > [パッケージ]', '[ソフトウェア ライブラリ] > [スクリプト]'],
  epm: ['[配布 > 配布パッケージ > 新規 > Windows > PowerShell]', '[主ファイル]', '[追加のファイル]', '[アカウント]', '[スケジュールされたタスクの作成]', 'タスク タイプ [プッシュ]'],
  device: ['[設定] > [アカウント] > [職場または学校にアクセスする] > [プロビジョニング パッケージの追加または削除] > [詳細]'],
};

describe('core/templates/readme in English and Japanese', () => {
  for (const target of TargetId.options) {
    it(`renders ${target} in both languages with no slot left and the same sections and exit-code rows`, () => {
      const en = renderReadme(manifest(target, 'en'));
      const ja = renderReadme(manifest(target, 'ja'));
      for (const text of [en, ja]) {
        assert.doesNotMatch(text, /\{\{\w*\}\}|\{\{|\}\}/, 'an unfilled slot');
        assert.ok(text.includes('営業部 Sales'), 'the package name');
      }
      const shape = structure(en);
      assert.ok(shape.filter((s) => s.startsWith('row')).length >= 15, 'the exit-code table is missing');
      assert.deepEqual(structure(ja), shape);
    });

    it(`writes ${target}'s Japanese console paths verbatim`, () => {
      const ja = renderReadme(manifest(target, 'ja'));
      const paths = [...JAPANESE_PATHS.device, ...(TARGETS[target].channel === 'sccm' ? JAPANESE_PATHS.sccm : JAPANESE_PATHS.epm)];
      for (const path of paths) assert.ok(ja.includes(path), `${target}: ${path}`);
      assert.match(ja, /^# 営業部 Sales: Ivanti Neurons for MDM への PIN ベースの登録$/m);
      assert.doesNotMatch(ja, /Software Library|Distribution packages|Primary file/, 'an English console path in the Japanese README');
    });

    it(`keeps ${target}'s English README English, with the target's English label`, () => {
      const en = renderReadme(manifest(target, 'en'));
      assert.doesNotMatch(en.replace(/営業部/g, ''), JAPANESE_TEXT);
      assert.ok(en.includes(`Target: **${TARGETS[target].label}**.`));
      const skeleton = readFileSync(join(repoRoot, 'src', 'core', 'templates', 'readme', 'en', 'package.md'), 'utf8');
      for (const heading of skeleton.split('\n').filter((l) => l.startsWith('#') && !l.includes('{{'))) assert.ok(en.includes(`${heading}\n`), heading);
    });
  }

  it('translates every file of readme/en into readme/ja, with the same slots', () => {
    const folder = (language: string) => join(repoRoot, 'src', 'core', 'templates', 'readme', language);
    const slots = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    const names = readdirSync(folder('en')).sort();
    assert.deepEqual(readdirSync(folder('ja')).sort(), names);
    for (const name of names) {
      const en = readFileSync(join(folder('en'), name), 'utf8');
      const ja = readFileSync(join(folder('ja'), name), 'utf8');
      assert.deepEqual(slots(ja), slots(en), name);
      assert.match(ja, JAPANESE_TEXT, `${name} is not translated`);
    }
  });

  it('says in Japanese where to set a missing AD domain', () => {
    const ja = renderReadme(ManifestSchema.parse({ schemaVersion: 1, name: 'Lab', target: 'epm-case1', language: 'ja' }));
    assert.ok(ja.includes('`<デバイス名>@<AD ドメイン: pinpack.json の device.adDomain に設定してください>`'));
  });

  describe('through the scaffold', () => {
    let root: string;
    beforeEach(() => {
      root = mkdtempSync(join(tmpdir(), 'pinpack-readme-'));
    });
    afterEach(() => rmSync(root, { recursive: true, force: true }));

    it('writes the Japanese README for a ja workspace, and the English one again after switching back', async () => {
      const dir = join(root, '営業部');
      await scaffoldWorkspace({ dir, target: 'sccm', language: 'ja' });
      const ja = readFileSync(join(dir, 'README.md'), 'utf8');
      assert.match(ja, /^# 営業部: Ivanti Neurons for MDM への PIN ベースの登録\n/);
      assert.ok(ja.includes(JAPANESE_PATHS.sccm[0] ?? ''));
      const report = await scaffoldWorkspace({ dir, target: 'sccm', language: 'en' });
      assert.ok(report.updated.includes('README.md'));
      assert.match(readFileSync(join(dir, 'README.md'), 'utf8'), /^# 営業部: PIN-based enrollment into Ivanti Neurons for MDM\n/);
    });

    it('pinpack new --language ja writes the Japanese README and records the language', () => {
      const dir = join(root, 'Lab');
      const result = spawnSync(process.execPath, [cliPath, 'new', dir, '--target', 'epm-case2', '--language', 'ja'], { encoding: 'utf8' });
      assert.equal(result.status, 0, result.stderr);
      const readme = readFileSync(join(dir, 'README.md'), 'utf8');
      for (const path of JAPANESE_PATHS.epm) assert.ok(readme.includes(path), path);
      assert.equal((JSON.parse(readFileSync(join(dir, 'pinpack.json'), 'utf8')) as { language: string }).language, 'ja');
    });
  });
});
