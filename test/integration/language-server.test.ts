import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { State } from 'vscode-languageclient/node';
import type { PinPackTestApi } from '../../src/extension/extension';
import { ServerProcessInfoRequest } from '../../src/core/lint/server-protocol';
import { waitFor } from './harness';
import { activatePinPack } from './pinpack';

describe('PinPack language server in VS Code', () => {
  let api: PinPackTestApi;

  const runningPid = (other?: number) =>
    waitFor(`the language server to run${other ? ` in a process other than ${other}` : ''}`, async () => {
      if (api.languageClient.state !== State.Running) return undefined;
      // Right after a crash the client may still count as running; its requests then fail.
      const pid = await api.languageClient.sendRequest(ServerProcessInfoRequest).then(
        (info) => info.pid,
        () => undefined,
      );
      return pid !== other ? pid : undefined;
    });

  before(async () => {
    api = await activatePinPack();
  });

  it('starts the server in its own process over IPC', async () => {
    const pid = await runningPid();
    assert.notEqual(pid, process.pid);
    assert.equal(api.languageClient.initializeResult?.serverInfo?.name, 'pinpack');
  });

  it('PinPack: Restart Language Server starts a new server process', async () => {
    const before = await runningPid();
    await vscode.commands.executeCommand('pinpack.restartLanguageServer');
    const after = await runningPid(before);
    assert.notEqual(after, before);
  });

  it('brings a crashed server back by itself', async () => {
    const crashed = await runningPid();
    process.kill(crashed, 'SIGKILL');
    const revived = await runningPid(crashed);
    assert.notEqual(revived, crashed);
  });
});
