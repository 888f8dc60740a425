import * as l10n from '@vscode/l10n';
import { PinPackError } from '../core/errors';

/**
 * The CLI's language. The Japanese strings are the extension's own bundle
 * (l10n/bundle.l10n.ja.json, keyed by the English text), required here so that esbuild puts it
 * inside dist/cli.js: the CLI never looks for a file at run time, wherever it is installed.
 * It is required on first use, not imported, so an English run never evaluates it.
 * English needs no bundle: `l10n.t` falls back to the English key.
 */

export const CLI_LANGUAGES = ['en', 'ja'] as const;
export type CliLanguage = (typeof CLI_LANGUAGES)[number];

/**
 * The POSIX locale order: LC_ALL overrides LC_MESSAGES, which overrides LANG. `ja_JP.UTF-8`,
 * `ja_JP` and `ja` mean Japanese; anything else (C, POSIX, en_US.UTF-8) means English.
 * Windows sets none of them, so there `systemLocale` (the user's locale, `ja-JP` on a Japanese
 * Windows) decides when they are absent.
 */
export function languageFromEnvironment(env: NodeJS.ProcessEnv, systemLocale?: string): CliLanguage {
  const locale = [env['LC_ALL'], env['LC_MESSAGES'], env['LANG']].find((value) => value !== undefined && value !== '') ?? systemLocale;
  return locale !== undefined && /^ja(?:[_.@-]|$)/i.test(locale) ? 'ja' : 'en';
}

/** The user's locale on Windows, where no locale variable is set; elsewhere the variables decide. */
export function windowsLocale(): string | undefined {
  return process.platform === 'win32' ? Intl.DateTimeFormat().resolvedOptions().locale : undefined;
}

/**
 * Takes the global `--lang en|ja` (or `--lang=ja`) out of the arguments, wherever it stands
 * before a `--`. Without it the environment decides.
 */
export function takeLanguageOption(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  systemLocale: string | undefined = windowsLocale(),
): { readonly language: CliLanguage; readonly rest: string[] } {
  const rest: string[] = [];
  let given: string | undefined;
  let missingValue = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    if (arg === '--lang') {
      given = argv[i + 1];
      if (given === undefined || given.startsWith('-')) missingValue = true;
      else i++;
    } else if (arg.startsWith('--lang=')) {
      given = arg.slice('--lang='.length);
    } else {
      rest.push(arg);
    }
  }
  const fallback = languageFromEnvironment(env, systemLocale);
  if (missingValue) {
    useLanguage(fallback);
    throw new PinPackError('usage', l10n.t('--lang needs a value: en or ja.'));
  }
  if (given !== undefined && !(CLI_LANGUAGES as readonly string[]).includes(given)) {
    useLanguage(fallback);
    throw new PinPackError('usage', l10n.t('--lang must be en or ja, not "{0}".', given));
  }
  return { language: (given as CliLanguage | undefined) ?? fallback, rest };
}

let japanese: Record<string, string> | undefined;

function japaneseBundle(): Record<string, string> {
  japanese ??= require('../../l10n/bundle.l10n.ja.json') as Record<string, string>;
  return japanese;
}

/** Points `l10n.t` (in the CLI and in the core modules it calls) at the language's strings. */
export function useLanguage(language: CliLanguage): void {
  l10n.config({ contents: language === 'ja' ? japaneseBundle() : {} });
}
