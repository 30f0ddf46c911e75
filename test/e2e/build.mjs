// Bundles the extension-host suite (test/e2e/suite/*.ts) into test/e2e/out/suite/index.js, a CommonJS
// module exporting run(); `vscode` stays external (the extension host provides it).
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const suiteBundle = join(here, 'out', 'suite', 'index.js');

export async function buildSuite() {
  await build({
    entryPoints: [join(here, 'suite', 'index.ts')],
    outfile: suiteBundle,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    external: ['vscode'],
    logLevel: 'warning',
  });
  return suiteBundle;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(await buildSuite());
}
