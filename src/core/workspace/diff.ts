/**
 * A unified diff of two texts, line by line, for the scaffold's "show me what would change"
 * prompt. Workspace files are small (hundreds of lines), so the plain LCS table is fast enough
 * and keeps the result exact.
 */
export function unifiedDiff(before: string, after: string, beforeLabel: string, afterLabel: string, context = 3): string {
  const a = splitLines(before);
  const b = splitLines(after);
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  type Op = { kind: ' ' | '-' | '+'; text: string; aLine: number; bLine: number };
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) ops.push({ kind: ' ', text: a[i++]!, aLine: i, bLine: ++j });
    // Removals before additions, as diff(1) prints them.
    else if (i < a.length && (j >= b.length || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) ops.push({ kind: '-', text: a[i++]!, aLine: i, bLine: j });
    else ops.push({ kind: '+', text: b[j++]!, aLine: i, bLine: j });
  }
  const changed = ops.map((op, index) => (op.kind === ' ' ? -1 : index)).filter((index) => index >= 0);
  if (changed.length === 0) return '';
  const lines = [`--- ${beforeLabel}`, `+++ ${afterLabel}`];
  let start = 0;
  while (start < changed.length) {
    let end = start;
    while (end + 1 < changed.length && changed[end + 1]! - changed[end]! <= 2 * context + 1) end++;
    const from = Math.max(0, changed[start]! - context);
    const to = Math.min(ops.length - 1, changed[end]! + context);
    const hunk = ops.slice(from, to + 1);
    const aCount = hunk.filter((op) => op.kind !== '+').length;
    const bCount = hunk.filter((op) => op.kind !== '-').length;
    const aStart = hunk.find((op) => op.kind !== '+')?.aLine ?? ops[from]!.aLine;
    const bStart = hunk.find((op) => op.kind !== '-')?.bLine ?? ops[from]!.bLine;
    lines.push(`@@ -${aStart},${aCount} +${bStart},${bCount} @@`);
    for (const op of hunk) lines.push(`${op.kind}${op.text}`);
    start = end + 1;
  }
  return `${lines.join('\n')}\n`;
}

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}
