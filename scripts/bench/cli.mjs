// Whole processes: `node -e 0` (Node's own start-up), `node dist/cli.js` on an empty file and on each
// size, and `keepalived -t -l -D -f FILE` on the same files when keepalived is installed.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { summarize } from './stats.mjs';

const PROBE = fileURLToPath(new URL('./probe.cjs', import.meta.url));

/** A node command run `runs` times (after one warm-up for the file cache): CPU and peak RSS from the probe. */
export function measureNode(args, runs, probeFile) {
  const cpu = [];
  const wall = [];
  const rss = [];
  for (let r = 0; r <= runs; r++) {
    rmSync(probeFile, { force: true });
    const t0 = performance.now();
    const p = spawnSync(process.execPath, ['-r', PROBE, ...args], {
      env: { ...process.env, BENCH_PROBE: probeFile, NO_COLOR: '1' },
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    });
    const ms = performance.now() - t0;
    if (p.status === null || p.status > 1) throw new Error(`${args.join(' ')} failed: ${p.stderr}`);
    if (r === 0) continue;
    const probe = JSON.parse(readFileSync(probeFile, 'utf8'));
    wall.push(ms);
    cpu.push(probe.cpuMs);
    rss.push(probe.maxRssKB / 1024);
  }
  return { cpu: summarize(cpu), wall: summarize(wall), peakRssMB: Math.max(...rss) };
}

/** This process's reaped children's CPU time in ms (/proc/self/stat cutime + cstime, in clock ticks). */
function childrenCpuMs() {
  let stat;
  try {
    stat = readFileSync('/proc/self/stat', 'utf8');
  } catch {
    return NaN; // not Linux: shown as '—'
  }
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 16 and 17 of proc(5), counted from 1 with pid and comm before the ')' cut.
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

export function keepalivedAvailable() {
  const r = spawnSync('keepalived', ['--version'], { encoding: 'utf8' });
  return r.status === 0 || /Keepalived v/.test((r.stderr ?? '') + (r.stdout ?? ''));
}

/**
 * keepalived -t on a file: wall median per run, and CPU as the mean over the runs (the kernel counts a
 * child's CPU time in 10 ms ticks, so one run's is too coarse; the sum over many is not).
 */
export function measureKeepalived(file, runs) {
  const wall = [];
  spawnSync('keepalived', ['-t', '-l', '-D', '-f', file]);
  const c0 = childrenCpuMs();
  let status;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    status = spawnSync('keepalived', ['-t', '-l', '-D', '-f', file], {
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    }).status;
    wall.push(performance.now() - t0);
  }
  const cpuMean = (childrenCpuMs() - c0) / runs;
  return { cpu: { median: cpuMean, mean: cpuMean, n: runs }, wall: summarize(wall), status };
}

/** Everything of this module: node -e 0, the CLI on the empty file and each size, keepalived -t. */
export function measureCli({ root, files, empty, workspace, runs, keepalivedRuns }) {
  const probeFile = join(root, '.bench', 'probe.jsonl');
  const cli = join(root, 'dist', 'cli.js');
  const out = {
    nodeBaseline: measureNode(['-e', '0'], runs, probeFile),
    cliEmpty: measureNode([cli, '--format', 'json', empty], runs, probeFile),
    cli: {},
    keepalived: keepalivedAvailable() ? {} : undefined,
  };
  for (const [size, file] of Object.entries(files)) {
    const n = Number(size) >= 100000 ? Math.max(2, Math.ceil(runs / 4)) : runs;
    out.cli[size] = measureNode([cli, '--format', 'json', file], n, probeFile);
    if (out.keepalived) out.keepalived[size] = measureKeepalived(file, keepalivedRuns);
  }
  // A folder: every configuration under it, as in CI.
  out.workspace = measureNode(
    [cli, '--format', 'json', workspace],
    Math.max(2, Math.ceil(runs / 4)),
    probeFile,
  );
  rmSync(probeFile, { force: true });
  return out;
}
