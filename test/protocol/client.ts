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

  constructor() {
    this.child = spawn(process.execPath, [join(__dirname, '../../dist/server.js'), '--stdio'], {
      stdio: 'pipe',
    });
    this.child.stderr!.on('data', (d) => this.stderr.push(String(d)));
    this.connection = createProtocolConnection(
      new StreamMessageReader(this.child.stdout!),
      new StreamMessageWriter(this.child.stdin!),
    );
    this.connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
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
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onNotification('window/logMessage', () => undefined);
    this.connection.listen();
  }

  async initialize(folder: string): Promise<unknown> {
    const result = await this.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: uri(folder),
      workspaceFolders: [{ uri: uri(folder), name: 'test' }],
      capabilities: {
        workspace: {
          configuration: true,
          didChangeWatchedFiles: { dynamicRegistration: true },
          workspaceFolders: true,
        },
        textDocument: { publishDiagnostics: { relatedInformation: true }, rename: { prepareSupport: true } },
      },
    });
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  open(path: string, text: string, version = 1): Promise<void> {
    return this.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: uri(path), languageId: 'keepalived', version, text },
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

  request<T>(method: string, params: unknown): Promise<T> {
    return this.connection.sendRequest(method, params) as Promise<T>;
  }

  async close(): Promise<void> {
    try {
      await this.connection.sendRequest('shutdown');
      await this.connection.sendNotification('exit');
    } catch {
      // already gone
    }
    this.connection.dispose();
    this.child.kill();
  }
}

export const uri = (path: string): string => pathToFileURL(path).href;
