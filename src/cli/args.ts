import { parseArgs, type ParseArgsConfig } from 'node:util';
import { PinPackError } from '../core/errors';

/**
 * node:util's parseArgs, strict, with its errors turned into one usage sentence that points at
 * the command's help.
 */
export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(command: string, args: readonly string[], options: T) {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (error) {
    // Node appends advice about '--' to unknown options; the first sentence is the one that matters.
    const reason = (error as Error).message.split(/\.(\s|$)/)[0] ?? 'Invalid arguments';
    throw new PinPackError('usage', `${reason}. Run "pinpack ${command} --help" to see the options.`);
  }
}
