// The one walk of folders for keepalived config files, over the FileSystem port: the CLI's folder mode
// (`keepalived-lint FOLDER`), the language server's workspace scan (in steps, between requests) and
// Workspace's folders all use it, so they agree on which files a folder holds.
import { join } from 'node:path';
import type { FileSystem } from './fs';
import { looksLikeConfigName } from './read';

/** Names the walk never enters or takes: hidden files and folders, and node_modules. */
export function skippedName(name: string): boolean {
  return name.startsWith('.') || name === 'node_modules';
}

interface Listing {
  dir: string;
  depth: number;
  /** Undefined until the folder is listed (a step lists a bounded number of folders). */
  names?: string[];
  next: number;
}

/**
 * Depth-first, in name order, with an explicit stack (a deep tree cannot exhaust the call stack), never
 * following symbolic links to folders (a link cycle would never end) and never descending below
 * `maxDepth` levels. Each config file found is handed to `take`; when `take` says no more, the walk stops
 * and is `truncated`.
 */
export class ConfigFileScan {
  private readonly stack: Listing[] = [];
  private stopped = false;
  /** The walk stopped because `take` could take no more: files may be left unseen. */
  truncated = false;
  /** Folders listed so far (the server reports it). */
  listed = 0;

  constructor(
    private readonly fs: FileSystem,
    roots: readonly string[],
    private readonly maxDepth: number,
  ) {
    for (let i = roots.length - 1; i >= 0; i--) this.stack.push({ dir: roots[i]!, depth: 0, next: 0 });
  }

  /** A folder created after the walk began, `depth` levels below its root. */
  addFolder(dir: string, depth: number): void {
    if (!this.stopped && depth <= this.maxDepth) this.stack.push({ dir, depth, next: 0 });
  }

  get done(): boolean {
    return this.stopped || this.stack.length === 0;
  }

  /**
   * Walk on, listing at most `maxListings` folders; `take` gets each config file and returns false when it
   * can take no more. True when the walk is over.
   */
  step(take: (path: string) => boolean, maxListings = Infinity): boolean {
    let listings = 0;
    while (!this.done) {
      const top = this.stack[this.stack.length - 1]!;
      if (!top.names) {
        if (listings >= maxListings) return false;
        listings++;
        this.listed++;
        // Code-unit order: the same on every machine, where localeCompare's follows the locale, and
        // localeCompare's first call loads ICU's collation data (about 5 ms of a CLI run).
        top.names = [...(this.fs.readDir(top.dir) ?? [])].sort();
      }
      if (top.next >= top.names.length) {
        this.stack.pop();
        continue;
      }
      const name = top.names[top.next++]!;
      if (skippedName(name)) continue;
      const full = join(top.dir, name);
      const entry = this.fs.lstat(full);
      if (entry.kind === 'dir' && !entry.symlink) {
        if (top.depth < this.maxDepth) this.stack.push({ dir: full, depth: top.depth + 1, next: 0 });
      } else if (entry.kind === 'file' && looksLikeConfigName(name) && !take(full)) {
        this.truncated = true;
        this.stopped = true;
      }
    }
    return true;
  }
}

export interface FolderScan {
  files: string[];
  /** The scan stopped at `maxFiles` files: more config files may be under the folder. */
  truncated: boolean;
}

/** The config files under a folder, at most `maxFiles` of them, in one go. */
export function scanConfigFiles(
  fs: FileSystem,
  dir: string,
  limits: { maxFiles: number; maxDepth: number },
): FolderScan {
  const files: string[] = [];
  const scan = new ConfigFileScan(fs, [dir], limits.maxDepth);
  scan.step((path) => {
    if (files.length >= limits.maxFiles) return false;
    files.push(path);
    return true;
  });
  return { files, truncated: scan.truncated };
}
