// In-process phases of the engine, per file: a raw-regex floor, lex, parse, read as keepalived (placing
// every statement and building the model), checks. The engine's entry points are bundled from server/src
// with esbuild into .bench/engine.cjs (dist/ only holds the CLI and server, which hide them).
//
// Each size runs in a fresh child process (`node --expose-gc in-process.mjs ENGINE FILE RUNS`), so one
// size's heap does not weigh on the next and peak RSS is the size's own.
//
// The timed runs follow each other without forced collections, as a language server analyses a file edit
// after edit: each run's garbage is collected by the collections that fall in the runs after it, and the
// mean over the runs is the cost of one analysis, its collections included. A forced full collection
// (`gc()`) does not keep the hidden classes that no live object has (collections V8 starts itself keep them
// for a few collections, --retain-maps-for-n-gc), and the optimised code that checks for them is dropped
// (`--trace-deopt`: "reason: weak objects", about 15 functions per collection: the parser's, the reader's,
// the argument checks'), so the run after one is largely a re-warm-up, about twice as slow. That case is
// measured apart (afterCollection), not mixed into the phases.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { summarize } from './stats.mjs';

const SELF = fileURLToPath(import.meta.url);

/** What the benchmark reaches inside the engine; one place to follow it when the engine moves. */
const ENTRY = `
export { lex } from './server/src/syntax/lexer';
export { parse } from './server/src/syntax/parser';
export { parseFile } from './server/src/analysis/document';
export { buildModel } from './server/src/analysis/model';
export { lintFile } from './server/src/checks/index';
export { Workspace } from './server/src/analysis/workspace';
export { nodeFileSystem } from './server/src/node/fs';
`;

export async function bundleEngine(root) {
  const { build } = await import('esbuild');
  const outfile = join(root, '.bench', 'engine.cjs');
  await build({
    stdin: { contents: ENTRY, resolveDir: root, loader: 'ts', sourcefile: 'bench-entry.ts' },
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'warning',
  });
  return outfile;
}

/**
 * Allocation is measured in its own child with a young generation of 1 GB: no collection runs during the
 * analysis, so the heap's growth over each phase is what the phase allocated (short-lived objects included).
 */
const ALLOC_FLAGS = ['--max-semi-space-size=1024', '--min-semi-space-size=1024'];

/** Runs one file's measurements in a child; returns its JSON (measureFile, measureAllocation, measureWorkspace). */
export function measureInChild(engine, file, runs, mode = 'file') {
  const flags = ['--expose-gc', ...(mode === 'alloc' ? ALLOC_FLAGS : [])];
  const r = spawnSync(process.execPath, [...flags, SELF, mode, engine, file, String(runs)], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  if (r.status !== 0) throw new Error(`in-process bench of ${file} failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** A single regex pass over the text, splitting it into words, quoted strings, braces and line ends. */
function regexFloor(text) {
  const re = /"[^"\n]*"|[{}]|[^\s{}"]+|\n/g;
  let n = 0;
  while (re.exec(text)) n++;
  return n;
}

function cpuMs() {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** CPU and wall time of fn. */
function timed(fn) {
  const c0 = cpuMs();
  const w0 = performance.now();
  const value = fn();
  return { value, cpu: cpuMs() - c0, wall: performance.now() - w0 };
}

/**
 * Analyses before the measured ones. Counted, not timed: what runs once per analysis (the objects, the
 * configuration-wide checks) is optimised only after some analyses, whatever the file's size; with 10 the
 * 10k-line file still measured about twice its settled time, with 30 it has settled.
 */
const WARM_RUNS = 30;

const PHASES = ['floor', 'lex', 'parse', 'read', 'checks', 'total'];

function analyseOnce(engine, path, text) {
  const floor = timed(() => regexFloor(text));
  // Only the count is kept: the tokens must not weigh on the memory figures (parseFile lexes on its own).
  const lexed = timed(() => engine.lex(text).tokens.length);
  const parsed = timed(() => engine.parseFile(path, text));
  const read = timed(() => engine.buildModel(parsed.value, {}, () => undefined));
  const checks = timed(() => engine.lintFile(read.value.files.get(path), {}));
  const total = {
    cpu: parsed.cpu + read.cpu + checks.cpu,
    wall: parsed.wall + read.wall + checks.wall,
  };
  return { floor, lex: lexed, parse: parsed, read, checks, total, diagnostics: checks.value.length };
}

/** The engine's one-time set-up (parser construction, keyword tables), paid on a tiny config. */
function warmUp(engine) {
  const model = engine.buildModel(engine.parseFile('warm', 'global_defs {\n}\n'), {}, () => undefined);
  engine.lintFile(model.files.get('warm'));
}

function measureFile(engine, path, runs) {
  const text = readFileSync(path, 'utf8');
  // Memory first, in the fresh process: one analysis kept alive, after the engine's one-time set-up
  // (parser construction, keyword tables) was paid on a tiny config.
  warmUp(engine);
  globalThis.gc();
  const heap0 = process.memoryUsage().heapUsed;
  const rss0 = process.resourceUsage().maxRSS;
  let kept = analyseOnce(engine, path, text);
  const heapBeforeGc = process.memoryUsage().heapUsed;
  globalThis.gc();
  const memory = {
    retainedMB: (process.memoryUsage().heapUsed - heap0) / 2 ** 20,
    heapGrowthMB: (heapBeforeGc - heap0) / 2 ** 20,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
    rssGrowthMB: (process.resourceUsage().maxRSS - rss0) / 1024,
  };
  // The first analysis in the process, before the JIT has warmed up: what a one-shot CLI run pays.
  const cold = { cpu: kept.total.cpu, wall: kept.total.wall };
  const diagnostics = kept.diagnostics;
  kept = undefined;
  // Warm: WARM_RUNS first, so the JIT and the heap's sizing settle; then the measured runs.
  for (let r = 0; r < WARM_RUNS; r++) analyseOnce(engine, path, text);
  const samples = Object.fromEntries(PHASES.map((p) => [p, { cpu: [], wall: [] }]));
  for (let r = 0; r < runs; r++) {
    const run = analyseOnce(engine, path, text);
    for (const p of PHASES) {
      samples[p].cpu.push(run[p].cpu);
      samples[p].wall.push(run[p].wall);
    }
  }
  const phases = Object.fromEntries(
    PHASES.map((p) => [p, { cpu: summarize(samples[p].cpu), wall: summarize(samples[p].wall) }]),
  );
  // Right after a forced (memory-reducing) full collection, as the header says: the runs that
  // re-optimise what the collection dropped. Measured last, so no other figure follows one.
  const after = { cpu: [], wall: [] };
  for (let r = 0; r < Math.min(runs, 5); r++) {
    globalThis.gc();
    const run = analyseOnce(engine, path, text);
    after.cpu.push(run.total.cpu);
    after.wall.push(run.total.wall);
  }
  const afterCollection = { cpu: summarize(after.cpu), wall: summarize(after.wall) };
  return { lines: text.split('\n').length - 1, runs, diagnostics, memory, cold, phases, afterCollection };
}

/** MB allocated by each phase of one analysis, and how many collections ran anyway (then a lower bound). */
function measureAllocation(engine, path) {
  const text = readFileSync(path, 'utf8');
  warmUp(engine);
  globalThis.gc();
  let gcs = 0;
  const observer = new PerformanceObserver((list) => (gcs += list.getEntries().length));
  observer.observe({ entryTypes: ['gc'] });
  const heap = () => process.memoryUsage().heapUsed / 2 ** 20;
  const h0 = heap();
  const parsed = engine.parseFile(path, text);
  const h1 = heap();
  const model = engine.buildModel(parsed, {}, () => undefined);
  const h2 = heap();
  engine.lintFile(model.files.get(path), {});
  const h3 = heap();
  // Collections reach the observer asynchronously, after the analysis.
  return new Promise((resolve) =>
    setTimeout(() => {
      observer.disconnect();
      resolve({ parse: h1 - h0, read: h2 - h1, checks: h3 - h2, total: h3 - h0, gcs });
    }, 100),
  );
}

/** Every configuration of a workspace folder read, analysed and checked, as the CLI does for a folder. */
function measureWorkspace(engine, roots, runs) {
  const cpu = [];
  const wall = [];
  let files = 0;
  for (let r = 0; r < 2 * runs; r++) {
    const t = timed(() => {
      const ws = new engine.Workspace(engine.nodeFileSystem, {});
      let n = 0;
      for (const root of roots) {
        const model = ws.modelFor(root);
        for (const file of model.files.values()) {
          engine.lintFile(file, {});
          n++;
        }
      }
      return n;
    });
    files = t.value;
    if (r < runs) continue; // warm-up, as for one file
    cpu.push(t.cpu);
    wall.push(t.wall);
  }
  return { roots: roots.length, files, runs, total: { cpu: summarize(cpu), wall: summarize(wall) } };
}

if (process.argv[1] === SELF) {
  const [mode, enginePath, arg, runs] = process.argv.slice(2);
  const engine = createRequire(import.meta.url)(enginePath);
  const result =
    mode === 'workspace'
      ? measureWorkspace(engine, JSON.parse(readFileSync(arg, 'utf8')), Number(runs))
      : mode === 'alloc'
        ? await measureAllocation(engine, arg)
        : measureFile(engine, arg, Number(runs));
  process.stdout.write(JSON.stringify(result));
}
