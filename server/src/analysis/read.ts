// Reading config files from disk without ever blocking: only regular files are opened (never FIFOs, devices
// or sockets), and only up to a size no real keepalived config approaches.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';

/** keepalived configs are kilobytes; 16 MiB is far beyond any real one and bounds memory. */
export const MAX_FILE_BYTES = 16 * 1024 * 1024;

export type ReadResult = { ok: true; text: string } | { ok: false; reason: string };

/**
 * keepalived reads bytes. A file that is valid UTF-8 is read as UTF-8; any other file is read as Latin-1,
 * one character per byte, so offsets stay exact and writing it back as Latin-1 restores every byte.
 */
export function decodeConfig(bytes: Buffer): { text: string; encoding: 'utf8' | 'latin1' } {
  const text = bytes.toString('utf8');
  if (!text.includes('\uFFFD') || Buffer.from(text, 'utf8').equals(bytes)) return { text, encoding: 'utf8' };
  return { text: bytes.toString('latin1'), encoding: 'latin1' };
}

export function readConfigFile(path: string): ReadResult {
  let stat;
  try {
    stat = statSync(path);
  } catch (e) {
    return { ok: false, reason: describeError(e) };
  }
  if (stat.isDirectory()) return { ok: false, reason: 'is a directory' };
  if (!stat.isFile())
    return { ok: false, reason: 'is not a regular file (a FIFO, device or socket is never read)' };
  if (stat.size > MAX_FILE_BYTES)
    return { ok: false, reason: `is ${stat.size} bytes, larger than the ${MAX_FILE_BYTES}-byte limit` };
  try {
    return { ok: true, text: decodeConfig(readFileSync(path)).text };
  } catch (e) {
    return { ok: false, reason: describeError(e) };
  }
}

function describeError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ELOOP') return 'too many levels of symbolic links';
  return (e as Error).message;
}

/** File names a folder scan treats as keepalived configs. */
export function looksLikeConfigName(name: string): boolean {
  return name.endsWith('.conf') || /keepalived\.conf/.test(name);
}

/** Config files under a folder, sorted, skipping hidden folders and node_modules; bounded in count. */
export function configFilesUnder(dir: string, limit = 10000): string[] {
  const found: string[] = [];
  const walk = (d: string, depth: number): void => {
    if (depth > 32 || found.length >= limit) return;
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      const full = join(d, e.name);
      if (e.isDirectory()) {
        if (!e.name.startsWith('.') && e.name !== 'node_modules') walk(full, depth + 1);
      } else if (e.isFile() && looksLikeConfigName(basename(full))) {
        found.push(full);
        if (found.length >= limit) return;
      }
    }
  };
  walk(dir, 0);
  return found;
}
