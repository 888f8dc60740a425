/**
 * A deterministic fuzzer for the PowerShell front end: it cuts windows out of the fixture
 * scripts and mutates them (deletes, inserts syntax fragments, duplicates and swaps lines,
 * truncates), so most inputs are almost-valid scripts — the ones a parser gets wrong.
 */

/** mulberry32: small, fast and reproducible. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FRAGMENTS = [
  '(', ')', '{', '}', '[', ']', '"', "'", '$', '@', '|', ';', ',', '=', '-', '.', ':', '`', '\n', ' ', '#', '<#', '#>',
  '@"\n', '\n"@', "@'\n", "\n'@", '-eq', '-not', 'if', 'else', 'elseif', 'foreach', 'function', 'param', 'try', 'catch',
  'finally', 'switch', 'while', 'do', 'until', 'return', 'exit', 'throw', 'break', 'class', 'enum', 'begin', 'process',
  '$x', '$env:X', '${a b}', '@splat', '1', '1.5', '0x10', '1MB', "'a'", '"$a"', '"$(1)"', '2>&1', '>', '>>', '&&', '||',
  '??', '?', '?.', '&', '::', '..', '+=', '++', '[int]', '[string[]]', '@(', '@{', '$(', '-Path', '-Path:', 'Get-Item',
  'iex', '%', '!', '*', '/', '\r\n', '\t', '–', '“', '”', '‘', '’', '--%', 'in', ':label',
];

function pick<T>(rnd: () => number, items: readonly T[]): T {
  return items[Math.floor(rnd() * items.length)] as T;
}

function mutate(rnd: () => number, text: string): string {
  const at = Math.floor(rnd() * (text.length + 1));
  switch (Math.floor(rnd() * 7)) {
    case 0:
      return text.slice(0, at) + text.slice(at + 1 + Math.floor(rnd() * 3));
    case 1:
    case 2:
      return text.slice(0, at) + pick(rnd, FRAGMENTS) + text.slice(at);
    case 3: {
      const lines = text.split('\n');
      const i = Math.floor(rnd() * lines.length);
      lines.splice(i, 0, lines[Math.floor(rnd() * lines.length)] ?? '');
      return lines.join('\n');
    }
    case 4: {
      const lines = text.split('\n');
      lines.splice(Math.floor(rnd() * lines.length), 1);
      return lines.join('\n');
    }
    case 5:
      return text.slice(0, at);
    default: {
      const from = Math.floor(rnd() * text.length);
      const piece = text.slice(from, from + 1 + Math.floor(rnd() * 12));
      return text.slice(0, at) + piece + text.slice(at);
    }
  }
}

/** A window of 1 to 12 lines of one of the sources. */
function window(rnd: () => number, source: string): string {
  const lines = source.split('\n');
  const from = Math.floor(rnd() * lines.length);
  return lines.slice(from, from + 1 + Math.floor(rnd() * 12)).join('\n');
}

/**
 * `count` inputs from `sources`: a quarter are unmutated windows (mostly valid, so token
 * extents get compared), the rest carry one to three mutations.
 */
export function fuzzInputs(sources: readonly string[], count: number, seed: number): string[] {
  const rnd = random(seed);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    let text = window(rnd, pick(rnd, sources));
    if (i % 4 !== 0) {
      const n = 1 + Math.floor(rnd() * 3);
      for (let k = 0; k < n; k++) text = mutate(rnd, text);
    }
    out.push(text);
  }
  return out;
}
