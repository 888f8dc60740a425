/**
 * PinPack's language server. The extension starts it as a separate process through
 * vscode-languageclient; the transport (`--node-ipc` or `--stdio`) comes from the command line.
 * It keeps the open PowerShell, batch and manifest documents in sync; linting over core/lint
 * plugs into the same document store.
 */
import {
  createConnection,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ServerProcessInfoRequest } from '../core/lint/server-protocol';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);

connection.onInitialize(
  (): InitializeResult => ({
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
    },
    serverInfo: { name: 'pinpack', version: PINPACK_VERSION },
  }),
);

connection.onRequest(ServerProcessInfoRequest, () => ({ pid: process.pid, version: PINPACK_VERSION }));

documents.listen(connection);
connection.listen();
