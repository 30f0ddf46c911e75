#!/usr/bin/env node
// keepalived-language-server: `node dist/server.js --stdio` (or --node-ipc, --socket=N, as
// vscode-languageserver reads them from the command line).
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { Server } from './server';

if (process.argv.includes('--version')) {
  process.stdout.write('0.1.0\n');
} else {
  new Server(createConnection(ProposedFeatures.all)).listen();
}
