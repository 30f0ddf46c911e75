#!/usr/bin/env node
// keepalived-language-server: `node dist/server.js --stdio` (or --node-ipc, --socket=N, as
// vscode-languageserver reads them from the command line). The same file is the worker thread that
// analyses large configurations off the main thread (server-worker.ts).
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { Server } from './server';
import { isAnalysisWorker } from './thread-role';
import { runAnalysisWorker } from './server-worker';
import { TOOL_VERSION } from './version';

if (isAnalysisWorker()) {
  runAnalysisWorker();
} else if (process.argv.includes('--version')) {
  process.stdout.write(TOOL_VERSION + '\n');
} else {
  new Server(createConnection(ProposedFeatures.all), { workerScript: __filename, watchdog: true }).listen();
}
