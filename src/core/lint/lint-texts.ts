import { lintFile, toFileReport } from './engine';
import { createLintReport, type LintReport } from './report';

/**
 * Lints scripts held in memory, with every rule at its default level: how `pinpack inspect`
 * reviews the scripts inside a zip without extracting them (a zip carries no pinpack.json
 * whose rule levels would apply). Files of no lintable language are left out of the report.
 */
export async function lintTexts(files: readonly { path: string; text: string }[]): Promise<LintReport> {
  const started = process.hrtime.bigint();
  const reports = [];
  for (const { path, text } of files) {
    const lint = lintFile(path, Buffer.from(text, 'utf8'));
    if (lint) reports.push(toFileReport(path, lint));
  }
  const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
  return createLintReport(reports, Math.round(durationMs * 10) / 10);
}
