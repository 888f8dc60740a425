import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { lintConfigOf } from '../core/lint/config';
import type { RuleConfig } from '../core/lint/engine';

/**
 * The lint configuration that applies to a file: `lint.rules` of the nearest pinpack.json above
 * it, re-read when that file changes. Reading is all the server does with the workspace, which
 * is why it also serves untrusted workspaces.
 */
export class LintConfigs {
  private readonly cache = new Map<string, { mtimeMs: number; rules: RuleConfig }>();

  /** The rules for a file, and whether it lies in a package workspace at all. */
  forFile(path: string): { rules: RuleConfig; inPackage: boolean } {
    for (let dir = dirname(path); ; dir = dirname(dir)) {
      const rules = this.read(join(dir, 'pinpack.json'));
      if (rules) return { rules, inPackage: true };
      if (dirname(dir) === dir) return { rules: {}, inPackage: false };
    }
  }

  private read(manifest: string): RuleConfig | undefined {
    let mtimeMs: number;
    try {
      mtimeMs = statSync(manifest).mtimeMs;
    } catch {
      return undefined;
    }
    const cached = this.cache.get(manifest);
    if (cached?.mtimeMs === mtimeMs) return cached.rules;
    let rules: RuleConfig = {};
    try {
      rules = lintConfigOf(JSON.parse(readFileSync(manifest, 'utf8'))).rules;
    } catch {
      // A manifest that does not parse is reported by its own lint; its scripts lint with defaults.
    }
    this.cache.set(manifest, { mtimeMs, rules });
    return rules;
  }
}
