import type { DecodedText } from './decode';
import { isStackOverflow, languageOf, lintFile, runRules, type FileLint, type RuleConfig } from './engine';
import type { NamedBlock, Statement } from './powershell/ast';
import { reparse } from './powershell/incremental';
import { PowerShellIndex } from './powershell/index';
import type { CheckpointedParse } from './powershell/parser';
import type { Finding, Rule } from './rule';
import { RULES } from './rules/registry';

/**
 * What is kept of one top-level statement between lints: its index, its statement-scoped
 * findings and the statement facts of file-scope rules that have them (rule.ts StatementFacts).
 */
interface Piece {
  readonly index: PowerShellIndex;
  /** By rule id, with offsets relative to the statement's start (the statement may move). */
  readonly findings: Map<string, Finding[]>;
  /** By rule id. */
  readonly facts: Map<string, unknown>;
}

function moved(f: Finding, by: number): Finding {
  const out: { -readonly [K in keyof Finding]: Finding[K] } = { start: f.start + by, end: f.end + by };
  if (f.message !== undefined) out.message = f.message;
  if (f.fix) out.fix = f.fix.map((e) => ({ start: e.start + by, end: e.end + by, text: e.text }));
  return out;
}

/**
 * Lints one document again and again as it is edited, as the language server does: a PowerShell
 * script that is a plain list of top-level statements is re-parsed only around the edit (see
 * ./powershell/incremental.ts), its index is joined from per-statement indexes kept while a
 * statement is unchanged, rules marked `scope: 'statement'` run only on the statements the
 * edit touched, and file-scope rules with statement facts collect them only there (each lint
 * then only combines them). Everything else runs as in `lintFile`, whose result this always equals
 * (test/unit/core/lint/incremental-lint.test.ts checks it on random edits).
 */
export class IncrementalLint {
  private path: string | undefined;
  private parsed: CheckpointedParse | undefined;
  private pieces = new Map<Statement, Piece>();

  lint(path: string, file: DecodedText, config: RuleConfig = {}, rules: readonly Rule<never>[] = RULES): FileLint | undefined {
    try {
      return this.relint(path, file, config, rules);
    } catch (error) {
      if (!isStackOverflow(error)) throw error;
      // Nested too deeply to analyse: lintFile reports it as the one syntax error it is.
      this.forget();
      return lintFile(path, file, config, rules);
    }
  }

  private relint(path: string, file: DecodedText, config: RuleConfig, rules: readonly Rule<never>[]): FileLint | undefined {
    if (languageOf(path) !== 'powershell') {
      this.forget();
      return lintFile(path, file, config, rules);
    }
    if (path !== this.path) this.forget();
    this.path = path;
    const parsed = reparse(this.parsed, file.text, (statement) => this.pieces.get(statement)?.index.nodeLists());
    this.parsed = parsed;
    if (!parsed.checkpoints) {
      this.pieces.clear();
      return runRules(path, file, { language: 'powershell', parsed: new PowerShellIndex(parsed.parse, file.text) }, config, rules);
    }
    const statements = (parsed.parse.ast.blocks[0] as NamedBlock).statements;
    const pieces = new Map<Statement, Piece>();
    const indexes: PowerShellIndex[] = [];
    for (const statement of statements) {
      let piece = this.pieces.get(statement);
      if (piece) {
        piece.index.parse = parsed.parse;
        piece.index.text = file.text;
      } else {
        piece = { index: new PowerShellIndex(parsed.parse, file.text, statement), findings: new Map(), facts: new Map() };
      }
      pieces.set(statement, piece);
      indexes.push(piece.index);
    }
    this.pieces = pieces;
    const index = PowerShellIndex.join(parsed.parse, file.text, indexes);
    return runRules(path, file, { language: 'powershell', parsed: index }, config, rules, (rule, report) => {
      if (rule.scope !== 'statement' && rule.facts) {
        const facts = rule.facts;
        const all: unknown[] = [];
        for (const piece of pieces.values()) {
          let found = piece.facts.get(rule.id);
          if (found === undefined) piece.facts.set(rule.id, (found = facts.collect(piece.index)));
          all.push(found);
        }
        facts.combine({ path, file, parsed: index, report }, all);
        return true;
      }
      if (rule.scope !== 'statement') return false;
      for (const [statement, piece] of pieces) {
        let found = piece.findings.get(rule.id);
        if (!found) {
          const list: Finding[] = [];
          const at = statement.start;
          rule.check({ path, file, parsed: piece.index, report: (f) => list.push(moved(f, -at)) });
          piece.findings.set(rule.id, (found = list));
        }
        for (const f of found) report(moved(f, statement.start));
      }
      return true;
    });
  }

  /** Drops what was kept (the document closed, or its path changed). */
  forget(): void {
    this.path = undefined;
    this.parsed = undefined;
    this.pieces = new Map();
  }
}
