// The language server over stdio (`node dist/server.js --stdio`), driven the way an editor drives it:
// initialize, didOpen -> first diagnostics, one-character edits -> fresh diagnostics, then requests at
// positions spread over the file. Latencies are wall times seen by the client (what a user waits for);
// the server's own CPU time over each interval is read from /proc (every thread of the process).
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import protocol from 'vscode-languageserver-protocol/node';
import { percentile } from './stats.mjs';

const { createProtocolConnection, StreamMessageReader, StreamMessageWriter } = protocol;

/**
 * CPU time of every thread of a process so far, in ms (/proc/PID/task/TID/schedstat: ns on the CPU); NaN
 * without /proc (not Linux), shown as '—'.
 */
export function processCpuMs(pid) {
  let ns = 0;
  let tids;
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return NaN;
  }
  for (const tid of tids) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return ns / 1e6;
}

const uri = (path) => pathToFileURL(path).href;

class Session {
  constructor(serverJs) {
    this.started = performance.now();
    // BENCH_SERVER_NODE_ARGS: extra node flags for the server, e.g. --cpu-prof to profile it.
    const extra = process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
    this.child = spawn(process.execPath, [...extra, serverJs, '--stdio'], { stdio: 'pipe' });
    this.child.stderr.resume();
    this.waiters = [];
    this.connection = createProtocolConnection(
      new StreamMessageReader(this.child.stdout),
      new StreamMessageWriter(this.child.stdin),
    );
    this.connection.onNotification('textDocument/publishDiagnostics', (p) => {
      this.waiters = this.waiters.filter((w) => !(w.test(p) && (w.resolve(p), true)));
    });
    this.connection.onRequest('workspace/configuration', (p) => p.items.map(() => ({})));
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('client/unregisterCapability', () => null);
    this.connection.onRequest('window/workDoneProgress/create', () => null);
    this.connection.listen();
  }

  get cpuMs() {
    return processCpuMs(this.child.pid);
  }

  /** Wall ms from spawning the process to the initialize answer, and the server's CPU ms by then. */
  async initialize(folder) {
    await this.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: uri(folder),
      workspaceFolders: [{ uri: uri(folder), name: 'bench' }],
      capabilities: {
        workspace: {
          configuration: true,
          didChangeWatchedFiles: { dynamicRegistration: true },
          workspaceFolders: true,
        },
        textDocument: { publishDiagnostics: { relatedInformation: true, versionSupport: true } },
      },
    });
    const wall = performance.now() - this.started;
    const cpu = this.cpuMs;
    await this.connection.sendNotification('initialized', {});
    return { wall, cpu };
  }

  /** Resolves with the next diagnostics of `path` for `version` (a timeout is an error, not a number). */
  diagnostics(path, version, timeoutMs = 120000) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no diagnostics for ${path} v${version}`)), timeoutMs);
      this.waiters.push({
        test: (p) => p.uri === uri(path) && (p.version === undefined || p.version === version),
        resolve: (p) => (clearTimeout(timer), resolve(p)),
      });
    });
  }

  /** didOpen -> its first diagnostics: wall and server CPU ms. */
  async open(path, text) {
    const got = this.diagnostics(path, 1);
    const c0 = this.cpuMs;
    const t0 = performance.now();
    await this.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: uri(path), languageId: 'keepalived', version: 1, text },
    });
    const p = await got;
    return { wall: performance.now() - t0, cpu: this.cpuMs - c0, count: p.diagnostics.length };
  }

  /**
   * `edits` one-character edits, each waited for: an 'x' typed at the end of `keyword` (on the first line
   * indented by two after the file's middle), then removed.
   */
  async edit(path, text, edits, keyword) {
    const at = lineOf(text, `  ${keyword} `, Math.floor(text.split('\n').length / 2));
    const end = 2 + keyword.length;
    const wall = [];
    const cpu = [];
    for (let k = 0; k < edits; k++) {
      const version = k + 2;
      const typed = k % 2 === 0;
      const range = typed
        ? { start: { line: at, character: end }, end: { line: at, character: end } }
        : { start: { line: at, character: end }, end: { line: at, character: end + 1 } };
      const got = this.diagnostics(path, version);
      const c0 = this.cpuMs;
      const t0 = performance.now();
      await this.connection.sendNotification('textDocument/didChange', {
        textDocument: { uri: uri(path), version },
        contentChanges: [{ range, text: typed ? 'x' : '' }],
      });
      await got;
      wall.push(performance.now() - t0);
      cpu.push(this.cpuMs - c0);
    }
    return { wall: spread(wall), cpu: spread(cpu), edits };
  }

  async close() {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    try {
      await this.connection.sendRequest('shutdown');
      await this.connection.sendNotification('exit');
    } catch {
      this.child.kill('SIGKILL');
    }
    await exited;
    clearTimeout(timer);
    this.connection.dispose();
  }
}

function spread(samples) {
  return {
    p50: percentile(samples, 50),
    p95: percentile(samples, 95),
    p99: percentile(samples, 99),
    n: samples.length,
  };
}

/** The first line at or after `from` that starts with `prefix` (the file always has one). */
function lineOf(text, prefix, from) {
  const lines = text.split('\n');
  for (let i = from; i < lines.length; i++) if (lines[i].startsWith(prefix)) return i;
  return lines.findIndex((l) => l.startsWith(prefix));
}

/** `count` positions spread evenly over the file, each on the first word of a non-blank line. */
export function positions(text, count) {
  const lines = text.split('\n');
  const out = [];
  for (let k = 0; k < count; k++) {
    let line = Math.floor((k * lines.length) / count);
    while (line < lines.length - 1 && lines[line].trim() === '') line++;
    const indent = lines[line].length - lines[line].trimStart().length;
    out.push({ line, character: indent + 1 });
  }
  return out;
}

const REQUESTS = {
  completion: (doc, position) => ['textDocument/completion', { textDocument: doc, position }],
  hover: (doc, position) => ['textDocument/hover', { textDocument: doc, position }],
  definition: (doc, position) => ['textDocument/definition', { textDocument: doc, position }],
  references: (doc, position) => [
    'textDocument/references',
    { textDocument: doc, position, context: { includeDeclaration: true } },
  ],
  documentSymbol: (doc) => ['textDocument/documentSymbol', { textDocument: doc }],
  semanticTokens: (doc) => ['textDocument/semanticTokens/full', { textDocument: doc }],
  formatting: (doc) => [
    'textDocument/formatting',
    { textDocument: doc, options: { tabSize: 2, insertSpaces: true } },
  ],
};

async function requests(session, path, text, count) {
  const doc = { uri: uri(path) };
  const at = positions(text, count);
  const out = {};
  for (const [name, make] of Object.entries(REQUESTS)) {
    const wall = [];
    const c0 = session.cpuMs;
    for (const position of at) {
      const [method, params] = make(doc, position);
      const t0 = performance.now();
      await session.connection.sendRequest(method, params);
      wall.push(performance.now() - t0);
    }
    out[name] = { ...spread(wall), cpuMeanMs: (session.cpuMs - c0) / count };
  }
  return out;
}

/**
 * One session per case: the 10k file alone in its folder (open, edits, requests), and one root of the
 * workspace (open, edits). Initialize is measured on each start.
 */
export async function measureServer({ serverJs, file, workspace, workspaceRoot, edits, requestCount }) {
  const init = { wall: [], cpu: [] };
  const start = async (folder) => {
    const s = new Session(serverJs);
    const i = await s.initialize(folder);
    init.wall.push(i.wall);
    init.cpu.push(i.cpu);
    return s;
  };
  const text = readFileSync(file, 'utf8');
  const single = await start(dirname(file));
  const fileResult = {
    open: await single.open(file, text),
    edit: await single.edit(file, text, edits, 'advert_int'),
  };
  fileResult.requests = await requests(single, file, text, requestCount);
  await single.close();

  const wsText = readFileSync(workspaceRoot, 'utf8');
  const ws = await start(workspace);
  const wsResult = {
    open: await ws.open(workspaceRoot, wsText),
    edit: await ws.edit(workspaceRoot, wsText, edits, 'router_id'),
  };
  await ws.close();
  // Two more starts for a steadier initialize figure.
  for (let k = 0; k < 2; k++) await (await start(workspace)).close();
  return {
    initialize: { wall: spread(init.wall), cpu: spread(init.cpu) },
    file: fileResult,
    workspace: wsResult,
    debounceMs: debounceMs(join(dirname(serverJs), '..')),
  };
}

/** The server's debounce, read from its source (one source of truth); undefined when not found. */
export function debounceMs(root) {
  try {
    const m = /const DEBOUNCE_MS = (\d+)/.exec(readFileSync(join(root, 'server/src/server.ts'), 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}
