import { RequestType0 } from 'vscode-languageserver-protocol';

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
