// The VS Code client: starts the bundled language server and adds what only the editor side can do —
// commands to restart the server, lint the whole workspace into the Problems view, and show a file's
// effective configuration (includes spliced in, parameters expanded).
import * as vscode from 'vscode';
import {
  LanguageClient,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { KEEPALIVED_GLOB, KEEPALIVED_WATCH_GLOB } from './patterns';
import { followRecognition } from './recognition';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('keepalived', { log: true });
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6010'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { language: 'keepalived' },
      { language: 'keepalived-jinja' },
      { language: 'keepalived-erb' },
    ],
    synchronize: {
      configurationSection: 'keepalived',
      // Config files by name only, not every file of the workspace (each event costs the server work).
      // Included files may have any name: the server registers watchers for the folders its includes
      // read from (client/registerCapability), and rebuilds only the configurations an event touches.
      fileEvents: vscode.workspace.createFileSystemWatcher(KEEPALIVED_WATCH_GLOB),
    },
    outputChannel: output,
  };
  client = new LanguageClient('keepalived', 'keepalived', serverOptions, clientOptions);

  context.subscriptions.push(
    output,
    vscode.commands.registerCommand('keepalived.restartServer', async () => {
      await client?.restart();
      output.appendLine('keepalived language server restarted');
    }),
    vscode.commands.registerCommand('keepalived.lintWorkspace', async () => {
      const files = await vscode.workspace.findFiles(KEEPALIVED_GLOB, '**/node_modules/**', 2000);
      // Opening a document makes the server analyse it and publish its diagnostics to Problems.
      for (const file of files) await vscode.workspace.openTextDocument(file);
      vscode.window.showInformationMessage(
        `keepalived: checked ${files.length} file${files.length === 1 ? '' : 's'}; see the Problems view.`,
      );
    }),
    vscode.commands.registerCommand('keepalived.showEffectiveConfiguration', async () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor || editor.document.languageId !== 'keepalived' || !client) return;
      const text = await client.sendRequest<string>('keepalived/effectiveConfiguration', {
        uri: editor.document.uri.toString(),
      });
      const doc = await vscode.workspace.openTextDocument({ language: 'keepalived', content: text });
      await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside });
    }),
  );
  await client.start();
  context.subscriptions.push(followRecognition(client));
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
