// The FileSystem port over a file system that can only be read asynchronously (the editor's, from a web
// worker). The analysis reads synchronously, so this one answers from what it has fetched, notes what it
// did not have, and `fetchMissing()` fetches exactly that; the server then builds again (server.ts, the
// fetch rounds of a pass). Until a path is fetched it looks missing, which is why nothing is published
// before the rounds end. Nothing here knows owners or permission bits: they are unknown in the browser,
// and the script checks are given no files at all (web-machine.ts).
import type { Entry, FileSystem } from '../analysis/fs';
import type { ReadResult } from '../analysis/read';
import { describeBytes, MAX_FILE_BYTES } from '../analysis/budget';
import type { FileFacts } from './protocol';

/** Fetches the facts of these paths (one per path, in any order). */
export type FetchFacts = (paths: string[]) => Promise<Map<string, FileFacts>>;

/** Paths fetched in one request, at most. */
const MAX_PATHS_PER_FETCH = 200;

const MISSING: Entry = { kind: 'missing', size: 0, mode: 0, uid: -1, gid: -1, symlink: false };

export class PrefetchFileSystem implements FileSystem {
  private readonly known = new Map<string, FileFacts>();
  private readonly wanted = new Set<string>();

  constructor(private readonly fetchFacts: FetchFacts) {}

  private facts(path: string): FileFacts | undefined {
    const facts = this.known.get(path);
    if (!facts) this.wanted.add(path);
    return facts;
  }

  /** Paths asked for and not fetched yet. */
  get pending(): number {
    return this.wanted.size;
  }

  /** Fetches what was asked for and not had; true when anything was fetched. */
  async fetchMissing(): Promise<boolean> {
    const paths = [...this.wanted].slice(0, MAX_PATHS_PER_FETCH);
    if (paths.length === 0) return false;
    for (const p of paths) this.wanted.delete(p);
    const fetched = await this.fetchFacts(paths);
    for (const path of paths)
      this.known.set(path, fetched.get(path) ?? { uri: '', kind: 'missing', size: 0 });
    return true;
  }

  /** The file changed: read it again when next asked. */
  forget(path: string): void {
    this.known.delete(path);
  }

  stat(path: string): Entry {
    const f = this.facts(path);
    if (!f || f.kind === 'missing') return MISSING;
    const mode = f.kind === 'dir' ? 0o40755 : f.kind === 'file' ? 0o100644 : 0;
    return { kind: f.kind, size: f.size, mode, uid: -1, gid: -1, symlink: false };
  }

  lstat(path: string): Entry {
    return this.stat(path);
  }

  readFile(path: string): string | undefined {
    const read = this.readText(path, MAX_FILE_BYTES);
    return read.ok ? read.text : undefined;
  }

  readText(path: string, maxBytes: number): ReadResult {
    const f = this.facts(path);
    if (!f || f.kind === 'missing') return { ok: false, reason: 'no such file or directory' };
    if (f.kind === 'dir') return { ok: false, reason: 'is a directory' };
    if (f.size > maxBytes || (f.kind === 'file' && f.text === undefined))
      return {
        ok: false,
        reason: `is ${describeBytes(f.size)}, over the linter's limit of ${describeBytes(maxBytes)} per file (MAX_FILE_BYTES)`,
        tooLarge: f.size,
      };
    if (f.kind !== 'file' || f.text === undefined)
      return { ok: false, reason: 'is not a regular file (a FIFO, device or socket is never read)' };
    return { ok: true, text: f.text };
  }

  readDir(path: string): string[] | undefined {
    const f = this.facts(path);
    return f?.kind === 'dir' ? [...(f.names ?? [])].sort() : undefined;
  }

  realpath(path: string): string | undefined {
    // The editor's file systems show no symbolic links: a path is its own real path.
    const f = this.facts(path);
    return f && f.kind !== 'missing' ? path : undefined;
  }

  readHead(): Uint8Array | undefined {
    return undefined; // scripts are never looked at in the browser
  }
}
