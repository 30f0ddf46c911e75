// File recognition in a real VS Code (issue 13): the workspace also holds test/e2e/fixtures/ — a node whose
// health check is in an included conf.d/*.conf, an Ansible template, and an nginx file under a folder named
// keepalived/. Each is opened under its real name and checked for its language mode and diagnostics.
import * as vscode from 'vscode';
import { assert, assertEqual, fail, note, test, waitFor } from './harness';

function fixture(...parts: string[]): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) fail('no workspace folder is open');
  return vscode.Uri.joinPath(folder.uri, ...parts);
}

const codeOf = (d: vscode.Diagnostic): string =>
  String(typeof d.code === 'object' && d.code !== null ? d.code.value : d.code);

const ours = (uri: vscode.Uri) =>
  vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'keepalived');

async function open(uri: vscode.Uri): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc, { preview: false });
  return doc;
}

/** The document as VS Code holds it now (a language change re-creates the document object). */
const current = (uri: vscode.Uri) =>
  vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());

test('an included conf.d/*.conf is keepalived and shows the root health check', async () => {
  const uri = fixture('lb1', 'conf.d', 'chk_haproxy.conf');
  await open(uri);
  await waitFor(
    'conf.d/chk_haproxy.conf to be in keepalived mode',
    () => (current(uri)?.languageId === 'keepalived' ? true : undefined),
    { timeoutMs: 20_000 },
  );
  const ds = await waitFor(
    'script-runs-as-root in the included file',
    () => {
      const found = ours(uri);
      return found.some((d) => codeOf(d) === 'script-runs-as-root') ? found : undefined;
    },
    { event: vscode.languages.onDidChangeDiagnostics, timeoutMs: 20_000 },
  );
  const root = ds.find((d) => codeOf(d) === 'script-runs-as-root')!;
  assertEqual(root.range.start.line, 1, 'line of script-runs-as-root (0-based)');
  note(`${ds.length} diagnostics: ${ds.map(codeOf).join(', ')}`);
});

test('an Ansible keepalived.conf.j2 is keepalived-jinja: its root script is shown, no error from template syntax', async () => {
  const uri = fixture('roles', 'keepalived', 'templates', 'keepalived.conf.j2');
  const doc = await open(uri);
  assertEqual(doc.languageId, 'keepalived-jinja', 'language of keepalived.conf.j2');
  // The root-script warning on `vrrp_script chk_{{ service }}` shows the server has analysed the template
  // (an empty error list alone would hold before it answered).
  const ds = await waitFor(
    'script-runs-as-root in the template',
    () => {
      const found = ours(uri);
      return found.some((d) => codeOf(d) === 'script-runs-as-root') ? found : undefined;
    },
    { event: vscode.languages.onDidChangeDiagnostics, timeoutMs: 20_000 },
  );
  const root = ds.find((d) => codeOf(d) === 'script-runs-as-root')!;
  assertEqual(root.range.start.line, 2, 'line of script-runs-as-root (0-based)');
  const errors = ds.filter((d) => d.severity === vscode.DiagnosticSeverity.Error);
  assert(errors.length === 0, `errors in the template: ${errors.map(codeOf).join(', ')}`);
  note(`${ds.length} diagnostics: ${ds.map(codeOf).join(', ')}`);
});

test('an nginx default.conf under keepalived/ is handed back: not keepalived, no diagnostics', async () => {
  const uri = fixture('keepalived', 'default.conf');
  await open(uri);
  await waitFor(
    'keepalived/default.conf to leave keepalived mode',
    () => {
      const doc = current(uri);
      return doc && doc.languageId !== 'keepalived' ? doc.languageId : undefined;
    },
    { timeoutMs: 20_000 },
  );
  assert(
    ours(uri).length === 0,
    `keepalived diagnostics on an nginx file: ${ours(uri).map(codeOf).join(', ')}`,
  );
});
