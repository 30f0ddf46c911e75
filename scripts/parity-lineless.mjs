#!/usr/bin/env node
// What keepalived decides once the whole configuration is read (check_data.c validate_check_config for
// each virtual_server, vrrp.c vrrp_complete_instance and vrrp_sync.c for instances and sync groups) is
// reported without a line number, so scripts/parity.mjs leaves it out. This compares it by count
// instead: for every corpus configuration, how many times keepalived -t reports each such message, and
// how many findings of the matching rule `dist/cli.js` gives.
// Usage: npm run build && node scripts/parity-lineless.mjs [CORPUS]   (needs keepalived; docs/parity.md)
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { keepalivedAvailable } from './oracle.mjs';
import { keepalivedVersion, oracleWithInterfaces } from './parity.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CORPUS = resolve(process.argv[2] ?? join(ROOT, '..', 'shared', 'corpus'));
/** Each rule of checks/lvs-setup.ts, checks/vrrp-setup.ts and checks/tracking-weights.ts, and the words of keepalived's message. */
const RULES = [
  ['virtual-server-no-scheduler', /no scheduler set/],
  ['virtual-server-zero-port', /zero port only valid/],
  ['virtual-server-ops-not-udp', /one packet scheduling requires UDP/],
  ['virtual-server-fwmark-protocol', /protocol specified for fwmark/],
  ['virtual-server-fwmark-ha-suspend', /cannot use ha_suspend with fwmarks/],
  ['duplicate-real-server', /is duplicated - removing second rs/],
  ['quorum-over-weight', /exceeds total weight of real servers/],
  ['hysteresis-over-quorum', /hysteresis \d+ >= quorum/],
  ['sorry-server-inhibit-differs', /matches sorry server, but inhibit setting differs/],
  [
    'server-port-ignored',
    /has port specified - (clearing|port will be ignored)|ports don't match( - resetting)?$/,
  ],
  ['unicast-without-peers', /A unicast keyword has been specified without any unicast peers/],
  ['sync-group-single-instance', /has only 1 virtual router\(s\)/],
  ['sync-group-mixed-owners', /has some member\(s\) as address owner and some not/],
  ['auth-ignored', /Authentication specified but no password given|Cannot use AH authentication with IPv6/],
  ['ah-initial-master', /Initial state master is incompatible with AH/],
  ['nopreempt-with-owner', /nopreempt is incompatible with priority 255/],
  ['preempt-delay-ignored', /preempt delay will not work|preempt_delay is incompatible with/],
  ['mcast-dst-ignored', /multicast destination specified with unicast/],
  [
    'virtual-server-ignored',
    /doesn't match virtual server .* - ignoring|specified but not configured - ignoring virtual server/,
  ],
  [
    'tracking-removed',
    /ignoring tracked (script|bfd) .* due to|ignoring tracked file .* with weight|ignoring \S+ tracked interface due to address owner/,
  ],
  [
    'tracking-weight-cleared',
    /ignoring weight from tracked file|tracked interface weight due to SYNC group|Cannot have weighted track (script|file|process|bfd|interface) '.*' with member having/,
  ],
  ['too-many-vips', /Number of VIPs \(\d+\) exceeds maximum/],
  ['tracking-instance-and-group', /is configured on VRRP instance and sync group/],
  [
    'advert-int-rounded',
    /advertisement interval .* (must be an integer|must be in units of 10ms|is out of range)/,
  ],
];

if (!existsSync(CORPUS) || !keepalivedAvailable()) {
  console.log(
    `parity-lineless: SKIPPED: ${existsSync(CORPUS) ? 'keepalived is not installed' : `no corpus at ${CORPUS}`}`,
  );
  process.exit(0);
}
const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    const s = statSync(path);
    if (s.isDirectory()) walk(path);
    else if (s.size < 3e6 && !name.endsWith('.NOTKEEPALIVED') && !name.includes('1996.conf'))
      files.push(path); // devel/1996.conf: keepalived loops for ever on it
  }
};
for (const set of ['keepalived-samples', 'real', 'devel']) walk(join(CORPUS, set));
// As scripts/parity.mjs: the engine reads each configuration as keepalived on this machine reads it, for
// the installed version and with this machine's host name as the config id (keepalived's default).
const target = ['--keepalived-version', keepalivedVersion(), '--config-id', hostname().split('.')[0]];
let differences = 0;
for (const file of files) {
  // What -t prints, and what keepalived only logs (link_vsg_to_vs() drops a virtual server so).
  // With the interfaces keepalived said it lacked: it stops before completing the instances otherwise.
  const { run } = oracleWithInterfaces(file, 20000);
  const said = [...(run.allMessages ?? []).map((m) => m.text), ...(run.log ?? [])];
  let out;
  try {
    out = execFileSync('node', [join(ROOT, 'dist', 'cli.js'), '--format', 'json', ...target, file], {
      encoding: 'utf8',
      maxBuffer: 1e9,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  } catch (e) {
    out = e.stdout; // findings make the CLI exit 1
  }
  const found = JSON.parse(out || '{"diagnostics":[]}').diagnostics ?? [];
  for (const [rule, words] of RULES) {
    const theirs = said.filter((m) => words.test(m)).length;
    const ours = found.filter((d) => d.rule === rule).length;
    if (theirs === ours) continue;
    differences++;
    console.log(`${relative(CORPUS, file)}\t${rule}\tkeepalived ${theirs}\tours ${ours}`);
  }
}
console.log(`parity-lineless: ${files.length} configurations, ${differences} differences`);
