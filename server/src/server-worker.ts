// Analysis of large configurations off the language server's main thread: diagnostics only. The server
// (main.ts) starts the same bundle as a worker thread, which runs `runAnalysisWorker`; without a worker
// (in-process tests) the server calls `analyseLarge` itself. A job is cancelled by terminating the worker.
import type { Diagnostic as LspDiagnostic } from 'vscode-languageserver-types';
import { nodeFileSystem } from './node/fs';
import { Workspace } from './analysis/workspace';
import { lintFile } from './checks';
import { toLspDiagnostic } from './features/diagnostics';
import { patternBases, type WorkerReport } from './server-index';
import { lintOptionsOf, type Settings } from './settings';

export interface WorkerJob {
  id: number;
  root: string;
  /** The open documents (their text wins over the disk). */
  documents: { path: string; text: string }[];
  settings: Settings;
}

export interface WorkerResult {
  id: number;
  root: string;
  /** Diagnostics of each open document of the configuration. */
  diagnostics: [string, LspDiagnostic[]][];
  report: WorkerReport;
  /** The analysis threw. */
  error?: { name: string; message: string; stack: string };
}

export function analyseLarge(job: WorkerJob): WorkerResult {
  const open = new Map(job.documents.map((d) => [d.path, d.text]));
  const empty: WorkerReport = { files: [], edges: [], patterns: [] };
  try {
    const ws = new Workspace(nodeFileSystem, {
      configId: job.settings.configId || undefined,
      keepalivedVersion: job.settings.keepalivedVersion || undefined,
      folders: [],
    });
    for (const [path, text] of open) ws.setDocument(path, text);
    const model = ws.modelFor(job.root);
    if (!model) return { id: job.id, root: job.root, diagnostics: [], report: empty };
    const options = { ...lintOptionsOf(job.settings), peers: [model] };
    const diagnostics: [string, LspDiagnostic[]][] = [];
    for (const [path, file] of model.files) {
      if (open.has(path)) diagnostics.push([path, lintFile(file, options).map(toLspDiagnostic)]);
    }
    const edges = new Map<string, Set<string>>();
    for (const path of model.files.keys()) edges.set(path, new Set());
    for (const e of model.includes) {
      const set = edges.get(e.from) ?? new Set<string>();
      for (const t of e.resolution?.files ?? []) set.add(t);
      edges.set(e.from, set);
    }
    return {
      id: job.id,
      root: job.root,
      diagnostics,
      report: {
        files: [...model.files.keys()],
        edges: [...edges].map(([f, t]) => [f, [...t]]),
        patterns: patternBases(model.includes),
      },
    };
  } catch (e) {
    return {
      id: job.id,
      root: job.root,
      diagnostics: [],
      report: empty,
      error:
        e instanceof Error
          ? { name: e.name, message: e.message, stack: e.stack ?? `${e.name}: ${e.message}` }
          : { name: 'Error', message: String(e), stack: String(e) },
    };
  }
}

/** The worker thread's side: one job at a time, each answered with its result. */
export function runAnalysisWorker(): void {
  const { parentPort } = process.getBuiltinModule('node:worker_threads');
  parentPort?.on('message', (job: WorkerJob) => parentPort.postMessage(analyseLarge(job)));
}
