import * as l10n from '@vscode/l10n';
import { decodeBatch } from './batch/codepage';
import { parseBatch, type BatchParse } from './batch/parser';
import { lintConfigOf } from './config';
import { decode, type DecodedText } from './decode';
import { LineMap } from './lines';
import { parseManifestDocument, type ManifestParse } from './manifest/parser';
import { PowerShellIndex } from './powershell/index';
import { parsePowerShell } from './powershell/parser';
import type { Language, LintDiagnostic, LintFileReport, Severity } from './report';
import type { Finding, Rule, TextEdit } from './rule';
import { RULES } from './rules/registry';
import { batchSuppressions, powershellSuppressions, type Suppressions } from './suppressions';

/** A rule's configured level: a severity, or `off` to disable it (pinpack.json `lint.rules`). */
export type RuleLevel = Severity | 'off';
export type RuleConfig = Readonly<Record<string, RuleLevel>>;

/** A diagnostic with what the editor and `--fix` need beyond the JSON contract. */
export interface LintFinding extends LintDiagnostic {
  readonly start: number;
  readonly end: number;
  readonly edits?: readonly TextEdit[];
}

export interface FileLint {
  readonly language: Language;
  readonly findings: LintFinding[];
  readonly file: DecodedText;
}

export type ParsedFile =
  | { language: 'powershell'; parsed: PowerShellIndex }
  | { language: 'batch'; parsed: BatchParse }
  | { language: 'manifest'; parsed: ManifestParse };

/** The language of a file by its name, or undefined for files the linter does not read. */
export function languageOf(path: string): Language | undefined {
  const lower = path.toLowerCase();
  if (lower.endsWith('.ps1') || lower.endsWith('.psm1') || lower.endsWith('.psd1')) return 'powershell';
  if (lower.endsWith('.bat') || lower.endsWith('.cmd')) return 'batch';
  if (lower.endsWith('pinpack.json')) return 'manifest';
  return undefined;
}

export { LineMap } from './lines';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** JSON has no comments: manifest rules are turned off in lint.rules only. */
const NO_SUPPRESSIONS: Suppressions = { suppressed: () => false };

function parse(language: Language, text: string): ParsedFile | undefined {
  if (language === 'powershell') return { language, parsed: new PowerShellIndex(parsePowerShell(text), text) };
  if (language === 'batch') return { language, parsed: parseBatch(text) };
  if (language === 'manifest') return { language, parsed: parseManifestDocument(text) };
  return undefined;
}

/**
 * Lints one file: decodes it, parses it with its language's front end, runs the enabled rules,
 * drops suppressed findings and sorts the rest by position.
 */
export function lintFile(path: string, content: Uint8Array | DecodedText, given: RuleConfig = {}, rules: readonly Rule<never>[] = RULES): FileLint | undefined {
  const language = languageOf(path);
  if (!language) return undefined;
  const file = content instanceof Uint8Array ? (language === 'batch' ? decodeBatch(content) : decode(content)) : content;
  try {
    return lintDecoded(path, language, file, given, rules);
  } catch (error) {
    if (!isStackOverflow(error) || (language !== 'powershell' && language !== 'batch')) throw error;
    return { language, findings: [tooDeep(language, file.text)], file };
  }
}

/** Whether an error is V8 running out of stack: what a file nested thousands deep does to the parsers. */
export function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && /call stack/i.test(error.message);
}

/**
 * The one finding for a file nested too deeply to analyse (thousands of open brackets or blocks):
 * PowerShell itself refuses such a script as "ScriptTooComplicated", so it is a syntax error.
 */
function tooDeep(language: 'powershell' | 'batch', text: string): LintFinding {
  const newline = text.indexOf('\n');
  const end = Math.min(newline < 0 ? text.length : newline, 200);
  return {
    rule: language === 'powershell' ? 'PP1000' : 'PP2000',
    severity: 'error',
    message: language === 'powershell'
      ? l10n.t('This script nests too deeply for PinPack to analyse, and PowerShell refuses such a script as too complicated: split the nesting into functions or smaller statements.')
      : l10n.t('This batch file nests too deeply for PinPack to analyse: split the nested blocks into labels run with call :label.'),
    line: 1,
    column: 1,
    endLine: 1,
    endColumn: end + 1,
    fix: false,
    start: 0,
    end,
  };
}

function lintDecoded(path: string, language: Language, file: DecodedText, given: RuleConfig, rules: readonly Rule<never>[]): FileLint {
  const parsed = parse(language, file.text);
  if (!parsed) return { language, findings: [], file };
  return runRules(path, file, parsed, given, rules);
}

/**
 * Runs the enabled rules on a parsed file. `cached`, when given, answers for a rule instead of
 * running it: it reports the rule's findings itself and returns true (the incremental linter
 * does so for statement-scoped rules on statements an edit did not touch).
 */
export function runRules(
  path: string,
  file: DecodedText,
  parsed: ParsedFile,
  given: RuleConfig,
  rules: readonly Rule<never>[],
  cached?: (rule: Rule<unknown>, report: (f: Finding) => void) => boolean,
): FileLint {
  const language = parsed.language;
  const findings: LintFinding[] = [];
  const lines = new LineMap(file.text);
  const suppressions: Suppressions =
    parsed.language === 'powershell' ? powershellSuppressions(parsed.parsed, lines) : parsed.language === 'batch' ? batchSuppressions(parsed.parsed) : NO_SUPPRESSIONS;
  // A manifest's own lint.rules apply to it as written, also before it is saved (the editor's buffer).
  const config = parsed.language === 'manifest' && parsed.parsed.value !== undefined ? { ...given, ...lintConfigOf(parsed.parsed.value).rules } : given;
  for (const rule of rules) {
    if (rule.language !== language) continue;
    const level = config[rule.id] ?? rule.severity;
    if (level === 'off') continue;
    const id = rule.id;
    const pssa = rule.pssa;
    // The rule's own message, translated once per rule, when a finding first needs it.
    let message: string | undefined;
    const report = (f: Finding) => {
      const start = f.start;
      const end = Math.max(start, f.end);
      const line = lines.lineIndex(start);
      if (suppressions.suppressed(id, pssa, line + 1, start)) return;
      const endLine = end === start ? line : lines.lineIndex(end, line);
      // A rule's message is an English constant, translated here in the language of the run (once
      // per rule); a finding's own message was translated by the rule (l10n.t with its values).
      const text = f.message ?? (message ??= l10n.t(rule.message));
      const column = start - lines.lineStart(line) + 1;
      const endColumn = end - lines.lineStart(endLine) + 1;
      const fix = f.fix !== undefined;
      // Object literals in the order of DESIGN.md §2's JSON (pssa after rule, edits last), not spreads.
      const finding: Mutable<LintFinding> = pssa
        ? { rule: id, pssa, severity: level, message: text, line: line + 1, column, endLine: endLine + 1, endColumn, fix, start, end }
        : { rule: id, severity: level, message: text, line: line + 1, column, endLine: endLine + 1, endColumn, fix, start, end };
      if (f.fix) finding.edits = f.fix;
      findings.push(finding);
    };
    if (cached?.(rule as Rule<unknown>, report)) continue;
    (rule as Rule<unknown>).check({ path, file, parsed: parsed.parsed, report });
  }
  findings.sort((a, b) => a.start - b.start || a.end - b.end || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0));
  return { language, findings, file };
}

/** The report entry of DESIGN.md §2 for a linted file. */
export function toFileReport(path: string, lint: FileLint): LintFileReport {
  return {
    path,
    language: lint.language,
    diagnostics: lint.findings.map(({ start: _s, end: _e, edits: _x, ...d }) => d),
  };
}

/** Applies non-overlapping edits (later ones first), skipping any that overlap an earlier one. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  const kept: TextEdit[] = [];
  let reach = -1;
  for (const e of sorted) {
    if (e.start < reach) continue;
    kept.push(e);
    reach = e.end;
  }
  let out = text;
  for (let i = kept.length - 1; i >= 0; i--) {
    const e = kept[i] as TextEdit;
    out = out.slice(0, e.start) + e.text + out.slice(e.end);
  }
  return out;
}
