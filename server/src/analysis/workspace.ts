// The workspace index: open documents and files on disk, their include edges in both directions, and one
// model per configuration root. A file opened alone is analysed inside every configuration that includes
// it (the first such root gives its diagnostics), so names defined in the including file resolve.
import { join, resolve as resolvePath } from 'node:path';
import type { AnalyzeOptions, AnalyzedFile, ParsedFile } from './document';
import { parseFile } from './document';
import type { FileSystem } from './fs';
import { resolveInclude, type IncludeResolution } from './includes';
import { buildModel, type ConfigModel } from './model';
import { looksLikeConfigName } from './read';
import type { Statement } from '../syntax/ast';

export interface WorkspaceOptions extends AnalyzeOptions {
  /** Folders scanned for configurations that may include an opened file. */
  folders?: string[];
  /** Bound on files discovered by scanning folders. */
  maxScannedFiles?: number;
}

export class Workspace {
  private readonly open = new Map<string, string>();
  private readonly parsedCache = new Map<string, { text: string; parsed: ParsedFile }>();
  private readonly models = new Map<string, ConfigModel>();
  private edges: Map<string, Set<string>> | undefined;
  /** Config files found under each folder, kept until a file event says the tree changed. */
  private readonly scanned = new Map<string, string[]>();
  /** Files asked about, so their own includes are part of the edge graph even when no folder holds them. */
  private readonly seeds = new Set<string>();
  private reverse: Map<string, Set<string>> | undefined;

  constructor(
    readonly fs: FileSystem,
    public options: WorkspaceOptions = {},
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
    if (path && !this.open.has(path)) this.parsedCache.delete(path);
    // A file event may add or remove files under the folders; edits to open documents cannot.
    if (path) this.scanned.clear();
    this.models.clear();
    this.edges = undefined;
    this.reverse = undefined;
  }

  setOptions(options: WorkspaceOptions): void {
    this.options = options;
    this.scanned.clear();
    this.invalidate();
  }

  parsed(path: string): ParsedFile | undefined {
    const text = this.open.get(path) ?? this.fs.readFile(path);
    if (text === undefined) return undefined;
    const cached = this.parsedCache.get(path);
    if (cached && cached.text === text) return cached.parsed;
    const parsed = parseFile(path, text);
    this.parsedCache.set(path, { text, parsed });
    return parsed;
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
    while (queue.length) {
      const current = queue.shift()!;
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
    const model = buildModel(parsed, this.options, (statement, from) => this.resolve(statement, from));
    this.models.set(root, model);
    return model;
  }

  private resolve(
    statement: Statement,
    from: ParsedFile,
  ): { resolution: IncludeResolution; files: ParsedFile[] } {
    const resolution = resolveInclude(statement, from.path, this.fs);
    const files = resolution.files.flatMap((f) => {
      const p = this.parsed(f);
      return p ? [p] : [];
    });
    return { resolution, files };
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
    const queue = [...new Set([...this.knownFiles(), ...this.seeds, ...this.parsedCache.keys()])].sort();
    const seen = new Set(queue);
    while (queue.length) {
      const file = queue.shift()!;
      const parsed = this.parsed(file);
      if (!parsed) continue;
      const targets = new Set<string>();
      walkIncludes(parsed.tree.statements, (s) => {
        for (const target of resolveInclude(s, file, this.fs).files) targets.add(target);
      });
      edges.set(file, targets);
      for (const t of targets) {
        if (!reverse.has(t)) reverse.set(t, new Set());
        reverse.get(t)!.add(file);
        if (!seen.has(t) && seen.size < (this.options.maxScannedFiles ?? 5000)) {
          seen.add(t);
          queue.push(t);
        }
      }
    }
    this.edges = edges;
    this.reverse = reverse;
  }

  private scan(folder: string): string[] {
    const found: string[] = [];
    const limit = this.options.maxScannedFiles ?? 5000;
    const walk = (dir: string, depth: number): void => {
      if (depth > 12 || found.length >= limit) return;
      for (const name of this.fs.readDir(dir) ?? []) {
        if (name.startsWith('.') || name === 'node_modules') continue;
        const full = join(dir, name);
        const entry = this.fs.lstat(full);
        if (entry.kind === 'dir' && !entry.symlink) walk(full, depth + 1);
        else if (entry.kind === 'file' && looksLikeConfigName(name)) found.push(full);
        if (found.length >= limit) return;
      }
    };
    walk(resolvePath(folder), 0);
    return found;
  }
}

function walkIncludes(statements: readonly Statement[], visit: (s: Statement) => void): void {
  for (const s of statements) {
    if (s.kind === 'include') visit(s);
    if (s.block) walkIncludes(s.block.statements, visit);
  }
}
