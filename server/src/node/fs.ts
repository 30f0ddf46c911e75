// The Node implementation of the FileSystem port (analysis/fs.ts) for the CLI and the server: config text
// is only read from regular files whose size stat vouches for (node/read.ts).
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
import { MAX_FILE_BYTES } from '../analysis/budget';
import { MISSING, type Entry, type EntryKind, type FileSystem } from '../analysis/fs';
import { decodeConfig } from '../analysis/read';
import { readRegularFile } from './read';

function toEntry(s: Stats, symlink: boolean): Entry {
  const kind: EntryKind = s.isFile() ? 'file' : s.isDirectory() ? 'dir' : 'other';
  return { kind, size: s.size, mode: s.mode, uid: s.uid, gid: s.gid, symlink, mtimeMs: s.mtimeMs };
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

/** Who owns an entry of the memory file system (root unless told). */
