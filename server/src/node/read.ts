// Reading config files from disk without ever blocking or reading more than the size the file system
// vouches for: only regular files are opened (never FIFOs, devices or sockets), never on a pseudo file
// system such as procfs or sysfs (whose sizes mean nothing: /proc/self/pagemap says 0 bytes and holds
// gigabytes, /proc/kmsg blocks), opened non-blocking, checked again on the open descriptor, and read up to
// the size stat gave, never further.
import {
  closeSync,
  constants,
  fstatSync,
  openSync,
  readSync,
  statfsSync,
  statSync,
  type Stats,
} from 'node:fs';
import { describeBytes, MAX_FILE_BYTES } from '../analysis/budget';
import { decodeConfig, type ReadResult } from '../analysis/read';

export { MAX_FILE_BYTES } from '../analysis/budget';

/** statfs f_type of file systems whose files are not data: their sizes and contents are made up on read. */
const PSEUDO_FILE_SYSTEMS = new Map<number, string>([
  [0x9fa0, 'procfs'],
  [0x62656572, 'sysfs'],
  [0x64626720, 'debugfs'],
  [0x74726163, 'tracefs'],
  [0x73636673, 'securityfs'],
  [0x27e0eb, 'cgroupfs'],
  [0x63677270, 'cgroup2fs'],
  [0x62656570, 'configfs'],
  [0x6165676c, 'pstorefs'],
  [0xde5e81e4, 'efivarfs'],
  [0xcafe4a11, 'bpffs'],
  [0x65735543, 'fusectl'],
  [0x1cd1, 'devpts'],
  [0x42494e4d, 'binfmt_misc'],
]);

/** The pseudo file system a path is on, if any. */
export function pseudoFileSystem(path: string): string | undefined {
  try {
    return PSEUDO_FILE_SYSTEMS.get(Number(statfsSync(path).type));
  } catch {
    return undefined;
  }
}

export type BytesResult = { ok: true; bytes: Buffer } | { ok: false; reason: string; tooLarge?: number };

/**
 * The bytes of a regular file of at most `maxBytes`, read through a non-blocking descriptor up to the size
 * stat reports. Anything else is refused with a reason; nothing here can block or read without end.
 */
export function readRegularFile(path: string, maxBytes = MAX_FILE_BYTES): BytesResult {
  let stat: Stats;
  try {
    stat = statSync(path);
  } catch (e) {
    return { ok: false, reason: describeError(e) };
  }
  const refused = refuse(stat, maxBytes);
  if (refused) return refused;
  const pseudo = pseudoFileSystem(path);
  if (pseudo)
    return {
      ok: false,
      reason: `is on ${pseudo}, whose file sizes say nothing about what reading them returns`,
    };
  let fd: number | undefined;
  try {
    // O_NONBLOCK: should the path be swapped for a FIFO or a device after the check, open() does not wait.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
    const opened = fstatSync(fd);
    if (opened.dev !== stat.dev || opened.ino !== stat.ino)
      return { ok: false, reason: 'changed while it was being opened' };
    const again = refuse(opened, maxBytes);
    if (again) return again;
    const size = opened.size;
    const buffer = Buffer.alloc(size);
    let at = 0;
    while (at < size) {
      const n = readSync(fd, buffer, at, size - at, at);
      if (n <= 0) break;
      at += n;
    }
    return { ok: true, bytes: at === size ? buffer : buffer.subarray(0, at) };
  } catch (e) {
    return { ok: false, reason: describeError(e) };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function refuse(stat: Stats, maxBytes: number): { ok: false; reason: string; tooLarge?: number } | undefined {
  if (stat.isDirectory()) return { ok: false, reason: 'is a directory' };
  if (!stat.isFile())
    return { ok: false, reason: 'is not a regular file (a FIFO, device or socket is never read)' };
  if (stat.size > maxBytes)
    return {
      ok: false,
      reason: `is ${describeBytes(stat.size)}, over the linter's limit of ${describeBytes(maxBytes)} per file (MAX_FILE_BYTES)`,
      tooLarge: stat.size,
    };
  return undefined;
}

export function readConfigFile(path: string): ReadResult {
  const read = readRegularFile(path);
  if (!read.ok) return read;
  return { ok: true, text: decodeConfig(read.bytes).text };
}

function describeError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ELOOP') return 'too many levels of symbolic links';
  if (code === 'EAGAIN' || code === 'EWOULDBLOCK') return 'would block (it is never waited for)';
  return (e as Error).message;
}
