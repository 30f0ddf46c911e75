// The language server in the browser: a web worker started by the web extension (client/src/web.ts),
// speaking LSP over postMessage. The same Server as on the desktop, given the browser's machine.
import { BrowserMessageReader, BrowserMessageWriter, createConnection } from 'vscode-languageserver/browser';
import { Server } from '../server';
import { READ_FILES, type ReadFilesParams, type ReadFilesResult } from './protocol';
import { webMachine } from './web-machine';

// The server yields to its event loop with setImmediate, which browsers do not have.
const g = globalThis as { setImmediate?: (f: () => void) => unknown };
g.setImmediate ??= (f: () => void) => setTimeout(f, 0);

// The worker's global scope is its message port (typed here without the DOM library).
const scope = globalThis as never;
const connection = createConnection(new BrowserMessageReader(scope), new BrowserMessageWriter(scope));
const machine = webMachine((params) =>
  connection.sendRequest<ReadFilesResult>(READ_FILES, params satisfies ReadFilesParams),
);
new Server(connection, { machine }).listen();
