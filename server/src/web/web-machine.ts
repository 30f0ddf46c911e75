// The browser's machine for the language server: files through the editor (PrefetchFileSystem over the
// `keepalived/readFiles` request), and nothing about the nodes: no accounts, no script files, no network
// interfaces. The engine's unknown-host mode covers that: findings that depend on the nodes say so, and
// none is raised for a fact that is only missing here.
import { MAX_FILE_BYTES } from '../analysis/budget';
import { EMPTY_FILE_SYSTEM } from '../analysis/fs';
import { UNKNOWN_HOST } from '../analysis/host';
import type { ServerMachine } from '../server-machine';
import { PrefetchFileSystem } from './prefetch-fs';
import type { FileFacts, ReadFilesParams, ReadFilesResult } from './protocol';
import { UriPaths } from './uri-paths';

/** Sends `keepalived/readFiles` to the client. */
export type ReadFiles = (params: ReadFilesParams) => Promise<ReadFilesResult>;

export function webMachine(readFiles: ReadFiles): ServerMachine {
  const uris = new UriPaths();
  const fs = new PrefetchFileSystem(async (paths) => {
    const byUri = new Map(paths.map((p) => [uris.toUri(p), p]));
    const facts = new Map<string, FileFacts>();
    let result: ReadFilesResult | undefined;
    try {
      result = await readFiles({ uris: [...byUri.keys()], maxBytes: MAX_FILE_BYTES });
    } catch {
      result = undefined; // a client that cannot answer: the files stay missing, as on a machine without them
    }
    for (const f of Array.isArray(result?.files) ? result.files : []) {
      const path = byUri.get(f?.uri);
      if (path !== undefined) facts.set(path, f);
    }
    return facts;
  });
  return {
    fs,
    hostFacts: false,
    security: () => ({ host: UNKNOWN_HOST, fs: EMPTY_FILE_SYSTEM }),
    users: () => [],
    interfaces: () => [],
    listDir: (path) => {
      const names = fs.readDir(path);
      return names?.map((name) => ({
        name,
        dir: fs.stat(`${path.replace(/\/$/, '')}/${name}`).kind === 'dir',
      }));
    },
    toPath: (uri) => uris.toPath(uri),
    toUri: (path) => uris.toUri(path),
    fetchMissing: () => fs.fetchMissing(),
    changed: (path) => fs.forget(path),
  };
}
