/** The 0-based index of the line that holds `offset`, given each line's start offset in order. */
export function lineIndexAt(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] as number) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Offsets to 1-based lines and columns (UTF-16 columns, as editors and PowerShell count). */
export class LineMap {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    const starts = this.starts;
    if (text.indexOf('\r') < 0) {
      // indexOf scans far faster than a loop over char codes; lone CRs need the loop.
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
      return;
    }
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x0a || (c === 0x0d && text.charCodeAt(i + 1) !== 0x0a)) starts.push(i + 1);
    }
  }

  position(offset: number): { line: number; column: number } {
    const index = lineIndexAt(this.starts, offset);
    return { line: index + 1, column: offset - (this.starts[index] as number) + 1 };
  }

  /** The 0-based index of the line holding `offset`, from `from`, a line at or before it. */
  lineIndex(offset: number, from = 0): number {
    const starts = this.starts;
    // A finding's end is mostly on its start's line or a few after: look there before searching.
    for (let i = from, stop = Math.min(from + 4, starts.length - 1); i < stop; i++) if ((starts[i + 1] as number) > offset) return i;
    return lineIndexAt(starts, offset);
  }

  /** The offset where the 0-based line `index` starts. */
  lineStart(index: number): number {
    return this.starts[index] as number;
  }

  lineOf(offset: number): number {
    return this.position(offset).line;
  }
}
