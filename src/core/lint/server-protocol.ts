import { NotificationType, RequestType0 } from 'vscode-languageserver-protocol';

/**
 * The contract between the extension and its language server beyond LSP itself: both sides import
 * it from core, so the extension never imports the server.
 */
export interface ServerProcessInfo {
  readonly pid: number;
  readonly version: string;
}

/** Which process serves, so the extension can log it and tests can check a restart really happened. */
export const ServerProcessInfoRequest = new RequestType0<ServerProcessInfo, void>('pinpack/serverProcessInfo');

/** Sent after each lint of a document, for the language status item's "last lint" line. */
export interface LintedParams {
  readonly uri: string;
  readonly durationMs: number;
  readonly findings: number;
}

export const LintedNotification = new NotificationType<LintedParams>('pinpack/linted');
