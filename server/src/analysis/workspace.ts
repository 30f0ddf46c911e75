// The workspace index: open documents and files on disk, their include edges in both directions, and one
// model per configuration root. A file opened alone is analysed inside every configuration that includes
// it (the first such root gives its diagnostics), so names defined in the including file resolve.
import { resolve as resolvePath, sep } from 'node:path';
import {
  describeBytes,
  globBudget,
  MAX_CONFIG_BYTES,
  MAX_CONFIG_FILES,
  MAX_FILE_BYTES,
  MAX_FOLDER_FILES,
  MAX_SCAN_DEPTH,
  type GlobBudget,
  type LimitHit,
} from './budget';
import type { AnalyzeOptions, AnalyzedFile, ParsedFile } from './document';
import { parseFile } from './document';
import type { FileSystem } from './fs';
import { resolveAnyInclude, writtenPattern, type IncludeResolution } from './includes';
import { expandText, pwdDefinition, type ParamTable } from './params';
import { buildModel, type ConfigModel } from './model';
import { scanConfigFiles } from './folder-scan';
import type { Statement } from '../syntax/ast';
import type { TemplateMode } from '../syntax/templates';

/** One file's parse trees for one text (as a root, and as an included file when that reads differently). */
interface ParsedEntry {
  text: string;
  bytes: number;
  template: TemplateMode | undefined;
  plain: ParsedFile;
  included?: ParsedFile;
  /** Read from disk and not changed since, as far as file events tell: used without reading again. */
  trusted: boolean;
}

/**
 * Parse trees by path and text, shareable between workspaces (the language server gives one to every
 * configuration, so a file included by many is read and parsed once). A file read from disk is re-read
 * on every build unless the cache is told about changes (`trustDisk`): then it is read again only after
 * `changed(path)` or `distrust()`.
 */
export class ParseCache {
  private readonly entries = new Map<string, ParsedEntry>();

  constructor(
    readonly trustDisk = false,
    /** Told of each file used without reading it, as a read would be (the server meters a build's size). */
    private readonly onUse?: (path: string, bytes: number) => void,
  ) {}

  /** The trees of a file read from disk that has not changed since, with its size in bytes. */
  trusted(path: string, template: TemplateMode | undefined): ParsedEntry | undefined {
    const e = this.entries.get(path);
    if (!e || !e.trusted || e.template !== template) return undefined;
    this.onUse?.(path, e.bytes);
    return e;
  }

  /**
   * `included`: another file includes this one. `${VAR}` in a file that defines no parameter may be a shell
   * placeholder (syntax/templates.ts), but not in an included file: the includer may define them.
   */
  parse(
    path: string,
    text: string,
    template: TemplateMode | undefined,
    included: boolean,
    disk: boolean,
  ): ParsedFile {
    let e = this.entries.get(path);
    if (!e || e.text !== text || e.template !== template) {
      e = {
        text,
        bytes: Buffer.byteLength(text, 'utf8'),
        template,
        plain: parseFile(path, text, template),
        trusted: false,
      };
      this.entries.set(path, e);
    }
    e.trusted = disk && this.trustDisk;
    if (!included || e.plain.tree.template?.dialect !== 'shell') return e.plain;
    return (e.included ??= (template ?? 'auto') === 'auto' ? parseFile(path, text, 'none') : e.plain);
  }

  /** The file (or, for a folder, every file under it) may differ on disk now. */
  changed(path: string): void {
    this.entries.delete(path);
    const under = path.endsWith(sep) ? path : path + sep;
    for (const p of this.entries.keys()) if (p.startsWith(under)) this.entries.delete(p);
  }

  /** Any file may differ on disk now: each is read again (and parsed again only if its text changed). */
  distrust(): void {
    for (const e of this.entries.values()) e.trusted = false;
  }

  /** Keeps only these files' trees (the rest are no longer part of any configuration). */
  retain(paths: Set<string>): void {
    for (const p of this.entries.keys()) if (!paths.has(p)) this.entries.delete(p);
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}

/** What building one configuration may still read, and what it has read (each file once). */
interface ConfigBudget {
  bytes: number;
  files: number;
  glob: GlobBudget;
  loaded: Map<string, { parsed: ParsedFile } | { reason: string; budget: LimitHit['budget'] }>;
}

export interface WorkspaceOptions extends AnalyzeOptions {
  /** Folders scanned for configurations that may include an opened file. */
  folders?: string[];
  /** Bound on files discovered by scanning folders. */
  maxScannedFiles?: number;
}

export class Workspace {
  private readonly open = new Map<string, string>();
  /** Files this workspace has parsed: their includes are part of its edge graph. */
  private readonly parsedHere = new Set<string>();
  private readonly models = new Map<string, ConfigModel>();
  private edges: Map<string, Set<string>> | undefined;
  /** Config files found under each folder, kept until a file event says the tree changed. */
  private readonly scanned = new Map<string, string[]>();
  /** Files asked about, so their own includes are part of the edge graph even when no folder holds them. */
  private readonly seeds = new Set<string>();
  private reverse: Map<string, Set<string>> | undefined;
  /** Folders whose last scan stopped at the limit. */
  private readonly truncated = new Set<string>();

  constructor(
    readonly fs: FileSystem,
    public options: WorkspaceOptions = {},
    private readonly cache: ParseCache = new ParseCache(),
  ) {}

  /** An editor buffer; its text wins over the disk. */
  setDocument(path: string, text: string): void {
    this.open.set(path, text);
    this.invalidate();
  }

  closeDocument(path: string): void {
    this.open.delete(path);
    this.invalidate();
  }

  /** A file changed on disk (or options changed): models and edges are rebuilt on next use. */
  invalidate(path?: string): void {
    if (path && !this.open.has(path)) this.cache.changed(path);
    // A file event may add or remove files under the folders; edits to open documents cannot.
    if (path) this.scanned.clear();
    this.models.clear();
    this.edges = undefined;
    this.reverse = undefined;
  }

  setOptions(options: WorkspaceOptions): void {
    // How template syntax is read is part of each cached parse's key (ParseCache).
    this.options = options;
    this.scanned.clear();
    this.invalidate();
  }

  parsed(path: string): ParsedFile | undefined {
    const open = this.open.get(path);
    if (open !== undefined) return this.parseText(path, open, false, false);
    const known = this.cache.trusted(path, this.options.template);
    if (known) return this.parseText(path, known.text, false, true);
    const text = this.fs.readFile(path);
    if (text === undefined) return undefined;
    return this.parseText(path, text, false, true);
  }

  private parseText(path: string, text: string, included: boolean, disk: boolean): ParsedFile {
    this.parsedHere.add(path);
    return this.cache.parse(path, text, this.options.template, included, disk);
  }

  /**
   * A file of a configuration being built, read at most once for it and within its budgets
   * (MAX_FILE_BYTES, MAX_CONFIG_BYTES, MAX_CONFIG_FILES); or why it was not read.
   */
  private load(
    path: string,
    budget: ConfigBudget,
    included = false,
  ): { parsed: ParsedFile } | { reason: string; budget: LimitHit['budget'] } {
    const known = budget.loaded.get(path);
    if (known) return known;
    let answer: { parsed: ParsedFile } | { reason: string; budget: LimitHit['budget'] };
    if (budget.files <= 0) {
      answer = {
        reason: `the configuration already has ${MAX_CONFIG_FILES} files, as many as the linter reads (MAX_CONFIG_FILES)`,
        budget: 'MAX_CONFIG_FILES',
      };
    } else {
      const open = this.open.get(path);
      const max = Math.min(MAX_FILE_BYTES, Math.max(0, budget.bytes));
      // A file unchanged since it was last read is not read again (when the cache hears of changes).
      const known = open === undefined ? this.cache.trusted(path, this.options.template) : undefined;
      const read =
        open !== undefined
          ? { ok: true as const, text: open }
          : known && known.bytes <= max
            ? { ok: true as const, text: known.text }
            : this.fs.readText(path, max);
      if (read.ok) {
        budget.files--;
        budget.bytes -= Buffer.byteLength(read.text, 'utf8');
        answer = { parsed: this.parseText(path, read.text, included, open === undefined) };
      } else if (read.tooLarge !== undefined && read.tooLarge <= MAX_FILE_BYTES) {
        answer = {
          reason: `it is ${describeBytes(read.tooLarge)}, more than the ${describeBytes(Math.max(0, budget.bytes))} left of the linter's ${describeBytes(MAX_CONFIG_BYTES)} per configuration (MAX_CONFIG_BYTES)`,
          budget: 'MAX_CONFIG_BYTES',
        };
      } else
        answer = {
          reason: read.reason.startsWith('is ') ? `it ${read.reason}` : read.reason,
          budget: read.tooLarge !== undefined ? 'MAX_FILE_BYTES' : 'unreadable',
        };
    }
    budget.loaded.set(path, answer);
    return answer;
  }

  /** The file as read within its configuration. */
  analysis(path: string): AnalyzedFile | undefined {
    const model = this.modelFor(path);
    return model?.files.get(path);
  }

  /** The configuration a file belongs to: the first root that includes it, else the file itself. */
  modelFor(path: string): ConfigModel | undefined {
    const root = this.rootsOf(path)[0] ?? path;
    const model = this.model(root);
    if (model?.files.has(path)) return model;
    return this.model(path);
  }

  /** Every configuration root whose include closure contains the file. */
  rootsOf(path: string): string[] {
    this.ensureEdges(path);
    const roots: string[] = [];
    const seen = new Set<string>([path]);
    const queue = [path];
    for (let q = 0; q < queue.length; q++) {
      const current = queue[q]!;
      const includers = [...(this.reverse!.get(current) ?? [])].sort();
      if (includers.length === 0 && current !== path) roots.push(current);
      for (const i of includers) {
        if (!seen.has(i)) {
          seen.add(i);
          queue.push(i);
        }
      }
    }
    return roots.length ? roots : [path];
  }

  /** Files that include this one directly. */
  includersOf(path: string): string[] {
    this.ensureEdges(path);
    return [...(this.reverse!.get(path) ?? [])].sort();
  }

  /** Files this one includes directly. */
  includesOf(path: string): string[] {
    this.ensureEdges(path);
    return [...(this.edges!.get(path) ?? [])].sort();
  }

  /** Every known file: open documents and configs found under the folders. */
  knownFiles(): string[] {
    const files = new Set<string>(this.open.keys());
    for (const folder of this.options.folders ?? []) {
      let found = this.scanned.get(folder);
      if (!found) this.scanned.set(folder, (found = this.scan(folder)));
      for (const f of found) files.add(f);
    }
    return [...files].sort();
  }

  private model(root: string): ConfigModel | undefined {
    const cached = this.models.get(root);
    if (cached) return cached;
    const parsed = this.parsed(root);
    if (!parsed) return undefined;
    const budget: ConfigBudget = {
      bytes: MAX_CONFIG_BYTES - Buffer.byteLength(parsed.text, 'utf8'),
      files: MAX_CONFIG_FILES - 1,
      glob: globBudget(),
      loaded: new Map([[root, { parsed }]]),
    };
    const model = buildModel(parsed, this.options, (statement, from, pattern) =>
      this.resolve(statement, from, pattern, budget),
    );
    this.models.set(root, model);
    return model;
  }

  private resolve(
    statement: Statement,
    from: ParsedFile,
    pattern: string,
    budget: ConfigBudget,
  ): { resolution: IncludeResolution; files: ParsedFile[]; limits: LimitHit[] } {
    const resolution = resolveAnyInclude(statement, from.path, this.fs, budget.glob, pattern);
    const files: ParsedFile[] = [];
    const limits: LimitHit[] = [];
    for (const f of resolution.files) {
      const loaded = this.load(f, budget, true);
      if ('parsed' in loaded) files.push(loaded.parsed);
      else
        limits.push({
          budget: loaded.budget,
          file: from.path,
          start: statement.keyword.start,
          end: statement.args[statement.args.length - 1]?.end ?? statement.keyword.end,
          message: `'${f}' is not read (${loaded.reason}). keepalived would read it, so names it defines are unknown here and findings that depend on it are less certain.`,
        });
    }
    return { resolution, files, limits };
  }

  /** Include edges between all known files (and whatever they include), built lazily. */
  private ensureEdges(path?: string): void {
    if (path && !this.seeds.has(path)) {
      this.seeds.add(path);
      if (this.edges && !this.edges.has(path)) this.edges = undefined;
    }
    if (this.edges && this.reverse) return;
    const edges = new Map<string, Set<string>>();
    const reverse = new Map<string, Set<string>>();
    // Known files, plus every file parsed so far (e.g. reached through a model's includes).
    const queue = [...new Set([...this.knownFiles(), ...this.seeds, ...this.parsedHere])].sort();
    const seen = new Set(queue);
    // One glob budget for the whole graph: a runaway pattern in one file cannot stall the rest.
    const glob = globBudget();
    for (let q = 0; q < queue.length; q++) {
      const file = queue[q]!;
      const parsed = this.parsed(file);
      if (!parsed) continue;
      const targets = new Set<string>();
      // Without reading the configuration only `${_PWD}` is known (the graph says which files belong
      // together; the models, which read every definition, follow the includes themselves).
      const pwd: ParamTable = new Map([['_PWD', pwdDefinition(file)]]);
      walkIncludes(parsed.tree.statements, (s) => {
        const written = writtenPattern(s);
        const pattern = written.includes('$') ? (expandText(written, pwd, 0, true) ?? written) : written;
        for (const target of resolveAnyInclude(s, file, this.fs, glob, pattern).files) targets.add(target);
      });
      edges.set(file, targets);
      for (const t of targets) {
        if (!reverse.has(t)) reverse.set(t, new Set());
        reverse.get(t)!.add(file);
        if (!seen.has(t) && seen.size < (this.options.maxScannedFiles ?? MAX_FOLDER_FILES)) {
          seen.add(t);
          queue.push(t);
        }
      }
    }
    this.edges = edges;
    this.reverse = reverse;
  }

  /** Folders whose scan stopped at `maxScannedFiles`: configurations under them may be missing. */
  truncatedScans(): string[] {
    this.knownFiles();
    return [...this.truncated].sort();
  }

  private scan(folder: string): string[] {
    const scan = scanConfigFiles(this.fs, resolvePath(folder), {
      maxFiles: this.options.maxScannedFiles ?? MAX_FOLDER_FILES,
      maxDepth: MAX_SCAN_DEPTH,
    });
    if (scan.truncated) this.truncated.add(folder);
    else this.truncated.delete(folder);
    return scan.files;
  }
}

/** Every include line of a tree, nested ones included (an explicit stack: no recursion). */
function walkIncludes(statements: readonly Statement[], visit: (s: Statement) => void): void {
  const stack: { list: readonly Statement[]; next: number }[] = [{ list: statements, next: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.next >= top.list.length) {
      stack.pop();
      continue;
    }
    const s = top.list[top.next++]!;
    if (s.kind === 'include') visit(s);
    if (s.block) stack.push({ list: s.block.statements, next: 0 });
  }
}
