import { NotificationType, RequestType, RequestType0 } from 'vscode-languageserver-protocol';

/**
 * The contract between the extension and its language server beyond LSP itself: both sides import
 * it from core, so the extension never imports the server.
 */
export interface ServerProcessInfo {
  readonly pid: number;
  readonly version: string;
  /** The server's memory now, in bytes: resident set and V8 heap in use (for the bench and bug reports). */
  readonly memory: { readonly rss: number; readonly heapUsed: number };
  /** CPU time the server process has used so far (user + system), in milliseconds. */
  readonly cpuMs: number;
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

/** Sent when a background lint of the workspace ends, finished or cancelled. */
export interface WorkspaceLintedParams {
  /** Files linted from disk (open documents are linted from the editor instead). */
  readonly files: number;
  readonly findings: number;
  readonly durationMs: number;
  readonly cancelled: boolean;
}

export const WorkspaceLintedNotification = new NotificationType<WorkspaceLintedParams>('pinpack/workspaceLinted');

/**
 * A rule's documentation page (Markdown), or null for an unknown id: what "Show documentation"
 * opens. Asked of the server so the extension does not bundle the linter.
 */
export const RuleDocumentationRequest = new RequestType<{ readonly rule: string }, string | null, void>('pinpack/ruleDocumentation');
