// The file system as the analysis sees it: metadata and bounded reads only. A Node implementation for the
// CLI and the server, and an in-memory one for tests. Nothing here ever executes or opens a FIFO/device,
// and config text is only read from regular files whose size stat vouches for (analysis/read.ts).
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  readdirSync,
  readSync,
  realpathSync,
  statSync,
  type Stats,
} from 'node:fs';
import { describeBytes, MAX_FILE_BYTES } from './budget';
import { decodeConfig, readRegularFile, type ReadResult } from './read';

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

const MISSING: Entry = { kind: 'missing', size: 0, mode: 0, uid: -1, gid: -1, symlink: false };

function toEntry(s: Stats, symlink: boolean): Entry {
  const kind: EntryKind = s.isFile() ? 'file' : s.isDirectory() ? 'dir' : 'other';
  return { kind, size: s.size, mode: s.mode, uid: s.uid, gid: s.gid, symlink };
}

export const nodeFileSystem: FileSystem = {
  stat(path) {
    try {
      const link = lstatSync(path).isSymbolicLink();
      return toEntry(statSync(path), link);
    } catch {
      return MISSING;
    }
  },
  lstat(path) {
    try {
      const s = lstatSync(path);
      return toEntry(s, s.isSymbolicLink());
    } catch {
      return MISSING;
    }
  },
  readFile(path) {
    const read = this.readText(path, MAX_FILE_BYTES);
    return read.ok ? read.text : undefined;
  },
  readText(path, maxBytes) {
    const read = readRegularFile(path, maxBytes);
    return read.ok ? { ok: true, text: decodeConfig(read.bytes).text } : read;
  },
  readDir(path) {
    try {
      return readdirSync(path);
    } catch {
      return undefined;
    }
  },
  realpath(path) {
    try {
      return realpathSync(path);
    } catch {
      return undefined;
    }
  },
  readHead(path, bytes) {
    let fd: number | undefined;
    try {
      // O_NONBLOCK: should the path be swapped for a FIFO between the check and the open, do not wait.
      fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
      if (!fstatSync(fd).isFile()) return undefined;
      const buffer = Buffer.alloc(bytes);
      const n = readSync(fd, buffer, 0, bytes, 0);
      return buffer.subarray(0, n);
    } catch {
      return undefined;
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  },
};

/** An in-memory tree for tests: files with text and optional mode; everything else is missing. */
export class MemoryFileSystem implements FileSystem {
  private readonly files = new Map<string, { text: string; mode: number }>();

  constructor(files: Record<string, string> = {}) {
    for (const [path, text] of Object.entries(files)) this.write(path, text);
  }

  write(path: string, text: string, mode = 0o100644): void {
    this.files.set(path, { text, mode });
  }

  private isDir(path: string): boolean {
    const prefix = path.endsWith('/') ? path : path + '/';
    for (const p of this.files.keys()) if (p.startsWith(prefix)) return true;
    return false;
  }

  stat(path: string): Entry {
    const f = this.files.get(path);
    if (f) return { kind: 'file', size: f.text.length, mode: f.mode, uid: 0, gid: 0, symlink: false };
    if (this.isDir(path)) return { kind: 'dir', size: 0, mode: 0o40755, uid: 0, gid: 0, symlink: false };
    return MISSING;
  }

  lstat(path: string): Entry {
    return this.stat(path);
  }

  readFile(path: string): string | undefined {
    return this.files.get(path)?.text;
  }

  readText(path: string, maxBytes: number): ReadResult {
    const f = this.files.get(path);
    if (!f) return { ok: false, reason: this.isDir(path) ? 'is a directory' : 'no such file or directory' };
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
    if (!this.isDir(path)) return undefined;
    const prefix = path.endsWith('/') ? path : path + '/';
    const names = new Set<string>();
    for (const p of this.files.keys())
      if (p.startsWith(prefix)) names.add(p.slice(prefix.length).split('/')[0]!);
    return [...names].sort();
  }

  realpath(path: string): string | undefined {
    return this.stat(path).kind === 'missing' ? undefined : path;
  }

  readHead(path: string, bytes: number): Uint8Array | undefined {
    const f = this.files.get(path);
    return f ? new TextEncoder().encode(f.text).subarray(0, bytes) : undefined;
  }
}
