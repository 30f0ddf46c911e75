// The parse cache the language server shares between configurations (analysis/workspace.ts ParseCache):
// with trustDisk, a file read once is not read again until it is reported changed; without, every build
// reads it (the CLI, tests) but parses it again only when its text changed.
import { describe, expect, it } from 'vitest';
import { MemoryFileSystem, type FileSystem } from '../../../server/src/analysis/fs';
import { ParseCache, Workspace } from '../../../server/src/analysis/workspace';

const ROOT = '/k/keepalived.conf';
const INC = '/k/scripts.inc';
const root = 'include scripts.inc\nvrrp_instance VI_1 {\n    track_script {\n        chk\n    }\n}\n';
const script = (name: string) => `vrrp_script ${name} {\n    script "/bin/true"\n}\n`;

/** The file system with each text read counted by path. */
function counting(fs: MemoryFileSystem): { fs: FileSystem; reads: Map<string, number> } {
  const reads = new Map<string, number>();
  const counted = Object.create(fs) as FileSystem;
  counted.readText = (path, max) => {
    reads.set(path, (reads.get(path) ?? 0) + 1);
    return fs.readText(path, max);
  };
  counted.readFile = (path) => {
    const r = counted.readText(path, 1 << 20);
    return r.ok ? r.text : undefined;
  };
  return { fs: counted, reads };
}

describe('ParseCache', () => {
  it('shared and trusted: two workspaces read and parse an included file once; changed() makes it read again', () => {
    const disk = new MemoryFileSystem({ [ROOT]: root, [INC]: script('chk') });
    const { fs, reads } = counting(disk);
    const cache = new ParseCache(true);
    const a = new Workspace(fs, {}, cache);
    const b = new Workspace(fs, {}, cache);
    const tree = a.modelFor(ROOT)!.files.get(INC)!.tree;
    expect(b.modelFor(ROOT)!.files.get(INC)!.tree).toBe(tree);
    expect(reads.get(INC)).toBe(1);
    // Rebuilt after an edit elsewhere: nothing read.
    a.invalidate();
    a.modelFor(ROOT);
    expect(reads.get(INC)).toBe(1);
    // The file changed on disk, and the cache is told: read again, and the new text is what is used.
    disk.write(INC, script('other'));
    cache.changed(INC);
    a.invalidate();
    expect(a.modelFor(ROOT)!.files.get(INC)!.text).toBe(script('other'));
    expect(reads.get(INC)).toBe(2);
  });

  it('distrust(): every file is read again, and parsed again only if its text changed', () => {
    const { fs, reads } = counting(new MemoryFileSystem({ [ROOT]: root, [INC]: script('chk') }));
    const cache = new ParseCache(true);
    const ws = new Workspace(fs, {}, cache);
    const tree = ws.modelFor(ROOT)!.files.get(INC)!.tree;
    cache.distrust();
    ws.invalidate();
    expect(ws.modelFor(ROOT)!.files.get(INC)!.tree).toBe(tree);
    expect(reads.get(INC)).toBe(2);
  });

  it('without trustDisk (the default) every build reads the disk, so a change is seen without being told', () => {
    const disk = new MemoryFileSystem({ [ROOT]: root, [INC]: script('chk') });
    const ws = new Workspace(disk);
    expect(ws.analysis(ROOT)).toBeDefined();
    disk.write(INC, script('other'));
    ws.invalidate();
    expect(ws.modelFor(ROOT)!.files.get(INC)!.text).toBe(script('other'));
  });

  it('retain() drops the trees of files no longer used', () => {
    const cache = new ParseCache(true);
    new Workspace(new MemoryFileSystem({ [ROOT]: root, [INC]: script('chk') }), {}, cache).modelFor(ROOT);
    expect(cache.size).toBe(2);
    cache.retain(new Set([ROOT]));
    expect(cache.size).toBe(1);
  });
});
