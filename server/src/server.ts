// The language server: capabilities and handler wiring. The only module that sees the LSP connection;
// every feature is a pure function of the analysed file it is given.
import { readdirSync, readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { dirname } from 'node:path';
import {
  CodeActionKind,
  DidChangeWatchedFilesNotification,
  LSPErrorCodes,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type InitializeParams,
  type InitializeResult,
  type Position,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { AnalyzedFile } from './analysis/document';
import type { ConfigModel } from './analysis/model';
import { nodeFileSystem } from './analysis/fs';
import { passwdHost, UNKNOWN_HOST, type HostInfo } from './analysis/host';
import type { FateOptions } from './analysis/script-fate';
import { Workspace } from './analysis/workspace';
import { lintFile, type Diagnostic } from './checks';
import { codeActions } from './features/actions';
import { completions, type CompletionEnv } from './features/completion';
import { toLspDiagnostic } from './features/diagnostics';
import { documentSymbols, workspaceSymbols } from './features/doc-symbols';
import { effectiveConfiguration } from './features/effective';
import { foldingRanges } from './features/folding';
import { formatDocument, formatOnType, formatRange } from './features/format';
import { hover } from './features/hover';
import { documentLinks } from './features/links';
import { definition, highlights, prepareRename, references, rename } from './features/navigation';
import { selectionRanges } from './features/selection';
import { SEMANTIC_LEGEND, semanticTokens } from './features/semantic-tokens';
import { signatureHelp } from './features/signature';
import { uriToPath } from './features/uri';
import { DEFAULT_SETTINGS, lintOptionsOf, readSettings, type Settings } from './settings';

/** Quiet period after an edit before diagnostics are recomputed. */
const DEBOUNCE_MS = 150;

export class Server {
  private readonly documents = new TextDocuments(TextDocument);
  private readonly workspace = new Workspace(nodeFileSystem, { maxScannedFiles: 2000 });
  private thisMachine: HostInfo | undefined;
  /** What script facts the hover may use: the same as the checks (settings, this machine's files). */
  private scriptEnv(): FateOptions {
    return {
      host: this.host,
      fs: nodeFileSystem,
      thisHost: this.settings.thisHost,
      keepalivedVersion: this.settings.keepalivedVersion || undefined,
    };
  }

  /** The nodes' accounts: this machine's with the thisHost setting, else unknown. */
  private get host(): HostInfo {
    return this.settings.thisHost ? (this.thisMachine ??= passwdHost()) : UNKNOWN_HOST;
  }
  private settings: Settings = DEFAULT_SETTINGS;
  private canPullConfiguration = false;
  /** Settings given at start-up; workspace/configuration answers override them key by key. */
  private initializationOptions: unknown;
  private canWatchFiles = false;
  private timer: NodeJS.Timeout | undefined;
  /** Bumped by every change; a validation pass only publishes if no newer change arrived meanwhile. */
  private generation = 0;

  constructor(private readonly connection: Connection) {}

  listen(): void {
    const c = this.connection;
    c.onInitialize((params) => this.initialize(params));
    c.onInitialized(() => void this.initialized());
    c.onDidChangeConfiguration((change) => void this.configurationChanged(change.settings));
    c.onDidChangeWatchedFiles((change) => {
      for (const event of change.changes) this.workspace.invalidate(uriToPath(event.uri));
      this.schedule();
    });
    this.documents.onDidChangeContent((e) => {
      this.workspace.setDocument(uriToPath(e.document.uri), e.document.getText());
      this.schedule();
    });
    this.documents.onDidClose((e) => {
      this.workspace.closeDocument(uriToPath(e.document.uri));
      void c.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
      this.schedule();
    });

    c.onCompletion((p) =>
      this.withFile(p.textDocument.uri, [], (f) => completions(f, p.position, this.completionEnv(f))),
    );
    c.onHover((p) => this.withFile(p.textDocument.uri, null, (f) => hover(f, p.position, this.scriptEnv())));
    c.onSignatureHelp((p) => this.withFile(p.textDocument.uri, null, (f) => signatureHelp(f, p.position)));
    c.onDefinition((p) =>
      this.withFile(p.textDocument.uri, [], (f) => definition(f, this.offset(f, p.position))),
    );
    c.onDeclaration((p) =>
      this.withFile(p.textDocument.uri, [], (f) => definition(f, this.offset(f, p.position))),
    );
    c.onReferences((p) =>
      this.withFile(p.textDocument.uri, [], (f) =>
        references(f, this.offset(f, p.position), p.context.includeDeclaration),
      ),
    );
    c.onDocumentHighlight((p) =>
      this.withFile(p.textDocument.uri, [], (f) => highlights(f, this.offset(f, p.position))),
    );
    c.onPrepareRename((p) =>
      this.withFile(p.textDocument.uri, null, (f) => prepareRename(f, this.offset(f, p.position)) ?? null),
    );
    c.onRenameRequest((p) =>
      this.withFile<WorkspaceEdit | ResponseError | null>(p.textDocument.uri, null, (f) => {
        const result = rename(f, this.offset(f, p.position), p.newName);
        if (!result) return null;
        // A name keepalived would not accept is refused with a message the editor shows.
        if ('error' in result) return new ResponseError(LSPErrorCodes.RequestFailed, result.error);
        return result.edit;
      }),
    );
    c.onDocumentSymbol((p) => this.withFile(p.textDocument.uri, [], (f) => documentSymbols(f)));
    c.onWorkspaceSymbol((p) => this.guard([], () => workspaceSymbols(this.models(), p.query)));
    c.onDocumentLinks((p) => this.withFile(p.textDocument.uri, [], (f) => documentLinks(f)));
    c.onFoldingRanges((p) => this.withFile(p.textDocument.uri, [], (f) => foldingRanges(f)));
    c.onSelectionRanges((p) => this.withFile(p.textDocument.uri, [], (f) => selectionRanges(f, p.positions)));
    c.onCodeAction((p) =>
      this.withFile(p.textDocument.uri, [], (f) => codeActions(f, p.context.diagnostics, this.lint(f))),
    );
    c.onDocumentFormatting((p) =>
      this.withFile(p.textDocument.uri, [], (f) => formatDocument(f.text, p.options)),
    );
    c.onDocumentRangeFormatting((p) =>
      this.withFile(p.textDocument.uri, [], (f) => formatRange(f.text, p.range, p.options)),
    );
    c.onDocumentOnTypeFormatting((p) =>
      this.withFile(p.textDocument.uri, [], (f) =>
        formatOnType(f.text, p.position, p.ch as '{' | '}' | '\n', p.options),
      ),
    );
    c.onRequest('keepalived/effectiveConfiguration', (p: { uri: string }) =>
      this.withFile(p.uri, '', (f) => effectiveConfiguration(f)),
    );
    c.languages.semanticTokens.on((p) =>
      this.withFile(p.textDocument.uri, { data: [] }, (f) => ({ data: semanticTokens(f) })),
    );

    this.documents.listen(c);
    c.listen();
  }

  private initialize(params: InitializeParams): InitializeResult {
    const caps = params.capabilities;
    this.canPullConfiguration = caps.workspace?.configuration === true;
    this.canWatchFiles = caps.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    const folders = (params.workspaceFolders ?? []).map((f) => uriToPath(f.uri));
    if (folders.length === 0 && params.rootUri) folders.push(uriToPath(params.rootUri));
    this.workspace.setOptions({ ...this.workspace.options, folders });
    this.initializationOptions = params.initializationOptions;
    if (params.initializationOptions) this.applySettings(readSettings(params.initializationOptions));
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        completionProvider: { triggerCharacters: ['$', '/', ' '], resolveProvider: false },
        hoverProvider: true,
        signatureHelpProvider: { triggerCharacters: [' '] },
        definitionProvider: true,
        declarationProvider: true,
        referencesProvider: true,
        documentHighlightProvider: true,
        renameProvider: { prepareProvider: true },
        documentSymbolProvider: true,
        workspaceSymbolProvider: true,
        documentLinkProvider: { resolveProvider: false },
        foldingRangeProvider: true,
        selectionRangeProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        documentFormattingProvider: true,
        documentRangeFormattingProvider: true,
        documentOnTypeFormattingProvider: { firstTriggerCharacter: '}', moreTriggerCharacter: ['{', '\n'] },
        semanticTokensProvider: { legend: SEMANTIC_LEGEND, full: true },
      },
      serverInfo: { name: 'keepalived-language-server', version: '0.1.0' },
    };
  }

  private async initialized(): Promise<void> {
    if (this.canWatchFiles) {
      await this.connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [{ globPattern: '**/*' }],
      });
    }
    await this.pullSettings();
  }

  private async configurationChanged(pushed: unknown): Promise<void> {
    if (this.canPullConfiguration) await this.pullSettings();
    else if (pushed && typeof pushed === 'object' && 'keepalived' in pushed) {
      this.applySettings(readSettings((pushed as { keepalived: unknown }).keepalived));
    }
  }

  private async pullSettings(): Promise<void> {
    if (!this.canPullConfiguration) return this.schedule();
    try {
      const [raw] = await this.connection.workspace.getConfiguration([{ section: 'keepalived' }]);
      const base =
        this.initializationOptions && typeof this.initializationOptions === 'object'
          ? this.initializationOptions
          : {};
      const pulled = raw && typeof raw === 'object' ? raw : {};
      this.applySettings(readSettings({ ...base, ...pulled }));
    } catch {
      this.schedule();
    }
  }

  private applySettings(settings: Settings): void {
    this.settings = settings;
    this.workspace.setOptions({
      ...this.workspace.options,
      configId: settings.configId || undefined,
      keepalivedVersion: settings.keepalivedVersion || undefined,
    });
    this.schedule();
  }

  /** Debounced: recompute and publish diagnostics for every open document once edits pause. */
  private schedule(): void {
    const generation = ++this.generation;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (generation === this.generation) this.publishAll();
    }, DEBOUNCE_MS);
  }

  private publishAll(): void {
    // The configurations of the workspace are the nodes of one cluster for the failover analysis.
    const peers = this.guard([], () => this.models());
    for (const doc of this.documents.all()) {
      const diagnostics = this.guard([], () => {
        const file = this.workspace.analysis(uriToPath(doc.uri));
        return file ? this.lint(file, peers).map(toLspDiagnostic) : [];
      });
      void this.connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics });
    }
  }

  private lint(file: AnalyzedFile, peers?: ConfigModel[]): Diagnostic[] {
    return lintFile(file, { ...lintOptionsOf(this.settings), peers });
  }

  private models() {
    const seen = new Set<unknown>();
    return this.workspace.knownFiles().flatMap((path) => {
      const model = this.workspace.modelFor(path);
      if (!model || seen.has(model)) return [];
      seen.add(model);
      return [model];
    });
  }

  private offset(file: AnalyzedFile, position: Position): number {
    return file.lines.offsetAt(position);
  }

  /** Runs a feature on an open document's analysis; unknown documents and failures give `empty`. */
  private withFile<T>(uri: string, empty: T, run: (file: AnalyzedFile) => T): T {
    if (!this.documents.get(uri)) return empty;
    return this.guard(empty, () => {
      const file = this.workspace.analysis(uriToPath(uri));
      return file ? run(file) : empty;
    });
  }

  private guard<T>(empty: T, run: () => T): T {
    try {
      return run();
    } catch (e) {
      this.connection.console.error(`keepalived-language-server: ${(e as Error).stack ?? e}`);
      return empty;
    }
  }

  private completionEnv(file: AnalyzedFile): CompletionEnv {
    return {
      users: () => listUsers(),
      interfaces: () => Object.keys(networkInterfaces()),
      listDir: (path) => listDir(path.startsWith('/') ? path : `${dirname(file.path)}/${path}`),
      keepalivedVersion: this.settings.keepalivedVersion || undefined,
    };
  }
}

/** Account names of this machine (metadata from /etc/passwd), for `user` and `script_user` completion. */
function listUsers(): string[] {
  try {
    return readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .map((l) => l.split(':')[0] ?? '')
      .filter((n) => n !== '');
  } catch {
    return [];
  }
}

function listDir(path: string): { name: string; dir: boolean }[] | undefined {
  try {
    return readdirSync(path, { withFileTypes: true })
      .slice(0, 500)
      .map((e) => ({ name: e.name, dir: e.isDirectory() }));
  } catch {
    return undefined;
  }
}
