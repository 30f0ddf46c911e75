// A minimal LSP client for protocol tests: spawns the built server over stdio, speaks JSON-RPC through
// vscode-languageserver-protocol, answers workspace/configuration, and lets tests await notifications.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';

export class TestClient {
  readonly connection: ProtocolConnection;
  private readonly child: ChildProcess;
  private diagnostics = new Map<string, PublishDiagnosticsParams>();
  private waiters: {
    test: (p: PublishDiagnosticsParams) => boolean;
    resolve: (p: PublishDiagnosticsParams) => void;
  }[] = [];
  /** What the server gets when it asks for the `keepalived` section. */
  settings: Record<string, unknown> = {};
  readonly stderr: string[] = [];
  /** Every publishDiagnostics received, in order. */
  readonly published: { uri: string; version?: number }[] = [];
  /** Capabilities the server registered (file watchers). */
  readonly registrations: unknown[] = [];

  /** Resolves with the exit code when the server process ends. */
  readonly exited: Promise<number | null>;
  /** Messages the server logged (window/logMessage), with their type (1 = error). */
  readonly logs: { type: number; message: string }[] = [];
  /** Messages the server showed to the user (window/showMessage; type 2 = warning). */
  readonly shown: { type: number; message: string }[] = [];
  private shownWaiters: (() => void)[] = [];

  constructor() {
    this.child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: 'pipe' });
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
    this.child.stderr!.on('data', (d) => this.stderr.push(String(d)));
    this.connection = createProtocolConnection(
      new StreamMessageReader(this.child.stdout!),
      new StreamMessageWriter(this.child.stdin!),
    );
    this.connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.published.push({ uri: p.uri, version: p.version });
      this.diagnostics.set(p.uri, p);
      this.waiters = this.waiters.filter((w) => {
        if (!w.test(p)) return true;
        w.resolve(p);
        return false;
      });
    });
    this.connection.onRequest('workspace/configuration', (p: { items: { section?: string }[] }) =>
      p.items.map(() => this.settings),
    );
    this.connection.onRequest('client/registerCapability', (p: { registrations: unknown[] }) => {
      this.registrations.push(...p.registrations);
      return null;
    });
    this.connection.onRequest('client/unregisterCapability', () => null);
    this.connection.onNotification('window/logMessage', (m: { type: number; message: string }) => {
      this.logs.push(m);
    });
    this.connection.onNotification('window/showMessage', (m: { type: number; message: string }) => {
      this.shown.push(m);
      for (const wake of this.shownWaiters.splice(0)) wake();
    });
    this.connection.listen();
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** `watchFiles: false`: a client that cannot register file watchers (and so sends no file events). */
  async initialize(
    folder: string,
    processId: number | null = process.pid,
    { watchFiles = true } = {},
  ): Promise<unknown> {
    const result = await this.connection.sendRequest('initialize', {
      processId,
      rootUri: uri(folder),
      workspaceFolders: [{ uri: uri(folder), name: 'test' }],
      capabilities: {
        workspace: {
          configuration: true,
          didChangeWatchedFiles: { dynamicRegistration: watchFiles },
          workspaceFolders: true,
        },
        textDocument: { publishDiagnostics: { relatedInformation: true }, rename: { prepareSupport: true } },
      },
    });
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  open(path: string, text: string, version = 1, languageId = 'keepalived'): Promise<void> {
    return this.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: uri(path), languageId, version, text },
    });
  }

  /** Resolves with the first notification `method` (from now on) whose params satisfy `test`. */
  notification<T>(method: string, test: (p: T) => boolean = () => true, timeoutMs = 10000): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        listener.dispose();
        reject(new Error(`no matching ${method} notification`));
      }, timeoutMs);
      const listener = this.connection.onNotification(method, (p: T) => {
        if (!test(p)) return;
        clearTimeout(timer);
        listener.dispose();
        resolve(p);
      });
    });
  }

  /** Resolves with the next diagnostics for `path` that satisfy `test` (or the current ones if they do). */
  diagnosticsFor(
    path: string,
    test: (p: PublishDiagnosticsParams) => boolean = () => true,
    timeoutMs = 10000,
  ): Promise<PublishDiagnosticsParams> {
    const current = this.diagnostics.get(uri(path));
    if (current && test(current)) return Promise.resolve(current);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `no matching diagnostics for ${path}; last: ${JSON.stringify(this.diagnostics.get(uri(path))?.diagnostics.map((d) => d.code))}`,
            ),
          ),
        timeoutMs,
      );
      this.waiters.push({
        test: (p) => p.uri === uri(path) && test(p),
        resolve: (p) => (clearTimeout(timer), resolve(p)),
      });
    });
  }

  /** Resolves with the first message shown to the user that satisfies `test`. */
  async shownMessage(
    test: (m: { type: number; message: string }) => boolean,
    timeoutMs = 10000,
  ): Promise<{ type: number; message: string }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.shown.find(test);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching message shown; shown: ${JSON.stringify(this.shown)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.shownWaiters.push(() => (clearTimeout(timer), resolve()));
      });
    }
  }

  request<T>(method: string, params: unknown): Promise<T> {
    return this.connection.sendRequest<T>(method, params);
  }

  /** Ends the server process at once (a test that may have left it hanging). */
  kill(): void {
    this.connection.dispose();
    this.child.kill('SIGKILL');
  }

  async close(): Promise<void> {
    try {
      // A server that does not answer within 5 s is killed below, not waited for.
      await Promise.race([
        this.connection.sendRequest('shutdown'),
        new Promise((_, reject) => setTimeout(reject, 5000).unref()),
      ]);
      await this.connection.sendNotification('exit');
    } catch {
      // already gone, or hanging
    }
    this.connection.dispose();
    this.child.kill();
  }
}

export const uri = (path: string): string => pathToFileURL(path).href;

/** The built language server (KEEPALIVED_TEST_SERVER: another build, e.g. to see a test fail without a fix). */
export const SERVER = process.env['KEEPALIVED_TEST_SERVER'] ?? join(__dirname, '../../dist/server.js');
