// The file system as the analysis sees it: metadata and bounded reads only (the FileSystem port), and an
// in-memory implementation for tests. The Node implementation is the edge's (node/fs.ts). Nothing here ever
// executes or opens a FIFO/device.
import { describeBytes } from './budget';
import type { ReadResult } from './read';

/** What stat says of a path that is not there. */
export const MISSING: Entry = { kind: 'missing', size: 0, mode: 0, uid: -1, gid: -1, symlink: false };

export type EntryKind = 'file' | 'dir' | 'other' | 'missing';

export interface Entry {
  kind: EntryKind;
  size: number;
  /** Permission bits and file type, as st_mode. */
  mode: number;
  uid: number;
  gid: number;
  /** The entry itself is a symbolic link (lstat). */
  symlink: boolean;
  /** Last modification, when the file system knows it (the language server tells changed files by it). */
  mtimeMs?: number;
}

export interface FileSystem {
  /** stat (following symlinks), plus whether the path itself is a symlink. */
  stat(path: string): Entry;
  /** lstat: the entry itself, not what a symlink points to. */
  lstat(path: string): Entry;
  /** Text of a regular file of reasonable size, or undefined. */
  readFile(path: string): string | undefined;
  /** Text of a regular file of at most `maxBytes`, or why it is not read (`tooLarge`: its size). */
  readText(path: string, maxBytes: number): ReadResult;
  /** Names in a directory, or undefined when it cannot be listed. */
  readDir(path: string): string[] | undefined;
  realpath(path: string): string | undefined;
  /** The first bytes of a regular file (to see a `#!` line), or undefined; never opens anything else. */
  readHead(path: string, bytes: number): Uint8Array | undefined;
}

export interface Owner {
  uid?: number;
  gid?: number;
}

/**
 * An in-memory tree for tests: files with text, folders and symbolic links, each with its mode and owner,
 * so that ownership and permission checks do not depend on who runs the tests. Folders that hold a file
 * exist implicitly (root's, mode 755) unless made with `mkdir`; everything else is missing.
 */
export class MemoryFileSystem implements FileSystem {
  private readonly files = new Map<string, { text: string; mode: number; uid: number; gid: number }>();
  private readonly dirs = new Map<string, { mode: number; uid: number; gid: number }>();
  private readonly links = new Map<string, { target: string; uid: number; gid: number }>();

  constructor(files: Record<string, string> = {}) {
    for (const [path, text] of Object.entries(files)) this.write(path, text);
  }

  write(path: string, text: string, mode = 0o100644, owner: Owner = {}): void {
    this.files.set(path, { text, mode, uid: owner.uid ?? 0, gid: owner.gid ?? 0 });
  }

  /** A folder with its own mode (permission bits, e.g. 0o1777) and owner. */
  mkdir(path: string, mode = 0o755, owner: Owner = {}): void {
    this.dirs.set(path, { mode: 0o40000 | (mode & 0o7777), uid: owner.uid ?? 0, gid: owner.gid ?? 0 });
  }

  /** A symbolic link at `path` to the absolute path `target`. */
  symlink(target: string, path: string, owner: Owner = {}): void {
    this.links.set(path, { target, uid: owner.uid ?? 0, gid: owner.gid ?? 0 });
  }

  private isDir(path: string): boolean {
    if (this.dirs.has(path)) return true;
    const prefix = path.endsWith('/') ? path : path + '/';
    for (const p of [...this.files.keys(), ...this.dirs.keys(), ...this.links.keys()])
      if (p.startsWith(prefix)) return true;
    return false;
  }

  /** The path with every symbolic link in it followed (the last component too unless `keepLast`). */
  private resolve(path: string, keepLast = false): string {
    // Without links or dot components (or for a relative path) a path names itself, exactly as written.
    if (!path.startsWith('/') || (this.links.size === 0 && !/(^|\/)\.\.?(\/|$)/.test(path))) return path;
    let parts = path.split('/').filter(Boolean);
    let resolved = '';
    // A link loop ends as a missing path, as ELOOP does. `..` is the parent of what the path has reached
    // (links followed), as the kernel walks it.
    for (let hops = 0, i = 0; i < parts.length; i++) {
      if (parts[i] === '.') continue;
      if (parts[i] === '..') {
        resolved = resolved.slice(0, resolved.lastIndexOf('/'));
        continue;
      }
      const next = `${resolved}/${parts[i]}`;
      const link = keepLast && i === parts.length - 1 ? undefined : this.links.get(next);
      if (!link) {
        resolved = next;
        continue;
      }
      if (++hops > 40) return '/\0loop';
      parts = [...link.target.split('/').filter(Boolean), ...parts.slice(i + 1)];
      resolved = '';
      i = -1;
    }
    return resolved || '/';
  }

  private entry(path: string, symlink: boolean): Entry {
    const f = this.files.get(path);
    if (f) return { kind: 'file', size: f.text.length, mode: f.mode, uid: f.uid, gid: f.gid, symlink };
    if (this.isDir(path)) {
      const d = this.dirs.get(path) ?? { mode: 0o40755, uid: 0, gid: 0 };
      return { kind: 'dir', size: 0, ...d, symlink };
    }
    return MISSING;
  }

  stat(path: string): Entry {
    return this.entry(this.resolve(path), this.links.has(this.resolve(path, true)));
  }

  lstat(path: string): Entry {
    const here = this.resolve(path, true);
    const link = this.links.get(here);
    if (link) return { kind: 'other', size: 0, mode: 0o120777, uid: link.uid, gid: link.gid, symlink: true };
    return this.entry(here, false);
  }

  readFile(path: string): string | undefined {
    return this.files.get(this.resolve(path))?.text;
  }

  readText(path: string, maxBytes: number): ReadResult {
    const real = this.resolve(path);
    const f = this.files.get(real);
    if (!f) return { ok: false, reason: this.isDir(real) ? 'is a directory' : 'no such file or directory' };
    const size = Buffer.byteLength(f.text, 'utf8');
    if (size > maxBytes)
      return {
        ok: false,
        reason: `is ${describeBytes(size)}, over the linter's limit of ${describeBytes(maxBytes)} per file (MAX_FILE_BYTES)`,
        tooLarge: size,
      };
    return { ok: true, text: f.text };
  }

  readDir(path: string): string[] | undefined {
    const real = this.resolve(path);
    if (!this.isDir(real)) return undefined;
    const prefix = real.endsWith('/') ? real : real + '/';
    const names = new Set<string>();
    for (const p of [...this.files.keys(), ...this.dirs.keys(), ...this.links.keys()])
      if (p.startsWith(prefix)) names.add(p.slice(prefix.length).split('/')[0]!);
    return [...names].sort();
  }

  realpath(path: string): string | undefined {
    const real = this.resolve(path);
    return this.entry(real, false).kind === 'missing' ? undefined : real;
  }

  readHead(path: string, bytes: number): Uint8Array | undefined {
    const f = this.files.get(this.resolve(path));
    return f ? new TextEncoder().encode(f.text).subarray(0, bytes) : undefined;
  }
}

/** A machine with no files: what the analysis sees when its caller gives it no file system. */
export const EMPTY_FILE_SYSTEM: FileSystem = new MemoryFileSystem();
