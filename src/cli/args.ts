import * as l10n from '@vscode/l10n';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { PinPackError } from '../core/errors';

/**
 * node:util parseArgs for one subcommand, strict, with its errors turned into one usage sentence
 * that points at the command's help.
 */
export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(command: string, args: readonly string[], options: T, allowPositionals = false) {
  try {
    return parseArgs({ args: [...args], options, strict: true, allowPositionals });
  } catch (error) {
    throw new PinPackError('usage', argumentProblem(error, command));
  }
}

/**
 * node:util parseArgs's complaint as one translated sentence: the English stays Node's own first
 * sentence (Node appends advice about '--' to unknown options), the option or argument is taken
 * from it. A complaint Node may add later falls back to its English first sentence.
 */
function argumentProblem(error: unknown, command: string): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as NodeJS.ErrnoException).code;
  const quoted = (pattern: RegExp) => pattern.exec(message)?.[1];
  const unknown = code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? quoted(/^Unknown option '([^']*)'/) : undefined;
  if (unknown !== undefined) return l10n.t('Unknown option \'{0}\'. Run "pinpack {1} --help" to see the options.', unknown, command);
  const missing = code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' ? quoted(/^Option '(.*)' argument missing/) : undefined;
  if (missing !== undefined) return l10n.t('Option \'{0}\' argument missing. Run "pinpack {1} --help" to see the options.', missing, command);
  const flag = code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' ? quoted(/^Option '([^']*)' does not take an argument/) : undefined;
  if (flag !== undefined) return l10n.t('Option \'{0}\' does not take an argument. Run "pinpack {1} --help" to see the options.', flag, command);
  const positional = code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL' ? quoted(/^Unexpected argument '(.*)'\. /) : undefined;
  if (positional !== undefined) return l10n.t('Unexpected argument \'{0}\'. Run "pinpack {1} --help" to see the options.', positional, command);
  const reason = message.split(/\.(\s|$)/)[0] || l10n.t('Invalid arguments');
  return l10n.t('{0}. Run "pinpack {1} --help" to see the options.', reason, command);
}

export function parseCount(command: string, flag: string, text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw new PinPackError('usage', l10n.t('--{0} must be a whole number from {1} to {2}, not "{3}". Run "pinpack {4} --help".', flag, min, max, text, command));
  }
  return value;
}

export function parseFormat<T extends string>(command: string, text: string | undefined, allowed: readonly T[]): T {
  const value = (text ?? allowed[0]) as T;
  if (!allowed.includes(value)) throw new PinPackError('usage', l10n.t('--format must be {0}, not "{1}". Run "pinpack {2} --help".', allowed.join(' | '), text ?? '', command));
  return value;
}
