import { describe, expect, it } from 'vitest';
import { Workspace } from '../../../server/src/analysis/workspace';
import { PrefetchFileSystem } from '../../../server/src/web/prefetch-fs';
import type { FileFacts } from '../../../server/src/web/protocol';
import { UriPaths } from '../../../server/src/web/uri-paths';
import { webMachine } from '../../../server/src/web/web-machine';

/** A client's file system: path -> text, or a list of names for a folder. */
function fetcher(tree: Record<string, string | string[]>, asked: string[][] = []) {
  return (paths: string[]): Promise<Map<string, FileFacts>> => {
    asked.push(paths);
    const out = new Map<string, FileFacts>();
    for (const p of paths) {
      const t = tree[p];
      if (t === undefined) continue;
      out.set(
        p,
        Array.isArray(t)
          ? { uri: p, kind: 'dir', size: 0, names: t }
          : { uri: p, kind: 'file', size: t.length, text: t },
      );
    }
    return Promise.resolve(out);
  };
}

describe('PrefetchFileSystem', () => {
  it('looks missing until fetched, then answers from what was fetched', async () => {
    const asked: string[][] = [];
    const fs = new PrefetchFileSystem(fetcher({ '/a.conf': 'x', '/d': ['a.conf'] }, asked));
    expect(fs.readFile('/a.conf')).toBeUndefined();
    expect(fs.readDir('/d')).toBeUndefined();
    expect(fs.stat('/nope').kind).toBe('missing');
    expect(fs.pending).toBe(3);
    expect(await fs.fetchMissing()).toBe(true);
    expect(asked).toEqual([['/a.conf', '/d', '/nope']]);
    expect(fs.readFile('/a.conf')).toBe('x');
    expect(fs.readDir('/d')).toEqual(['a.conf']);
    expect(fs.stat('/d').kind).toBe('dir');
    expect(fs.stat('/nope').kind).toBe('missing');
    // Everything asked for is known now (a missing file too): nothing more to fetch.
    expect(await fs.fetchMissing()).toBe(false);
    fs.forget('/a.conf');
    expect(fs.readFile('/a.conf')).toBeUndefined();
    expect(fs.pending).toBe(1);
  });

  it('refuses a file over the limit, as the disk reader does', async () => {
    const fs = new PrefetchFileSystem((paths) =>
      Promise.resolve(new Map(paths.map((p) => [p, { uri: p, kind: 'file', size: 5000 }]))),
    );
    fs.stat('/big.conf');
    await fs.fetchMissing();
    const read = fs.readText('/big.conf', 100);
    expect(read.ok).toBe(false);
    expect(read.ok ? 0 : read.tooLarge).toBe(5000);
  });

  it('lets the analysis read an include after the fetch rounds (as the server runs them)', async () => {
    const fs = new PrefetchFileSystem(
      fetcher({
        '/r/keepalived.conf': 'include conf.d/*.conf\n',
        '/r/conf.d': ['vi.conf'],
        '/r/conf.d/vi.conf': 'vrrp_instance VI_1 {\n  state MASTER\n}\n',
      }),
    );
    let model = new Workspace(fs).modelFor('/r/keepalived.conf');
    for (let round = 0; round < 5 && (await fs.fetchMissing()); round++)
      model = new Workspace(fs).modelFor('/r/keepalived.conf');
    expect([...(model?.files.keys() ?? [])].sort()).toEqual(['/r/conf.d/vi.conf', '/r/keepalived.conf']);
  });
});

describe('UriPaths', () => {
  it('maps the workspace URIs to paths and back, keeping other URIs whole', () => {
    const u = new UriPaths();
    expect(u.toPath('vscode-test-web://mount/etc/keepalived/a%20b.conf')).toBe('/etc/keepalived/a b.conf');
    expect(u.toUri('/etc/keepalived/a b.conf')).toBe('vscode-test-web://mount/etc/keepalived/a%20b.conf');
    expect(u.toPath('vscode-vfs://github/o/r/x.conf')).toBe('vscode-vfs://github/o/r/x.conf');
    expect(u.toPath('untitled:Untitled-1')).toBe('untitled:Untitled-1');
  });
});

describe('webMachine', () => {
  it('asks the client by URI and knows nothing of the nodes', async () => {
    const asked: unknown[] = [];
    const m = webMachine((params) => {
      asked.push(params);
      return Promise.resolve({
        files: params.uris.map((uri) => ({ uri, kind: 'file' as const, size: 1, text: 'x' })),
      });
    });
    m.toPath('vscode-test-web://mount/');
    expect(m.fs.readFile('/a.conf')).toBeUndefined();
    expect(await m.fetchMissing?.()).toBe(true);
    expect(asked).toEqual([{ uris: ['vscode-test-web://mount/a.conf'], maxBytes: expect.any(Number) }]);
    expect(m.fs.readFile('/a.conf')).toBe('x');
    expect(m.hostFacts).toBe(false);
    const security = m.security(true);
    expect(security.host.known).toBe(false);
    expect(security.fs.stat('/etc/keepalived/notify.sh').kind).toBe('missing');
    expect(m.users()).toEqual([]);
  });

  it('a client that fails leaves the files missing, never a crash', async () => {
    const m = webMachine(() => Promise.reject(new Error('gone')));
    m.toPath('vscode-test-web://mount/');
    m.fs.stat('/a.conf');
    expect(await m.fetchMissing?.()).toBe(true);
    expect(m.fs.stat('/a.conf').kind).toBe('missing');
  });
});
