import * as assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import {
  createProtocolConnection,
  InitializeRequest,
  ExitNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  TextDocumentSyncKind,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import { ServerProcessInfoRequest } from '../../../src/core/lint/server-protocol';
import { distDir } from '../paths';

describe('language server bundle', () => {
  let server: ChildProcessWithoutNullStreams;
  let connection: ProtocolConnection;

  before(() => {
    server = spawn(process.execPath, [join(distDir, 'server.js'), '--stdio']);
    connection = createProtocolConnection(new StreamMessageReader(server.stdout), new StreamMessageWriter(server.stdin));
    connection.listen();
  });

  after(() => {
    connection.dispose();
    if (server.exitCode === null) server.kill();
  });

  it('answers initialize over stdio with its name, version and incremental sync', async () => {
    const result = await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: null,
      capabilities: {},
      workspaceFolders: null,
    });
    assert.equal(result.serverInfo?.name, 'pinpack');
    assert.equal(result.serverInfo?.version, PINPACK_VERSION);
    const sync = result.capabilities.textDocumentSync;
    assert.ok(typeof sync === 'object' && sync !== null);
    assert.equal(sync.change, TextDocumentSyncKind.Incremental);
    assert.equal(sync.openClose, true);
  });

  it('tells which process serves', async () => {
    const info = await connection.sendRequest(ServerProcessInfoRequest);
    assert.deepEqual({ pid: info.pid, version: info.version }, { pid: server.pid, version: PINPACK_VERSION });
  });

  it('shuts down and exits with code 0 when asked', async () => {
    const exited = new Promise<number | null>((resolve) => server.once('exit', (code) => resolve(code)));
    await connection.sendRequest(ShutdownRequest.type);
    await connection.sendNotification(ExitNotification.type);
    assert.equal(await exited, 0);
  });
});
