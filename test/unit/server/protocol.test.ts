import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CodeActionKind,
  CodeActionRequest,
  FileChangeType,
  HoverRequest,
  type CodeAction,
  type Diagnostic,
  type MarkupContent,
} from 'vscode-languageserver-protocol/node';
import { RuleDocumentationRequest, ServerProcessInfoRequest } from '../../../src/core/lint/server-protocol';
import { distDir } from '../paths';
import { ServerProcess, serverPath } from './server-process';

const INSTALL = 'Install-ProvisioningPackage -PackagePath $ppkg\r\n';
const pp1001 = (rules: string[]) => rules.filter((r) => r === 'PP1001').length;

function workspace(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'pinpack-lsp-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const MANIFEST = JSON.stringify({ schemaVersion: 1, name: 'demo', target: 'sccm' });

async function actionsAt(server: ServerProcess, uri: string, diagnostics: Diagnostic[], only?: string[]): Promise<CodeAction[]> {
  const range = diagnostics[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  const result = await server.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range, context: { diagnostics, ...(only ? { only } : {}) } });
  return (result ?? []) as CodeAction[];
}

/** Applies a code action's edit to the text, as the editor would. */
function applied(text: string, uri: string, action: CodeAction | undefined): string {
  const edits = action?.edit?.changes?.[uri];
  assert.ok(edits, `no edit in ${JSON.stringify(action)}`);
  return TextDocument.applyEdits(TextDocument.create(uri, 'powershell', 1, text), edits);
}

describe('language server over Node IPC, driven by a protocol client', function () {
  this.timeout(60_000);
  let root: string;
  let server: ServerProcess;

  before(async () => {
    root = workspace({
      'pkg/pinpack.json': MANIFEST,
      'pkg/install.ps1': INSTALL,
      'pkg/nested/copy.bat': '@echo off\r\nexit 1\r\n',
      'pkg/clean.ps1': "$ErrorActionPreference = 'Stop'\r\n",
      'loose/loose.ps1': INSTALL,
    });
    ({ server } = await ServerProcess.start({ serverPath: serverPath(distDir), folders: [root] }));
  });

  after(async () => {
    await server?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('asks the client for pinpack.lint through workspace/configuration', async () => {
    await server.waitFor('a configuration request', () => server.configurationRequests[0]);
    assert.deepEqual(server.configurationRequests[0], { items: [{ section: 'pinpack.lint' }] });
  });

  it('lints the package files of the workspace in the background, with progress, before any is opened', async () => {
    assert.equal(pp1001(await server.rulesOf(join(root, 'pkg', 'install.ps1'), (r) => pp1001(r) === 1)), 1);
    assert.ok((await server.rulesOf(join(root, 'pkg', 'nested', 'copy.bat'), (r) => r.length > 0)).includes('PP2007'));
    const linted = await server.waitFor('the workspace lint', () => server.workspaceLints[0]);
    assert.equal(linted.cancelled, false);
    assert.equal(linted.files, 4, 'pinpack.json, install.ps1, clean.ps1 and copy.bat');
    assert.equal(server.diagnostics.has(pathToFileURL(join(root, 'loose', 'loose.ps1')).href), false, 'a script outside any package is left alone');
    assert.equal(server.diagnostics.has(pathToFileURL(join(root, 'pkg', 'clean.ps1')).href), false, 'a clean file publishes nothing');
    const kinds = server.progress.map((p) => p.value.kind);
    assert.equal(kinds[0], 'begin');
    assert.equal(kinds[kinds.length - 1], 'end');
    const begin = server.progress[0]?.value;
    assert.ok(begin?.kind === 'begin' && begin.cancellable === true && /PinPack/.test(begin.title));
  });

  it('lints an opened document from its text and re-lints it after an incremental change', async () => {
    const path = join(root, 'pkg', 'typed.ps1');
    const uri = await server.open(path, 'powershell', "$ErrorActionPreference = 'Stop'\r\nWrite-Output 'ok'\r\n");
    await server.rulesOf(path, (r) => r.length === 0 && server.diagnostics.has(uri));
    const version = await server.change(uri, { start: { line: 1, character: 0 }, end: { line: 1, character: 17 } }, 'Install-ProvisioningPackage -PackagePath $p');
    await server.rulesOf(path, (r) => pp1001(r) === 1);
    assert.equal(server.diagnostics.get(uri)?.version, version);
    const [diagnostic] = server.diagnostics.get(uri)?.diagnostics ?? [];
    assert.equal(diagnostic?.source, 'pinpack');
    assert.deepEqual(diagnostic?.range.start, { line: 1, character: 0 });
    await server.change(uri, { start: { line: 1, character: 27 }, end: { line: 1, character: 27 } }, ' -QuietInstall');
    await server.rulesOf(path, (r) => r.length === 0);
    await server.close(uri);
  });

  it('offers the fix, disable for this line, disable in this file and the documentation; each one works', async () => {
    const path = join(root, 'pkg', 'actions.ps1');
    const text = "$ErrorActionPreference = 'Stop'\r\nInstall-ProvisioningPackage -PackagePath $a\r\nAdd-ProvisioningPackage -PackagePath $b\r\n";
    const uri = await server.open(path, 'powershell', text);
    await server.rulesOf(path, (r) => pp1001(r) === 2);
    const diagnostics = server.diagnostics.get(uri)?.diagnostics ?? [];
    const all = await actionsAt(server, uri, diagnostics.slice(0, 1));
    assert.deepEqual(all.filter((a) => a.kind !== CodeActionKind.QuickFix).map((a) => a.kind), ['source.fixAll.pinpack']);
    const actions = all.filter((a) => a.kind === CodeActionKind.QuickFix);
    assert.match(actions[0]?.title ?? '', /^Fix: Add -QuietInstall/);
    assert.equal(actions[0]?.isPreferred, true);
    assert.deepEqual(
      actions.slice(1).map((a) => a.title),
      ['Disable PP1001 for this line', 'Disable PP1001 in this file', 'Show documentation for PP1001'],
    );
    assert.equal(
      applied(text, uri, actions[0]),
      "$ErrorActionPreference = 'Stop'\r\nInstall-ProvisioningPackage -QuietInstall -PackagePath $a\r\nAdd-ProvisioningPackage -PackagePath $b\r\n",
    );
    assert.equal(
      applied(text, uri, actions[1]),
      "$ErrorActionPreference = 'Stop'\r\n# pinpack-disable-next-line PP1001\r\nInstall-ProvisioningPackage -PackagePath $a\r\nAdd-ProvisioningPackage -PackagePath $b\r\n",
    );
    const disabled = applied(text, uri, actions[2]);
    assert.equal(disabled, `# pinpack-disable-file PP1001\r\n${text}`);
    assert.deepEqual(actions[3]?.command, { title: 'Show documentation for PP1001', command: 'pinpack.showRuleDocumentation', arguments: ['PP1001'] });
    const docs = await server.connection.sendRequest(RuleDocumentationRequest, { rule: 'pp1001' });
    assert.match(docs ?? '', /PP1001/);
    assert.equal(await server.connection.sendRequest(RuleDocumentationRequest, { rule: 'PP9999' }), null);

    // The file-level comment, sent back as the editor would, removes both findings.
    const whole = TextDocument.create(uri, 'powershell', 1, text);
    await server.change(uri, { start: whole.positionAt(0), end: whole.positionAt(text.length) }, disabled);
    await server.rulesOf(path, (r) => pp1001(r) === 0);
    await server.close(uri);
  });

  it('adds a second rule to the existing pinpack-disable-file comment instead of writing another', async () => {
    const path = join(root, 'pkg', 'second.ps1');
    const text = "# pinpack-disable-file PP1001\r\n$ErrorActionPreference = 'Stop'\r\nWrite-Host 'x'\r\n";
    const uri = await server.open(path, 'powershell', text);
    await server.rulesOf(path, (r) => r.includes('PP1008'));
    const diagnostics = (server.diagnostics.get(uri)?.diagnostics ?? []).filter((d) => d.code === 'PP1008');
    const inFile = (await actionsAt(server, uri, diagnostics)).find((a) => a.title === 'Disable PP1008 in this file');
    assert.equal(applied(text, uri, inFile), "# pinpack-disable-file PP1001, PP1008\r\n$ErrorActionPreference = 'Stop'\r\nWrite-Host 'x'\r\n");
    await server.close(uri);
  });

  it('writes the batch file-level comment below @echo off, so cmd does not echo it', async () => {
    const path = join(root, 'pkg', 'echo.bat');
    const text = '@echo off\r\nexit 1\r\n';
    const uri = await server.open(path, 'bat', text);
    await server.rulesOf(path, (r) => r.includes('PP2007'));
    const diagnostics = (server.diagnostics.get(uri)?.diagnostics ?? []).filter((d) => d.code === 'PP2007');
    const inFile = (await actionsAt(server, uri, diagnostics)).find((a) => a.title === 'Disable PP2007 in this file');
    assert.equal(applied(text, uri, inFile), '@echo off\r\nREM pinpack-disable-file PP2007\r\nexit 1\r\n');
    await server.close(uri);
  });

  it('answers source.fixAll.pinpack with every safe fix and nothing else', async () => {
    const path = join(root, 'pkg', 'fixall.ps1');
    const text = "$ErrorActionPreference = 'Stop'\r\nInstall-ProvisioningPackage -PackagePath $a\r\nAdd-ProvisioningPackage -PackagePath $b\r\n";
    const uri = await server.open(path, 'powershell', text);
    await server.rulesOf(path, (r) => pp1001(r) === 2);
    const actions = await actionsAt(server, uri, [], ['source.fixAll.pinpack']);
    assert.deepEqual(actions.map((a) => a.kind), ['source.fixAll.pinpack']);
    assert.equal((applied(text, uri, actions[0]).match(/-QuietInstall/g) ?? []).length, 2);
    assert.deepEqual(await actionsAt(server, uri, [], [CodeActionKind.Refactor]), []);
    await server.close(uri);
  });

  it('shows the rule documentation on hover over a suppression comment', async () => {
    const path = join(root, 'pkg', 'hover.ps1');
    const uri = await server.open(path, 'powershell', "# pinpack-disable-file PP1008\r\n# pinpack-disable-next-line PP1006, PP1011\r\n$ErrorActionPreference = 'Stop'\r\n");
    const hover = async (line: number, character: number) =>
      ((await server.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line, character } }))?.contents as MarkupContent | undefined)?.value ?? '';
    assert.match(await hover(0, 25), /^# PP1008/m);
    const both = await hover(1, 5);
    assert.ok(/PP1006/.test(both) && /PP1011/.test(both), both.slice(0, 200));
    const one = await hover(1, 30);
    assert.ok(/PP1006/.test(one) && !/^# PP1011/m.test(one), one.slice(0, 200));
    assert.equal(await hover(2, 3), '');
    await server.close(uri);
  });

  it('explains an MDM enrollment HRESULT on hover in a *.pinpack.log', async () => {
    const path = join(root, 'enroll.pinpack.log');
    const line = '2026-11-26 10:00:01 ERROR enrollment failed: 0x80180026';
    const at = line.indexOf('0x');
    const uri = await server.open(path, 'pinpack-log', `${line}\n`);
    const hover = await server.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 0, character: at + 4 } });
    const value = (hover?.contents as MarkupContent | undefined)?.value ?? '';
    assert.match(value, /0x80180026.*MENROLL_E_DEVICE_MANAGEMENT_BLOCKED/);
    assert.match(value, /Group Policy/);
    assert.deepEqual(hover?.range, { start: { line: 0, character: at }, end: { line: 0, character: at + 10 } });
    assert.equal(await server.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 0, character: 3 } }), null);
    await server.close(uri);
  });

  it('re-lints when a setting changes: scope everywhere reaches scripts outside packages, and back', async () => {
    const loose = join(root, 'loose', 'loose.ps1');
    let ended = server.nextWorkspaceLint();
    await server.changeSettings({ scope: 'everywhere', hidePssaRules: false });
    await server.rulesOf(loose, (r) => pp1001(r) === 1);
    await ended;
    ended = server.nextWorkspaceLint();
    await server.changeSettings({ scope: 'packages', hidePssaRules: false });
    await ended;
    assert.deepEqual(server.diagnostics.get(pathToFileURL(loose).href)?.diagnostics, []);
  });

  it('follows the files on disk: registers a watcher, lints a new file, clears a deleted one, restores the disk version on close', async () => {
    assert.ok(server.registrations.some((r) => r.method === 'workspace/didChangeWatchedFiles'));
    const added = join(root, 'pkg', 'added.ps1');
    writeFileSync(added, INSTALL);
    await server.filesChanged([{ uri: pathToFileURL(added).href, type: FileChangeType.Created }]);
    await server.rulesOf(added, (r) => pp1001(r) === 1);
    unlinkSync(added);
    await server.filesChanged([{ uri: pathToFileURL(added).href, type: FileChangeType.Deleted }]);
    await server.rulesOf(added, (r) => r.length === 0 && server.diagnostics.get(pathToFileURL(added).href) !== undefined);

    // Unsaved edits that fixed the file are thrown away on close: the disk's finding comes back.
    const install = join(root, 'pkg', 'install.ps1');
    const uri = await server.open(install, 'powershell', INSTALL);
    await server.change(uri, { start: { line: 0, character: 27 }, end: { line: 0, character: 27 } }, ' -QuietInstall');
    await server.rulesOf(install, (r) => pp1001(r) === 0);
    await server.close(uri);
    await server.rulesOf(install, (r) => pp1001(r) === 1);
  });

  it('tells its process id and memory', async () => {
    const info = await server.connection.sendRequest(ServerProcessInfoRequest);
    assert.equal(info.pid, server.child.pid);
    assert.ok(info.memory.rss > info.memory.heapUsed && info.memory.heapUsed > 0);
  });
});

describe('language server background lint of a large workspace', function () {
  this.timeout(120_000);
  let root: string;
  let server: ServerProcess | undefined;
  const FILES = 400;

  before(() => {
    const files: Record<string, string> = { 'pkg/pinpack.json': MANIFEST };
    const body = Array.from({ length: 200 }, (_, i) => `Write-Output 'line ${i}'`).join('\r\n');
    for (let i = 0; i < FILES; i++) files[`pkg/scripts/s${String(i).padStart(3, '0')}.ps1`] = `${INSTALL}${body}\r\n`;
    root = workspace(files);
  });

  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  after(() => rmSync(root, { recursive: true, force: true }));

  it('stops when the user cancels its progress', async () => {
    const started = await ServerProcess.start({ serverPath: serverPath(distDir), folders: [root] });
    server = started.server;
    const running = server;
    running.onProgress = (token, value) => {
      if (value.kind === 'report') void running.cancelProgress(token);
    };
    const linted = await running.waitFor('the workspace lint', () => running.workspaceLints[0]);
    assert.equal(linted.cancelled, true);
    assert.ok(linted.files < FILES + 1, `${linted.files} files linted`);
    assert.equal(running.progress[running.progress.length - 1]?.value.kind, 'end');
  });

  it('lints an opened document while the background lint is still running', async () => {
    const started = await ServerProcess.start({ serverPath: serverPath(distDir), folders: [root] });
    server = started.server;
    const running = server;
    // As soon as the background lint reports progress, the admin opens a script and types.
    await running.waitFor('background progress', () => running.progress.find((p) => p.value.kind === 'report'));
    const path = join(root, 'pkg', 'typing.ps1');
    await running.open(path, 'powershell', INSTALL);
    await running.rulesOf(path, (r) => pp1001(r) === 1);
    assert.deepEqual(running.workspaceLints, [], 'the open document was linted before the background lint ended');
    const linted = await running.waitFor('the workspace lint', () => running.workspaceLints[0]);
    assert.equal(linted.cancelled, false);
    assert.equal(linted.files, FILES + 1);
  });
});

describe('language server in Japanese', function () {
  this.timeout(60_000);
  let root: string;
  let server: ServerProcess;

  before(async () => {
    root = workspace({ 'pkg/pinpack.json': MANIFEST });
    ({ server } = await ServerProcess.start({ serverPath: serverPath(distDir), folders: [root], locale: 'ja' }));
  });

  after(async () => {
    await server?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('titles its code actions and progress in the display language the client sends', async () => {
    const path = join(root, 'pkg', 'ja.ps1');
    const uri = await server.open(path, 'powershell', `$ErrorActionPreference = 'Stop'\r\n${INSTALL}`);
    await server.rulesOf(path, (r) => pp1001(r) === 1);
    const diagnostics = server.diagnostics.get(uri)?.diagnostics ?? [];
    const titles = (await actionsAt(server, uri, diagnostics)).map((a) => a.title);
    assert.ok(titles.includes('この行の PP1001 を無効にする'), titles.join(' | '));
    assert.ok(titles.includes('このファイルの PP1001 を無効にする'));
    assert.ok(titles.includes('PP1001 のドキュメントを表示'));
    await server.waitFor('the workspace lint', () => server.workspaceLints[0]);
    const begin = server.progress.find((p) => p.value.kind === 'begin')?.value;
    assert.equal(begin?.kind === 'begin' ? begin.title : '', 'PinPack: ワークスペースを Lint しています');
  });

  it('explains an MDM enrollment HRESULT in Japanese', async () => {
    const uri = await server.open(join(root, 'enroll.pinpack.log'), 'pinpack-log', 'exit code -2145910774\n');
    const hover = await server.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 0, character: 12 } });
    const value = (hover?.contents as MarkupContent | undefined)?.value ?? '';
    assert.match(value, /MENROLL_E_DEVICE_ALREADY_ENROLLED/);
    assert.match(value, /既に登録されています/);
    assert.match(value, /Microsoft: MDM 登録エラー値/);
  });
});
