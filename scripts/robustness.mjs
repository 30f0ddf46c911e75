#!/usr/bin/env node
// npm run robustness [-- --write] [--only TEXT] [--runs N]: builds every input of the Measurements table
// of docs/robustness.md (the inputs of issue 12 that once ran away) in a temporary folder, runs
// `node dist/cli.js --no-settings --format json` on each under /usr/bin/time -v, and prints wall time, CPU
// time (user + system) and peak resident memory, with what the output said (exit code, findings, budgets
// hit). With --write it replaces the table between the markers in docs/robustness.md. The inputs are
// plain config text: nothing is executed but the CLI itself.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const DOC = join(ROOT, 'docs', 'robustness.md');
const CORPUS = join(ROOT, '..', 'shared', 'corpus');
const BEGIN = '<!-- robustness.mjs: measurements begin -->';
const END = '<!-- robustness.mjs: measurements end -->';
/** A run still going after this long is stopped and reported as killed. */
const TIMEOUT_MS = 70_000;
/** The goal of issue 12: no input takes longer than this. */
const GOAL_S = 2;

const HELP = `usage: npm run robustness -- [options]
  --write        replace the Measurements table of docs/robustness.md
  --only TEXT    measure only the inputs whose description contains TEXT
  --runs N       run each input N times and keep the fastest (default 1)
  --keep DIR     build the inputs under DIR and keep them (for profiling), measure nothing
  --help         this text`;

function parseArgs(argv) {
  const o = { write: false, only: undefined, runs: 1, keep: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--write') o.write = true;
    else if (a === '--only') o.only = argv[++i];
    else if (a === '--runs') o.runs = Math.max(1, Number(argv[++i]) || 1);
    else if (a === '--keep') o.keep = argv[++i];
    else if (a === '--help' || a === '-h') {
      console.log(HELP);
      process.exit(0);
    } else throw new Error(`unknown option ${a}\n${HELP}`);
  }
  return o;
}

// ---- inputs ------------------------------------------------------------------------------------------
// Each input: a description (the table's first column), the figures before the budgets of issue 12 (as
// recorded when they were added; they are history, not measured here), and make(dir), which writes the
// files into its own folder and returns the path to lint.

const write = (dir, name, text) => {
  const path = join(dir, name);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  return path;
};

/** Just under MAX_FILE_BYTES (4 MiB): the largest file the linter reads. */
const UNDER_4_MIB = (4 << 20) - 1024;
const DUPLICATE = 'vrrp_script chk {\n script "/bin/true"\n}\n';

function vrrpInstances(n) {
  let s = '';
  for (let i = 0; i < n; i++) {
    s +=
      `vrrp_instance VI_${i} {\n    state MASTER\n    interface eth0\n    virtual_router_id ${(i % 255) + 1}\n` +
      `    priority 100\n    advert_int 1\n    virtual_ipaddress {\n        10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}/32\n    }\n}\n`;
  }
  return s;
}

const INPUTS = [
  {
    name: '`include g/*a*a*a*a*ab` next to a 250-character name',
    before: 'killed (70 s)',
    make: (d) => (write(d, `g/${'a'.repeat(250)}`, ''), write(d, 'k.conf', 'include g/*a*a*a*a*ab\n')),
  },
  {
    name: 'same with six stars',
    before: 'killed (70 s)',
    make: (d) => (write(d, `g/${'a'.repeat(250)}`, ''), write(d, 'k.conf', 'include g/*a*a*a*a*a*ab\n')),
  },
  {
    name: '`include /proc/self/pagemap`',
    before: 'killed (70 s), 10.5 GB',
    make: (d) => write(d, 'k.conf', 'include /proc/self/pagemap\n'),
  },
  {
    name: '`include /proc/kmsg`',
    before: 'blocked, killed (70 s)',
    make: (d) => write(d, 'k.conf', 'include /proc/kmsg\n'),
  },
  {
    name: '`{a,b}` x 22 in an include',
    before: '12.9 s, 2.5 GB',
    make: (d) => write(d, 'k.conf', `include /x${'{a,b}'.repeat(22)}\n`),
  },
  {
    name: '`{1..100}` x 4',
    before: '> 6 GB',
    make: (d) => write(d, 'k.conf', `include /x${'{1..100}'.repeat(4)}\n`),
  },
  {
    name: 'include fan-out 2, 16 levels (17 files)',
    before: '4.4 s, 241 MB',
    make: (d) => {
      for (let i = 0; i < 16; i++) write(d, `f${i}.conf`, `include f${i + 1}.conf\ninclude f${i + 1}.conf\n`);
      write(d, 'f16.conf', 'global_defs {\n router_id x\n}\n');
      return join(d, 'f0.conf');
    },
  },
  {
    name: 'nine files that each `include *.conf`',
    before: '28.9 s, 571 MB',
    make: (d) => {
      for (let i = 0; i < 9; i++) write(d, `c${i}.conf`, 'include *.conf\n');
      return join(d, 'c0.conf');
    },
  },
  {
    name: 'ten such files',
    before: 'killed (70 s), 1.7 GB',
    make: (d) => {
      for (let i = 0; i < 10; i++) write(d, `c${i}.conf`, 'include *.conf\n');
      return join(d, 'c0.conf');
    },
  },
  {
    name: '`$D=${D}${D}`, `$D` used 30 times',
    before: '17.2 s',
    make: (d) => write(d, 'k.conf', '$D=x\n$D=${D}${D}\n' + 'global_defs {\n router_id $D\n}\n'.repeat(30)),
  },
  {
    name: '4 MB of duplicate definitions (`vrrp_script chk {` ... `}`, 331,000 lines)',
    before: 'killed (70 s), 2.7 GB',
    make: (d) => write(d, 'k.conf', DUPLICATE.repeat(Math.floor(UNDER_4_MIB / DUPLICATE.length))),
  },
  {
    name: '8 MB of duplicate definitions',
    before: 'killed (70 s), 3.2 GB',
    make: (d) => write(d, 'k.conf', DUPLICATE.repeat(Math.floor((8 << 20) / DUPLICATE.length))),
  },
  {
    name: '4 MB of one-line duplicates (`track_file T`, 322,000 lines)',
    before: '',
    make: (d) => write(d, 'k.conf', 'track_file T\n'.repeat(Math.floor(UNDER_4_MIB / 13))),
  },
  {
    name: 'four included 2 MB files of virtual servers (131,000 lines each)',
    before: '',
    make: (d) => {
      let body = '';
      for (let i = 0; body.length < 2 << 20; i++)
        body += `virtual_server 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255} 80 {\n delay_loop 5\n}\n`;
      for (let i = 0; i < 4; i++) write(d, `vs${i}.conf`, body.replaceAll(' 80 {', ` ${81 + i} {`));
      return write(d, 'k.conf', [0, 1, 2, 3].map((i) => `include vs${i}.conf\n`).join(''));
    },
  },
  {
    name: '5,000 includes of one 190 KB file (virtual servers)',
    before: 'killed (70 s), 7.8 GB',
    make: (d) => {
      let body = '';
      for (let i = 0; body.length < 190 * 1024; i++)
        body += `virtual_server 10.0.${(i >> 8) & 255}.${i & 255} 80 {\n delay_loop 5\n}\n`;
      write(d, 'big.conf', body);
      return write(d, 'k.conf', `include ${join(d, 'big.conf')}\n`.repeat(5000));
    },
  },
  {
    name: '5,000 includes of one 190 KB file (10,000 vrrp_scripts)',
    before: 'killed (120 s)',
    make: (d) => {
      let body = '';
      for (let i = 0; i < 10_000; i++) body += `vrrp_script s${i} {\n}\n`;
      write(d, 'big.conf', body);
      return write(d, 'k.conf', `include ${join(d, 'big.conf')}\n`.repeat(5000));
    },
  },
  {
    name: 'include line, 160,000 blanks, a second word',
    before: '23.7 s',
    make: (d) => write(d, 'k.conf', `include x.conf${' '.repeat(160_000)}y\n`),
  },
  {
    name: '160,000 blanks in a comment, a string, a definition',
    before: '0.2 s',
    make: (d) => {
      const b = ' '.repeat(160_000);
      return write(
        d,
        'k.conf',
        `global_defs {\n #${b}x\n router_id "${b}x"\n}\n$X=\\${' \\'.repeat(50_000)}\n`,
      );
    },
  },
  {
    name: 'plain 15 MB config (89,413 instances, 894,000 lines)',
    before: '11.2 s, 1.5 GB',
    make: (d) => write(d, 'k.conf', vrrpInstances(89_413)),
  },
  {
    name: 'plain 4 MB config (24,000 instances, 240,000 lines)',
    before: '',
    make: (d) => write(d, 'k.conf', vrrpInstances(24_000)),
  },
  {
    name: 'plain 600 KB config (3,500 instances, 35,000 lines: the size of the largest real ones)',
    before: '',
    make: (d) => write(d, 'k.conf', vrrpInstances(3_500)),
  },
  {
    name: 'an 18 MB include defining a used `vrrp_script`',
    before: '0.2 s, silent: false `undefined-reference` error',
    make: (d) => {
      write(
        d,
        'defs.conf',
        'vrrp_script chk {\n script "/bin/true"\n}\n' + `${'#'.repeat(99)}\n`.repeat(18 * 10486),
      );
      return write(d, 'k.conf', 'include defs.conf\nvrrp_instance A {\n track_script {\n  chk\n }\n}\n');
    },
  },
  {
    name: '50-file include cycle',
    before: '0.2 s, 0 findings',
    make: (d) => {
      for (let i = 0; i < 50; i++) write(d, `${i}.conf`, `include ${(i + 1) % 50}.conf\n`);
      return join(d, '0.conf');
    },
  },
  {
    name: '150,000 findings (unknown keywords in `global_defs`)',
    before: '3.1 s',
    make: (d) => write(d, 'k.conf', `global_defs {\n${' bogus_keyword 1\n'.repeat(150_000)}}\n`),
  },
  {
    name: 'folder of 10,005 config files',
    before: '1.5 s, exit 0, silent',
    make: (d) => {
      for (let i = 0; i < 10_005; i++)
        write(d, `d${Math.floor(i / 1000)}/f${i}.conf`, `global_defs {\n router_id r${i}\n}\n`);
      return d;
    },
  },
  {
    name: 'one line of 100,000 words',
    before: '0.3 s',
    make: (d) => write(d, 'k.conf', `global_defs {\n router_id${' w'.repeat(100_000)}\n}\n`),
  },
  {
    name: '16 million line breaks',
    before: '4.2 s, 1.6 GB',
    make: (d) => write(d, 'k.conf', '\n'.repeat(16_000_000)),
  },
  {
    name: '4 million line breaks (4 MB)',
    before: '',
    make: (d) => write(d, 'k.conf', '\n'.repeat(UNDER_4_MIB)),
  },
  {
    name: '5 million lines of `{}`',
    before: 'killed (70 s), 7.8 GB',
    make: (d) => write(d, 'k.conf', '{}\n'.repeat(5_000_000)),
  },
  {
    name: '1.4 million lines of `{}` (4 MB)',
    before: '',
    make: (d) => write(d, 'k.conf', '{}\n'.repeat(Math.floor(UNDER_4_MIB / 3))),
  },
  {
    name: '4 MB of 500-word lines (2 million words)',
    before: '',
    make: (d) => write(d, 'k.conf', `${'a '.repeat(499)}a\n`.repeat(Math.floor(UNDER_4_MIB / 1000))),
  },
  {
    name: '16 MB of 500-word lines (8 million words)',
    before: '7.0 s, 1.5 GB',
    make: (d) => write(d, 'k.conf', `${'a '.repeat(499)}a\n`.repeat(16_000)),
  },
  ...[
    ['devel/1173a.conf', '30,000 real servers through `~SEQ` and multi-line parameters'],
    ['devel/thig12x40.conf', '40 virtual servers of 12 real servers through multi-line parameters'],
    ['devel/679/track_file/conf_vrrp_full.500i', '1,000 VRRP instances through `~SEQ`, two `@id` nodes'],
  ].map(([rel, what]) => ({
    name: `corpus \`${rel}\` (${what})`,
    before: '',
    corpus: true,
    make: () => join(CORPUS, rel),
  })),
];

// ---- measuring ---------------------------------------------------------------------------------------

/** Runs the CLI on one path under /usr/bin/time -v; wall and CPU seconds, peak RSS in MB, the output. */
function measure(path) {
  const r = spawnSync(
    '/usr/bin/time',
    ['-v', process.execPath, CLI, '--no-settings', '--format', 'json', path],
    { encoding: 'utf8', maxBuffer: 1 << 30, timeout: TIMEOUT_MS, killSignal: 'SIGKILL' },
  );
  const err = r.stderr ?? '';
  const field = (label) => {
    const m = err.match(new RegExp(`^\\s*${label}: (.*)$`, 'm'));
    return m ? m[1].trim() : undefined;
  };
  const elapsed = field('Elapsed \\(wall clock\\) time \\(h:mm:ss or m:ss\\)');
  const wall = elapsed
    ? elapsed
        .split(':')
        .map(Number)
        .reduce((t, x) => t * 60 + x, 0)
    : undefined;
  const cpu =
    Number(field('User time \\(seconds\\)') ?? NaN) + Number(field('System time \\(seconds\\)') ?? NaN);
  const rss = Number(field('Maximum resident set size \\(kbytes\\)') ?? NaN) / 1024;
  const status = field('Exit status');
  const killed = r.error !== undefined || r.signal !== null || status === undefined;
  // The CLI's own stderr is what /usr/bin/time printed before its report.
  const cliErr = err.split(/^\s*Command being timed:/m)[0].trim();
  return {
    wall,
    cpu,
    rss,
    exit: killed ? undefined : Number(status),
    killed,
    stdout: r.stdout ?? '',
    cliErr,
  };
}

/** What the output said: findings, budgets named by analysis-limit findings, a stderr line. */
function summarize(m) {
  if (m.killed) return 'killed';
  const parts = [`exit ${m.exit}`];
  try {
    const out = JSON.parse(m.stdout);
    const ds = out.diagnostics ?? [];
    parts.push(`${ds.length.toLocaleString('en-US')} finding${ds.length === 1 ? '' : 's'}`);
    const budgets = new Map();
    const rules = new Map();
    for (const d of ds) {
      rules.set(d.rule, (rules.get(d.rule) ?? 0) + 1);
      if (d.rule !== 'analysis-limit') continue;
      const names = d.message.match(/\bMAX_[A-Z_]+\b/g) ?? [
        /not read|on procfs/.test(d.message) ? 'not read' : 'other',
      ];
      for (const n of new Set(names)) budgets.set(n, (budgets.get(n) ?? 0) + 1);
    }
    const top = [...rules]
      .filter(([r]) => r !== 'analysis-limit')
      .sort((a, b) => b[1] - a[1])
      .slice(0, 2)
      .map(([r, n]) => `${n.toLocaleString('en-US')} \`${r}\``);
    if (top.length) parts.push(top.join(', '));
    if (budgets.size)
      parts.push(
        'analysis-limit: ' +
          [...budgets]
            .map(([n, c]) => (c > 1 ? `\`${n}\` x ${c.toLocaleString('en-US')}` : `\`${n}\``))
            .join(', '),
      );
  } catch {
    parts.push(m.stdout ? 'output not JSON' : 'no output');
  }
  const stderrBudgets = m.cliErr.match(/\bMAX_[A-Z_]+\b/g);
  if (stderrBudgets) parts.push(`stderr: ${[...new Set(stderrBudgets)].map((n) => `\`${n}\``).join(', ')}`);
  return parts.join('; ');
}

const seconds = (s) => (s === undefined || Number.isNaN(s) ? '?' : `${s.toFixed(1)} s`);
const megabytes = (mb) => (Number.isNaN(mb) ? '?' : `${Math.round(mb)} MB`);

function main() {
  const o = parseArgs(process.argv.slice(2));
  if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run npm run build first');
  const rows = [];
  const slow = [];
  for (const input of INPUTS) {
    if (o.only && !input.name.includes(o.only)) continue;
    if (input.corpus && !existsSync(input.make())) {
      console.error(`skipped (no corpus): ${input.name}`);
      continue;
    }
    if (o.keep) {
      const dir = join(o.keep, `${INPUTS.indexOf(input)}`);
      mkdirSync(dir, { recursive: true });
      console.log(`${input.make(dir)}  ${input.name}`);
      continue;
    }
    const dir = mkdtempSync(join(tmpdir(), 'kl-robustness-'));
    try {
      const path = input.make(dir);
      let best;
      for (let i = 0; i < o.runs; i++) {
        const m = measure(path);
        if (!best || (m.wall ?? Infinity) < (best.wall ?? Infinity)) best = m;
      }
      const m = best;
      const result = summarize(m);
      const row = {
        name: input.name,
        before: input.before,
        wall: m.killed ? `killed (${TIMEOUT_MS / 1000} s)` : seconds(m.wall),
        cpu: m.killed ? '' : seconds(m.cpu),
        rss: m.killed ? '' : megabytes(m.rss),
        result,
      };
      rows.push(row);
      if (m.killed || m.wall > GOAL_S || m.cpu > GOAL_S) slow.push(row);
      console.log(
        `${row.wall.padStart(8)} wall ${row.cpu.padStart(7)} cpu ${row.rss.padStart(7)}  ${input.name}: ${result}`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  if (slow.length) console.log(`\nover ${GOAL_S} s (wall or CPU): ${slow.map((r) => r.name).join(' | ')}`);
  if (!o.write) return;
  if (o.only) throw new Error('--write measures every input: leave out --only');
  const table = [
    '| Input | Before the budgets | Wall | CPU | Peak memory | Result |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.name} | ${r.before || '-'} | ${r.wall} | ${r.cpu} | ${r.rss} | ${r.result} |`),
  ].join('\n');
  const doc = readFileSync(DOC, 'utf8');
  const start = doc.indexOf(BEGIN);
  const end = doc.indexOf(END);
  if (start < 0 || end < start) throw new Error(`docs/robustness.md has no ${BEGIN} ... ${END} markers`);
  const stamp = `Measured ${new Date().toISOString().slice(0, 10)} with Node ${process.versions.node.split('.').slice(0, 2).join('.')}.`;
  writeFileSync(DOC, `${doc.slice(0, start + BEGIN.length)}\n${stamp}\n\n${table}\n${doc.slice(end)}`);
  console.log('docs/robustness.md: table written');
}

main();
