// The npm package is the CLI and the language server; the VS Code extension's entries ("main", "browser")
// are for the .vsix only, but npm always packs the files they name. `prepack` takes them out of
// package.json for the pack and `postpack` puts the file back byte for byte (npm pack / npm publish run
// both; a failed pack leaves package.json.orig, which `restore` also puts back).
import { copyFileSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

const [mode] = process.argv.slice(2);
if (mode === 'strip') {
  if (existsSync('package.json.orig'))
    throw new Error('package.json.orig exists: run `node scripts/npm-manifest.mjs restore` first');
  copyFileSync('package.json', 'package.json.orig');
  const manifest = JSON.parse(readFileSync('package.json', 'utf8'));
  delete manifest.main;
  delete manifest.browser;
  writeFileSync('package.json', JSON.stringify(manifest, null, 2) + '\n');
} else if (mode === 'restore') {
  if (existsSync('package.json.orig')) renameSync('package.json.orig', 'package.json');
} else {
  throw new Error('usage: node scripts/npm-manifest.mjs strip|restore');
}
