import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A deterministic PowerShell corpus built from the fixtures under test/fixtures/powershell: each
 * file concatenates whole fixtures in rotating order, each wrapped in a function of its own (so
 * its param block stays valid), until it has `linesPerFile` lines. `using` statements, which
 * PowerShell allows only at the top of a file, and `#Requires` lines, which may not repeat an
 * option, become plain comments.
 */
export function powershellCorpus(root: string, totalLines: number, linesPerFile: number): string[] {
  const dir = join(root, 'test', 'fixtures', 'powershell');
  const fixtures = readdirSync(dir)
    .sort()
    .map((name) => readFileSync(join(dir, name), 'utf8').replace(/^\uFEFF/, '').replace(/^using .*$/gm, '# (using statement moved)').replace(/^#requires/gim, '# requires'));
  const files: string[] = [];
  let lines = 0;
  let next = 0;
  while (lines < totalLines) {
    const parts: string[] = [];
    let fileLines = 0;
    while (fileLines < linesPerFile) {
      const text = fixtures[next % fixtures.length] as string;
      parts.push(`function Invoke-Fixture${next++} {\n${text.endsWith('\n') ? text : `${text}\n`}}\n`);
      fileLines += text.split('\n').length - 1;
    }
    const file = parts.join('');
    files.push(file);
    lines += file.split('\n').length - 1;
  }
  return files;
}

export function lineCount(texts: readonly string[]): number {
  return texts.reduce((n, t) => n + t.split('\n').length - 1, 0);
}
