import type { BatchParse } from './batch/parser';
import type { LineMap } from './lines';
import { constantText, type PowerShellIndex } from './powershell/index';
import { KIND } from './powershell/tokens';

/**
 * Inline suppressions: `# pinpack-disable-next-line PP1001[, PP1002]` in PowerShell,
 * `REM pinpack-disable-next-line PP2001` or `:: pinpack-disable-next-line PP2001` in batch (no
 * id means every rule); `pinpack-disable-file PP1008` in a comment anywhere in the file, for the
 * whole file (ESLint's `eslint-disable` at the top of a file is the model; no id again means every
 * rule); and for rules that mirror PSScriptAnalyzer, its
 * `[Diagnostics.CodeAnalysis.SuppressMessageAttribute('<PSSA name>', '')]` on a param block,
 * which covers the script or function that param block belongs to.
 */
export interface Suppressions {
  suppressed(ruleId: string, pssa: string | undefined, line: number, offset: number): boolean;
}

/** A suppression directive in a comment: its kind, and the rule ids after it (`all` for none). */
export interface Directive {
  readonly kind: 'next-line' | 'file';
  readonly ids: ReadonlySet<string> | 'all';
}

const DIRECTIVE = /pinpack-disable-(next-line|file)\b([^\r\n]*)/i;

/** The directive in a comment's text, if it holds one. */
export function directiveIn(comment: string): Directive | undefined {
  const match = DIRECTIVE.exec(comment);
  if (!match) return undefined;
  return { kind: (match[1] ?? '').toLowerCase() === 'file' ? 'file' : 'next-line', ids: idsOf(match[2] ?? '') };
}

function idsOf(rest: string): Set<string> | 'all' {
  const ids = rest.split(/[\s,]+/).filter((w) => /^PP\d{4}$/i.test(w)).map((w) => w.toUpperCase());
  return ids.length ? new Set(ids) : 'all';
}

class Table implements Suppressions {
  readonly lines = new Map<number, Set<string> | 'all'>();
  readonly ranges: Array<{ pssa: string; start: number; end: number }> = [];
  private file: Set<string> | 'all' = new Set();

  /** Records the directive of a comment that ends on `line` (1-based). */
  add(line: number, directive: Directive): void {
    if (directive.kind === 'file') {
      this.file = merge(this.file, directive.ids);
      return;
    }
    this.lines.set(line + 1, merge(this.lines.get(line + 1), directive.ids));
  }

  suppressed(ruleId: string, pssa: string | undefined, line: number, offset: number): boolean {
    if (this.file === 'all' || this.file.has(ruleId)) return true;
    const ids = this.lines.get(line);
    if (ids === 'all' || ids?.has(ruleId)) return true;
    if (!pssa) return false;
    const name = pssa.toLowerCase();
    return this.ranges.some((r) => r.pssa === name && offset >= r.start && offset <= r.end);
  }
}

function merge(had: ReadonlySet<string> | 'all' | undefined, ids: ReadonlySet<string> | 'all'): Set<string> | 'all' {
  return had === 'all' || ids === 'all' ? 'all' : new Set([...(had ?? []), ...ids]);
}

const SUPPRESS_ATTRIBUTE = /^(system\.)?(diagnostics\.codeanalysis\.)?suppressmessage(attribute)?$/i;

export function powershellSuppressions(index: PowerShellIndex, lines: LineMap): Suppressions {
  const table = new Table();
  const text = index.text;
  const tokens = index.tokens;
  for (let i = 0, n = text.includes('pinpack-disable') ? tokens.length : 0; i < n; i++) {
    if (tokens.code(i) !== KIND.Comment) continue;
    const directive = directiveIn(index.text.slice(tokens.start(i), tokens.end(i)));
    if (directive) table.add(lines.lineOf(tokens.end(i)), directive);
  }
  for (const block of /suppressmessage/i.test(text) ? index.nodes('ParamBlock') : []) {
    for (const attribute of block.attributes) {
      if (!SUPPRESS_ATTRIBUTE.test(attribute.name)) continue;
      const name = constantText(attribute.positional[0]);
      if (!name) continue;
      // A param block's parent is the script block it opens, and that script block's parent is the
      // function whose body it is, if any: found from the lists, not the index's parent map (a
      // walk of the whole tree).
      const scope = index.nodes('ScriptBlock').find((b) => b.paramBlock === block);
      const owner = scope ? index.nodes('FunctionDefinition').find((f) => f.body === scope) : undefined;
      const range = owner ?? scope;
      table.ranges.push({ pssa: name.replace(/^PSScriptAnalyzer\\/i, '').toLowerCase(), start: range?.start ?? 0, end: range?.end ?? index.text.length });
    }
  }
  return table;
}

export function batchSuppressions(parse: BatchParse): Suppressions {
  const table = new Table();
  for (const comment of parse.comments) {
    const directive = directiveIn(comment.text);
    if (directive) table.add(comment.line + 1, directive);
  }
  return table;
}
