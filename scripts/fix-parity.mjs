#!/usr/bin/env node
// `keepalived-lint --fix` judged by keepalived itself over ../shared/corpus (`npm run test:fix`,
// docs/robustness.md). It copies the corpus folders that parity reads (keepalived-samples/, real/,
// devel/) twice into a scratch folder, runs dist/cli.js --fix on every configuration of one copy, all
// named at once as a user fixing a tree would, targeting the installed keepalived and putting `nobody`
// (an account this machine has) on the scripts it fixes, and checks that
//   1. every byte outside the edits the linter offered is kept: each fixed file is its original with only
//      those ranges rewritten (and files that were not named are not touched at all);
//   2. a second --fix changes nothing (idempotent);
//   3. keepalived -t on each fixed configuration says nothing the original did not, apart from what only
//      describes this machine (oracle.mjs MACHINE_MESSAGES, MACHINE_DROPS), drops no script the original
//      kept, and exits 0 wherever the original did.
// Exit 1 on any problem; with --require (or $CI), also when the corpus or keepalived is missing.
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FOLDERS, keepalivedVersion, listCorpus } from './parity.mjs';
import {
  configFiles,
  keepalivedAvailable,
  MACHINE_DROPS,
  MACHINE_MESSAGES,
  runOracle,
  scriptDrops,
} from './oracle.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'dist/cli.js');
const FIX_USER = 'nobody';

const argv = process.argv.slice(2);
if (argv.includes('--help')) {
  console.log(`usage: npm run test:fix -- [--require] [--corpus DIR]
  --require      fail when the corpus or keepalived is missing (default under $CI)
  --corpus DIR   the corpus (default ../shared/corpus)`);
  process.exit(0);
}
const require = argv.includes('--require') || !!process.env.CI;
const corpusArg = argv.indexOf('--corpus');
const corpus = resolve(corpusArg >= 0 ? argv[corpusArg + 1] : join(ROOT, '../shared/corpus'));

function unavailable(why) {
  console.log(`fix parity: ${why}: nothing checked`);
  process.exit(require ? 1 : 0);
}
if (!existsSync(corpus)) unavailable(`no corpus at ${corpus}`);
if (!keepalivedAvailable()) unavailable('keepalived is not installed');
if (!existsSync(CLI)) unavailable('dist/cli.js is missing (npm run build)');

// --- two copies of the corpus -------------------------------------------------------------------

const scratch = join(tmpdir(), 'keepalived-lint-fix-parity');
rmSync(scratch, { recursive: true, force: true });
const original = join(scratch, 'original');
const fixed = join(scratch, 'fixed');
for (const copy of [original, fixed])
  for (const folder of FOLDERS)
    if (existsSync(join(corpus, folder)))
      cpSync(join(corpus, folder), join(copy, folder), { recursive: true });
// The corpus is read-only, and --fix rightly leaves read-only files alone.
const writable = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const st = statSync(path);
    chmodSync(path, st.mode | 0o200);
    if (st.isDirectory()) writable(path);
  }
};
writable(fixed);

const { roots } = listCorpus(fixed);
const version = keepalivedVersion();
const cli = (args, env = {}) =>
  spawnSync(
    process.execPath,
    [CLI, '--keepalived-version', version, '--script-user', FIX_USER, ...args, ...roots],
    {
      cwd: fixed,
      encoding: 'utf8',
      maxBuffer: 1 << 30,
      env: { ...process.env, ...env },
    },
  );

/** Every file of a tree, relative to it, with its bytes. */
function snapshot(dir) {
  const files = new Map();
  const walk = (d) => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(relative(dir, path), readFileSync(path));
    }
  };
  walk(dir);
  return files;
}

// --- 1. only the offered edits change, round by round -----------------------------------------

/** Per file (relative to the copy), the ranges the fixes of a lint run offer to rewrite. */
function offeredRanges() {
  const offered = JSON.parse(cli(['--format', 'json']).stdout);
  const ranges = new Map();
  for (const d of offered.diagnostics)
    for (const f of d.fixes ?? [])
      for (const e of f.edits) {
        if (!e.range) continue;
        const file = relative(fixed, resolve(fixed, e.file ?? d.file));
        if (!ranges.has(file)) ranges.set(file, []);
        ranges.get(file).push(e.range);
      }
  return ranges;
}

const problems = [];
const start = snapshot(fixed);
const changedFiles = new Set();
// A fix can make another possible, so --fix works in rounds (cli/fix.ts): each round is run on its
// own and held to the edits offered by the findings it started from.
let rounds = 0;
for (; rounds < 10; rounds++) {
  const editable = offeredRanges();
  const before = snapshot(fixed);
  const run = cli(['--fix', '--format', 'json'], { KEEPALIVED_LINT_FIX_ROUNDS: '1' });
  if (run.status !== 0 && run.status !== 1)
    problems.push(`--fix exited ${run.status}: ${run.stderr.slice(0, 500)}`);
  const after = snapshot(fixed);
  let changes = 0;
  for (const [file, bytes] of after) {
    const was = before.get(file);
    if (was && was.equals(bytes)) continue;
    changes++;
    changedFiles.add(file);
    if (!was) problems.push(`${file}: created by --fix`);
    else if (!editable.has(file)) problems.push(`${file}: changed, but no fix offered an edit in it`);
    else if (!keptOutside(was, bytes, editable.get(file)))
      problems.push(`${file}: round ${rounds + 1} changed bytes outside the edits its findings offered`);
  }
  for (const file of before.keys()) if (!after.has(file)) problems.push(`${file}: removed by --fix`);
  if (changes === 0) break;
}
// Files a round changed and a later one changed back are not changed.
const changed = [...changedFiles].filter((f) => !start.get(f)?.equals(readFileSync(join(fixed, f))));

/** Offsets of line/character positions in a text (UTF-16, as LSP positions count). */
function offsetsOf(text) {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (p) => (starts[p.line] ?? text.length) + p.character;
}

/** The ranges as byte offsets, merged and in order. */
function byteCuts(bytes, ranges) {
  const text = bytes.toString('utf8');
  const at = offsetsOf(text);
  const byteAt = (p) => Buffer.byteLength(text.slice(0, at(p)), 'utf8');
  const cuts = ranges.map((r) => [byteAt(r.start), byteAt(r.end)]).sort((a, b) => a[0] - b[0]);
  const merged = [];
  for (const [start, end] of cuts) {
    const last = merged[merged.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

/**
 * The original's bytes are kept outside the ranges: with the ranges cutting it into kept₀ … keptₙ, the
 * fixed file is kept₀ x₀ kept₁ x₁ … keptₙ for some texts xᵢ.
 */
function keptOutside(was, now, ranges) {
  const cuts = byteCuts(was, ranges);
  const kept = [];
  let from = 0;
  for (const [start, end] of cuts) {
    kept.push(was.subarray(from, start));
    from = end;
  }
  const last = was.subarray(from);
  const head = kept[0] ?? last;
  if (!now.subarray(0, head.length).equals(head)) return false;
  if (!now.subarray(now.length - last.length).equals(last)) return false;
  let pos = head.length;
  for (const piece of kept.slice(1)) {
    const found = piece.length === 0 ? pos : now.indexOf(piece, pos);
    if (found < 0) return false;
    pos = found + piece.length;
  }
  return kept.length === 0 ? now.equals(was) : pos <= now.length - last.length;
}

// --- 2. idempotent: --fix as users run it (all rounds) changes nothing more ---------------------

const settled = snapshot(fixed);
cli(['--fix', '--format', 'json']);
for (const [file, bytes] of snapshot(fixed))
  if (!settled.get(file)?.equals(bytes)) problems.push(`${file}: --fix changed it again`);

// --- 3. keepalived accepts the fixed files at least as well -----------------------------------------

const rootSet = new Set(roots);
const neutral = (text, dir) => text.split(dir).join('<corpus>');
let judged = 0;
let notJudged = 0;
for (const file of changed) {
  // An included file is judged through the configurations that include it, which --fix named.
  const configs = rootSet.has(file)
    ? [file]
    : roots.filter((r) => configFiles(join(fixed, r)).includes(join(fixed, file)));
  for (const config of configs) {
    const was = runOracle(join(original, config));
    const now = runOracle(join(fixed, config));
    if (was.killed || now.killed || was.timedOut || now.timedOut) {
      notJudged++;
      continue;
    }
    judged++;
    const said = new Set(was.allMessages.map((m) => neutral(m.text, original)));
    for (const m of now.allMessages) {
      const text = neutral(m.text, fixed);
      if (!said.has(text) && !MACHINE_MESSAGES.test(text))
        problems.push(`${config}: keepalived -t now says: ${text}`);
    }
    if (was.exitCode === 0 && now.exitCode !== 0)
      problems.push(`${config}: keepalived -t exited 0, now ${now.exitCode}`);
    if (!now.log) continue;
    const dropped = new Set(scriptDrops(was.log ?? []).map((d) => neutral(d.text, original)));
    for (const d of scriptDrops(now.log)) {
      const text = neutral(d.text, fixed);
      if (!dropped.has(text) && !MACHINE_DROPS.has(d.kind))
        problems.push(`${config}: keepalived now drops a script: ${text}`);
    }
  }
}

console.log(
  `fix parity (keepalived ${version}): --fix on ${roots.length} configurations changed ${changed.length} files in ${rounds} rounds; ` +
    `${judged} fixed configurations judged by keepalived -t${notJudged ? `, ${notJudged} not (killed or timed out)` : ''}; ` +
    `${problems.length} problems`,
);
for (const p of problems) console.log(`  ${p}`);
rmSync(scratch, { recursive: true, force: true });
process.exit(problems.length ? 1 : 0);
