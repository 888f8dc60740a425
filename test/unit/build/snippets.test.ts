import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromText } from '../../../src/core/lint/decode';
import { lintFile } from '../../../src/core/lint/engine';
import { repoRoot } from '../paths';

interface Snippet {
  prefix: string;
  description: string;
  body: string[];
}

/** The text a snippet inserts when every placeholder keeps its default: what an admin starts from. */
function expand(body: readonly string[]): string {
  return body
    .join('\r\n')
    .replace(/\$\{\d+:([^}]*)\}/g, '$1')
    .replace(/\$\{\d+\}|\$\d+/g, '')
    .replace(/\\\$/g, '$');
}

function snippets(file: string): [string, Snippet][] {
  return Object.entries(JSON.parse(readFileSync(join(repoRoot, 'snippets', file), 'utf8')) as Record<string, Snippet>);
}

describe('snippets', () => {
  for (const [file, name] of [['powershell.json', 'snippet.ps1'], ['batch.json', 'snippet.bat']] as const) {
    for (const [title, snippet] of snippets(file)) {
      it(`${title} expands to a script with no syntax error and no error finding`, () => {
        assert.match(snippet.prefix, /^pinpack-/);
        const text = expand(snippet.body);
        const result = lintFile(name, fromText(text));
        assert.ok(result, 'the linter does not read it');
        const errors = result.findings.filter((f) => f.severity === 'error').map((f) => `${f.rule} ${f.line}:${f.column} ${f.message}`);
        assert.deepEqual(errors, [], text);
      });
    }
  }

  it('cover what deployment scripts need', () => {
    const prefixes = [...snippets('powershell.json'), ...snippets('batch.json')].map(([, s]) => s.prefix).sort();
    assert.deepEqual(prefixes, [
      'pinpack-enrollment-check',
      'pinpack-exitcodes',
      'pinpack-finally',
      'pinpack-install-ppkg',
      'pinpack-log',
      'pinpack-powershell',
      'pinpack-registry-save',
      'pinpack-robocopy',
    ]);
  });
});
