// End-to-end tests of the keepalived extension in a real VS Code (code-server or desktop VS Code), through
// the `vscode` API only. The workspace holds keepalived.conf, a copy of
// examples/nginx-failover/keepalived-master.conf (the "nginx pair": its health check runs as root).
// Tests run in order; those that edit the document restore it from disk when they end.
import * as vscode from 'vscode';
import { assert, assertEqual, fail, note, test, waitFor } from './harness';

export const EXTENSION_ID = 'keepalived-tools.keepalived-language-tools';
const SCRIPT_USER = 'keepalived_script';

let doc: vscode.TextDocument;

function confUri(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) fail('no workspace folder is open (the runner opens one holding keepalived.conf)');
  return vscode.Uri.joinPath(folder.uri, 'keepalived.conf');
}

/** Position of the first occurrence of `needle` (after `after`, when given), plus `offset` characters. */
function positionOf(needle: string, offset = 0, after?: string): vscode.Position {
  const text = doc.getText();
  const from = after === undefined ? 0 : text.indexOf(after);
  assert(from >= 0, `'${after}' not found in keepalived.conf`);
  const at = text.indexOf(needle, from);
  assert(at >= 0, `'${needle}' not found in keepalived.conf`);
  return doc.positionAt(at + offset);
}

function lineOf(needle: string): number {
  return positionOf(needle).line;
}

/** The rule id of a diagnostic (`code` may be a plain value or `{ value, target }` with a docs link). */
function codeOf(d: vscode.Diagnostic): string {
  const code = d.code;
  return String(typeof code === 'object' && code !== null ? code.value : code);
}

function ourDiagnostics(): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === 'keepalived');
}

/** Waits until this file's keepalived diagnostics satisfy `ok` (re-checked on every diagnostics change). */
function waitForDiagnostics(
  what: string,
  ok: (ds: vscode.Diagnostic[]) => boolean,
): Promise<vscode.Diagnostic[]> {
  return waitFor(
    what,
    () => {
      const ds = ourDiagnostics();
      return ok(ds) ? ds : undefined;
    },
    { event: vscode.languages.onDidChangeDiagnostics, timeoutMs: 20_000 },
  );
}

const hasRule = (rule: string) => (ds: vscode.Diagnostic[]) => ds.some((d) => codeOf(d) === rule);

/**
 * Throws away unsaved edits so the next test sees the file as it is on disk. When that changes the text, it
 * also waits for the diagnostics the server publishes for the reverted text (the quick fixes they carry are
 * offsets into the text they were computed for).
 */
async function revert(): Promise<void> {
  const before = doc.getText();
  let published = false;
  const subscription = vscode.languages.onDidChangeDiagnostics((e) => {
    if (e.uris.some((u) => u.toString() === doc.uri.toString())) published = true;
  });
  try {
    await vscode.window.showTextDocument(doc, { preview: false });
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await waitFor('the document to be reverted', () => (doc.isDirty ? undefined : true), {
      timeoutMs: 10_000,
    });
    if (doc.getText() !== before) {
      await waitFor('diagnostics for the reverted document', () => (published ? true : undefined), {
        event: vscode.languages.onDidChangeDiagnostics,
        timeoutMs: 10_000,
      });
    }
  } finally {
    subscription.dispose();
  }
}

function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n');
}

test('keepalived.conf opens with languageId keepalived', async () => {
  doc = await vscode.workspace.openTextDocument(confUri());
  await vscode.window.showTextDocument(doc, { preview: false });
  assertEqual(doc.languageId, 'keepalived', 'languageId of keepalived.conf');
  assert(doc.getText().includes('vrrp_script chk_nginx'), 'keepalived.conf is not the nginx pair example');
  assert(!doc.isDirty, 'keepalived.conf should open unmodified');
});

test('the extension activates', async () => {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert(ext, `extension ${EXTENSION_ID} is not installed`);
  await waitFor('the extension to activate', () => (ext.isActive ? true : undefined), { timeoutMs: 20_000 });
  note(`version ${ext.packageJSON.version} from ${ext.extensionUri.fsPath}`);
  const commands = await vscode.commands.getCommands(true);
  for (const c of [
    'keepalived.restartServer',
    'keepalived.lintWorkspace',
    'keepalived.showEffectiveConfiguration',
  ])
    assert(commands.includes(c), `command ${c} is not registered`);
});

test('diagnostics: the root health check (script-runs-as-root) and script security off', async () => {
  const ds = await waitForDiagnostics(
    'script-runs-as-root and script-security-disabled',
    (all) => hasRule('script-runs-as-root')(all) && hasRule('script-security-disabled')(all),
  );
  const root = ds.find((d) => codeOf(d) === 'script-runs-as-root')!;
  assertEqual(root.source, 'keepalived', 'source of the diagnostic');
  assertEqual(
    root.range.start.line,
    lineOf('script "/usr/bin/pgrep -x nginx"'),
    'line of script-runs-as-root (0-based)',
  );
  assertEqual(root.range.start.line + 1, 11, 'line of script-runs-as-root (1-based)');
  assertEqual(root.severity, vscode.DiagnosticSeverity.Warning, 'severity of script-runs-as-root');
  assert(/runs as root/.test(root.message), `unexpected message: ${root.message}`);
  assertEqual(doc.getText(root.range), '"/usr/bin/pgrep -x nginx"', 'text under the squiggle');
  note(
    `${ds.length} keepalived diagnostics: ${ds.map((d) => `${codeOf(d)}@${d.range.start.line + 1}`).join(', ')}`,
  );
});

test('hover on priority documents its range (1..255)', async () => {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
    'vscode.executeHoverProvider',
    doc.uri,
    positionOf('priority 101', 3),
  );
  const text = hoverText(hovers ?? []);
  assert(text.includes('priority'), `hover does not name priority:\n${text}`);
  assert(text.includes('255'), `hover on priority does not mention 255:\n${text}`);
});

test('hover on chk_nginx in track_script tells who runs the script (root)', async () => {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
    'vscode.executeHoverProvider',
    doc.uri,
    positionOf('chk_nginx', 2, 'track_script'),
  );
  const text = hoverText(hovers ?? []);
  assert(text.includes('/usr/bin/pgrep -x nginx'), `hover does not show the command:\n${text}`);
  // Nothing is known about the nodes: root wherever keepalived_script is missing.
  assert(/else \*\*as root\*\*/.test(text), `hover does not say the script runs as root:\n${text}`);
});

test('go to definition: chk_nginx in track_script → the vrrp_script line', async () => {
  const from = positionOf('chk_nginx', 2, 'track_script');
  assertEqual(from.line, lineOf('        chk_nginx'), 'the position is in track_script');
  const result = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>(
    'vscode.executeDefinitionProvider',
    doc.uri,
    from,
  );
  assert(result && result.length > 0, 'no definition found');
  const first = result[0]!;
  const [uri, range] =
    'targetUri' in first
      ? [first.targetUri, first.targetSelectionRange ?? first.targetRange]
      : [first.uri, first.range];
  assertEqual(uri.toString(), doc.uri.toString(), 'definition file');
  assertEqual(range.start.line, lineOf('vrrp_script chk_nginx'), 'definition line');
});

test('completion inside vrrp_instance offers nopreempt', async () => {
  const at = positionOf('advert_int', 0, 'vrrp_instance');
  const list = await vscode.commands.executeCommand<vscode.CompletionList>(
    'vscode.executeCompletionItemProvider',
    doc.uri,
    at,
  );
  const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
  assert(
    labels.includes('nopreempt'),
    `nopreempt not among ${labels.length} items: ${labels.slice(0, 30).join(', ')}`,
  );
  assert(!labels.includes('router_id'), 'router_id (a global_defs keyword) offered inside vrrp_instance');
  note(`${labels.length} items`);
});

test('TextMate grammar: keywords, section names, values and comments get their own scopes', async () => {
  const all = await vscode.commands.getCommands(false);
  if (!all.includes('_workbench.captureSyntaxTokens')) {
    // code-server lacks the token-capture command: check here that the installed extension contributes a
    // loadable grammar for the language; the Playwright driver checks the colours and scopes in the page.
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    const grammar = ext?.packageJSON?.contributes?.grammars?.[0];
    assert(
      grammar?.language === 'keepalived' && grammar.scopeName === 'source.keepalived',
      'no keepalived grammar contributed',
    );
    const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(ext!.extensionUri, grammar.path));
    const json = JSON.parse(new TextDecoder().decode(bytes));
    assertEqual(json.scopeName, 'source.keepalived', 'grammar scopeName');
    note('token capture unavailable: grammar contribution checked here, colours by the UI driver');
    return;
  }
  const tokens = await vscode.commands.executeCommand<{ c: string; t: string }[]>(
    '_workbench.captureSyntaxTokens',
    doc.uri,
  );
  assert(tokens && tokens.length > 0, 'no tokens captured');
  const scopeOf = (text: string): string => {
    const token = tokens.find((t) => t.c.trim() === text);
    return token ? token.t : fail(`no token '${text}' among ${tokens.length}`);
  };
  const expectScope = (text: string, pattern: RegExp) => {
    const scope = scopeOf(text);
    assert(pattern.test(scope), `'${text}' has scopes '${scope}', expected ${pattern}`);
    assert(scope.includes('source.keepalived'), `'${text}' is not in source.keepalived: '${scope}'`);
  };
  expectScope('vrrp_instance', /\bkeyword\b|\bstorage\b|\bentity\b/);
  expectScope('priority', /\bkeyword\b|\bsupport\b|\bvariable\b/);
  expectScope('MASTER', /\bconstant\b|\bsupport\b/);
  expectScope('101', /\bconstant\.numeric\b/);
  const comment = tokens.find((t) => t.c.includes('nginx failover pair'));
  assert(
    comment && /\bcomment\b/.test(comment.t),
    `the first line is not a comment: ${JSON.stringify(comment)}`,
  );
  note(`vrrp_instance: ${scopeOf('vrrp_instance')} | MASTER: ${scopeOf('MASTER')}`);
});

test('quick fix "Run this script as keepalived_script" removes script-runs-as-root', async () => {
  const [root] = await waitForDiagnostics('script-runs-as-root', hasRule('script-runs-as-root')).then((ds) =>
    ds.filter((d) => codeOf(d) === 'script-runs-as-root'),
  );
  const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
    'vscode.executeCodeActionProvider',
    doc.uri,
    root!.range,
    vscode.CodeActionKind.QuickFix.value,
  );
  const titles = actions.map((a) => a.title);
  const userFix = actions.find(
    // The title goes on to say what the nodes need first (the account must exist on every node).
    (a): a is vscode.CodeAction => a.title.startsWith(`Run this script as ${SCRIPT_USER}`),
  );
  assert(userFix?.edit, `no '${'Run this script as ' + SCRIPT_USER}' quick fix among: ${titles.join(' | ')}`);
  assert(
    titles.some((t) =>
      t.startsWith(
        `Run scripts as ${SCRIPT_USER} by default (global_defs script_user + enable_script_security)`,
      ),
    ),
    `no global_defs quick fix among: ${titles.join(' | ')}`,
  );
  assert(await vscode.workspace.applyEdit(userFix.edit), 'applyEdit refused the quick fix');
  const scriptLine = lineOf('script "/usr/bin/pgrep -x nginx"');
  assertEqual(doc.lineAt(scriptLine + 1).text, `    user ${SCRIPT_USER}`, 'the line after the script line');
  await waitForDiagnostics('script-runs-as-root to disappear', (ds) => !hasRule('script-runs-as-root')(ds));
  await revert();
  await waitForDiagnostics('script-runs-as-root to come back after revert', hasRule('script-runs-as-root'));
});

test('rename chk_nginx renames it in 2 places', async () => {
  const at = positionOf('chk_nginx', 1);
  const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit>(
    'vscode.executeDocumentRenameProvider',
    doc.uri,
    at,
    'chk_web',
  );
  assert(edit, 'no rename edit');
  const edits = edit.entries().flatMap(([uri, es]) => es.map((e) => ({ uri, e })));
  assertEqual(edits.length, 2, 'number of renamed places');
  for (const { uri, e } of edits) {
    assertEqual(uri.toString(), doc.uri.toString(), 'renamed file');
    assertEqual(doc.getText(e.range), 'chk_nginx', 'renamed text');
    assertEqual(e.newText, 'chk_web', 'new text');
  }
  assert(await vscode.workspace.applyEdit(edit), 'applyEdit refused the rename');
  const text = doc.getText();
  assert(!text.includes('chk_nginx'), 'chk_nginx is still in the document');
  assertEqual(text.split('chk_web').length - 1, 2, 'occurrences of chk_web');
  await revert();
});

test('format document: fixes indentation and a second run returns no edits', async () => {
  const options = { tabSize: 4, insertSpaces: true };
  const original = doc.getText();
  // Break the layout of two lines first, so that formatting has something to do.
  const line = lineOf('    priority 101');
  const messy = new vscode.WorkspaceEdit();
  messy.replace(doc.uri, doc.lineAt(line).range, 'priority    101   ');
  messy.replace(doc.uri, doc.lineAt(line + 1).range, '\t\t\tadvert_int 1');
  assert(await vscode.workspace.applyEdit(messy), 'applyEdit refused the messy edit');

  const format = () =>
    vscode.commands.executeCommand<vscode.TextEdit[] | undefined>(
      'vscode.executeFormatDocumentProvider',
      doc.uri,
      options,
    );
  const first = (await format()) ?? [];
  assert(first.length > 0, 'formatting a mis-indented document returned no edits');
  const apply = new vscode.WorkspaceEdit();
  apply.set(doc.uri, first);
  assert(await vscode.workspace.applyEdit(apply), 'applyEdit refused the formatting edits');
  assertEqual(doc.getText(), original, 'the formatted document (the example is already formatted)');
  const second = (await format()) ?? [];
  assertEqual(second.length, 0, 'edits returned by a second formatting run');
  note(`first run: ${first.length} edits`);
  await revert();
});
