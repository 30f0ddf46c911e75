// The client side of file recognition (server/src/features/recognition.ts): a file that a configuration
// includes is keepalived whatever its name, so its language is set when it is open or opened later; a file
// the server hands back (clearly nginx or a systemd unit) gets the language its content says, if VS Code
// knows it, else plain text.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

const INCLUDED_FILES = 'keepalived/includedFiles';
const NOT_KEEPALIVED = 'keepalived/notKeepalived';

/** Language ids that already are keepalived (plain and template flavours). */
const KEEPALIVED_IDS = new Set(['keepalived', 'keepalived-jinja', 'keepalived-erb']);

export function followRecognition(client: LanguageClient): vscode.Disposable {
  const included = new Set<string>();
  const handedBack = new Set<string>();

  const claim = async (doc: vscode.TextDocument): Promise<void> => {
    const key = doc.uri.toString();
    if (!included.has(key) || handedBack.has(key) || KEEPALIVED_IDS.has(doc.languageId)) return;
    await vscode.languages.setTextDocumentLanguage(doc, 'keepalived');
  };

  const subscriptions: vscode.Disposable[] = [
    client.onNotification(INCLUDED_FILES, (params: { files: { uri: string }[] }) => {
      included.clear();
      for (const f of params.files) included.add(f.uri);
      for (const doc of vscode.workspace.textDocuments) void claim(doc);
    }),
    client.onNotification(NOT_KEEPALIVED, async (params: { uri: string; languageId: string }) => {
      handedBack.add(params.uri);
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === params.uri);
      if (!doc || !KEEPALIVED_IDS.has(doc.languageId)) return;
      const known = await vscode.languages.getLanguages();
      await vscode.languages.setTextDocumentLanguage(
        doc,
        known.includes(params.languageId) ? params.languageId : 'plaintext',
      );
    }),
    vscode.workspace.onDidOpenTextDocument((doc) => void claim(doc)),
  ];
  return vscode.Disposable.from(...subscriptions);
}
