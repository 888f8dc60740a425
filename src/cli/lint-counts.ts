import * as l10n from '@vscode/l10n';
import type { LintReport } from '../core/lint/report';

// Each count is its own message so that English gets "1 error" and "2 errors" and a language
// without plural forms translates both alike.
const errors = (n: number): string => (n === 1 ? l10n.t('1 error') : l10n.t('{0} errors', n));
const warnings = (n: number): string => (n === 1 ? l10n.t('1 warning') : l10n.t('{0} warnings', n));
const infos = (n: number): string => (n === 1 ? l10n.t('1 info') : l10n.t('{0} infos', n));
const files = (n: number): string => (n === 1 ? l10n.t('1 file') : l10n.t('{0} files', n));
const scripts = (n: number): string => (n === 1 ? l10n.t('1 script') : l10n.t('{0} scripts', n));

/** "1 error, 2 warnings, 0 infos in 3 files", in the language of the run. */
export function lintCounts(summary: LintReport['summary'], unit: 'files' | 'scripts' = 'files'): string {
  const where = unit === 'files' ? files(summary.files) : scripts(summary.files);
  return l10n.t('{0}, {1}, {2} in {3}', errors(summary.errors), warnings(summary.warnings), infos(summary.infos), where);
}
