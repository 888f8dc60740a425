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
  /**
   * For a file-scope PowerShell rule whose findings decompose by top-level statement: see
   * StatementFacts. The language server then keeps each statement's facts while the statement is
   * unchanged and runs only `combine` on every lint. `check` must then be `checkByFacts(facts)`.
   */
  readonly facts?: StatementFacts<Parsed, unknown>;
  /**
   * `tenant`: the rule asks the tenant (PP3004, unknown users). Its `check` reports nothing, so
   * lintFile stays offline and synchronous; the findings come from the online check in
   * lint/online/ (`pinpack lint --check-users`, the extension's "Check Users Against Tenant").
   */
  readonly needs?: 'tenant';
  check(context: RuleContext<Parsed>): void;
}

/**
 * What a file-scope rule knows of one top-level statement, and how the file's findings follow
 * from those facts. For a script that is a plain list of top-level statements, `combine` over
 * the facts `collect` gives for each statement (each with an index of that statement alone, in
 * order) must report exactly what `combine` over the one `collect` of the whole script's index
 * reports; `check` is the latter (checkByFacts).
 *
 * `collect` reads only its index's subtree (its nodes, and the text inside them); the file-wide
 * facts (the path, the parse errors, comments or text between statements) are for `combine`.
 * Facts are kept while the statement is unchanged, and the statement may move: they may hold the
 * statement's nodes (whose offsets move with them) and strings, never offsets as numbers.
 */
export interface StatementFacts<Parsed, Facts> {
  collect(parsed: Parsed): Facts;
  combine(context: RuleContext<Parsed>, facts: readonly Facts[]): void;
}

/** The `check` of a rule with statement facts: the facts of the whole file, combined. */
export function checkByFacts<Parsed, Facts>(facts: StatementFacts<Parsed, Facts>): (context: RuleContext<Parsed>) => void {
  return (context) => facts.combine(context, [facts.collect(context.parsed)]);
}
