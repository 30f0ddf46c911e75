// An esbuild plugin for the language server's bundle: node:crypto and node:child_process, as
// vscode-jsonrpc and vscode-languageserver import them (random pipe names and UUIDs, finding global npm
// modules), are loaded at their first use, which a server over stdio mostly never reaches, instead of at
// every start (about 1.7 ms of its CPU before it can answer initialize). vscode-languageclient (the VS Code
// extension) is left alone: it forks the server at once. The stand-in loads the module on any question
// about it (a property, the list of its names, `in`), so code that copies its exports (TypeScript's
// __importStar) sees the module itself.

const LIBRARIES = /[\\/]node_modules[\\/]vscode-(jsonrpc|languageserver)[\\/]/;

/** The stand-in's source: a Proxy whose every trap asks the module, loaded on the first one. */
export function lazyModuleSource(name) {
  return `let loaded;
const real = () => (loaded ??= require('node:${name}'));
module.exports = new Proxy({}, {
  get: (_, key) => real()[key],
  has: (_, key) => key in real(),
  ownKeys: () => Reflect.ownKeys(real()),
  getOwnPropertyDescriptor: (_, key) => {
    const d = Object.getOwnPropertyDescriptor(real(), key);
    return d && { ...d, configurable: true };
  },
});`;
}

export const lazyLibraryBuiltins = {
  name: 'lazy-library-builtins',
  setup(b) {
    b.onResolve({ filter: /^(crypto|child_process)$/ }, (args) =>
      LIBRARIES.test(args.importer) ? { path: args.path, namespace: 'lazy-builtin' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => ({
      contents: lazyModuleSource(args.path),
      loader: 'js',
    }));
  },
};
