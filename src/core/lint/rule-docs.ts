import type { DisplayLanguage } from '../language';
import { findRule } from './rules/registry';

/**
 * The Japanese page of a rule (docs/rules/ja/<ID>.md), or undefined when it has none.
 * esbuild turns this template-literal require into a map of every page in docs/rules/ja, bundled
 * as text: a new rule's page is picked up by dropping the file there, with no list to keep.
 * The parity test (test/unit/core/lint/rule-docs-ja.test.ts) requires a page for every rule.
 */
function japanesePage(id: string): string | undefined {
  try {
    return require(`../../../docs/rules/ja/${id}.md`) as string;
  } catch {
    return undefined;
  }
}

/**
 * A rule's documentation page in the given language (English when the language has no page),
 * or undefined for an unknown rule id. What the language server's hover shows.
 */
export function ruleDocs(id: string, language: DisplayLanguage): string | undefined {
  const rule = findRule(id);
  if (!rule) return undefined;
  return (language === 'ja' ? japanesePage(rule.id) : undefined) ?? rule.docs;
}
