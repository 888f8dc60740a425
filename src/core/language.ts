import * as l10n from '@vscode/l10n';

/**
 * The languages PinPack speaks outside the extension host: the CLI and the language server.
 * The Japanese strings are the extension's own bundle (l10n/bundle.l10n.ja.json, keyed by the
 * English text), required here so that esbuild puts it inside dist/cli.js and dist/server.js:
 * neither looks for a file at run time. It is required on first use, not imported, so an English
 * run never evaluates it. English needs no bundle: `l10n.t` falls back to the English key.
 * (The extension host needs none of this: VS Code hands the extension its bundle, see
 * src/extension/l10n.ts.)
 */
export const LANGUAGES = ['en', 'ja'] as const;
export type DisplayLanguage = (typeof LANGUAGES)[number];

/** `ja`, `ja-JP` (VS Code, Windows) and `ja_JP.UTF-8` (POSIX) mean Japanese; anything else English. */
export function languageOfLocale(locale: string | undefined): DisplayLanguage {
  return locale !== undefined && /^ja(?:[_.@-]|$)/i.test(locale) ? 'ja' : 'en';
}

let current: DisplayLanguage = 'en';
let japanese: Record<string, string> | undefined;

function japaneseBundle(): Record<string, string> {
  japanese ??= require('../../l10n/bundle.l10n.ja.json') as Record<string, string>;
  return japanese;
}

/** Points `l10n.t` (in core and in whatever calls it in this process) at the language's strings. */
export function useLanguage(language: DisplayLanguage): void {
  l10n.config({ contents: language === 'ja' ? japaneseBundle() : {} });
  current = language;
}

/**
 * Runs `work` (synchronous) with `l10n.t` in another language, then goes back: how the CLI keeps
 * the lint messages of its machine-readable reports (JSON, SARIF) in English, a stable contract
 * for scripts, while it talks to the admin in Japanese.
 */
export function withLanguage<T>(language: DisplayLanguage, work: () => T): T {
  const before = current;
  useLanguage(language);
  try {
    return work();
  } finally {
    useLanguage(before);
  }
}
