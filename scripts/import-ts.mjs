// Imports a module of server/src from a generator script: esbuild bundles the TypeScript source in memory
// and the result is imported as a data: module, so the generators and the server read one list (the
// vocabulary, the symbol kinds) rather than copies of it. The module must not reach the machine.
import { build } from 'esbuild';

/** The module at `path` (a .ts file), bundled with what it imports. */
export async function importTs(path) {
  const bundled = await build({
    entryPoints: [path],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    write: false,
    logLevel: 'silent',
  });
  const code = bundled.outputFiles[0].text;
  return import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
}
