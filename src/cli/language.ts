import * as l10n from '@vscode/l10n';
import { PinPackError } from '../core/errors';
import { LANGUAGES, languageOfLocale, useLanguage, type DisplayLanguage } from '../core/language';

export { useLanguage };

/** The CLI's language: core/language.ts carries the Japanese bundle inside dist/cli.js. */
export const CLI_LANGUAGES = LANGUAGES;
export type CliLanguage = DisplayLanguage;

/**
 * The POSIX locale order: LC_ALL overrides LC_MESSAGES, which overrides LANG. `ja_JP.UTF-8`,
 * `ja_JP` and `ja` mean Japanese; anything else (C, POSIX, en_US.UTF-8) means English.
 * Windows sets none of them, so there `systemLocale` (the user's locale, `ja-JP` on a Japanese
 * Windows) decides when they are absent.
 */
export function languageFromEnvironment(env: NodeJS.ProcessEnv, systemLocale?: string): CliLanguage {
  const locale = [env['LC_ALL'], env['LC_MESSAGES'], env['LANG']].find((value) => value !== undefined && value !== '') ?? systemLocale;
  return languageOfLocale(locale);
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
