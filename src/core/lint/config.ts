import * as l10n from '@vscode/l10n';
import type { RuleConfig, RuleLevel } from './engine';

const LEVELS: ReadonlySet<string> = new Set(['error', 'warning', 'info', 'off']);

/**
 * The `lint.rules` object of a parsed pinpack.json, read defensively: the manifest's full schema
 * lives in the workspace model, and a manifest that is wrong elsewhere must still lint. Entries
 * that are not `"<rule id>": "error" | "warning" | "info" | "off"` are returned as problems.
 */
export function lintConfigOf(manifest: unknown): { rules: RuleConfig; problems: string[] } {
  const rules: Record<string, RuleLevel> = {};
  const problems: string[] = [];
  if (typeof manifest !== 'object' || manifest === null) return { rules, problems };
  const lint = (manifest as { lint?: unknown }).lint;
  if (lint === undefined) return { rules, problems };
  const entries = typeof lint === 'object' && lint !== null ? (lint as { rules?: unknown }).rules : undefined;
  if (entries === undefined) return { rules, problems };
  if (typeof entries !== 'object' || entries === null || Array.isArray(entries)) {
    problems.push(l10n.t('lint.rules must be an object of "<rule id>": "error" | "warning" | "info" | "off".'));
    return { rules, problems };
  }
  for (const [id, level] of Object.entries(entries)) {
    if (typeof level === 'string' && LEVELS.has(level)) rules[id.toUpperCase()] = level as RuleLevel;
    else problems.push(l10n.t('lint.rules.{0} must be "error", "warning", "info" or "off", not {1}.', id, JSON.stringify(level) ?? String(level)));
  }
  return { rules, problems };
}
