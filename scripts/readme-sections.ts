/**
 * The generated sections of README.md and README.ja.md, rendered from their sources so that the
 * READMEs cannot drift from them: the settings table from package.json (and its package.nls*.json),
 * the CLI reference from the CLI's own --help, and each target's deployment steps and the device
 * scripts' exit codes from the package README that PinPack writes (src/core/templates/readme).
 * `npm run docs` (scripts/docs.mjs) rewrites the sections; test/unit/build/readme-sync.test.ts fails
 * when a README is out of date.
 *
 * A section sits between `<!-- generated:NAME:begin ... -->` and `<!-- generated:NAME:end -->`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../src/cli/cli';
import { COMMANDS } from '../src/cli/commands';
import { renderReadme } from '../src/core/templates/readme';
import { ManifestSchema } from '../src/core/workspace/manifest';
import { TargetId } from '../src/core/workspace/targets';

export type DocLanguage = 'en' | 'ja';
export const README_FILES: Readonly<Record<DocLanguage, string>> = { en: 'README.md', ja: 'README.ja.md' };
export const SECTION_NAMES = ['deploy', 'exit-codes', 'settings', 'cli'] as const;
export type SectionName = (typeof SECTION_NAMES)[number];

const WORDS = {
  en: {
    setting: 'setting',
    type: 'type',
    default: 'default',
    description: 'description',
    values: 'Values',
    sharedExitCodes: '`setup.ps1`, every target:',
    deployIntro: "Steps as the package's own README.md gives them (here for a package named `Pilot`, AD domain `contoso.com`, default destination).",
  },
  ja: {
    setting: '設定',
    type: '型',
    default: '既定値',
    description: '説明',
    values: '値',
    sharedExitCodes: '`setup.ps1` (すべてのターゲット):',
    deployIntro: 'パッケージに同梱される README.md と同じ手順です (パッケージ名 `Pilot`、AD ドメイン `contoso.com`、既定のコピー先の場合)。',
  },
} as const;

/** The package README of one target, as `pinpack new` writes it, split at its `## ` headings. */
function packageReadmeSections(target: TargetId, language: DocLanguage): string[] {
  const manifest = ManifestSchema.parse({ schemaVersion: 1, name: 'Pilot', target, language, device: { adDomain: 'contoso.com' } });
  return renderReadme(manifest).split(/^## .*$/m).map((s) => s.trim());
}

/** Sections of the package README split at `## `: [0] title, [1] what it does, [2] Deploy, [3] exit codes. Both languages have the same headings (test/unit/core/templates/readme.test.ts). */
const DEPLOY = 2;
const EXIT_CODES = 3;

function targetLabel(target: TargetId, language: DocLanguage): string {
  const title = /^Target: \*\*(.+)\*\*|^ターゲット: \*\*(.+)\*\*/m.exec(packageReadmeSections(target, language)[0] ?? '');
  return title?.[1] ?? title?.[2] ?? target;
}

function deploySection(language: DocLanguage): string {
  const parts = [WORDS[language].deployIntro, ''];
  for (const target of TargetId.options) {
    parts.push(`### ${targetLabel(target, language)} (\`${target}\`)`, '', packageReadmeSections(target, language)[DEPLOY] ?? '', '');
  }
  return parts.join('\n').trimEnd();
}

function exitCodesSection(language: DocLanguage): string {
  // EPM case 1 has no script of its own beyond setup.ps1: its table is the shared one.
  const shared = packageReadmeSections('epm-case1', language)[EXIT_CODES] ?? '';
  const parts = [WORDS[language].sharedExitCodes, '', shared, ''];
  for (const target of TargetId.options) {
    const own = (packageReadmeSections(target, language)[EXIT_CODES] ?? '').replace(shared, '').trim();
    if (own) parts.push(`${targetLabel(target, language)} (\`${target}\`):`, '', own, '');
  }
  return parts.join('\n').trimEnd();
}

interface SettingSchema {
  readonly type?: string;
  readonly default?: unknown;
  readonly enum?: readonly unknown[];
  readonly description?: string;
  readonly markdownDescription?: string;
}

function settingsSection(root: string, language: DocLanguage): string {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    contributes: { configuration: { title?: string; properties: Record<string, SettingSchema> }[] | { title?: string; properties: Record<string, SettingSchema> } };
  };
  const nlsFile = language === 'ja' ? 'package.nls.ja.json' : 'package.nls.json';
  const english = JSON.parse(readFileSync(join(root, 'package.nls.json'), 'utf8')) as Record<string, string>;
  const nls = { ...english, ...(JSON.parse(readFileSync(join(root, nlsFile), 'utf8')) as Record<string, string>) };
  const text = (value: string | undefined): string => (value ?? '').replace(/^%(.+)%$/, (whole, key: string) => nls[key] ?? whole);
  const cell = (value: string): string => value.replace(/\|/g, '\\|').replace(/\r?\n+/g, ' ').trim();
  const words = WORDS[language];
  const rows = [`| ${words.setting} | ${words.type} | ${words.default} | ${words.description} |`, '|---|---|---|---|'];
  const sections = [pkg.contributes.configuration].flat();
  for (const section of sections) {
    for (const [key, schema] of Object.entries(section.properties)) {
      const values = schema.enum ? ` ${words.values}: ${schema.enum.map((v) => `\`${String(v)}\``).join(', ')}.` : '';
      rows.push(`| \`${key}\` | ${schema.type ?? ''} | \`${JSON.stringify(schema.default)}\` | ${cell(text(schema.markdownDescription ?? schema.description) + values)} |`);
    }
  }
  return rows.join('\n');
}

async function help(args: readonly string[], language: DocLanguage): Promise<string> {
  let out = '';
  const code = await runCli(['--lang', language, ...args], { out: (t) => (out += t), err: (t) => (out += t), env: {} });
  if (code !== 0) throw new Error(`pinpack ${args.join(' ')} exited ${code}: ${out}`);
  return out.trimEnd();
}

async function cliSection(language: DocLanguage): Promise<string> {
  const parts = ['```text', await help(['--help'], language), '```', ''];
  for (const command of COMMANDS) {
    parts.push(`#### \`pinpack ${command.name}\``, '', '```text', await help([command.name, '--help'], language), '```', '');
  }
  return parts.join('\n').trimEnd();
}

export async function renderSections(root: string, language: DocLanguage): Promise<Record<SectionName, string>> {
  try {
    return {
      deploy: deploySection(language),
      'exit-codes': exitCodesSection(language),
      settings: settingsSection(root, language),
      cli: await cliSection(language),
    };
  } finally {
    // runCli sets the language of every later l10n.t call: leave it as it was found, English.
    await help(['--version'], 'en');
  }
}

const marker = (name: string, end: 'begin' | 'end') => new RegExp(`<!-- generated:${name}:${end}\\b[^>]*-->`);

/**
 * The README with each marked section replaced by its generated text. Throws when a marker is
 * missing, so a section cannot silently stop being generated.
 */
export function applySections(readme: string, sections: Readonly<Record<SectionName, string>>, file: string): string {
  let result = readme;
  for (const name of SECTION_NAMES) {
    const begin = marker(name, 'begin').exec(result);
    const end = marker(name, 'end').exec(result);
    if (!begin || !end || end.index < begin.index) {
      throw new Error(`${file} lacks the markers <!-- generated:${name}:begin --> and <!-- generated:${name}:end -->: put them back where the section belongs.`);
    }
    const from = begin.index + begin[0].length;
    result = `${result.slice(0, from)}\n${sections[name]}\n${result.slice(end.index)}`;
  }
  return result;
}

/** Rewrites (or with `check`, only compares) both READMEs; returns the files that were out of date. */
export async function updateReadmes(root: string, check: boolean, write: (file: string, text: string) => void): Promise<string[]> {
  const stale: string[] = [];
  for (const language of ['en', 'ja'] as const) {
    const file = README_FILES[language];
    const current = readFileSync(join(root, file), 'utf8');
    const wanted = applySections(current, await renderSections(root, language), file);
    if (wanted !== current) {
      stale.push(file);
      if (!check) write(join(root, file), wanted);
    }
  }
  return stale;
}
