// The language server: capabilities and handler wiring. The only module that sees the LSP connection;
// every feature is a pure function of the analysed file it is given.
//
// Requests never run analysis. They read the newest complete analysis of their document; when that is
// older than the document and its configuration is not large, they wait (without blocking the event loop)
// for the pass that is analysing it, which then starts at once. A pass starts START_MS after the newest
// change and publishes diagnostics once that change is DEBOUNCE_MS old. Passes run in slices: one configuration,
// one document's checks at a time, yielding to the event loop in between, and a pass stops as soon as a
// newer change arrives (the next pass reuses what it built). Cancelled requests answer RequestCancelled.
// Large configurations (server-index.ts, LARGE_CONFIG_CHARS) are analysed in a worker thread, diagnostics
// only. Closed documents are dropped; file events rebuild only the configurations they touch.
import {
  includedFiles,
  INCLUDED_FILES,
  NOT_KEEPALIVED,
  otherLanguage,
  type NotKeepalivedParams,
} from './features/recognition';
import { dirname, sep } from 'node:path';
import type { Worker } from 'node:worker_threads';
import {
  CodeActionKind,
  DiagnosticSeverity,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  LSPErrorCodes,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  type CancellationToken,
  type Connection,
  type Diagnostic as LspDiagnostic,
  type Disposable,
  type FileSystemWatcher,
  type InitializeParams,
  type InitializeResult,
  type Position,
  type TextDocumentContentChangeEvent,
  type TextEdit,
  type WorkspaceEdit,
  ShowMessageNotification,
  MessageType,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { MAX_CLUSTER_NODES } from './analysis/budget';
import { clusterBuilds, tooManyNodes } from './analysis/cluster';
import type { AnalyzedFile } from './analysis/document';
import type { ConfigModel } from './analysis/model';
import { TOOL_VERSION } from './version';
import { nodeServerMachine } from './machine';
import type { ServerMachine } from './server-machine';
import type { FateOptions } from './analysis/script-fate';
import { lintFile, type Diagnostic } from './checks';
import { codeActions } from './features/actions';
import { completions, type CompletionEnv } from './features/completion';
import { toLspDiagnostic } from './features/diagnostics';
import { documentSymbols, workspaceSymbols } from './features/doc-symbols';
import { effectiveConfiguration } from './features/effective';
import { foldingRanges } from './features/folding';
import { formatDocument, formatOnType, formatOptions, formatRange } from './features/format';
import { hover } from './features/hover';
import { documentLinks } from './features/links';
import { definition, highlights, prepareRename, references, rename } from './features/navigation';
import { selectionRanges } from './features/selection';
import { SEMANTIC_LEGEND, semanticTokens } from './features/semantic-tokens';
import { signatureHelp } from './features/signature';
import { mapBack, mapRangeForward, type RangeChange } from './features/positions';
import { inlayHints } from './features/inlay-hints';
import { LARGE_CONFIG_CHARS, ServerIndex, type Configuration } from './server-index';
import { analyseLarge, type WorkerJob, type WorkerResult } from './server-worker';
import { ANALYSIS_WORKER_ARG } from './thread-role';
import { DEFAULT_SETTINGS, lintOptionsOf, readSettings, type Settings } from './settings';
import {
  SETTINGS_FILE_NAME,
  SETTINGS_RULE,
  settingsDiagnostics,
  SettingsFiles,
  withProjectSettings,
} from './settings-file';

/**
 * Quiet period after an edit before its diagnostics are published: half-typed words get no squiggles.
 * The analysis itself starts after START_MS and runs inside this period, so the diagnostics appear when
 * it ends, not a whole analysis later.
 */
const DEBOUNCE_MS = 150;
/**
 * Quiet period after an edit before the analysis starts (none while a request waits): a burst of
 * keystrokes starts one pass, and a pass that a newer edit makes stale stops at its next slice.
 */
const START_MS = 30;
/** Quiet period before a large configuration is sent to the worker (each keystroke would restart it). */
const LARGE_DEBOUNCE_MS = 500;
/** How often the watchdog thread checks that the client process is alive. */
const WATCHDOG_MS = 1000;
/** Edits remembered per document for mapping positions into its newest analysis. */
const MAX_TRACKED_EDITS = 1000;
/** Include folders the server asks the client to watch, at most. */
const MAX_WATCHED_FOLDERS = 100;
/** Names of keepalived configs (as the VS Code clients know them: client/src/patterns.ts, held equal by a test). */
const CONFIG_PATTERNS = ['**/*.conf', '**/keepalived.conf*', '**/keepalived.d/**', '**/keepalived.conf.d/**'];
/** Project settings files (settings-file.ts): a change re-reads them. */
const SETTINGS_PATTERNS = [`**/${SETTINGS_FILE_NAME}`, '**/package.json'];

export interface ServerOptions {
  /** Script of a worker thread for large configurations (the bundled server); none: analysed in process. */
  workerScript?: string;
  /** Exit when the client process is gone even while the main thread is busy (a watchdog thread). */
  watchdog?: boolean;
  /** The large-configuration limit (tests). */
  largeChars?: number;
  /** The machine: this one (the default), or the browser's (web/web-main.ts). */
  machine?: ServerMachine;
}

/** Rounds of fetching what a build missed, per pass: one per include level the browser reads ahead. */
const MAX_FETCH_ROUNDS = 12;

/** The newest complete analysis of an open document. */
interface Analysis {
  /** The document version it read. */
  version: number;
  /** The root of the configuration it was read in. */
  root?: string;
  /** Undefined when its configuration is large, failed or unreadable. */
  file?: AnalyzedFile;
  large: boolean;
  error?: unknown;
}

/** The newest diagnostics of an open document. */
interface Lint {
  version: number;
  key: string;
  file?: AnalyzedFile;
  diagnostics: Diagnostic[];
}

/** A document's diagnostics computed by a pass, not yet published. */
interface Computed {
  uri: string;
  /** What `lints` keeps once they are sent. */
  lint: Lint;
  /** What the client is sent. */
  published: LspDiagnostic[];
  /** The document is clearly another language (features/recognition.ts): the client is told so instead. */
  otherLanguage?: NotKeepalivedParams;
}

interface Waiter {
  uri: string;
  /** Satisfied by a fresh analysis, or only by fresh diagnostics (code actions need their fixes). */
  needs: 'analysis' | 'lint';
  done: (ok: boolean) => void;
}

const yieldNow = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const cancelled = (): ResponseError<void> =>
  new ResponseError(LSPErrorCodes.RequestCancelled, 'The request was cancelled.');

/**
 * The watchdog thread: when the client process (InitializeParams.processId) or this server's parent
 * process is gone, it asks the main thread to exit, and kills the process if the main thread cannot
 * answer (it is busy) within two more checks.
 */
const WATCHDOG_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { pid, ppid, interval } = workerData;
const alive = (p) => { try { process.kill(p, 0); return true; } catch (e) { return e.code === 'EPERM'; } };
let gone = 0;
setInterval(() => {
  const lost = (typeof pid === 'number' && pid > 0 && !alive(pid)) || (ppid > 1 && process.ppid !== ppid);
  if (!lost) return;
  if (gone++ === 0) parentPort.postMessage('client-gone');
  else if (gone > 2) process.kill(process.pid, 'SIGKILL');
}, interval);
`;

export class Server {
  /** The last `keepalived/includedFiles` sent, to send it again only when it changes. */
  private lastIncluded = '';
  private readonly documents = new TextDocuments<TextDocument>({
    create: (uri, languageId, version, text) => TextDocument.create(uri, languageId, version, text),
    update: (document, changes, version) => {
      this.recordEdit(document.uri, version, changes);
      return TextDocument.update(document, changes, version);
    },
  });
  /**
   * The edits since each document's newest analysis, so a request can read that analysis with its
   * position mapped into the text it analysed (undefined changes: a full-text replacement, unmappable).
   */
  private readonly edits = new Map<string, { version: number; changes: RangeChange[] | undefined }[]>();
  private readonly index: ServerIndex;
  private readonly openUris = new Map<string, string>();
  private settings: Settings = DEFAULT_SETTINGS;
  private settingsEpoch = 0;
  /** Project settings files found upward from the configs, until one of them changes. */
  private readonly projectFiles: SettingsFiles;
  private readonly machine: ServerMachine;
  /** Settings files whose problems are published as diagnostics on them. */
  private readonly settingsProblems = new Set<string>();
  private canPullConfiguration = false;
  /** Settings given at start-up; workspace/configuration answers override them key by key. */
  private initializationOptions: unknown;
  private canWatchFiles = false;
  /** InitializeParams.processId: the watchdog thread exits the server when that process is gone. */
  private clientProcessId: number | null | undefined;
  /**
   * The parent as the server starts (by the time the watchdog starts, a dead parent's child has another);
   * only with a watchdog: the browser's server has no `process`.
   */
  private readonly parentProcessId: number;
  private watchdogStarted = false;
  private relativePatterns = false;
  private folders: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** Bumped by every change; a pass stops at its next slice when it is no longer the newest. */
  private generation = 0;
  /** When the newest change is DEBOUNCE_MS old (performance.now()): diagnostics wait until then. */
  private quietAt = 0;
  /** Ends a pass's wait for the quiet period early: a newer change made it stale. */
  private wakeQuiet: (() => void) | undefined;
  private running: Promise<void> | undefined;
  private passesCompleted = 0;
  /** The MAX_CLUSTER_NODES warning is shown once per server. */
  private clusterLimitShown = false;
  private readonly analyses = new Map<string, Analysis>();
  private readonly lints = new Map<string, Lint>();
  private readonly waiters = new Set<Waiter>();
  private readonly firstPass: Promise<void>;
  private firstPassDone!: () => void;
  private readonly counts = {
    passes: 0,
    aborted: 0,
    completed: 0,
    /** Documents whose diagnostics were ready before the quiet period ended, and waited for it. */
    held: 0,
    workerJobs: 0,
    workerTerminated: 0,
  };
  private watchers: Disposable | undefined;
  private registering: Promise<void> = Promise.resolve();
  private watchedFolders = '';
  private worker: Worker | undefined;
  private job: { job: WorkerJob; versions: Map<string, number>; key: Map<string, string> } | undefined;
  private readonly largeQueue = new Set<string>();
  private largeTimer: NodeJS.Timeout | undefined;
  private jobIds = 0;
  private shutdown = false;
  private idleWaiters: (() => void)[] = [];
  /** Feature results per analysed file: computed once per analysis, not once per request. */
  private readonly memo = new WeakMap<AnalyzedFile, Map<string, unknown>>();
  /**
   * The last whole-document formatting per document: the same version with the same options gives the same
   * edits (format on save, then the format command), so it is not laid out again.
   */
  private readonly formatted = new Map<string, { version: number; options: string; edits: TextEdit[] }>();

  constructor(
    private readonly connection: Connection,
    private readonly options: ServerOptions = {},
  ) {
    this.machine = options.machine ?? nodeServerMachine;
    this.parentProcessId = options.watchdog ? process.ppid : 0;
    this.projectFiles = new SettingsFiles(this.machine.fs);
    this.index = new ServerIndex(
      this.machine.fs,
      (path) => {
        const uri = this.openUris.get(path);
        return uri === undefined ? undefined : this.documents.get(uri)?.getText();
      },
      () => [...this.openUris.keys()],
      { folders: [], largeChars: options.largeChars },
    );
    this.firstPass = new Promise((resolve) => (this.firstPassDone = resolve));
  }

  /**
   * A config's settings: the editor's, with those of the project settings file found upward from it on
   * top (the file is what CI reads, so editor and CI agree).
   */
  private settingsFor(path: string): Settings {
    const project = this.projectFiles.resolve(path);
    const settings = project.file ? withProjectSettings(this.settings, project.settings) : this.settings;
    // Where nothing can be known about the nodes (the browser), no check may assume it is one of them.
    return this.machine.hostFacts || !settings.thisHost ? settings : { ...settings, thisHost: false };
  }

  /** What script facts the hover may use: the same as the checks (settings, this machine's files). */
  private scriptEnv(path: string): FateOptions {
    const settings = this.settingsFor(path);
    return {
      ...this.machine.security(settings.thisHost),
      thisHost: settings.thisHost,
      keepalivedVersion: settings.keepalivedVersion || undefined,
    };
  }

  /** The checks' options: the settings, with the nodes as this server's machine sees them. */
  private lintOptions(settings: Settings): ReturnType<typeof lintOptionsOf> {
    const options = lintOptionsOf(settings);
    return { ...options, security: { ...options.security, ...this.machine.security(settings.thisHost) } };
  }

  private get largeChars(): number {
    return this.options.largeChars ?? LARGE_CONFIG_CHARS;
  }

  listen(): void {
    const c = this.connection;
    c.onInitialize((params) => this.initialize(params));
    c.onInitialized(() => void this.initialized());
    c.onShutdown(() => {
      this.shutdown = true;
      this.stopWorker();
    });
    c.onDidChangeConfiguration((change) => void this.configurationChanged(change?.settings));
    c.onDidChangeWatchedFiles((change) => {
      let settingsChanged = false;
      for (const event of Array.isArray(change?.changes) ? change.changes : []) {
        if (typeof event?.uri !== 'string') continue;
        const path = this.machine.toPath(event.uri);
        if (SettingsFiles.isSettingsFileName(path)) {
          // An npm install changes thousands of package.json files that no config is under.
          if (!path.includes(`${sep}node_modules${sep}`)) settingsChanged = true;
          continue;
        }
        this.machine.changed?.(path);
        if (event.type === FileChangeType.Changed) this.index.fileChanged(path);
        else this.index.fileCreatedOrDeleted(path, event.type === FileChangeType.Created);
      }
      if (settingsChanged) this.projectSettingsChanged();
      this.changed();
    });
    this.documents.onDidChangeContent((e) => {
      const path = this.machine.toPath(e.document.uri);
      this.openUris.set(path, e.document.uri);
      this.index.documentChanged(path);
      // Without file events the disk may have changed anywhere: files are compared by size and time
      // (server-index.ts revalidate), and the configurations of those that differ rebuilt (in slices).
      if (!this.canWatchFiles) {
        this.projectSettingsChanged();
        this.index.revalidate();
      }
      this.changed();
    });
    this.documents.onDidClose((e) => {
      const uri = e.document.uri;
      const path = this.machine.toPath(uri);
      if (this.openUris.get(path) === uri) this.openUris.delete(path);
      this.analyses.delete(uri);
      this.lints.delete(uri);
      this.edits.delete(uri);
      this.formatted.delete(uri);
      // Its configurations now read the file from disk (or are no longer needed and are dropped).
      this.index.documentChanged(path);
      this.release(uri);
      void c.sendDiagnostics({ uri, diagnostics: [] });
      this.changed();
    });

    c.onCompletion((p, token) =>
      this.withFile(p?.textDocument?.uri, token, [], (f) =>
        completions(f, p.position, this.completionEnv(f)),
      ),
    );
    // Hover and highlights read the newest analysis even while a newer one is being computed: the
    // position is mapped into the text it analysed, the ranges back into the document's.
    c.onHover((p, token) =>
      this.withNewest(p?.textDocument?.uri, p?.position, token, null, (f, position, changes) => {
        const h = hover(f, position, this.scriptEnv(f.path), this.index.peers());
        if (!h?.range || changes.length === 0) return h;
        const range = mapRangeForward(h.range, changes);
        return range ? { ...h, range } : { contents: h.contents };
      }),
    );
    c.onSignatureHelp((p, token) =>
      this.withFile(p?.textDocument?.uri, token, null, (f) => signatureHelp(f, p.position)),
    );
    c.onDefinition((p, token) =>
      this.withFile(p?.textDocument?.uri, token, [], (f) => definition(f, this.offset(f, p.position))),
    );
    c.onDeclaration((p, token) =>
      this.withFile(p?.textDocument?.uri, token, [], (f) => definition(f, this.offset(f, p.position))),
    );
    c.onReferences((p, token) =>
      this.withFile(p?.textDocument?.uri, token, [], (f) =>
        references(f, this.offset(f, p.position), p.context?.includeDeclaration === true),
      ),
    );
    c.onDocumentHighlight((p, token) =>
      this.withNewest(p?.textDocument?.uri, p?.position, token, [], (f, position, changes) =>
        highlights(f, this.offset(f, position)).flatMap((h) => {
          const range = changes.length ? mapRangeForward(h.range, changes) : h.range;
          return range ? [{ ...h, range }] : [];
        }),
      ),
    );
    c.onPrepareRename((p, token) =>
      this.withFile(
        p?.textDocument?.uri,
        token,
        null,
        (f) => prepareRename(f, this.offset(f, p.position)) ?? null,
      ),
    );
    c.onRenameRequest((p, token) =>
      this.withFile<WorkspaceEdit | ResponseError | null>(p?.textDocument?.uri, token, null, (f) => {
        const result = rename(f, this.offset(f, p.position), p.newName);
        if (!result) return null;
        // A name keepalived would not accept is refused with a message the editor shows.
        if ('error' in result) return new ResponseError(LSPErrorCodes.RequestFailed, result.error);
        return result.edit;
      }),
    );
    c.onDocumentSymbol((p, token) =>
      this.withFile(p?.textDocument?.uri, token, [], (f) =>
        this.memoized(f, 'symbols', () => documentSymbols(f)),
      ),
    );
    c.onWorkspaceSymbol(async (p, token) => {
      // The newest models; before the first pass there are none yet, so that one is waited for.
      if (this.passesCompleted === 0) await this.until(this.firstPass, token);
      if (token?.isCancellationRequested) return cancelled();
      return this.guard([], () => workspaceSymbols(this.index.currentModels(), String(p?.query ?? '')));
    });
    c.onDocumentLinks((p, token) => this.withFile(p?.textDocument?.uri, token, [], (f) => documentLinks(f)));
    c.onFoldingRanges((p, token) =>
      this.withFile(p?.textDocument?.uri, token, [], (f) =>
        this.memoized(f, 'folding', () => foldingRanges(f)),
      ),
    );
    c.onSelectionRanges((p, token) =>
      this.withFile(p?.textDocument?.uri, token, [], (f) => selectionRanges(f, p.positions)),
    );
    c.onCodeAction((p, token) => this.codeActions(p?.textDocument?.uri, p?.context?.diagnostics, token));
    c.onDocumentFormatting((p, token) =>
      this.withText(p?.textDocument?.uri, token, (text, doc) => {
        const options = formatOptions(p.options);
        const key = `${options.tabSize} ${options.insertSpaces}`;
        const last = this.formatted.get(doc.uri);
        if (last && last.version === doc.version && last.options === key) return last.edits;
        const edits = formatDocument(text, options);
        this.formatted.set(doc.uri, { version: doc.version, options: key, edits });
        return edits;
      }),
    );
    c.onDocumentRangeFormatting((p, token) =>
      this.withText(p?.textDocument?.uri, token, (text) =>
        formatRange(text, p.range, formatOptions(p.options)),
      ),
    );
    c.onDocumentOnTypeFormatting((p, token) =>
      this.withText(p?.textDocument?.uri, token, (text) =>
        formatOnType(text, p.position, p.ch as '{' | '}' | '\n', formatOptions(p.options)),
      ),
    );
    c.onRequest(
      'keepalived/effectiveConfiguration',
      async (p: { uri?: unknown }, token: CancellationToken) => {
        const uri = typeof p?.uri === 'string' ? p.uri : undefined;
        const answer = await this.withFile(uri, token, '', (f) => effectiveConfiguration(f));
        if (answer === '' && uri && this.analyses.get(uri)?.large)
          return `# This file's configuration is larger than ${this.largeChars} characters: the editor does not build it\n# (diagnostics only). keepalived-lint reads it whole.\n`;
        return answer;
      },
    );
    // What the server holds: for tests and for troubleshooting memory and work. With `settle`, answered
    // once no pass or worker job is pending.
    c.onRequest(
      'keepalived/serverStatus',
      async (p: { settle?: unknown } | undefined, token: CancellationToken) => {
        if (p?.settle === true)
          await this.until(new Promise<void>((resolve) => this.whenIdle(resolve)), token);
        return this.status();
      },
    );
    // Effective priorities next to `priority`, over the same nodes the failover checks see.
    c.languages.inlayHint.on((p, token) =>
      this.withFile(p?.textDocument?.uri, token, [], (f) => inlayHints(f, this.index.peers())),
    );
    c.languages.semanticTokens.on((p, token) =>
      this.withFile(p?.textDocument?.uri, token, { data: [] }, (f) =>
        this.memoized(f, 'tokens', () => ({ data: semanticTokens(f) })),
      ),
    );

    this.documents.listen(c);
    c.listen();
  }

  private initialize(params: InitializeParams): InitializeResult {
    const caps = params.capabilities ?? {};
    this.canPullConfiguration = caps.workspace?.configuration === true;
    this.canWatchFiles = caps.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    this.relativePatterns = caps.workspace?.didChangeWatchedFiles?.relativePatternSupport === true;
    const folders = (params.workspaceFolders ?? []).map((f) => this.machine.toPath(f.uri));
    if (folders.length === 0 && params.rootUri) folders.push(this.machine.toPath(params.rootUri));
    this.folders = folders;
    this.index.setOptions(this.indexOptions());
    this.initializationOptions = params.initializationOptions;
    if (params.initializationOptions) this.applySettings(readSettings(params.initializationOptions));
    this.clientProcessId = params.processId;
    // Started once the answer is out (the client's `initialized`), not before it: a thread's start is
    // about 2 ms of this thread's CPU the client would wait through. A client that never sends
    // `initialized` gets it a check interval later.
    if (this.options.watchdog) setTimeout(() => this.startWatchdog(), WATCHDOG_MS).unref();
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
        inlayHintProvider: true,
      },
      serverInfo: { name: 'keepalived-language-server', version: TOOL_VERSION },
    };
  }

  private indexOptions() {
    return {
      folders: this.folders,
      configId: this.settings.configId || undefined,
      keepalivedVersion: this.settings.keepalivedVersion || undefined,
      optionsFor: (root: string) => {
        const settings = this.settingsFor(root);
        return {
          configId: settings.configId || undefined,
          keepalivedVersion: settings.keepalivedVersion || undefined,
        };
      },
      largeChars: this.options.largeChars,
    };
  }

  private async initialized(): Promise<void> {
    this.startWatchdog();
    await this.registerWatchers();
    await this.pullSettings();
  }

  /**
   * File events the server needs: config files by name, and the folders the known includes read from
   * (an included file may have any name). Not `**\/*`: every event costs a little work.
   */
  private registerWatchers(): Promise<void> {
    // One registration at a time, each replacing the one before.
    this.registering = this.registering.then(() => this.registerWatchersNow());
    return this.registering;
  }

  private async registerWatchersNow(): Promise<void> {
    if (!this.canWatchFiles) return;
    const folders = this.index.includeWatches().slice(0, MAX_WATCHED_FOLDERS);
    const key = folders.map((f) => `${f.base}\n${f.pattern}`).join('\n');
    if (this.watchers && key === this.watchedFolders) return;
    this.watchedFolders = key;
    const watchers: FileSystemWatcher[] = [...CONFIG_PATTERNS, ...SETTINGS_PATTERNS].map((globPattern) => ({
      globPattern,
    }));
    for (const { base, pattern } of folders) {
      watchers.push({
        globPattern: this.relativePatterns
          ? { baseUri: this.machine.toUri(base), pattern }
          : `${base.endsWith('/') ? base : `${base}/`}${pattern}`,
      });
    }
    try {
      const previous = this.watchers;
      this.watchers = await this.connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers,
      });
      previous?.dispose();
    } catch (e) {
      this.logError('could not register file watchers', e);
    }
  }

  private async configurationChanged(pushed: unknown): Promise<void> {
    if (this.canPullConfiguration) await this.pullSettings();
    else if (pushed && typeof pushed === 'object' && 'keepalived' in pushed) {
      this.applySettings(readSettings(pushed.keepalived));
    }
  }

  private async pullSettings(): Promise<void> {
    if (!this.canPullConfiguration) return this.changed();
    try {
      const answers = (await this.connection.workspace.getConfiguration([
        { section: 'keepalived' },
      ])) as unknown[];
      const raw = answers[0];
      const base =
        this.initializationOptions && typeof this.initializationOptions === 'object'
          ? this.initializationOptions
          : {};
      const pulled = raw && typeof raw === 'object' ? raw : {};
      this.applySettings(readSettings({ ...base, ...pulled }));
    } catch {
      this.changed();
    }
  }

  private applySettings(settings: Settings): void {
    const rebuild =
      settings.configId !== this.settings.configId ||
      settings.keepalivedVersion !== this.settings.keepalivedVersion;
    this.settings = settings;
    this.settingsEpoch++;
    // Models depend on the config id and the version only; other settings change the checks.
    if (rebuild) this.index.setOptions(this.indexOptions());
    this.changed();
  }

  /** A project settings file changed (or may have): read them again, rebuild and re-check everything. */
  private projectSettingsChanged(): void {
    this.projectFiles.clear();
    this.settingsEpoch++;
    this.index.setOptions(this.indexOptions());
  }

  /**
   * Problems of the settings files that govern the open documents, as diagnostics on those files (the
   * editor lists them even when the file is not open); cleared once a file is fixed or no longer used.
   */
  private publishSettingsProblems(): void {
    const now = new Map<string, LspDiagnostic[]>();
    for (const doc of this.documents.all()) {
      const file = this.projectFiles.resolve(this.machine.toPath(doc.uri)).file;
      if (!file || file.problems.length === 0 || now.has(file.path)) continue;
      const diagnostics = settingsDiagnostics(file, this.settings.rules[SETTINGS_RULE]);
      if (diagnostics.length) now.set(file.path, diagnostics.map(toLspDiagnostic));
    }
    for (const path of this.settingsProblems)
      if (!now.has(path))
        void this.connection.sendDiagnostics({ uri: this.machine.toUri(path), diagnostics: [] });
    this.settingsProblems.clear();
    for (const [path, diagnostics] of now) {
      this.settingsProblems.add(path);
      void this.connection.sendDiagnostics({ uri: this.machine.toUri(path), diagnostics });
    }
  }

  // --- passes -------------------------------------------------------------------------------------

  /** Something changed: the running pass is stale; a new one starts after the debounce. */
  private changed(): void {
    this.generation++;
    // A worker job whose configuration changed is stopped, not waited for.
    if (this.job) {
      const c = this.index.config(this.job.job.root);
      if (!c || c.state === 'stale') this.stopWorker();
    }
    this.quietAt = performance.now() + DEBOUNCE_MS;
    this.wakeQuiet?.();
    this.schedule(this.waiters.size > 0 ? 0 : START_MS);
  }

  /**
   * Waits until the newest change is DEBOUNCE_MS old, not at all while a request waits (as the pass did
   * not); false when a newer change made the pass stale.
   */
  private async untilQuiet(live: () => boolean): Promise<boolean> {
    const remaining = this.quietAt - performance.now();
    if (remaining > 0 && live() && this.waiters.size === 0) {
      this.counts.held++;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, remaining);
        function done(): void {
          clearTimeout(timer);
          resolve();
        }
        this.wakeQuiet = done;
      });
    }
    this.wakeQuiet = undefined;
    if (live()) return true;
    this.counts.aborted++;
    return false;
  }

  private schedule(delay: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.startPass();
    }, delay);
  }

  /** A request waits: start the pending pass now, and let a pass waiting for the quiet period publish. */
  private expedite(): void {
    this.wakeQuiet?.();
    if (this.timer || !this.running) this.schedule(0);
  }

  private async startPass(): Promise<void> {
    // One pass at a time: a stale one stops at its next slice.
    while (this.running) await this.running;
    if (this.timer) return; // a newer change rescheduled
    const generation = this.generation;
    this.running = this.pass(generation).finally(() => (this.running = undefined));
    await this.running;
    this.checkIdle();
  }

  private get busy(): boolean {
    return Boolean(this.timer || this.running || this.largeTimer || this.job);
  }

  private whenIdle(resolve: () => void): void {
    this.idleWaiters.push(resolve);
    this.checkIdle();
  }

  private checkIdle(): void {
    if (this.busy || this.idleWaiters.length === 0) return;
    const waiting = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiting) resolve();
  }

  private async pass(generation: number): Promise<void> {
    this.counts.passes++;
    const index = this.index;
    const live = (): boolean => generation === this.generation;
    let sinceYield = 0;
    /** Yields to the event loop; false when a newer change made this pass stale. */
    const slice = async (force = true): Promise<boolean> => {
      if (!force && ++sinceYield < 200) return true;
      sinceYield = 0;
      await yieldNow();
      if (live()) return true;
      this.counts.aborted++;
      return false;
    };
    try {
      while (!index.scanStep()) if (!(await slice())) return;
      // Every file's configuration, until the include graph is stable (a file found included by a
      // configuration built later is not a root after all).
      const buildAll = async (): Promise<boolean> => {
        for (let sweep = 0; sweep < 4; sweep++) {
          let built = false;
          for (const path of index.files()) {
            const before = index.epoch;
            index.configurationOf(path);
            const work = index.epoch !== before;
            built ||= work;
            if (!(await slice(work))) return false;
          }
          if (!built) break;
        }
        return true;
      };
      if (!(await buildAll())) return;
      // A file system read ahead (the browser's): what the builds missed is fetched, and they run again,
      // so that no diagnostic is published from a file that was only not fetched yet.
      for (let round = 0; round < MAX_FETCH_ROUNDS && this.machine.fetchMissing; round++) {
        if (!(await this.machine.fetchMissing())) break;
        if (!live()) return;
        this.projectFiles.clear();
        this.settingsEpoch++;
        index.invalidateAll();
        if (!(await buildAll())) return;
      }
      // The open documents' analyses: what requests wait for.
      for (const doc of this.documents.all()) {
        const c = index.configurationOf(this.machine.toPath(doc.uri));
        this.analyses.set(doc.uri, this.analysisOf(doc.version, this.machine.toPath(doc.uri), c));
        this.pruneEdits(doc.uri, doc.version);
        this.notify();
        if (!(await slice(false))) return;
      }
      // Diagnostics, for each document whose inputs changed: first those whose own analysis is new (the
      // edited file and the files of its configurations), then those re-checked because a peer changed.
      const peers = index.peers();
      const renewed = (uri: string) => this.lints.get(uri)?.file !== this.analyses.get(uri)?.file;
      const documents = this.documents.all();
      for (const doc of [
        ...documents.filter((d) => renewed(d.uri)),
        ...documents.filter((d) => !renewed(d.uri)),
      ]) {
        const analysis = this.analyses.get(doc.uri);
        if (!analysis || analysis.version !== doc.version) continue;
        if (analysis.large) {
          if (analysis.root) this.largeQueue.add(analysis.root);
          continue;
        }
        const key = `${doc.version}:${index.epoch}:${this.settingsEpoch}`;
        if (this.lints.get(doc.uri)?.key === key) continue;
        const computed = this.lint(doc.uri, doc.version, key, analysis, peers);
        if (!(await this.untilQuiet(live))) return;
        this.send(computed);
        this.notify();
        if (!(await slice())) return;
      }
      index.collect();
      this.announceIncluded(index.currentModels());
      this.publishSettingsProblems();
      if (tooManyNodes(peers) && !this.clusterLimitShown) {
        // As the CLI says on stderr: the failover and cluster-* findings are missing, not clean.
        this.clusterLimitShown = true;
        const message = `keepalived: the workspace holds ${peers.length} configurations, more than the ${MAX_CLUSTER_NODES} nodes one cluster analysis takes (MAX_CLUSTER_NODES): the cross-node checks (cluster-*, failover-*) are not run; open each cluster's folder as its own workspace folder or lint its nodes together with keepalived-lint.`;
        this.connection.console.warn(message);
        void this.connection.sendNotification(ShowMessageNotification.type, {
          type: MessageType.Warning,
          message,
        });
      }
      if (index.scanTruncated && this.counts.completed === 0) {
        // Not only in the log: cross-file findings (undefined references, failover) may miss these files.
        const message = `keepalived: the workspace has more config files than the ${index.stats().knownFiles} scanned (MAX_SCANNED_FILES); files beyond them are only analysed when opened or included, so cross-file findings may miss them.`;
        this.connection.console.warn(message);
        // A notification (window/showMessage), not a request: there is nothing to answer.
        void this.connection.sendNotification(ShowMessageNotification.type, {
          type: MessageType.Warning,
          message,
        });
      }
      this.counts.completed++;
      this.passesCompleted++;
      this.firstPassDone();
      void this.registerWatchers();
      this.scheduleLarge();
    } catch (e) {
      // A bug in the pass itself: say so on every open document rather than publish nothing.
      this.logError('analysis pass failed', e);
      for (const doc of this.documents.all()) {
        this.analyses.set(doc.uri, { version: doc.version, large: false, error: e });
        this.lints.set(doc.uri, { version: doc.version, key: '', diagnostics: [] });
        void this.connection.sendDiagnostics({
          uri: doc.uri,
          version: doc.version,
          diagnostics: [failure(e)],
        });
      }
      this.notify();
    }
  }

  private analysisOf(version: number, path: string, c: Configuration): Analysis {
    const root = c.root;
    if (c.state === 'large') return { version, root, large: true };
    if (c.state === 'failed') return { version, root, large: false, error: c.error };
    return { version, root, large: false, file: c.model?.files.get(path) };
  }

  /** A document's diagnostics, computed; `send` publishes them (once the quiet period is over). */
  private lint(
    uri: string,
    version: number,
    key: string,
    analysis: Analysis,
    peers: ConfigModel[],
  ): Computed {
    const computed = (
      ours: Diagnostic[],
      published: LspDiagnostic[],
      other?: NotKeepalivedParams,
    ): Computed => ({
      uri,
      lint: { version, key, file: analysis.file, diagnostics: ours },
      published,
      ...(other ? { otherLanguage: other } : {}),
    });
    if (analysis.error !== undefined) {
      this.logError(`analysis of ${this.machine.toPath(uri)} failed`, analysis.error);
      return computed([], [failure(analysis.error)]);
    }
    if (!analysis.file) return computed([], []);
    const other = this.handBack(uri, analysis);
    if (other) return computed([], [], other);
    try {
      const path = this.machine.toPath(uri);
      const project = this.projectFiles.resolve(path);
      // A config the project settings ignore gets no diagnostics (the editor features still work).
      const ours = project.ignored
        ? []
        : lintFile(analysis.file, {
            ...this.lintOptions(this.settingsFor(path)),
            // Read for its configuration's version: the root's.
            keepalivedVersion: this.settingsFor(analysis.root ?? path).keepalivedVersion || undefined,
            peers,
          });
      return computed(ours, ours.map(toLspDiagnostic));
    } catch (e) {
      this.logError(`checks of ${this.machine.toPath(uri)} failed`, e);
      return computed([], [failure(e)]);
    }
  }

  /** Publishes a document's diagnostics and remembers what they were computed from. */
  private send({ uri, lint, published, otherLanguage }: Computed): void {
    if (otherLanguage) void this.connection.sendNotification(NOT_KEEPALIVED, otherLanguage);
    this.lints.set(uri, lint);
    void this.connection.sendDiagnostics({ uri, version: lint.version, diagnostics: published });
  }

  /** The included files, to the client whenever the set changes (features/recognition.ts). */
  private announceIncluded(models: ConfigModel[]): void {
    const params = includedFiles(models);
    const key = JSON.stringify(params);
    if (key === this.lastIncluded) return;
    this.lastIncluded = key;
    void this.connection.sendNotification(INCLUDED_FILES, params);
  }

  /** A document that is clearly another language and that nothing includes: no diagnostics, say why. */
  private handBack(uri: string, analysis: Analysis): NotKeepalivedParams | undefined {
    if (!analysis.file || (analysis.root !== undefined && analysis.root !== this.machine.toPath(uri)))
      return undefined;
    const other = otherLanguage(analysis.file.text);
    return other ? { uri, ...other } : undefined;
  }

  // --- large configurations: the worker -----------------------------------------------------------

  private scheduleLarge(): void {
    if (this.largeQueue.size === 0 || this.job) return;
    if (this.largeTimer) clearTimeout(this.largeTimer);
    this.largeTimer = setTimeout(() => {
      this.largeTimer = undefined;
      this.runLarge();
      this.checkIdle();
    }, LARGE_DEBOUNCE_MS);
  }

  private runLarge(): void {
    if (this.job) return;
    for (const root of this.largeQueue) {
      this.largeQueue.delete(root);
      const c = this.index.config(root);
      if (!c || c.state !== 'large') continue;
      // Only documents whose diagnostics are outdated.
      const versions = new Map<string, number>();
      const keys = new Map<string, string>();
      const documents: WorkerJob['documents'] = [];
      let outdated = false;
      for (const doc of this.documents.all()) {
        const path = this.machine.toPath(doc.uri);
        documents.push({ path, text: doc.getText() });
        versions.set(path, doc.version);
        if (!(c.files.has(path) || c.root === path)) continue;
        const key = `L:${doc.version}:${this.settingsEpoch}:${c.builds}`;
        keys.set(path, key);
        if (this.lints.get(doc.uri)?.key !== key) outdated = true;
      }
      if (!outdated && c.files.size > 0) continue;
      const job: WorkerJob = { id: ++this.jobIds, root, documents, settings: this.settingsFor(root) };
      this.job = { job, versions, key: keys };
      this.counts.workerJobs++;
      if (this.options.workerScript) {
        const worker = this.ensureWorker();
        worker.postMessage(job);
      } else {
        // No worker thread (in-process tests): the same analysis, in one slice.
        setImmediate(() => this.finishLarge(analyseLarge(job)));
      }
      return;
    }
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    // No inspector or other flags of the main thread: a worker cannot take them all.
    const { Worker } = process.getBuiltinModule('node:worker_threads');
    const worker = new Worker(this.options.workerScript!, { execArgv: [], argv: [ANALYSIS_WORKER_ARG] });
    worker.unref();
    worker.on('message', (result: WorkerResult) => this.finishLarge(result));
    worker.on('error', (e) => {
      // The worker died (out of memory, a crash): its job's documents say so.
      this.logError('the analysis worker failed', e);
      if (this.worker === worker) this.worker = undefined;
      const current = this.job;
      if (!current) return;
      const c = this.index.config(current.job.root);
      this.finishLarge({
        id: current.job.id,
        root: current.job.root,
        diagnostics: [],
        report: { files: [...(c?.files ?? [])], edges: [], patterns: c?.patterns ?? [] },
        error: { name: e.name, message: e.message, stack: e.stack ?? e.message },
      });
    });
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = undefined;
    });
    this.worker = worker;
    return worker;
  }

  private stopWorker(): void {
    if (this.worker) {
      this.counts.workerTerminated++;
      void this.worker.terminate();
      this.worker = undefined;
    }
    if (this.job) this.largeQueue.add(this.job.job.root);
    this.job = undefined;
  }

  private finishLarge(result: WorkerResult): void {
    const current = this.job;
    if (!current || current.job.id !== result.id) return;
    this.job = undefined;
    const graphChanged = this.index.applyWorkerReport(result.root, result.report);
    const byPath = new Map(result.diagnostics);
    for (const [path, uri] of this.openUris) {
      const doc = this.documents.get(uri);
      const c = this.index.config(result.root);
      if (!doc || !c || !(c.files.has(path) || c.root === path)) continue;
      // A document edited meanwhile gets the next job's answer.
      if (current.versions.get(path) !== doc.version) continue;
      let diagnostics = byPath.get(path) ?? [];
      if (result.error) {
        this.logError(
          `analysis of ${result.root} failed`,
          Object.assign(new Error(result.error.message), result.error),
        );
        diagnostics = [failure(result.error)];
      }
      this.analyses.set(uri, { version: doc.version, root: result.root, large: true });
      this.lints.set(uri, { version: doc.version, key: current.key.get(path) ?? '', diagnostics: [] });
      void this.connection.sendDiagnostics({ uri, version: doc.version, diagnostics });
    }
    this.notify();
    // Free the worker's memory when nothing else waits; a change in the include graph needs a new pass.
    if (this.largeQueue.size === 0 && this.worker) {
      void this.worker.terminate();
      this.worker = undefined;
    }
    if (graphChanged) this.changed();
    else this.runLarge();
    this.checkIdle();
  }

  // --- requests -----------------------------------------------------------------------------------

  /** Waits for `promise` unless the request is cancelled first. */
  private until(promise: Promise<unknown>, token: CancellationToken | undefined): Promise<void> {
    return new Promise((resolve) => {
      const sub = token?.onCancellationRequested(() => resolve());
      void promise.then(() => {
        sub?.dispose();
        resolve();
      });
    });
  }

  /** Resolves when the document's newest analysis (or diagnostics) is of its current version. */
  private fresh(uri: string, needs: Waiter['needs'], token: CancellationToken | undefined): Promise<boolean> {
    if (this.satisfied(uri, needs)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter: Waiter = {
        uri,
        needs,
        done: (ok) => {
          this.waiters.delete(waiter);
          sub?.dispose();
          resolve(ok);
        },
      };
      const sub = token?.onCancellationRequested(() => waiter.done(false));
      this.waiters.add(waiter);
      this.expedite();
    });
  }

  private satisfied(uri: string, needs: Waiter['needs']): boolean {
    const doc = this.documents.get(uri);
    if (!doc) return true;
    const analysis = this.analyses.get(uri);
    if (!analysis || analysis.version !== doc.version) return false;
    if (needs === 'analysis' || analysis.large || analysis.error !== undefined) return true;
    return this.lints.get(uri)?.version === doc.version;
  }

  private notify(): void {
    for (const w of [...this.waiters]) if (this.satisfied(w.uri, w.needs)) w.done(true);
  }

  /** Releases the requests waiting on a closed document. */
  private release(uri: string): void {
    for (const w of [...this.waiters]) if (w.uri === uri) w.done(true);
  }

  /** Runs a feature on an open document's newest analysis; unknown documents and failures give `empty`. */
  private async withFile<T>(
    uri: unknown,
    token: CancellationToken | undefined,
    empty: T,
    run: (file: AnalyzedFile) => T,
  ): Promise<T | ResponseError<void>> {
    if (token?.isCancellationRequested) return cancelled();
    if (typeof uri !== 'string' || !this.documents.get(uri)) return empty;
    await this.fresh(uri, 'analysis', token);
    if (token?.isCancellationRequested) return cancelled();
    const file = this.analyses.get(uri)?.file;
    if (!file) return empty;
    return this.guard(empty, () => run(file));
  }

  /**
   * Like withFile, but when the newest analysis is of an older version it is used at once, with the
   * position mapped back through the edits since (and waits only when that is impossible: the position
   * is in text typed since, or the client replaced the whole text).
   */
  private async withNewest<T>(
    uri: unknown,
    position: Position | undefined,
    token: CancellationToken | undefined,
    empty: T,
    run: (file: AnalyzedFile, position: Position, changes: RangeChange[]) => T,
  ): Promise<T | ResponseError<void>> {
    if (token?.isCancellationRequested) return cancelled();
    const doc = typeof uri === 'string' ? this.documents.get(uri) : undefined;
    if (!doc || !position) return empty;
    const analysis = this.analyses.get(doc.uri);
    if (analysis?.file && analysis.version !== doc.version) {
      const changes = this.changesSince(doc.uri, analysis.version);
      const mapped = changes && this.guard(undefined, () => mapBack(position, changes));
      if (changes && mapped) {
        const file = analysis.file;
        return this.guard(empty, () => run(file, mapped, changes));
      }
    }
    return this.withFile(uri, token, empty, (f) => run(f, position, []));
  }

  private recordEdit(uri: string, version: number, changes: TextDocumentContentChangeEvent[]): void {
    let list = this.edits.get(uri);
    if (!list) this.edits.set(uri, (list = []));
    const ranged = changes.every((c) => 'range' in c && c.range !== undefined);
    list.push({
      version,
      changes: ranged ? (changes as RangeChange[]).map((c) => ({ range: c.range, text: c.text })) : undefined,
    });
    // Bounded: a long run of edits without an analysis is simply not mapped.
    if (list.length > MAX_TRACKED_EDITS)
      list.splice(0, list.length - MAX_TRACKED_EDITS, { version: -1, changes: undefined });
  }

  /** The edits after `version`, in order; undefined when one of them cannot be mapped. */
  private changesSince(uri: string, version: number): RangeChange[] | undefined {
    const out: RangeChange[] = [];
    for (const edit of this.edits.get(uri) ?? []) {
      if (edit.version !== -1 && edit.version <= version) continue;
      if (!edit.changes) return undefined;
      for (const c of edit.changes) out.push(c);
    }
    return out;
  }

  /** Forgets the edits an analysis has caught up with. */
  private pruneEdits(uri: string, version: number): void {
    const list = this.edits.get(uri);
    if (!list) return;
    const kept = list.filter((e) => e.version === -1 || e.version > version);
    if (kept.length > 0 && kept.every((e) => e.version === -1)) kept.length = 0;
    if (kept.length) this.edits.set(uri, kept);
    else this.edits.delete(uri);
  }

  /** Formatting reads the document's text only: it never waits for analysis. */
  private withText<T>(
    uri: unknown,
    token: CancellationToken | undefined,
    run: (text: string, doc: TextDocument) => T[],
  ): T[] | ResponseError<void> {
    if (token?.isCancellationRequested) return cancelled();
    const doc = typeof uri === 'string' ? this.documents.get(uri) : undefined;
    if (!doc) return [];
    const text = doc.getText();
    // A large document is not formatted: the whole text would be parsed for it.
    if (text.length > this.largeChars) return [];
    return this.guard([], () => run(text, doc));
  }

  private async codeActions(
    uri: unknown,
    diagnostics: unknown,
    token: CancellationToken | undefined,
  ): Promise<ReturnType<typeof codeActions> | ResponseError<void>> {
    if (token?.isCancellationRequested) return cancelled();
    if (typeof uri !== 'string' || !this.documents.get(uri)) return [];
    // Fixes are offsets into the text their diagnostics were computed on: the current version's.
    await this.fresh(uri, 'lint', token);
    if (token?.isCancellationRequested) return cancelled();
    const lint = this.lints.get(uri);
    const doc = this.documents.get(uri);
    if (!lint?.file || lint.version !== doc?.version) return [];
    const context = Array.isArray(diagnostics) ? (diagnostics as LspDiagnostic[]) : [];
    return this.guard([], () => codeActions(lint.file!, context, lint.diagnostics));
  }

  private memoized<T>(file: AnalyzedFile, key: string, compute: () => T): T {
    let cache = this.memo.get(file);
    if (!cache) this.memo.set(file, (cache = new Map<string, unknown>()));
    if (!cache.has(key)) cache.set(key, compute());
    return cache.get(key) as T;
  }

  private offset(file: AnalyzedFile, position: Position): number {
    return file.lines.offsetAt(position);
  }

  private guard<T>(empty: T, run: () => T): T {
    try {
      return run();
    } catch (e) {
      this.logError('request failed', e);
      return empty;
    }
  }

  private logError(what: string, e: unknown): void {
    const text = e instanceof Error ? (e.stack ?? `${e.name}: ${e.message}`) : String(e);
    this.connection.console.error(`keepalived-language-server: ${what}: ${text}`);
  }

  private status() {
    const memory = process.memoryUsage();
    return {
      documents: this.documents.all().length,
      analyses: this.analyses.size,
      lints: this.lints.size,
      waiting: this.waiters.size,
      // Open documents whose newest analysis is of an older version than their text.
      stale: this.documents.all().filter((d) => this.analyses.get(d.uri)?.version !== d.version).length,
      running: this.running !== undefined,
      ...this.index.stats(),
      passes: { ...this.counts },
      clusterBuilds: clusterBuilds(),
      heapUsed: memory.heapUsed,
      rss: memory.rss,
    };
  }

  // --- the client process -------------------------------------------------------------------------

  /**
   * vscode-languageserver already exits when stdin closes or the client's processId is gone, but only
   * when the event loop is free. The watchdog thread also sees it while the main thread is busy.
   */
  private startWatchdog(): void {
    if (!this.options.watchdog || this.watchdogStarted) return;
    this.watchdogStarted = true;
    try {
      const { Worker } = process.getBuiltinModule('node:worker_threads');
      const watchdog = new Worker(WATCHDOG_SOURCE, {
        eval: true,
        execArgv: [],
        workerData: { pid: this.clientProcessId ?? null, ppid: this.parentProcessId, interval: WATCHDOG_MS },
      });
      watchdog.unref();
      watchdog.on('message', () => process.exit(this.shutdown ? 0 : 1));
      watchdog.on('error', (e) => this.logError('the watchdog thread failed', e));
    } catch (e) {
      this.logError('could not start the watchdog thread', e);
    }
  }

  private completionEnv(file: AnalyzedFile): CompletionEnv {
    return {
      users: () => this.machine.users(),
      interfaces: () => this.machine.interfaces(),
      listDir: (path) => this.machine.listDir(path.startsWith('/') ? path : `${dirname(file.path)}/${path}`),
      keepalivedVersion: this.settingsFor(file.path).keepalivedVersion || undefined,
    };
  }
}

/** The diagnostic that says an analysis failed: an internal error is never an empty list. */
function failure(e: unknown): LspDiagnostic {
  const error =
    e instanceof Error
      ? e
      : e && typeof e === 'object' && 'message' in e
        ? (e as Error)
        : new Error(String(e));
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: DiagnosticSeverity.Error,
    source: 'keepalived',
    code: 'internal-error',
    message: `The analysis of this file failed, so its diagnostics are missing (${error.name ?? 'Error'}: ${error.message}). This is a bug in the keepalived language server; its log has the details. Editing the file retries.`,
  };
}
