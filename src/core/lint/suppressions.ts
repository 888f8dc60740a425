import type { BatchParse } from './batch/parser';
import type { LineMap } from './engine';
import { constantText, type PowerShellIndex } from './powershell/index';

/**
 * Inline suppressions: `# pinpack-disable-next-line PP1001[, PP1002]` in PowerShell,
 * `REM pinpack-disable-next-line PP2001` or `:: pinpack-disable-next-line PP2001` in batch (no
 * id means every rule), and for rules that mirror PSScriptAnalyzer, its
 * `[Diagnostics.CodeAnalysis.SuppressMessageAttribute('<PSSA name>', '')]` on a param block,
 * which covers the script or function that param block belongs to.
 */
export interface Suppressions {
  suppressed(ruleId: string, pssa: string | undefined, line: number, offset: number): boolean;
}

const DIRECTIVE = /pinpack-disable-next-line\b([^\r\n]*)/i;

function idsOf(rest: string): Set<string> | 'all' {
  const ids = rest.split(/[\s,]+/).filter((w) => /^PP\d{4}$/i.test(w)).map((w) => w.toUpperCase());
  return ids.length ? new Set(ids) : 'all';
}

class Table implements Suppressions {
  readonly lines = new Map<number, Set<string> | 'all'>();
  readonly ranges: Array<{ pssa: string; start: number; end: number }> = [];

  add(line: number, ids: Set<string> | 'all'): void {
    const had = this.lines.get(line);
    if (had === 'all' || ids === 'all') this.lines.set(line, 'all');
    else this.lines.set(line, new Set([...(had ?? []), ...ids]));
  }

  suppressed(ruleId: string, pssa: string | undefined, line: number, offset: number): boolean {
    const ids = this.lines.get(line);
    if (ids === 'all' || ids?.has(ruleId)) return true;
    if (!pssa) return false;
    const name = pssa.toLowerCase();
    return this.ranges.some((r) => r.pssa === name && offset >= r.start && offset <= r.end);
  }
}

const SUPPRESS_ATTRIBUTE = /^(system\.)?(diagnostics\.codeanalysis\.)?suppressmessage(attribute)?$/i;

export function powershellSuppressions(index: PowerShellIndex, lines: LineMap): Suppressions {
  const table = new Table();
  const text = index.text;
  for (const token of text.includes('pinpack-disable') ? index.tokens : []) {
    if (token.kind !== 'Comment') continue;
    const match = DIRECTIVE.exec(index.text.slice(token.start, token.end));
    if (match) table.add(lines.lineOf(token.end) + 1, idsOf(match[1] ?? ''));
  }
  for (const block of /suppressmessage/i.test(text) ? index.nodes('ParamBlock') : []) {
    for (const attribute of block.attributes) {
      if (!SUPPRESS_ATTRIBUTE.test(attribute.name)) continue;
      const name = constantText(attribute.positional[0]);
      if (!name) continue;
      const scope = index.parent(block);
      const owner = scope ? index.parent(scope) : undefined;
      const range = owner?.type === 'FunctionDefinition' ? owner : scope;
      table.ranges.push({ pssa: name.replace(/^PSScriptAnalyzer\\/i, '').toLowerCase(), start: range?.start ?? 0, end: range?.end ?? index.text.length });
    }
  }
  return table;
}

export function batchSuppressions(parse: BatchParse): Suppressions {
  const table = new Table();
  for (const comment of parse.comments) {
    const match = DIRECTIVE.exec(comment.text);
    if (match) table.add(comment.line + 2, idsOf(match[1] ?? ''));
  }
  return table;
}
