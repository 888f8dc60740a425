import type { DecodedText } from './decode';
import type { Language, Severity } from './report';

/** A replacement of the text in [start, end) (UTF-16 offsets in the decoded text). */
export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

export interface Finding {
  readonly start: number;
  readonly end: number;
  /**
   * Overrides the rule's message when the finding needs specifics (a command name, a label):
   * already translated: l10n.t of an English constant, with the values as {0}, {1}.
   */
  readonly message?: string;
  /** A safe fix: applying all edits leaves a script that does what the author meant. */
  readonly fix?: readonly TextEdit[];
}

export interface RuleContext<Parsed> {
  readonly path: string;
  readonly file: DecodedText;
  readonly parsed: Parsed;
  report(finding: Finding): void;
}

/**
 * A lint rule. Ids: PP1xxx PowerShell, PP2xxx batch, PP3xxx manifest; PPx000 is the front end's
 * own syntax check. `docs` is the rule's page (docs/rules/<id>.md), bundled as text; its Japanese
 * page (docs/rules/ja/<id>.md) is found by ruleDocs() in rule-docs.ts.
 */
export interface Rule<Parsed = unknown> {
  readonly id: string;
  readonly language: Language;
  readonly severity: Severity;
  /** The PSScriptAnalyzer rule this one mirrors, when it does. */
  readonly pssa?: string;
  /** One plain English line that says what to do; the engine translates it (l10n.t) when it reports. */
  readonly message: string;
  readonly docs: string;
  readonly fixable: boolean;
  /**
   * `statement` (PowerShell only) promises that each finding comes from one top-level statement
   * and depends on nothing outside it (no other statement, no file-wide facts such as the path,
   * the encoding, comments elsewhere or `hashtableKeys`), and lies inside it. The language server
   * then re-runs the rule only on the statements an edit touched, with an index of that
   * statement alone. Leave it out (the default, `file`) when in doubt: the rule then runs on the
   * whole file every time, which is always correct.
   */
  readonly scope?: 'file' | 'statement';
  check(context: RuleContext<Parsed>): void;
}
