// The web extension (vscode.dev, github.dev): the same language features as on the desktop, from the
// language server running in a web worker (dist/web/server.js), which reads files through this client
// (web-files.ts). No account or script-file facts exist there: the server runs in unknown-host mode.
import * as vscode from 'vscode';
import { LanguageClient, type LanguageClientOptions } from 'vscode-languageclient/browser';
import { KEEPALIVED_WATCH_GLOB } from './patterns';
import { READ_FILES, readFiles } from './web-files';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('keepalived', { log: true });
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { language: 'keepalived' },
      { language: 'keepalived-jinja' },
      { language: 'keepalived-erb' },
    ],
    synchronize: {
      configurationSection: 'keepalived',
      // As on the desktop: config names only; the server registers the folders of its includes.
      fileEvents: vscode.workspace.createFileSystemWatcher(KEEPALIVED_WATCH_GLOB),
    },
    outputChannel: output,
  };
  const serverMain = vscode.Uri.joinPath(context.extensionUri, 'dist/web/server.js').toString(true);
  const WebWorker = (globalThis as unknown as { Worker: new (url: string) => unknown }).Worker;
  // vscode-languageclient 11: (id, name, server, client options); the server is the worker.
  client = new LanguageClient(
    'keepalived',
    'keepalived',
    new WebWorker(serverMain) as ConstructorParameters<typeof LanguageClient>[2],
    clientOptions,
  );
  context.subscriptions.push(
    output,
    client.onRequest(READ_FILES, readFiles),
    vscode.commands.registerCommand('keepalived.restartServer', async () => {
      await client?.stop();
      await client?.start();
      output.appendLine('keepalived language server restarted');
    }),
  );
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
