import * as l10n from '@vscode/l10n';

/**
 * The one error type that crosses PinPack's layers. Its message is a complete sentence for the
 * user: what went wrong and what to do about it. The CLI maps `kind` to its exit code and the
 * extension shows the message as it is; neither adds a stack trace.
 */
export type ErrorKind =
  /** The command line or a setting is wrong: the user fixes the invocation. */
  | 'usage'
  /** The input was read but refused (lint errors, an expired PIN, a hostile zip). */
  | 'refused'
  /** The tenant could not be reached or refused the call. */
  | 'tenant'
  /** A file or folder could not be read or written. */
  | 'io';

export class PinPackError extends Error {
  override readonly name = 'PinPackError';

  constructor(
    readonly kind: ErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A message fit to show a user for anything thrown, without leaking a stack trace. */
export function describeError(error: unknown): string {
  if (error instanceof PinPackError) return error.message;
  const detail = error instanceof Error ? error.message : String(error);
  return l10n.t('Unexpected error: {0}. Please report it with the steps that led to it.', detail);
}
