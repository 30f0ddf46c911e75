// Which thread of the language server this is, asked without loading node:worker_threads on the main
// thread: that module is about 2 ms of a start, before the server can answer initialize. The server
// starts its analysis worker (server.ts) with ANALYSIS_WORKER_ARG on the worker's command line; only a
// thread that has it asks node:worker_threads whether it really is a worker.

/** On the analysis worker thread's command line (Worker's `argv`). */
export const ANALYSIS_WORKER_ARG = '--analysis-worker';

/** Whether this thread is the server's analysis worker (server-worker.ts), not a main thread. */
export function isAnalysisWorker(): boolean {
  return (
    process.argv.includes(ANALYSIS_WORKER_ARG) &&
    !process.getBuiltinModule('node:worker_threads').isMainThread
  );
}
