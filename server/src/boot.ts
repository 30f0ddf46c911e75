#!/usr/bin/env node
// The start of `keepalived-lint` (dist/cli.js) and of the language server (dist/server.js): loads the
// bundle next to it (dist/cli.bundle.js, dist/server.bundle.js) with a V8 code cache, so that a start
// does not compile the bundle's code again. Node 20 has no module.enableCompileCache(); compiling the
// bundle was most of the CLI's start-up above Node's own.
//
// The cache is a file next to the bundle, named after the bundle's content (BUILD_ID, a hash the build
// computes), V8's version and the architecture, so a rebuilt bundle or another Node never reads a cache
// made for something else; V8 also checks it (its version and flags) and rejects what does not fit,
// and then the bundle is compiled as if there were no cache. When there is none, or it was rejected, the
// process writes one, with the code of every function that ran by then: the CLI as it exits, the server
// two seconds after its start. The build (esbuild.mjs) makes the CLI's first one on the examples. Where the folder is not writable (a system-wide install) there
// is simply no cache. The bundle runs as this module: `require.main === module`, `__filename` (the
// server's worker thread starts this file again) and `require` are this file's.
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { wrap } from 'node:module';
import { join } from 'node:path';
import { Script } from 'node:vm';
import { isAnalysisWorker } from './thread-role';

/**
 * Set by esbuild.mjs: the bundle's file name, its content hash, and whether it starts worker threads
 * (the server: its analysis worker is this file again, and only the main thread writes the cache). The
 * CLI does not ask at all, and the server's main thread asks without node:worker_threads (thread-role.ts).
 */
declare const BUNDLE: string;
declare const BUILD_ID: string;
declare const THREADS: boolean;

/** When the long-running server writes its cache: after start-up and the first analyses. */
const WRITE_AFTER_MS = 2000;

const bundle = join(__dirname, BUNDLE);
const cacheFile = `${bundle}.${BUILD_ID}-${process.versions.v8}-${process.arch}.cache`;

function readCache(): Buffer | undefined {
  try {
    return readFileSync(cacheFile);
  } catch {
    return undefined;
  }
}

// A hashbang is only valid at the very start of a script, not inside the module wrapper: made a comment.
// The bundle is ASCII (esbuild escapes everything else; esbuild.mjs checks it), so latin1 reads it the
// same as UTF-8 would, without decoding.
const source = readFileSync(bundle, 'latin1').replace(/^#!/, '//');
const cachedData = readCache();
const script = new Script(wrap(source), { filename: bundle, cachedData });

const mainThread = !THREADS || !isAnalysisWorker();

if (mainThread && (cachedData === undefined || script.cachedDataRejected)) {
  let written = false;
  const write = (): void => {
    if (written) return;
    written = true;
    const temporary = `${cacheFile}.${process.pid}.tmp`;
    try {
      writeFileSync(temporary, script.createCachedData());
      // Whole or not at all: processes starting at the same time read either no cache or a complete one.
      renameSync(temporary, cacheFile);
    } catch {
      try {
        rmSync(temporary, { force: true });
      } catch {
        // Not even that: nothing is left to do.
      }
    }
  };
  // The server's exit comes after hours, or after a --version that ran next to nothing: it writes on
  // the timer only.
  if (!THREADS) process.once('exit', write);
  setTimeout(write, WRITE_AFTER_MS).unref();
}

(script.runInThisContext() as (...args: unknown[]) => void).call(
  module.exports,
  module.exports,
  require,
  module,
  __filename,
  __dirname,
);
