import { describe, expect, it } from 'vitest';
import { MemoryFileSystem } from '../../../server/src/analysis/fs';
import { ConfigFileScan, scanConfigFiles } from '../../../server/src/analysis/folder-scan';

function tree(): MemoryFileSystem {
  const fs = new MemoryFileSystem({
    '/w/keepalived.conf': '',
    '/w/b/vi.conf': '',
    '/w/a/z.conf': '',
    '/w/a/notes.txt': '',
    '/w/.git/x.conf': '',
    '/w/.hidden.conf': '',
    '/w/node_modules/pkg/y.conf': '',
    '/w/a/deep/er/d.conf': '',
    '/other/o.conf': '',
  });
  fs.symlink('/other', '/w/link');
  fs.symlink('/other/o.conf', '/w/linked.conf');
  return fs;
}

describe('the folder scan (CLI folders, the server workspace, Workspace folders)', () => {
  it('walks depth-first in name order, skipping hidden names, node_modules, links and other files', () => {
    expect(scanConfigFiles(tree(), '/w', { maxFiles: 100, maxDepth: 32 })).toEqual({
      files: ['/w/a/deep/er/d.conf', '/w/a/z.conf', '/w/b/vi.conf', '/w/keepalived.conf'],
      truncated: false,
    });
  });

  it('stops at its depth and at its file limit, and says when files were left unseen', () => {
    expect(scanConfigFiles(tree(), '/w', { maxFiles: 100, maxDepth: 1 }).files).toEqual([
      '/w/a/z.conf',
      '/w/b/vi.conf',
      '/w/keepalived.conf',
    ]);
    expect(scanConfigFiles(tree(), '/w', { maxFiles: 2, maxDepth: 32 })).toEqual({
      files: ['/w/a/deep/er/d.conf', '/w/a/z.conf'],
      truncated: true,
    });
    // Exactly as many files as the limit: nothing was left, so nothing is truncated.
    expect(scanConfigFiles(tree(), '/w', { maxFiles: 4, maxDepth: 32 }).truncated).toBe(false);
  });

  it('lists a bounded number of folders per step, and takes folders created meanwhile', () => {
    const fs = tree();
    const found: string[] = [];
    const take = (path: string): boolean => found.push(path) > 0;
    const scan = new ConfigFileScan(fs, ['/w'], 12);
    let steps = 0;
    while (!scan.step(take, 1)) steps++;
    expect(scan.listed).toBe(5); // /w, a, a/deep, a/deep/er, b
    expect(steps).toBe(4);
    fs.write('/w/c/new.conf', '');
    scan.addFolder('/w/c', 1);
    expect(scan.step(take)).toBe(true);
    expect(found).toEqual([
      '/w/a/deep/er/d.conf',
      '/w/a/z.conf',
      '/w/b/vi.conf',
      '/w/keepalived.conf',
      '/w/c/new.conf',
    ]);
  });
});
