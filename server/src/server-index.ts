// The language server's view of the workspace: which configuration each file belongs to, and one model
// cache per configuration root, kept up to date incrementally. An edit or a file event invalidates only
// the configurations that hold the file (or whose include patterns could match a created or deleted one);
// nothing here rescans the workspace. Every method is one bounded unit of work, so the server can yield
// to the event loop between them and stop a pass that a newer change made stale. No LSP here: server.ts
// is the only module that sees the connection.
//
// Each configuration is built by its own analysis Workspace (so include resolution and its budgets are the
// analysis layer's), reading open documents through an overlay of the file system; all of them share one
// ParseCache, so a file is read and parsed once however many configurations include it, and read again
// only after a file event (or, for a client that sends none, a changed size or time) says it changed.
// A configuration whose text exceeds LARGE_CONFIG_CHARS is not built on the main thread at all: its
// documents get diagnostics only, computed off the main thread (server-worker.ts).
import { dirname, resolve as resolvePath, sep } from 'node:path';
import { MAX_SCAN_DEPTH, MAX_SCANNED_FILES } from './analysis/budget';
import type { AnalyzedFile } from './analysis/document';
import type { Entry, FileSystem } from './analysis/fs';
import type { IncludeResolution } from './analysis/includes';
import type { ConfigModel } from './analysis/model';
import { looksLikeConfigName } from './analysis/read';
import { ConfigFileScan, skippedName } from './analysis/folder-scan';
import { ParseCache, Workspace, type WorkspaceOptions } from './analysis/workspace';

/**
 * Text (characters of open documents, bytes of files on disk) above which a configuration is "large":
 * its model is never built on the language server's main thread, so a request is never stuck behind it.
 * Its documents get diagnostics only (from a worker thread); hover, completion, semantic tokens, folding
 * and the other features answer empty for them, and formatting is refused for a document this large.
 */
export const LARGE_CONFIG_CHARS = 1024 * 1024;

/** File reads remembered by path in the stats. */
const RECENT_READS = 200;

/** Folder listings one scan step makes before it yields. */
const SCAN_STEP_DIRS = 32;

export interface IndexOptions extends Pick<WorkspaceOptions, 'configId' | 'keepalivedVersion'> {
  folders: string[];
  /** A configuration's own config id and version (its project settings file), over the ones above. */
  optionsFor?: (root: string) => Pick<WorkspaceOptions, 'configId' | 'keepalivedVersion'>;
  largeChars?: number;
  maxScannedFiles?: number;
}

/** Thrown by the file system overlay when a configuration being built grows past the large limit. */
class LargeConfiguration extends Error {
  constructor(readonly file: string) {
    super(`configuration too large for the main thread at ${file}`);
  }
}

export interface Configuration {
  root: string;
  /** The analysis workspace that builds and caches this configuration's model. */
  ws: Workspace;
  /**
   * stale: to be built; ready: built (`model` is undefined when the root cannot be read); large: too
   * large for the main thread, analysed by the worker; failed: the analysis threw (`error`), until one of
   * its files changes.
   */
  state: 'stale' | 'ready' | 'large' | 'failed';
  model?: ConfigModel;
  error?: unknown;
  /** Files of the configuration as last seen (model, worker report, or what a large build read). */
  files: Set<string>;
  /**
   * The folders under which a created or deleted file could change what its include patterns (wildcards,
   * braces, alternatives that matched nothing) match: each pattern's literal base (patternBases).
   */
  patterns: string[];
  /** Files left its closure: build it in a fresh workspace next time, so their parse trees are freed. */
  recreate: boolean;
  /** How many times it left the stale state (diagnostics computed for an older one are outdated). */
  builds: number;
  /** Open documents given to its workspace, with the text given. */
  pushed: Map<string, string>;
}

export interface IndexStats {
  knownFiles: number;
  configurations: number;
  largeConfigurations: number;
  modelsBuilt: number;
  scannedDirectories: number;
  edges: number;
  /** Texts read from disk by configuration builds (open documents are not read). */
  fileReads: number;
  /** The paths of the newest of them, oldest first (at most RECENT_READS). */
  recentReads: string[];
  /** Files whose parse trees are cached. */
  parsedFiles: number;
}

export interface WorkerReport {
  /** Every file of the configuration. */
  files: string[];
  /** Each file's include targets. */
  edges: [string, string[]][];
  patterns: string[];
}

/** A folder the client is asked to watch, and the glob under it (relative, as keepalived's include reads). */
export interface WatchSpec {
  base: string;
  pattern: string;
}

/** An include line's pattern that created or deleted files can change (a glob, or alternatives that matched nothing). */
function isPattern(r: IncludeResolution): boolean {
  return r.hasWildcard || r.hasBrace || r.unmatched.length > 0;
}

/** The longest leading folder of an absolute include pattern without a wildcard, brace or escape. */
function literalBase(pattern: string): { base: string; rest: string } {
  const parts = pattern.split(sep);
  let n = 0;
  while (n < parts.length - 1 && !/[*?[{\\]/.test(parts[n]!)) n++;
  return { base: parts.slice(0, n).join(sep) || sep, rest: parts.slice(n).join('/') };
}

/** The folders a created or deleted file must be under to change what these include patterns match. */
export function patternBases(includes: ConfigModel['includes']): string[] {
  const bases = new Set<string>();
  for (const e of includes)
    if (e.resolution && isPattern(e.resolution)) bases.add(literalBase(e.resolution.absolute).base);
  return [...bases].sort();
}

/** The path is under (or is, or holds) one of the folders. */
function within(path: string, folders: string[]): boolean {
  return folders.some(
    (f) => path === f || path.startsWith(f.endsWith(sep) ? f : f + sep) || f.startsWith(path + sep),
  );
}

export class ServerIndex {
  private readonly configs = new Map<string, Configuration>();
  private readonly outgoing = new Map<string, Set<string>>();
  private readonly incoming = new Map<string, Set<string>>();
  /** Config files found under the workspace folders. */
  private readonly known = new Set<string>();
  /** The walk of the workspace folders, made in steps; undefined until the first step. */
  private scan: ConfigFileScan | undefined;
  private building: { chars: number; seen: Set<string> } | undefined;
  private readonly overlay: FileSystem;
  private modelsBuilt = 0;
  /** Folders listed by earlier walks (a change of folders starts a new one). */
  private listedBefore = 0;
  /**
   * Parse trees of every configuration's files, shared: a file included by many is read and parsed once,
   * and read again only when a file event (or a client that cannot send them) says it may have changed.
   */
  private readonly parses = new ParseCache(true, (path, bytes) => this.metered(path, bytes));
  private fileReads = 0;
  /**
   * Size and modification time of each file read, taken before the read: a client that sends no file
   * events has them compared (revalidate) instead of every file being read again.
   */
  private readonly stamps = new Map<string, string | undefined>();
  /** The newest file reads, oldest first (for tests and troubleshooting: which files a change re-read). */
  private readonly recentReads: string[] = [];
  /** Bumped whenever a model is built or dropped: diagnostics that used the peers are then outdated. */
  epoch = 0;

  constructor(
    private readonly fs: FileSystem,
    /** The text of an open document, or undefined when the path is not open. */
    private readonly openText: (path: string) => string | undefined,
    /** Paths of the open documents. */
    private readonly openPaths: () => string[],
    private options: IndexOptions,
  ) {
    this.overlay = meteredFileSystem(
      fs,
      (path) => this.metered(path),
      (path) => this.counted(path),
    );
  }

  private counted(path: string): void {
    this.stamps.set(path, stampOf(this.fs.stat(path)));
    this.fileReads++;
    this.recentReads.push(path);
    if (this.recentReads.length > RECENT_READS)
      this.recentReads.splice(0, this.recentReads.length - RECENT_READS);
  }

  /**
   * Every read of a configuration being built passes here, and every file it takes from the parse cache
   * instead (open documents of normal size are given to its workspace as documents and are counted before
   * the build): past the limit, the build stops.
   */
  private metered(path: string, bytes?: number): void {
    const meter = this.building;
    if (!meter || meter.seen.has(path)) return;
    meter.seen.add(path);
    const open = this.openText(path);
    meter.chars += open !== undefined ? open.length : (bytes ?? this.fs.stat(path).size);
    if (meter.chars > this.largeChars) throw new LargeConfiguration(path);
  }

  get largeChars(): number {
    return this.options.largeChars ?? LARGE_CONFIG_CHARS;
  }

  /**
   * New analysis options (settings): the models whose options changed are rebuilt (a model reads only
   * its config id and version); the scan and the include graph stay.
   */
  setOptions(options: IndexOptions): void {
    const foldersChanged = options.folders.join('\n') !== this.options.folders.join('\n');
    this.options = options;
    for (const c of this.configs.values()) {
      const next = this.workspaceOptions(c.root);
      const now = c.ws.options;
      if (next.configId === now.configId && next.keepalivedVersion === now.keepalivedVersion) continue;
      c.ws.setOptions(next);
      this.invalidateConfig(c);
    }
    if (foldersChanged) {
      this.known.clear();
      this.listedBefore += this.scan?.listed ?? 0;
      this.scan = undefined;
    }
  }

  // --- the folder scan, in steps -------------------------------------------------------------------

  /** One step of the scan of the workspace folders; true when the scan is complete. */
  scanStep(): boolean {
    this.scan ??= new ConfigFileScan(
      this.fs,
      this.options.folders.map((f) => resolvePath(f)),
      MAX_SCAN_DEPTH,
    );
    const limit = this.options.maxScannedFiles ?? MAX_SCANNED_FILES;
    const take = (path: string): boolean => {
      if (this.known.size >= limit) return false;
      this.known.add(path);
      return true;
    };
    return this.scan.step(take, SCAN_STEP_DIRS);
  }

  /** The scan stopped at MAX_SCANNED_FILES before it saw every folder. */
  get scanTruncated(): boolean {
    return this.scan?.truncated ?? false;
  }

  private underFolders(path: string): boolean {
    return this.options.folders.some((f) => {
      const folder = resolvePath(f);
      return path === folder || path.startsWith(folder.endsWith(sep) ? folder : folder + sep);
    });
  }

  /** A path is in a hidden or node_modules folder below a workspace folder (the scan skips those). */
  private skippedByScan(path: string): boolean {
    const folder = this.options.folders.map((f) => resolvePath(f)).find((f) => path.startsWith(f + sep));
    if (!folder) return true;
    const parts = path.slice(folder.length + 1).split(sep);
    return parts.length - 1 > MAX_SCAN_DEPTH || parts.some(skippedName);
  }

  // --- changes --------------------------------------------------------------------------------------

  /** An open document's text changed (or it was opened or closed): the configurations that hold it. */
  documentChanged(path: string): void {
    for (const c of this.configs.values()) if (c.root === path || c.files.has(path)) this.invalidateConfig(c);
  }

  /** A file changed on disk. An open document's own text wins, so only closed files matter. */
  fileChanged(path: string): void {
    this.parses.changed(path);
    if (this.openText(path) !== undefined) return;
    this.documentChanged(path);
  }

  /**
   * A file or folder was created or deleted: it may be a new configuration, or match (or stop matching) an
   * include pattern. Only configurations that hold it, name it, or have a pattern that could match it
   * (it is under the pattern's literal folder) are rebuilt.
   */
  fileCreatedOrDeleted(path: string, created: boolean): void {
    this.parses.changed(path);
    const under = path + sep;
    if (created) {
      const entry = this.fs.lstat(path);
      const limit = this.options.maxScannedFiles ?? MAX_SCANNED_FILES;
      if (this.underFolders(path) && !this.skippedByScan(path)) {
        const name = path.slice(path.lastIndexOf(sep) + 1);
        if (entry.kind === 'file' && looksLikeConfigName(name) && this.known.size < limit)
          this.known.add(path);
        else if (entry.kind === 'dir' && !entry.symlink && this.scan) {
          // A new folder: scanned in steps with the next pass (the first scan, if still running, sees it).
          this.scan.addFolder(path, path.split(sep).length - this.folderOf(path).split(sep).length);
        }
      }
    } else {
      this.known.delete(path);
      for (const k of [...this.known]) if (k.startsWith(under)) this.known.delete(k);
      for (const p of [path, ...[...this.outgoing.keys()].filter((k) => k.startsWith(under))])
        this.dropEdges(p);
    }
    for (const c of this.configs.values()) {
      const named = c.root === path || c.root.startsWith(under) || c.files.has(path) || mentions(c, path);
      if (named || within(path, c.patterns)) this.invalidateConfig(c);
    }
  }

  private folderOf(path: string): string {
    return this.options.folders.map((f) => resolvePath(f)).find((f) => path.startsWith(f + sep)) ?? path;
  }

  /**
   * A client that sends no file events: any file may have changed. Files read before are compared by
   * size and modification time, and those that differ are changed files; configurations with include
   * patterns or includes of missing files are rebuilt (a file may have appeared). Without times (a file
   * system that has none), everything is rebuilt.
   */
  revalidate(): void {
    for (const [path, stamp] of this.stamps) {
      if (stamp === undefined) return this.invalidateAll();
      if (stampOf(this.fs.stat(path)) === stamp) continue;
      this.stamps.delete(path);
      this.fileChanged(path);
    }
    for (const c of this.configs.values()) {
      const missing = c.model?.includes.some((e) => e.resolution && e.resolution.missing.length > 0);
      if (c.patterns.length > 0 || missing || !c.model) this.invalidateConfig(c);
    }
  }

  /** Everything is rebuilt on next use, every file read again (and parsed again if its text changed). */
  invalidateAll(): void {
    this.stamps.clear();
    this.parses.distrust();
    for (const c of this.configs.values()) this.invalidateConfig(c);
  }

  private invalidateConfig(c: Configuration): void {
    if (c.state === 'stale') return;
    this.epoch++;
    c.state = 'stale';
    c.model = undefined;
    c.error = undefined;
    c.ws.invalidate();
  }

  // --- configurations and roots ---------------------------------------------------------------------

  /** Files the server analyses: open documents and the configs found under the workspace folders. */
  files(): string[] {
    return [...new Set([...this.known, ...this.openPaths()])].sort();
  }

  /** Every configuration root whose include closure contains the file (as Workspace.rootsOf). */
  rootsOf(path: string): string[] {
    const roots: string[] = [];
    const seen = new Set<string>([path]);
    const queue = [path];
    for (let i = 0; i < queue.length; i++) {
      const current = queue[i]!;
      const includers = [...(this.incoming.get(current) ?? [])].sort();
      if (includers.length === 0 && current !== path) roots.push(current);
      for (const inc of includers) {
        if (!seen.has(inc)) {
          seen.add(inc);
          queue.push(inc);
        }
      }
    }
    return roots.length ? roots : [path];
  }

  /** The root whose configuration gives this file's diagnostics: the first root that includes it. */
  rootOf(path: string): string {
    return this.rootsOf(path)[0] ?? path;
  }

  config(root: string): Configuration | undefined {
    return this.configs.get(root);
  }

  /** The configuration of a root, built now if it is stale: one unit of work. */
  ensure(root: string): Configuration {
    let c = this.configs.get(root);
    if (!c) {
      c = this.newConfig(root);
      this.configs.set(root, c);
    }
    if (c.state !== 'stale') return c;
    if (c.recreate) {
      c.ws = new Workspace(this.overlay, this.workspaceOptions(c.root), this.parses);
      c.pushed.clear();
      c.recreate = false;
    }
    this.epoch++;
    c.builds++;
    // A configuration known to be large is not read again just to find that out.
    if (this.sizeOf(new Set([root, ...c.files])) > this.largeChars) {
      c.state = 'large';
      return c;
    }
    this.building = { chars: 0, seen: new Set() };
    try {
      // The editor's text of the files it read last time; a file it reads now for the first time that is
      // open makes a second build (rare: an include line was just typed).
      let model: ConfigModel | undefined;
      for (let attempt = 0; attempt < 3; attempt++) {
        this.pushDocuments(c, new Set([root, ...c.files]));
        for (const path of c.pushed.keys()) this.metered(path);
        model = c.ws.modelFor(root);
        this.modelsBuilt++;
        const files = new Set(model?.files.keys() ?? []);
        const missing = [...files].some((f) => !c.pushed.has(f) && this.openText(f) !== undefined);
        for (const old of c.files) if (!files.has(old)) c.recreate = true;
        c.files = files;
        if (!missing) break;
      }
      c.state = 'ready';
      c.model = model;
      c.patterns = patternBases(model?.includes ?? []);
      if (model) this.setEdgesFromModel(model);
      else this.setEdges(root, new Set());
    } catch (e) {
      if (e instanceof LargeConfiguration) {
        c.state = 'large';
        c.files = new Set([...c.files, ...this.building.seen]);
        // Its partial parse trees are not kept.
        c.recreate = true;
        if (!this.outgoing.has(root)) this.setEdges(root, new Set());
      } else {
        c.state = 'failed';
        c.error = e;
        if (!this.outgoing.has(root)) this.setEdges(root, new Set());
      }
    } finally {
      this.building = undefined;
    }
    return c;
  }

  /**
   * Gives a configuration's workspace the editor's text of the open documents among `files` (a large one
   * is left to the metered file system, which stops the build), and takes back those closed or gone.
   */
  private pushDocuments(c: Configuration, files: Set<string>): void {
    for (const [path, text] of [...c.pushed]) {
      const open = this.openText(path);
      if (open === undefined || open.length > this.largeChars || !files.has(path)) {
        c.ws.closeDocument(path);
        c.pushed.delete(path);
      } else if (open !== text) {
        c.ws.setDocument(path, open);
        c.pushed.set(path, open);
      }
    }
    for (const path of files) {
      if (c.pushed.has(path)) continue;
      const open = this.openText(path);
      if (open === undefined || open.length > this.largeChars) continue;
      c.ws.setDocument(path, open);
      c.pushed.set(path, open);
    }
  }

  private newConfig(root: string): Configuration {
    return {
      root,
      ws: new Workspace(this.overlay, this.workspaceOptions(root), this.parses),
      state: 'stale',
      files: new Set(),
      patterns: [],
      recreate: false,
      builds: 0,
      pushed: new Map(),
    };
  }

  private workspaceOptions(root: string): WorkspaceOptions {
    return {
      configId: this.options.configId,
      keepalivedVersion: this.options.keepalivedVersion,
      ...this.options.optionsFor?.(root),
      folders: [],
    };
  }

  private sizeOf(files: Set<string>): number {
    let total = 0;
    for (const f of files) {
      const open = this.openText(f);
      total += open !== undefined ? open.length : this.fs.stat(f).size;
      if (total > this.largeChars) break;
    }
    return total;
  }

  /** What the worker found in a large configuration: its files and include edges. True if the graph changed. */
  applyWorkerReport(root: string, report: WorkerReport): boolean {
    const c = this.configs.get(root);
    if (!c) return false;
    c.files = new Set(report.files);
    c.patterns = report.patterns;
    let changed = false;
    for (const [file, targets] of report.edges) {
      const old = this.outgoing.get(file);
      if (!old || old.size !== targets.length || targets.some((t) => !old.has(t))) changed = true;
      this.setEdges(file, new Set(targets));
    }
    return changed;
  }

  private setEdgesFromModel(model: ConfigModel): void {
    const out = new Map<string, Set<string>>();
    for (const path of model.files.keys()) out.set(path, new Set());
    for (const edge of model.includes) {
      const set = out.get(edge.from) ?? new Set<string>();
      for (const target of edge.resolution?.files ?? []) set.add(target);
      out.set(edge.from, set);
    }
    for (const [file, targets] of out) this.setEdges(file, targets);
  }

  private setEdges(file: string, targets: Set<string>): void {
    const old = this.outgoing.get(file);
    if (old) for (const t of old) if (!targets.has(t)) this.incoming.get(t)?.delete(file);
    for (const t of targets) {
      let inc = this.incoming.get(t);
      if (!inc) this.incoming.set(t, (inc = new Set()));
      inc.add(file);
    }
    this.outgoing.set(file, targets);
  }

  private dropEdges(file: string): void {
    const old = this.outgoing.get(file);
    if (!old) return;
    for (const t of old) {
      const inc = this.incoming.get(t);
      inc?.delete(file);
      if (inc && inc.size === 0) this.incoming.delete(t);
    }
    this.outgoing.delete(file);
  }

  /** Whether the include graph knows this file's includes (it was in a built configuration). */
  discovered(path: string): boolean {
    return this.outgoing.has(path);
  }

  /**
   * The configuration that gives a file its analysis: its first root's, or its own when that root does
   * not read it (an `@id` line switched it off). Builds what is stale: up to two units of work.
   */
  configurationOf(path: string): Configuration {
    const c = this.ensure(this.rootOf(path));
    if (c.root === path || c.state !== 'ready' || c.model?.files.has(path)) return c;
    // A large configuration's files are known from the worker (or from what was read before the limit).
    return this.ensure(path);
  }

  analysis(path: string): AnalyzedFile | undefined {
    return this.configurationOf(path).model?.files.get(path);
  }

  /** Roots the server needs: one per analysed file (its configuration's). */
  neededRoots(): string[] {
    const roots = new Set<string>();
    for (const f of this.files()) {
      const root = this.rootOf(f);
      roots.add(root);
      const c = this.configs.get(root);
      if (c?.model && !c.model.files.has(f)) roots.add(f);
    }
    return [...roots];
  }

  /** The models of the workspace's configurations (the nodes of one cluster for the failover checks). */
  peers(): ConfigModel[] {
    const models = new Set<ConfigModel>();
    // The nodes of the cluster are the workspace's configurations: a file opened from elsewhere is
    // checked on its own, not as one more node of every virtual router it shares a VRID with.
    for (const root of this.neededRoots()) {
      if (!this.underFolders(root)) continue;
      const model = this.configs.get(root)?.model;
      if (model) models.add(model);
    }
    return [...models];
  }

  /** The newest models, for workspace-wide requests: never builds anything. */
  currentModels(): ConfigModel[] {
    const models: ConfigModel[] = [];
    for (const c of this.configs.values()) if (c.model) models.push(c.model);
    return models;
  }

  /** Drops configurations no analysed file needs and the include edges of files nobody reads. */
  collect(): void {
    const needed = new Set(this.neededRoots());
    for (const root of [...this.configs.keys()]) {
      if (!needed.has(root)) {
        this.epoch++;
        this.configs.delete(root);
      }
    }
    const live = new Set(this.files());
    for (const c of this.configs.values()) for (const f of c.files) live.add(f);
    for (const file of [...this.outgoing.keys()]) if (!live.has(file)) this.dropEdges(file);
    this.parses.retain(live);
    for (const path of [...this.stamps.keys()]) if (!live.has(path)) this.stamps.delete(path);
    for (const [file, inc] of [...this.incoming]) if (inc.size === 0) this.incoming.delete(file);
  }

  /**
   * What the include graph reads from (outside the config names a client watches anyway): the folder of
   * every included file and of every include that matched nothing, and each pattern whose folders have
   * wildcards under its literal base.
   */
  includeWatches(): WatchSpec[] {
    const specs = new Map<string, WatchSpec>();
    const add = (base: string, pattern: string) => specs.set(`${base}\n${pattern}`, { base, pattern });
    for (const c of this.configs.values()) {
      for (const e of c.model?.includes ?? []) {
        const r = e.resolution;
        if (!r) continue;
        for (const f of r.files) add(dirname(f), '*');
        if (!isPattern(r) && r.files.length > 0) continue;
        const folder = dirname(r.absolute);
        if (!/[*?[{\\]/.test(folder)) add(folder, '*');
        else {
          const { base, rest } = literalBase(r.absolute);
          add(base, rest);
        }
      }
    }
    // Code-unit order (not localeCompare: its first call loads ICU's collation data, about 5 ms).
    const order = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
    return [...specs.values()].sort((a, b) => order(a.base, b.base) || order(a.pattern, b.pattern));
  }

  stats(): IndexStats {
    let large = 0;
    for (const c of this.configs.values()) if (c.state === 'large') large++;
    return {
      knownFiles: this.known.size,
      configurations: this.configs.size,
      largeConfigurations: large,
      modelsBuilt: this.modelsBuilt,
      scannedDirectories: this.listedBefore + (this.scan?.listed ?? 0),
      edges: this.outgoing.size,
      fileReads: this.fileReads,
      recentReads: [...this.recentReads],
      parsedFiles: this.parses.size,
    };
  }
}

/**
 * The analysis's file system with every text read reported to `onRead` first (which may throw to stop a
 * build). Whatever read methods the file system has (readFile, readText, ...) are wrapped; the rest is
 * the file system itself.
 */
function meteredFileSystem(
  fs: FileSystem,
  onRead: (path: string) => void,
  count: (path: string) => void,
): FileSystem {
  const metered = Object.create(fs) as FileSystem;
  // One read may call another (readFile is readText with the file limit): it is counted once.
  let depth = 0;
  for (const name of ['readFile', 'readText', 'readBytes']) {
    const original: unknown = Reflect.get(fs, name);
    if (typeof original !== 'function') continue;
    Reflect.set(metered, name, function (this: unknown, path: string, ...rest: unknown[]) {
      onRead(path);
      if (depth === 0) count(path);
      depth++;
      try {
        return (original as (...args: unknown[]) => unknown).call(metered, path, ...rest);
      } finally {
        depth--;
      }
    });
  }
  return metered;
}

/** What tells a file changed without reading it: its size and modification time, when known. */
function stampOf(entry: Entry): string | undefined {
  return entry.mtimeMs === undefined ? undefined : `${entry.kind}:${entry.size}:${entry.mtimeMs}`;
}

/** The configuration's include lines name this path (a target, or a path that did not exist). */
function mentions(c: Configuration, path: string): boolean {
  for (const e of c.model?.includes ?? []) {
    const r = e.resolution;
    if (!r) continue;
    if (r.files.includes(path) || r.unmatched.includes(path)) return true;
    if (
      r.missing.some((m) => m.path === path || m.path.startsWith(path + sep) || path.startsWith(m.path + sep))
    )
      return true;
  }
  return false;
}
