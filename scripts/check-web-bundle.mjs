// The web extension's bundles (dist/web/, built by esbuild.mjs) must not import any Node built-in module:
// in the browser there is none, and one left in would fail only when that code runs. Builds the bundles
// and reads what each still imports at run time (esbuild's metafile, dist/web-imports.json): only
// `vscode` may be there. `node scripts/check-web-bundle.mjs` prints each problem and exits 1.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** The problems of a bundle -> imports table: built-ins, and anything else but `vscode`. */
export function webImportProblems(imports) {
  const problems = [];
  for (const [bundle, names] of Object.entries(imports))
    for (const name of names)
      if (BUILTINS.has(name) || name.startsWith('node:'))
        problems.push(`${bundle}: imports the Node built-in '${name}', which the browser does not have`);
      else if (name !== 'vscode')
        problems.push(`${bundle}: imports '${name}' at run time; bundle it instead`);
  return problems;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const built = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) process.exit(1);
  const imports = JSON.parse(readFileSync(join(root, 'dist/web-imports.json'), 'utf8'));
  if (Object.keys(imports).length < 2) {
    console.error('dist/web-imports.json: the web bundles are missing');
    process.exit(1);
  }
  const problems = webImportProblems(imports);
  for (const p of problems) console.error(p);
  if (problems.length) process.exit(1);
}
