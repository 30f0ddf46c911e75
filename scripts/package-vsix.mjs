// Builds keepalived.vsix. package.json's "files" list is for the npm package (the CLI and the server);
// vsce refuses a "files" list next to .vscodeignore, so the .vsix is packed from a package.json without it
// (restored afterwards, whatever happens).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const original = readFileSync('package.json', 'utf8');
const manifest = JSON.parse(original);
delete manifest.files;
writeFileSync('package.json', JSON.stringify(manifest, null, 2) + '\n');
try {
  execFileSync('npx', ['--no-install', 'vsce', 'package', '--no-dependencies', '--out', 'keepalived.vsix'], {
    stdio: 'inherit',
  });
} finally {
  writeFileSync('package.json', original);
}
