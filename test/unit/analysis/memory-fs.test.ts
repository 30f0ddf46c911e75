// The memory file system stands in for the machine in tests: owners, modes, folders and symbolic links
// must read back as a real file system would give them.
import { describe, expect, it } from 'vitest';
import { MemoryFileSystem } from '../../../server/src/analysis/fs';

describe('MemoryFileSystem', () => {
  it('gives files and folders their modes and owners; implicit folders are root-owned 755', () => {
    const fs = new MemoryFileSystem();
    fs.write('/opt/a/x.sh', 'echo', 0o100750, { uid: 1000, gid: 1001 });
    fs.mkdir('/opt', 0o1777, { uid: 5 });
    expect(fs.stat('/opt/a/x.sh')).toMatchObject({ kind: 'file', mode: 0o100750, uid: 1000, gid: 1001 });
    expect(fs.stat('/opt')).toMatchObject({ kind: 'dir', mode: 0o41777, uid: 5, gid: 0 });
    expect(fs.stat('/opt/a')).toMatchObject({ kind: 'dir', mode: 0o40755, uid: 0, gid: 0 });
    expect(fs.stat('/nothing').kind).toBe('missing');
    expect(fs.readDir('/opt')).toEqual(['a']);
  });

  it('follows symbolic links for stat, realpath and reads, not for lstat', () => {
    const fs = new MemoryFileSystem();
    fs.write('/srv/real/check.sh', '#!/bin/sh\n', 0o100755, { uid: 7 });
    fs.symlink('/srv/real', '/opt/dir-link');
    fs.symlink('/opt/dir-link/check.sh', '/usr/local/bin/check', { uid: 3 });
    expect(fs.stat('/usr/local/bin/check')).toMatchObject({ kind: 'file', uid: 7, symlink: true });
    expect(fs.lstat('/usr/local/bin/check')).toMatchObject({ kind: 'other', uid: 3, symlink: true });
    expect(fs.realpath('/usr/local/bin/check')).toBe('/srv/real/check.sh');
    expect(fs.readFile('/opt/dir-link/check.sh')).toBe('#!/bin/sh\n');
    expect(fs.lstat('/opt/dir-link/check.sh')).toMatchObject({ kind: 'file', symlink: false });
  });

  it('takes a link loop for a missing path', () => {
    const fs = new MemoryFileSystem();
    fs.symlink('/b', '/a');
    fs.symlink('/a', '/b');
    expect(fs.stat('/a').kind).toBe('missing');
    expect(fs.realpath('/a')).toBeUndefined();
  });
});
