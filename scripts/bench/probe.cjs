// Preloaded into a measured node process (`node -r probe.cjs ...`): at exit it appends the process's own
// CPU time (user + system, all threads) and peak RSS to the file named by BENCH_PROBE. Precise to the
// microsecond, where a parent's view of its children's CPU time is in 10 ms ticks.
// CommonJS, preloaded with -r: an ES module preload (--import) would start the ESM loader in every
// measured process, a cost neither node -e 0 nor the CLI otherwise pays.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { appendFileSync } = require('node:fs');

process.on('exit', () => {
  const u = process.resourceUsage();
  const line = JSON.stringify({ cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000, maxRssKB: u.maxRSS });
  appendFileSync(process.env.BENCH_PROBE, line + '\n');
});
