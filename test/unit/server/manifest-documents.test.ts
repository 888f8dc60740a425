import * as assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as iconv from 'iconv-lite';
import {
  CodeActionRequest,
  createProtocolConnection,
  DidOpenTextDocumentNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  StreamMessageReader,
  StreamMessageWriter,
  type Diagnostic,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import { distDir } from '../paths';

/** The language server over stdio, as the extension starts it, with pinpack.json and batch documents. */
describe('language server: pinpack.json documents and batch encodings', function () {
  this.timeout(20_000);
  let server: ChildProcessWithoutNullStreams;
  let connection: ProtocolConnection;
  let dir: string;
  const published = new Map<string, (diagnostics: Diagnostic[]) => void>();

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pinpack-server-manifest-'));
    server = spawn(process.execPath, [join(distDir, 'server.js'), '--stdio']);
    connection = createProtocolConnection(new StreamMessageReader(server.stdout), new StreamMessageWriter(server.stdin));
    connection.onNotification(PublishDiagnosticsNotification.type, ({ uri, diagnostics }) => published.get(uri)?.(diagnostics));
    connection.listen();
    await connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: null, capabilities: {}, workspaceFolders: null });
    await connection.sendNotification(InitializedNotification.type, {});
  });

  after(() => {
    connection.dispose();
    if (server.exitCode === null) server.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Writes `bytes` to disk, opens the document with `text` (the editor's decoding) and waits for its diagnostics. */
  async function open(name: string, bytes: Uint8Array, text: string, languageId: string): Promise<{ uri: string; diagnostics: Diagnostic[] }> {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    const uri = pathToFileURL(path).href;
    const diagnostics = new Promise<Diagnostic[]>((resolve) => published.set(uri, resolve));
    await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
    return { uri, diagnostics: await diagnostics };
  }

  it('lints an open pinpack.json with ranges in the file and offers no comment suppression in JSON', async () => {
    const text = '{\n  "schemaVersion": 1,\n  "name": "Sales",\n  "target": "epm-case1",\n  "enrollees": { "users": ["taro＠contoso.com"] }\n}\n';
    const { uri, diagnostics } = await open('pinpack.json', Buffer.from(text), text, 'json');
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.character, d.range.end.character]),
      [
        ['PP3003', 3, 12, 23],
        ['PP3002', 4, 32, 33],
      ],
    );
    const actions = await connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: diagnostics[1]!.range, context: { diagnostics: [diagnostics[1]!] } });
    const titles = (actions ?? []).map((a) => a.title);
    assert.ok(titles.some((t) => t.startsWith('Fix: ')), JSON.stringify(titles));
    assert.ok(!titles.some((t) => t.startsWith('Disable')), JSON.stringify(titles));
  });

  it('judges a batch file saved as CP932 by its bytes on disk, and a UTF-8 one as UTF-8', async () => {
    const text = '@echo off\r\necho 日本語のメッセージ\r\nexit /b 0\r\n';
    const cp932 = await open('cp932.bat', iconv.encode(text, 'cp932'), text, 'bat');
    assert.deepEqual(cp932.diagnostics.map((d) => d.code), []);
    const utf8 = await open('utf8.bat', Buffer.from(text, 'utf8'), text, 'bat');
    assert.deepEqual(utf8.diagnostics.map((d) => d.code), ['PP2016']);
  });

  it('takes the BOM of a PowerShell document from its file on disk: with one, non-ASCII text is fine', async () => {
    const text = "$ErrorActionPreference = 'Stop'\r\nWrite-Output 'セットアップを開始します'\r\n";
    const withBom = await open('with-bom.ps1', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]), text, 'powershell');
    assert.deepEqual(withBom.diagnostics.filter((d) => d.code === 'PP1004'), []);
    const withoutBom = await open('without-bom.ps1', Buffer.from(text, 'utf8'), text, 'powershell');
    assert.deepEqual(withoutBom.diagnostics.map((d) => d.code).filter((c) => c === 'PP1004'), ['PP1004']);
  });
});
