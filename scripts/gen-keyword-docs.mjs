// Generates docs/keywords.md from the schema (keywords.json + docs/*.json). `--check` fails when the
// committed file is stale, so the reference cannot drift from the data the editor features use.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const schemaDir = join(root, 'server/src/schema');
const keywords = JSON.parse(readFileSync(join(schemaDir, 'keywords.json'), 'utf8'));
const docs = Object.assign(
  {},
  ...['global', 'vrrp', 'lvs', 'checkers'].map((f) =>
    JSON.parse(readFileSync(join(schemaDir, 'docs', `${f}.json`), 'utf8')),
  ),
);

const esc = (s) => String(s).replace(/\|/g, '\\|').replace(/\n/g, ' ');
// GitHub's heading anchors: lower case, punctuation dropped (not _ or -), spaces to hyphens.
const anchor = (heading) =>
  heading
    .toLowerCase()
    .replace(/[^\w\- ]/g, '')
    .replace(/ /g, '-');

const groups = new Map();
for (const k of keywords) {
  const group = k.parent === '' ? (k.block ? k.path : '(top level)') : k.path.split('/')[0];
  if (!groups.has(group)) groups.set(group, []);
  groups.get(group).push(k);
}

const out = [
  '# keepalived keywords',
  '',
  `Generated from the schema by \`scripts/gen-keyword-docs.mjs\`: all ${keywords.length} keywords of keepalived 2.4.3,`,
  'where each may appear, its arguments, default and an example. The same text is the hover documentation in editors.',
  '',
  '## Contents',
  '',
  ...[...groups.keys()].map((g) => `- [${g}](#${anchor('Block ' + g)})`),
  '',
];
for (const [group, list] of groups) {
  out.push(`## Block ${group}`, '');
  for (const k of list) {
    const d = docs[k.path] ?? {};
    out.push(`### \`${k.path.replace(/\//g, ' › ')}\``, '');
    if (d.summary) out.push(d.summary, '');
    const facts = [];
    if (d.syntax) facts.push(`- Syntax: \`${d.syntax}\``);
    if (d.range) facts.push(`- Values: ${esc(d.range)}`);
    if (d.default) facts.push(`- Default: ${esc(d.default)}`);
    if (k.block) facts.push(`- Opens a block of ${k.block === 'values' ? 'value lines' : 'keywords'}`);
    if (k.deprecated)
      facts.push(`- Deprecated${k.deprecated.replacement ? `: use \`${k.deprecated.replacement}\`` : ''}`);
    if (k.since) facts.push(`- Since keepalived ${k.since}`);
    if (k.buildFlags) facts.push(`- Needs keepalived built with ${k.buildFlags.join(', ')}`);
    out.push(...facts, '');
    if (d.example) out.push('```', d.example, '```', '');
  }
}
const text = out.join('\n');
const target = join(root, 'docs/keywords.md');
if (process.argv.includes('--check')) {
  const current = readFileSync(target, 'utf8');
  if (current !== text) {
    console.error('docs/keywords.md is stale: run `npm run gen`');
    process.exit(1);
  }
} else {
  writeFileSync(target, text);
  console.log(`wrote ${target}`);
}
