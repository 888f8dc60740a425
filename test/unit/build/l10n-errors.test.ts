import * as assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type * as TS from 'typescript';
import { repoRoot } from '../paths';

// The compiler is loaded from node_modules at run time rather than bundled into the test file.
const ts = createRequire(join(repoRoot, 'package.json'))('typescript') as typeof TS;

/** The argument of each error class that carries the message shown to the user. */
const MESSAGE_ARGUMENT: Record<string, number> = { PinPackError: 1, TenantError: 1 };

/** A `// l10n-exempt: <why>` comment on the line of the error or on the line just above it. */
const EXEMPT = /\/\/\s*l10n-exempt:\s*\S/;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') && !path.endsWith('.d.ts') ? [path] : [];
  });
}

/**
 * True when `node` holds English words in a literal that no l10n.t call translates. A call's own
 * arguments are data for it (a severity, a key), so the scan stops at every call, l10n.t included;
 * what the call returns is the callee's business, and this test scans the callee too when it builds
 * an error.
 */
function holdsUntranslatedText(node: TS.Node): boolean {
  if (ts.isCallExpression(node)) return false;
  const words = (text: string) => /[A-Za-z]{3,}/.test(text);
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return words(node.text);
  if (ts.isTemplateExpression(node)) {
    if (words(node.head.text) || node.templateSpans.some((span) => words(span.literal.text))) return true;
  }
  return ts.forEachChild(node, (child) => (holdsUntranslatedText(child) ? true : undefined)) ?? false;
}

/** Every `new XError(...)` in src/core, src/cli and src/server whose message is English text not passed through l10n.t. */
function untranslatedErrors(): string[] {
  const found: string[] = [];
  for (const folder of ['core', 'cli', 'server']) {
    for (const file of sources(join(repoRoot, 'src', folder))) {
      const text = readFileSync(file, 'utf8');
      const lines = text.split('\n');
      const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
      const visit = (node: TS.Node): void => {
        if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && /Error$/.test(node.expression.text)) {
          const message = node.arguments?.[MESSAGE_ARGUMENT[node.expression.text] ?? 0];
          if (message && holdsUntranslatedText(message)) {
            const line = source.getLineAndCharacterOfPosition(node.getStart()).line;
            if (!EXEMPT.test(lines[line] ?? '') && !EXEMPT.test(lines[line - 1] ?? '')) {
              found.push(`${relative(repoRoot, file)}:${line + 1}: ${node.getText().split('\n')[0]?.slice(0, 110)}`);
            }
          }
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
  }
  return found;
}

describe('error messages in the language of the user', () => {
  it('builds every error message of core, the CLI and the language server with l10n.t', () => {
    const found = untranslatedErrors();
    assert.deepEqual(
      found,
      [],
      `${found.length} error message(s) are English text the user would see untranslated. Wrap each sentence in ` +
        `l10n.t('English {0}', value) and add its Japanese to l10n/bundle.l10n.ja.json; an internal error that no user ` +
        `ever sees (a programming assertion) may stay English with a "// l10n-exempt: <why>" comment on its line or the line above.`,
    );
  });
});
