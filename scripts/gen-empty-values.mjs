#!/usr/bin/env node
// Builds server/src/schema/empty-values.json: what the installed keepalived (the targeted 2.2.7, Debian
// 12's) says on a keyword's line when the keyword comes with no value. keepalived's handlers do one of
// three things then:
//   - read the missing word with strvec_slot(), which reports "Configuration line starting `X` is
//     missing a parameter after keyword `X`" and exits (lib/parser.c null_strvec()): `stops`;
//   - test `vector_size(strvec) < 2` and report their own message, then return without setting
//     anything ("dbus_service_name missing - ignoring", "%s_rcv_bufs size missing", "SSL %s missing",
//     keepalived/core/global_parser.c, check/check_parser.c, ...): `message`;
//   - say nothing (the value is optional, or its absence is judged at the block's end).
// The schema's argument kinds cannot tell these apart for the many keywords keepalived's keyword
// inventory types loosely (STRING, NONE), so the handlers themselves are asked: each keyword that takes
// a value is run through `keepalived -t` (scripts/oracle.mjs) alone in its block, once with no value and
// once with a word, and what is said on its line only without the value is kept. gen-schema.mjs puts
// each entry on its keyword as `emptyValue`; checks/values/args.ts reports it (missing-argument).
//
//   node scripts/gen-empty-values.mjs          write the file (needs keepalived and root)
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { keepalivedAvailable, runOracle } from './oracle.mjs';
import { keepalivedVersion } from './parity.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const keywords = JSON.parse(readFileSync(join(root, 'server/src/schema/keywords.json'), 'utf8'));
const byPath = new Map(keywords.map((k) => [k.path, k]));

/** The header line of a block on the way to the keyword: its keyword and the value it needs. */
function header(path) {
  const spec = byPath.get(path);
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (name === 'virtual_server') return `${name} 10.0.0.1 80`;
  if (name === 'real_server') return `${name} 10.0.0.2 80`;
  if (spec && (spec.args.kind === 'name' || spec.args.kind === 'string')) return `${name} X1`;
  return name;
}

/** A config with the keyword alone (or with `value`) in its block; the keyword is on line `line`. */
function probe(path, value) {
  const parts = path.split('/');
  const lines = [];
  for (let i = 0; i < parts.length - 1; i++)
    lines.push(`${'  '.repeat(i)}${header(parts.slice(0, i + 1).join('/'))} {`);
  lines.push(`${'  '.repeat(parts.length - 1)}${parts.at(-1)}${value ? ` ${value}` : ''}`);
  for (let i = parts.length - 2; i >= 0; i--) lines.push(`${'  '.repeat(i)}}`);
  return { text: `${lines.join('\n')}\n`, line: parts.length };
}

function said(dir, path, value) {
  const { text, line } = probe(path, value);
  const file = join(dir, 'keepalived.conf');
  writeFileSync(file, text);
  const run = runOracle(file, 10000);
  return run.messages.filter((m) => m.line === line).map((m) => m.text);
}

if (!keepalivedAvailable()) {
  console.error('gen-empty-values: keepalived is not installed');
  process.exit(1);
}
const dir = mkdtempSync(join(tmpdir(), 'empty-values-'));
const values = {};
try {
  for (const k of keywords) {
    if (k.block || k.args.kind === 'none' || k.path.startsWith('<') || k.path.includes('$')) continue;
    const empty = said(dir, k.path);
    if (!empty.length || empty.some((t) => /^Unknown keyword/.test(t))) continue;
    const withValue = new Set(said(dir, k.path, '1'));
    const only = [...new Set(empty)].filter((t) => !withValue.has(t) && !/deprecated|Please use/i.test(t));
    if (!only.length) continue;
    const stops = only.some((t) => t.includes('is missing a parameter'));
    values[k.path] = stops
      ? { stops: true }
      : {
          message: only
            .join(' / ')
            .replaceAll('X1', '<name>')
            .replace(/\(\[10\.0\.0\.2\]:none:80\)/, '(<server>)'),
        };
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const out = join(root, 'server/src/schema/empty-values.json');
writeFileSync(out, `${JSON.stringify({ keepalived: keepalivedVersion(), values }, null, 1)}\n`);
console.log(`wrote ${Object.keys(values).length} keywords to ${out}`);
