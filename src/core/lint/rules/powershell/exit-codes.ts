import * as l10n from '@vscode/l10n';
import docs from '../../../../../docs/rules/PP1027.md';
import { type Expression, loneExpression } from '../../powershell/ast';
import { constantText, type PowerShellIndex } from '../../powershell/index';
import { KIND } from '../../powershell/tokens';
import { checkByFacts, type Rule, type StatementFacts } from '../../rule';

/**
 * Codes every admin and SCCM know without a table: success, generic failure, and the Windows
 * Installer reboot codes that SCCM turns into "reboot required" (3010 soft, 1641 hard).
 */
const SELF_EXPLANATORY = new Set([0, 1, 3010, 1641]);

const EXIT_CODES_HEADING = /exit\s*codes?|return\s*codes?|終了コード/i;
/** A line of an exit-code list: `  13  the UPN contains a space`, `# 20-29: ...`, `- 5 = ...`. */
const LIST_LINE = /^[\s#*-]*(-?\d+|0x[0-9a-f]+)(?:\s*(?:-|\.\.|to|~)\s*(-?\d+))?(?=[\s:=.,)]|$)/i;

/** The codes listed in the script's comments under an "Exit codes" heading. */
function documentedCodes(index: PowerShellIndex): { codes: Set<number>; ranges: Array<[number, number]> } | undefined {
  const tokens = index.tokens;
  let found: { codes: Set<number>; ranges: Array<[number, number]> } | undefined;
  for (let i = 0; i < tokens.length; i++) {
    if (tokens.code(i) !== KIND.Comment) continue;
    const text = index.text.slice(tokens.start(i), tokens.end(i));
    const heading = EXIT_CODES_HEADING.exec(text);
    if (!heading) continue;
    found ??= { codes: new Set(), ranges: [] };
    const lines = text.slice(heading.index).split(/\r?\n|\r/).slice(1);
    // A list written as line comments goes on in the comments that follow.
    for (let j = i + 1; j < tokens.length; j++) {
      const next = tokens.code(j);
      if (next === KIND.NewLine) continue;
      if (next !== KIND.Comment) break;
      lines.push(index.text.slice(tokens.start(j), tokens.end(j)));
      i = j;
    }
    for (const line of lines) {
      const m = LIST_LINE.exec(line);
      if (!m) continue;
      const from = Number(m[1]);
      if (m[2] !== undefined) found.ranges.push([from, Number(m[2])]);
      else found.codes.add(from);
    }
  }
  return found;
}

function literalCode(e: Expression | undefined): number | undefined {
  const text = e?.type === 'Number' || e?.type === 'String' ? constantText(e)?.trim() : undefined;
  if (!text || !/^-?(\d+|0x[0-9a-f]+)$/i.test(text)) return undefined;
  return Number(text);
}

/**
 * `exit N` (or `[Environment]::Exit(N)`) with a literal code that the script's comments do not
 * list under an "Exit codes" heading (the comment-based help's .NOTES, as PinPack's own scripts
 * do). SCCM and EPM show only the number; the table is how an admin reads it. 0, 1, 3010 and 1641
 * need no table. Codes held in variables are not checked: their values are not known here.
 */
interface LiteralExit {
  readonly code: number;
  readonly e: Expression;
}

const NO_EXITS: readonly LiteralExit[] = [];

/**
 * Each statement's literal exit codes are kept; the comments that document them may be anywhere
 * (between statements too), so they are read on every lint, and only when a code needs them.
 */
const exitFacts: StatementFacts<PowerShellIndex, readonly LiteralExit[]> = {
  collect(parsed) {
    let exits: LiteralExit[] | undefined;
    for (const s of parsed.nodes('Exit')) {
      const e = loneExpression(s.pipeline);
      const code = literalCode(e);
      if (e && code !== undefined && !SELF_EXPLANATORY.has(code)) (exits ??= []).push({ code, e });
    }
    for (const m of parsed.nodes('Member')) {
      if (!m.static || !/^exit$/i.test(m.name ?? '') || m.target.type !== 'TypeLiteral' || !/^(system\.)?environment$/i.test(m.target.typeName)) continue;
      const e = m.arguments?.[0];
      const code = literalCode(e);
      if (e && code !== undefined && !SELF_EXPLANATORY.has(code)) (exits ??= []).push({ code, e });
    }
    return exits ?? NO_EXITS;
  },
  combine({ parsed, report }, facts) {
    if (!facts.some((f) => f.length > 0)) return;
    const documented = documentedCodes(parsed);
    for (const exits of facts) {
      for (const { code, e } of exits) {
        if (documented && (documented.codes.has(code) || documented.ranges.some(([a, b]) => code >= a && code <= b))) continue;
        report({ start: e.start, end: e.end, message: l10n.t('List exit code {0} in the script\'s help under "Exit codes": SCCM and EPM show only the number, and the admin needs to know what it means.', code) });
      }
    }
  },
};

export const undocumentedExitCode: Rule<PowerShellIndex> = {
  id: 'PP1027',
  language: 'powershell',
  severity: 'warning',
  message: 'List this exit code in the script\'s help under "Exit codes": SCCM and EPM show only the number, and the admin needs to know what it means.',
  docs,
  fixable: false,
  facts: exitFacts as StatementFacts<PowerShellIndex, unknown>,
  check: checkByFacts(exitFacts),
};
