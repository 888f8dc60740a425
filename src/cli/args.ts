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
    // Node appends advice about '--' to unknown options; the first sentence is the one that matters.
    const reason = (error instanceof Error ? error.message : String(error)).split(/\.(\s|$)/)[0] ?? 'Invalid arguments';
    throw new PinPackError('usage', l10n.t('{0}. Run "pinpack {1} --help" to see the options.', reason, command));
  }
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
