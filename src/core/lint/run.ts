import * as l10n from '@vscode/l10n';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { PinPackError } from '../errors';
import { withLanguage, type DisplayLanguage } from '../language';
import { lintConfigOf } from './config';
import { languageOf, lintFile, toFileReport, type LintFinding, type RuleConfig } from './engine';
import { SKIPPED_FOLDERS } from './files';
import { createLintReport, type LintReport } from './report';

export interface LintRun {
  readonly report: LintReport;
  /** Findings with offsets and fixes, by report path. */
  readonly findings: ReadonlyMap<string, readonly LintFinding[]>;
  /** Problems with the workspace configuration, one sentence each. */
  readonly warnings: string[];
  /** Each linted file's absolute path and the rule levels it was linted with, by report path. */
  readonly inputs: ReadonlyMap<string, { readonly path: string; readonly config: RuleConfig }>;
}

function filesUnder(folder: string): string[] {
  const out: string[] = [];
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(entry.name)) visit(path);
      } else if (entry.isFile() && languageOf(entry.name)) {
        out.push(path);
      }
    }
  };
  visit(folder);
  return out;
}

function readConfig(folder: string, warnings: string[], cache: Map<string, RuleConfig>): RuleConfig {
  const cached = cache.get(folder);
  if (cached) return cached;
  let rules: RuleConfig = {};
  const manifest = join(folder, 'pinpack.json');
  let text: string | undefined;
  try {
    text = readFileSync(manifest, 'utf8');
  } catch {
    text = undefined;
  }
  if (text !== undefined) {
    try {
      const result = lintConfigOf(JSON.parse(text.replace(/^\uFEFF/, '')));
      rules = result.rules;
      warnings.push(...result.problems.map((p) => `${manifest}: ${p}`));
    } catch {
      warnings.push(l10n.t('{0} is not valid JSON, so its lint.rules are ignored: fix the JSON.', manifest));
    }
  }
  cache.set(folder, rules);
  return rules;
}

/**
 * Lints files and workspace folders (every PowerShell, batch and pinpack.json file below a folder,
 * dependencies and build output skipped). A folder's `pinpack.json` `lint.rules` applies to the
 * files in it; a file named on its own uses the pinpack.json beside it. `messages` sets the language
 * of the findings' messages (default: the current one), not that of errors and warnings.
 */
export function lintPaths(paths: readonly string[], cwd: string, options: { messages?: DisplayLanguage } = {}): LintRun {
  const started = process.hrtime.bigint();
  const warnings: string[] = [];
  const configs = new Map<string, RuleConfig>();
  const files: Array<{ path: string; config: RuleConfig }> = [];
  for (const given of paths) {
    const absolute = resolve(cwd, given);
    let isDirectory: boolean;
    try {
      isDirectory = statSync(absolute).isDirectory();
    } catch {
      throw new PinPackError('usage', l10n.t('{0} does not exist: give a script, a batch file or a workspace folder.', given));
    }
    if (isDirectory) {
      const config = readConfig(absolute, warnings, configs);
      for (const file of filesUnder(absolute)) files.push({ path: file, config });
    } else {
      if (!languageOf(absolute)) throw new PinPackError('usage', l10n.t('{0} is not a PowerShell (.ps1, .psm1, .psd1), batch (.bat, .cmd) or pinpack.json file: give one of those or a folder.', given));
      files.push({ path: absolute, config: readConfig(dirname(absolute), warnings, configs) });
    }
  }
  const reports = [];
  const findings = new Map<string, readonly LintFinding[]>();
  const inputs = new Map<string, { path: string; config: RuleConfig }>();
  for (const { path, config } of files) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch (error) {
      throw new PinPackError('io', l10n.t('{0} could not be read ({1}): check its permissions.', path, (error as NodeJS.ErrnoException).code ?? 'error'), { cause: error });
    }
    const lint = options.messages ? withLanguage(options.messages, () => lintFile(path, bytes, config)) : lintFile(path, bytes, config);
    if (!lint) continue;
    const shown = relative(cwd, path).split(sep).join('/') || path;
    reports.push(toFileReport(shown, lint));
    findings.set(shown, lint.findings);
    inputs.set(shown, { path, config });
  }
  const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
  return { report: createLintReport(reports, Math.round(durationMs * 10) / 10), findings, warnings, inputs };
}
