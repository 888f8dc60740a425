import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  ConfigurationRequest,
  createProtocolConnection,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  IPCMessageReader,
  IPCMessageWriter,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShutdownRequest,
  WorkDoneProgress,
  WorkDoneProgressCancelNotification,
  WorkDoneProgressCreateRequest,
  type FileEvent,
  type InitializeResult,
  type ProgressToken,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type Range,
  type Registration,
  type WorkDoneProgressBegin,
  type WorkDoneProgressEnd,
  type WorkDoneProgressReport,
} from 'vscode-languageserver-protocol/node';
import { LintedNotification, WorkspaceLintedNotification, type WorkspaceLintedParams } from '../../../src/core/lint/server-protocol';

export interface ServerOptions {
  /** The server's script; dist/server.js by default. */
  readonly serverPath: string;
  readonly folders?: readonly string[];
  readonly locale?: string;
  readonly settings?: { scope: 'packages' | 'everywhere'; hidePssaRules: boolean };
  /** Node options for the server process (V8 tracing flags); its standard output is then kept in `output`. */
  readonly nodeOptions?: readonly string[];
}

type Progress = WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd;

/**
 * PinPack's language server in its own process over Node IPC, driven by a protocol client the way
 * VS Code drives it: it answers `workspace/configuration` from `settings`, accepts progress and
 * capability registrations, and records what the server publishes.
 */
export class ServerProcess {
  readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  readonly configurationRequests: unknown[] = [];
  readonly registrations: Registration[] = [];
  readonly progress: Array<{ token: ProgressToken; value: Progress }> = [];
  readonly workspaceLints: WorkspaceLintedParams[] = [];
  /** What the process wrote to its standard output, when started with `nodeOptions`. */
  output = '';
  settings: { scope: 'packages' | 'everywhere'; hidePssaRules: boolean };
  /** Called on each progress notification; tests use it to cancel. */
  onProgress: (token: ProgressToken, value: Progress) => void = () => undefined;
  private readonly waiters = new Set<() => void>();
  private versions = new Map<string, number>();

  private constructor(
    readonly child: ChildProcess,
    readonly connection: ProtocolConnection,
    options: ServerOptions,
  ) {
    this.settings = options.settings ?? { scope: 'packages', hidePssaRules: false };
    connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.diagnostics.set(params.uri, params);
      this.wake();
    });
    connection.onNotification(WorkspaceLintedNotification, (params) => {
      this.workspaceLints.push(params);
      this.wake();
    });
    connection.onNotification(LintedNotification, () => this.wake());
    connection.onRequest(ConfigurationRequest.type, (params) => {
      this.configurationRequests.push(params);
      return params.items.map((item) => (item.section === 'pinpack.lint' ? this.settings : null));
    });
    connection.onRequest(RegistrationRequest.type, (params) => {
      this.registrations.push(...params.registrations);
    });
    connection.onRequest(WorkDoneProgressCreateRequest.type, ({ token }) => {
      connection.onProgress(WorkDoneProgress.type, token, (value) => {
        this.progress.push({ token, value });
        this.onProgress(token, value);
        this.wake();
      });
    });
  }

  /** Spawns the server, initializes it with the folders, and waits for `initialized` to be sent. */
  static async start(options: ServerOptions): Promise<{ server: ServerProcess; initialize: InitializeResult }> {
    const traced = options.nodeOptions !== undefined;
    const child = fork(options.serverPath, ['--node-ipc'], { stdio: ['ignore', traced ? 'pipe' : 'ignore', 'inherit', 'ipc'], execArgv: [...(options.nodeOptions ?? [])] });
    const connection = createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    const server = new ServerProcess(child, connection, options);
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (server.output += d));
    connection.listen();
    const folders = (options.folders ?? []).map((path) => ({ uri: pathToFileURL(path).href, name: path }));
    const initialize = await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: folders[0]?.uri ?? null,
      workspaceFolders: folders,
      locale: options.locale ?? 'en',
      capabilities: {
        workspace: { configuration: true, workspaceFolders: true, didChangeWatchedFiles: { dynamicRegistration: true } },
        window: { workDoneProgress: true },
      },
    });
    await connection.sendNotification(InitializedNotification.type, {});
    return { server, initialize };
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  /** Resolves with the first non-undefined value of `probe`, re-checked on every message from the server. */
  waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 20_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const value = probe();
        if (value === undefined) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(value);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`timed out waiting for ${what}`));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  /** The rule ids of the diagnostics last published for a file, once `accept` likes them. */
  rulesOf(path: string, accept: (rules: string[]) => boolean): Promise<string[]> {
    const uri = pathToFileURL(path).href;
    return this.waitFor(`diagnostics of ${path}`, () => {
      const published = this.diagnostics.get(uri);
      if (!published) return accept([]) && this.settledFor(uri) ? [] : undefined;
      const rules = published.diagnostics.map((d) => String(d.code));
      return accept(rules) ? rules : undefined;
    });
  }

  /** A file that was never published counts as clean only once a workspace lint has ended. */
  private settledFor(_uri: string): boolean {
    return this.workspaceLints.length > 0;
  }

  /** Resolves with the next workspace lint to end from now on. */
  nextWorkspaceLint(): Promise<WorkspaceLintedParams> {
    const seen = this.workspaceLints.length;
    return this.waitFor('the background workspace lint to end', () => this.workspaceLints[seen]);
  }

  async open(path: string, languageId: string, text: string): Promise<string> {
    const uri = pathToFileURL(path).href;
    this.versions.set(uri, 1);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
    return uri;
  }

  /** An incremental change, as VS Code sends one per keystroke; returns the new version. */
  async change(uri: string, range: Range, text: string): Promise<number> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ range, text }] });
    return version;
  }

  async close(uri: string): Promise<void> {
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  async changeSettings(settings: ServerProcess['settings']): Promise<void> {
    this.settings = settings;
    await this.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  }

  async filesChanged(changes: FileEvent[]): Promise<void> {
    await this.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes });
  }

  async cancelProgress(token: ProgressToken): Promise<void> {
    await this.connection.sendNotification(WorkDoneProgressCancelNotification.type, { token });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    try {
      await this.connection.sendRequest(ShutdownRequest.type);
      await this.connection.sendNotification(ExitNotification.type);
    } catch {
      this.child.kill();
    }
    await exited;
    this.connection.dispose();
  }
}

export function serverPath(distDir: string): string {
  return join(distDir, 'server.js');
}
