// Bundles the CLI, the language server and (when present) the VS Code client into dist/, and the web
// extension and its language server (a web worker) into dist/web/.
// tsc only type-checks; esbuild produces the runnable files.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { lazyLibraryBuiltins } from './scripts/build/lazy-builtins.mjs';

// The CLI and the server are bundles (cli.bundle.js, server.bundle.js) started by a small loader of the
// same name as before (cli.js, server.js: server/src/boot.ts), which keeps a V8 code cache of its bundle.
const entries = [
  { in: 'server/src/cli.ts', out: 'cli.bundle' },
  { in: 'server/src/main.ts', out: 'server.bundle' },
  { in: 'client/src/extension.ts', out: 'extension' },
].filter((e) => existsSync(e.in));

/**
 * JSON data (the keyword table, its docs) becomes `JSON.parse('...')` of one string instead of an object
 * literal: V8 scans a string and parses JSON much faster than it compiles and runs a literal of the same
 * size, which is a large part of start-up.
 */
const jsonAsString = {
  name: 'json-as-string',
  setup(b) {
    // The schema's files are imported whole (default imports); package.json keeps esbuild's loader, which
    // inlines just the fields imported by name.
    b.onLoad({ filter: /[\\/]server[\\/]src[\\/]schema[\\/].*\.json$/ }, (args) => {
      const text = JSON.stringify(JSON.parse(readFileSync(args.path, 'utf8')));
      // CommonJS, as esbuild's own JSON loader makes it: a require() inside a function (the docs, in
      // schema/index.ts) is then a module evaluated at its first call, and returns the object itself.
      return { contents: `module.exports = JSON.parse(${JSON.stringify(text)});`, loader: 'js' };
    });
  },
};

await build({
  entryPoints: entries,
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  // Smaller to read and compile at every start; identifiers keep their names, so stack traces stay
  // readable without the source map.
  minifyWhitespace: true,
  minifySyntax: true,
  plugins: [jsonAsString, lazyLibraryBuiltins],
  external: ['vscode'],
  logLevel: 'warning',
});

// Code caches of the bundles just replaced are of no use any more (their names hold the old hash), and
// the loaders have no source map (those of before they were loaders would be stale).
for (const f of readdirSync('dist'))
  if (/\.cache(\.\d+\.tmp)?$|^(cli|server)\.js\.map$/.test(f)) rmSync(`dist/${f}`);
for (const name of ['cli', 'server']) {
  const bundle = `${name}.bundle.js`;
  const bytes = readFileSync(`dist/${bundle}`);
  // The loader reads the bundle as latin1, which is only the same text as UTF-8 for ASCII.
  if (bytes.some((b) => b > 127)) throw new Error(`dist/${bundle} is not ASCII: the loader would misread it`);
  const id = createHash('sha256').update(bytes).digest('hex').slice(0, 16);
  await build({
    entryPoints: ['server/src/boot.ts'],
    outfile: `dist/${name}.js`,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minifyWhitespace: true,
    minifySyntax: true,
    define: {
      BUNDLE: JSON.stringify(bundle),
      BUILD_ID: JSON.stringify(id),
      THREADS: String(name === 'server'),
    },
    logLevel: 'warning',
  });
}
// The CLI's code cache, made by a run over the examples: it then holds the code of the analysis and the
// checks too, which a first run on an empty file would not have compiled. (Without it, the first run
// makes one; a different Node makes its own.)
if (existsSync('examples'))
  spawnSync(process.execPath, ['dist/cli.js', '--no-settings', 'examples'], { stdio: 'ignore' });

/**
 * The browser has no Node: node:path is POSIX string work (a small module of ours), and the modules that
 * reach the machine become stubs that throw, never called there (the browser server's machine is the
 * editor's, server/src/web/web-machine.ts). scripts/check-web-bundle.mjs holds the bundles to it.
 */
const SHIMS = 'server/src/web/shims';
const browserAlias = {
  'node:path': `./${SHIMS}/path.ts`,
  path: `./${SHIMS}/path.ts`,
  'node:url': `./${SHIMS}/url.ts`,
  'node:fs': `./${SHIMS}/no-node.ts`,
  'node:os': `./${SHIMS}/no-node.ts`,
  'node:worker_threads': `./${SHIMS}/no-node.ts`,
  'node:crypto': `./${SHIMS}/no-node.ts`,
};

const browser = {
  bundle: true,
  platform: 'browser',
  target: 'es2022',
  sourcemap: true,
  alias: browserAlias,
  // The engine measures text in UTF-8 bytes with Buffer; the browser gets a small one of ours.
  inject: [`./${SHIMS}/buffer.ts`],
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
};
// The extension is loaded by the web extension host as CommonJS; the server is a worker script.
const web = [
  await build({
    ...browser,
    entryPoints: { extension: 'client/src/web.ts' },
    outdir: 'dist/web',
    format: 'cjs',
    external: ['vscode'],
    metafile: true,
  }),
  await build({
    ...browser,
    entryPoints: { server: 'server/src/web/web-main.ts' },
    outdir: 'dist/web',
    format: 'iife',
    metafile: true,
  }),
];
// What each web bundle still imports at run time, for scripts/check-web-bundle.mjs (not packaged).
const imports = Object.fromEntries(
  web
    .flatMap((r) => Object.entries(r.metafile.outputs))
    .map(([out, o]) => [out, [...new Set(o.imports.map((i) => i.path))]]),
);
writeFileSync('dist/web-imports.json', JSON.stringify(imports, null, 1) + '\n');
