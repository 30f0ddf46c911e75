// Benchmark: whole-file analysis of a generated 10,000-line config, compared with `keepalived -t` on the
// same file when keepalived is installed. Reports; asserts nothing (speed is not a unit test).
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const root = new URL('..', import.meta.url).pathname;
const outDir = join(root, '.bench');
mkdirSync(outDir, { recursive: true });

/** A realistic config: scripts, instances with VIPs and tracking, virtual servers with checkers. */
function generate(targetLines) {
  const lines = [
    'global_defs {',
    '  router_id bench',
    '  script_user keepalived_script',
    '  enable_script_security',
    '}',
  ];
  let i = 0;
  while (lines.length < targetLines) {
    i++;
    const octet = i % 250;
    lines.push(
      `vrrp_script chk_${i} {`,
      `  script "/usr/local/bin/check ${i}"`,
      '  interval 2',
      '  weight -20',
      '}',
      `vrrp_instance VI_${i} {`,
      '  state BACKUP',
      '  interface eth0',
      `  virtual_router_id ${(i % 255) + 1}`,
      '  priority 100',
      '  advert_int 1',
      '  virtual_ipaddress {',
      `    10.${Math.floor(i / 250) % 250}.${octet}.1/24 dev eth0`,
      '  }',
      '  track_script {',
      `    chk_${i}`,
      '  }',
      '}',
      `virtual_server 10.1.${octet}.${(i % 200) + 1} ${1000 + (i % 50000)} {`,
      '  delay_loop 6',
      '  lvs_sched wrr',
      '  lvs_method NAT',
      '  protocol TCP',
      `  real_server 10.2.${octet}.10 80 {`,
      '    weight 1',
      '    TCP_CHECK {',
      '      connect_timeout 3',
      '    }',
      '  }',
      '}',
    );
  }
  return lines.slice(0, targetLines).join('\n') + '\n';
}

const text = generate(10000);
const file = join(outDir, 'bench-10000.conf');
writeFileSync(file, text);

function time(label, runs, fn) {
  fn(); // warm-up
  const samples = [];
  for (let r = 0; r < runs; r++) {
    // Start each run from a collected heap, as a fresh keepalived process does; the run's own
    // garbage collection still counts.
    globalThis.gc?.();
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  const median = samples[Math.floor(samples.length / 2)];
  console.log(
    `${label.padEnd(52)} median ${median.toFixed(1)} ms (min ${samples[0].toFixed(1)}, ${runs} runs)`,
  );
  return median;
}

const cli = join(root, 'dist/cli.js');
const { createRequire } = await import('node:module');
const { run } = createRequire(import.meta.url)(cli);
console.log(`10,000-line config: ${file}`);
time('keepalived-lint analysis in-process (read, parse, check)', 20, () => {
  run(
    ['--format', 'json', file],
    () => {},
    () => {},
  );
});
time('keepalived-lint, whole process (node dist/cli.js)', 10, () => {
  spawnSync(process.execPath, [cli, '--format', 'json', file], { encoding: 'utf8', maxBuffer: 1 << 28 });
});
const hasKeepalived = spawnSync('keepalived', ['--version']).status !== null;
if (hasKeepalived) {
  time('keepalived -t -l -D -f (2.2.7)', 5, () => {
    spawnSync('keepalived', ['-t', '-l', '-D', '-f', file], { encoding: 'utf8', maxBuffer: 1 << 28 });
  });
} else {
  console.log('keepalived not installed: skipping the comparison (apt-get install keepalived)');
}
