// npm run bench: the project's benchmark (a script, not a test: it reports and asserts nothing).
// Generated configs of 1k, 10k and 100k lines and a 200-config workspace; in-process phases, whole
// processes (the CLI, node -e 0, keepalived -t), the language server over stdio, bundle sizes; then the
// thresholds of scripts/bench/thresholds.json and docs/performance.md. `--quick`: fewer runs, no 100k.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate, writeWorkspace } from './bench/generate.mjs';
import { bundleEngine, measureInChild } from './bench/in-process.mjs';
import { keepalivedAvailable, measureCli } from './bench/cli.mjs';
import { measureServer } from './bench/server-stdio.mjs';
import { generated, table, verdict, verdictLine, writeDoc } from './bench/report.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const quick = process.argv.includes('--quick');
const out = join(root, '.bench');
const log = (s) => process.stderr.write(s + '\n');

const machine = {
  cpu: cpus()[0]?.model ?? 'unknown CPU',
  cores: cpus().length,
  load: loadavg()
    .map((l) => l.toFixed(2))
    .join(' '),
  node: process.version,
  date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  keepalived: keepalivedAvailable()
    ? (/Keepalived v\S+/.exec(
        spawnSync('keepalived', ['--version'], { encoding: 'utf8' }).stderr ?? '',
      )?.[0] ?? 'keepalived')
    : 'keepalived not installed (apt-get install keepalived for the comparison)',
};

// Runs per size: enough for steady medians within ~5 minutes on a 2-core machine (--quick: ~1 minute).
const plan = quick
  ? { sizes: [1000, 10000], inProcess: { 1000: 10, 10000: 5 }, cli: 4, keepalived: 5, workspace: 1, edits: 6 }
  : {
      sizes: [1000, 10000, 100000],
      inProcess: { 1000: 30, 10000: 20, 100000: 8 },
      cli: 10,
      keepalived: 20,
      workspace: 3,
      edits: 20,
    };

log(`generating configs under ${out}`);
mkdirSync(out, { recursive: true });
const files = {};
for (const n of plan.sizes) {
  // Each in its own folder: the server scans an opened file's folder for configs that include it.
  const dir = join(out, 'sizes', String(n));
  mkdirSync(dir, { recursive: true });
  files[n] = join(dir, 'keepalived.conf');
  writeFileSync(files[n], generate(n));
}
const empty = join(out, 'empty', 'keepalived.conf');
mkdirSync(join(out, 'empty'), { recursive: true });
writeFileSync(empty, '');
const workspace = join(out, 'workspace');
const roots = writeWorkspace(workspace, 200);
const rootsFile = join(out, 'workspace-roots.json');
writeFileSync(rootsFile, JSON.stringify(roots));

log('bundling the engine entry points (.bench/engine.cjs)');
const engine = await bundleEngine(root);
const inProcess = {};
for (const n of plan.sizes) {
  log(`in process: ${n} lines, ${plan.inProcess[n]} runs`);
  inProcess[n] = measureInChild(engine, files[n], plan.inProcess[n]);
  inProcess[n].allocatedMB = measureInChild(engine, files[n], 1, 'alloc');
}
log(`in process: the workspace, ${plan.workspace} runs`);
inProcess.workspace = measureInChild(engine, rootsFile, plan.workspace, 'workspace');

log('whole processes: node -e 0, the CLI, keepalived -t');
const cli = measureCli({ root, files, empty, workspace, runs: plan.cli, keepalivedRuns: plan.keepalived });

log('the language server over stdio');
const server = await measureServer({
  serverJs: join(root, 'dist', 'server.js'),
  file: files[10000],
  workspace,
  workspaceRoot: roots[7],
  edits: plan.edits,
  requestCount: 100,
});

const bundles = {};
for (const dir of ['dist', 'dist/web'])
  for (const f of readdirSync(join(root, dir))
    .filter((f) => f.endsWith('.js'))
    .sort())
    bundles[`${dir}/${f}`] = statSync(join(root, dir, f)).size;
const vsixPath = join(root, 'keepalived.vsix');
const sizes = { bundles, vsix: existsSync(vsixPath) ? statSync(vsixPath).size : undefined };

const results = { machine, quick, inProcess, cli, server, sizes };
writeFileSync(join(out, 'results.json'), JSON.stringify(results, null, 1));
const { thresholds } = JSON.parse(readFileSync(join(root, 'scripts/bench/thresholds.json'), 'utf8'));
const verdicts = thresholds.map((t) => verdict(t, results));

console.log(table(results));
console.log('');
for (const v of verdicts) console.log(verdictLine(v));
writeDoc(join(root, 'docs/performance.md'), generated(results, verdicts), '# Performance\n');
log('wrote docs/performance.md (.bench/results.json has every figure)');
