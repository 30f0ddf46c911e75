// Builds server/src/schema/keywords.json from keepalived's keyword inventory
// (../shared/reference/keywords.json, made from keepalived 2.4.3's own install_keyword calls) plus the
// first-version data in server/src/schema/since.json and what keepalived says of a keyword without its
// value (server/src/schema/empty-values.json, from scripts/gen-empty-values.mjs). The output is committed:
// the project does not need ../shared at run time. Re-run with `npm run gen` when the inventory or the mappings below change.
//
//   node scripts/gen-schema.mjs [INVENTORY]   write keywords.json
//   node scripts/gen-schema.mjs --check       exit 1 if the committed keywords.json differs from what would
//                                            be written (skipped when the inventory is not there)
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importTs } from './import-ts.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');
const inventoryPath =
  process.argv.slice(2).find((a) => !a.startsWith('--')) ??
  join(root, '..', 'shared', 'reference', 'keywords.json');
if (check && !existsSync(inventoryPath)) {
  // A clone without keepalived's inventory beside it cannot rebuild the schema, so it cannot compare either.
  console.log(`gen-schema --check: skipped, no keyword inventory at ${inventoryPath}`);
  process.exit(0);
}
const inventory = JSON.parse(readFileSync(inventoryPath, 'utf8'));
const sincePath = join(root, 'server/src/schema/since.json');
const since = existsSync(sincePath) ? JSON.parse(readFileSync(sincePath, 'utf8')) : {};
// What keepalived says on a keyword's line when it has no value (scripts/gen-empty-values.mjs).
const emptyValuesPath = join(root, 'server/src/schema/empty-values.json');
const emptyValues = existsSync(emptyValuesPath)
  ? JSON.parse(readFileSync(emptyValuesPath, 'utf8')).values
  : {};
/** @type {typeof import('../server/src/schema/symbol-kinds')} */
const symbolKinds = await importTs(join(root, 'server/src/schema/symbol-kinds.ts'));

const UINT_MAX = 4294967295;
const INT_MAX = 2147483647;
const INT32_MIN = -2147483648;
const TIMER_MAX = 4294967; // seconds; keepalived's timers hold microseconds in an unsigned long
/** lib/timer.h TIMER_HZ: timers and delays are kept in microseconds. */
const TIMER_HZ = 1000000;
/** lib/timer.h TIMER_MAX_SEC (1000U in every release we read): preempt_delay's limit. */
const TIMER_MAX_SEC = 1000;
/** UINT_MAX microseconds in seconds; the inventory prints it rounded, as 4294.97. */
const UINT_MAX_MICROSECONDS = UINT_MAX / TIMER_HZ;

const LVS_SCHEDULERS = 'rr|wrr|lc|wlc|lblc|sh|mh|dh|fo|ovf|lblcr|sed|nq|twos'.split('|');

const num = (s) =>
  ({
    UINT_MAX,
    INT_MAX,
    INT32_MIN,
    INT32_MAX: INT_MAX,
    max: TIMER_MAX,
    TIMER_MAX_SEC,
    4294.97: UINT_MAX_MICROSECONDS,
  })[s] ?? Number(s);

/** Maps the inventory's argument description to our argument spec. */
function argsFor(entry) {
  const a = entry.args;
  let m;
  if (a === 'NONE' || a === 'NONE (block)') return { kind: 'none' };
  if (a === '[BOOL]') return { kind: 'bool' };
  if (a.startsWith('QUOTED-SCRIPT')) return { kind: 'script' };
  if (a === 'USER [[:]GROUP]') return { kind: 'user' };
  if (a === 'NAME' || a.startsWith('NAME (max')) return { kind: 'name' };
  if (a === 'TRACK_FILE_NAME' || a === 'BFD_INSTANCE_NAME') return { kind: 'name' };
  if (a === 'IP') return { kind: 'ip' };
  if (a === 'PATH' || a === 'URL-PATH' || a === 'DOMAIN' || a === 'HEX-MD5') return { kind: 'string' };
  if (a === 'STRING' || a === 'STRING (e.g. sip)' || a === 'STRING (truncated to 8 chars)') {
    return { kind: 'string', strict: false };
  }
  if (a.startsWith('UINT 1..255 VALUE')) return { kind: 'special', shape: 'hmac_key' };
  if ((m = /^U?INT (-?\w+)\.\.(-?\w+)(.*)$/.exec(a))) {
    const spec = { kind: 'int', min: num(m[1]), max: num(m[2]) };
    if (Number.isNaN(spec.min) || Number.isNaN(spec.max)) return { kind: 'string' };
    if (/reverse\|noreverse/.test(m[3])) spec.trailing = ['reverse', 'noreverse'];
    else if (/reverse/.test(m[3])) spec.trailing = ['reverse'];
    if (/optional/.test(m[3])) spec.optional = true;
    return spec;
  }
  // misc_timeout and garp_master_delay: read_unsigned_strvec(..., 0, UINT_MAX / TIMER_HZ), whole seconds
  // that must fit a microsecond timer.
  if (a === 'UINT seconds') return { kind: 'int', min: 0, max: Math.floor(UINT_MAX / TIMER_HZ) };
  if ((m = /^(?:TIMER|DECIMAL) ([\d.e+-]+)\.\.([\w.]*) s/.exec(a))) {
    return { kind: 'timer', min: Number(m[1]), max: m[2] ? num(m[2]) : TIMER_MAX };
  }
  if ((m = /^DECIMAL ([\d.e+-]+)\.\.([\d.]+) \(seconds/.exec(a))) {
    return { kind: 'timer', min: Number(m[1]), max: num(m[2]) };
  }
  if ((m = /^DECIMAL ms (\d+)\.\.(\d+)/.exec(a)))
    return { kind: 'timer', min: Number(m[1]), max: Number(m[2]) };
  if (a === 'MASTER|BACKUP') return { kind: 'enum', values: ['MASTER', 'BACKUP'] };
  if (a === 'PASS|AH') return { kind: 'enum', values: ['PASS', 'AH'] };
  if (a === 'inet|inet6') return { kind: 'enum', values: ['inet', 'inet6'] };
  if (a.startsWith('TCP|UDP|SCTP'))
    return { kind: 'enum', values: ['TCP', 'UDP', 'SCTP'], caseInsensitive: true };
  // check_dns.c's DNS_TYPE table also has RRSIG and DNSKEY.
  if (a === 'A|NS|CNAME|SOA|MX|TXT|AAAA')
    return { kind: 'enum', values: [...a.split('|'), 'RRSIG', 'DNSKEY'] };
  if (a.startsWith('rr|wrr')) return { kind: 'enum', values: LVS_SCHEDULERS };
  if (a.startsWith('NAT|DR|TUN')) return { kind: 'special', shape: 'lvs_method' };
  if (a === 'IFNAME (< IFNAMSIZ=16 chars)') return { kind: 'interface' };
  if (a === 'IFNAME (deprecated, ignored)') return { kind: 'string', strict: false };
  if (a === 'IPv4 multicast addr') return { kind: 'special', shape: 'mcast4' };
  if (a === 'IPv6 multicast addr') return { kind: 'special', shape: 'mcast6' };
  if (a === 'MULTICAST-IP') return { kind: 'special', shape: 'mcast' };
  if (a === 'IP PORT') return { kind: 'special', shape: 'ip_port' };
  if (a === 'IP [PORT]') return { kind: 'special', shape: 'ip_optional_port' };
  if (a === 'IP|HOSTNAME [PORT]') return { kind: 'special', shape: 'host_optional_port' };
  if (a.startsWith('IP PORT | fwmark')) return { kind: 'special', shape: 'virtual_server' };
  if (a.startsWith('NAME { IP[-LASTOCTET]')) return { kind: 'name' };
  if (a.startsWith('NETMASK or UINT')) return { kind: 'special', shape: 'persistence_granularity' };
  if (a === 'CODE|CODE-CODE ...') return { kind: 'special', shape: 'status_codes' };
  if (a === '[INT] [overwrite]') return { kind: 'special', shape: 'init_file' };
  if (a.startsWith('UINT 1..255 VALUE')) return { kind: 'special', shape: 'hmac_key' };
  if (a === 'PROCESS_NAME [params...]') return { kind: 'string', rest: true };
  if (a.startsWith('IFNAME [inst')) return { kind: 'special', shape: 'lvs_sync_daemon' };
  if (a.startsWith('PATH [USER [GROUP]]')) return { kind: 'special', shape: 'notify_fifo' };
  if (a.startsWith('[[+|-]read')) return { kind: 'special', shape: 'include_check' };
  if (a.startsWith('UINT JSON_VERSION')) return { kind: 'int', min: 1, max: 2 };
  if (a.startsWith('{')) return { kind: 'none' };
  return { kind: 'string', strict: false };
}

/** The grammar of each line inside a `{ ... }` value block. */
function valueLinesFor(entry) {
  const k = entry.keyword;
  if (['virtual_ipaddress', 'virtual_ipaddress_excluded', 'static_ipaddress'].includes(k)) return 'ipaddress';
  if (['virtual_routes', 'static_routes'].includes(k)) return 'route';
  if (['virtual_rules', 'static_rules'].includes(k)) return 'rule';
  if (k === 'unicast_peer') return 'unicast_peer';
  if (k === 'notification_email') return 'email';
  if (k === 'group') return 'instance_names';
  if (k === 'track_interface') return 'track_interface';
  if (['track_script', 'track_file', 'track_process', 'track_bfd'].includes(k)) return 'track';
  if (k === 'virtual_server_group') return 'vsg_entry';
  if (k === 'interface_up_down_delays') return 'up_down_delay';
  if (k === 'linkbeat_interfaces' || k === 'interfaces') return 'interface_names';
  return 'any';
}

/** Arguments whose inventory type is too loose: set from keepalived's handlers. */
const OVERRIDES = {
  // vrrp_parser.c vrrp_notify_deleted_handler(): alone it only turns the deleted notification on.
  'vrrp_instance/notify_deleted': { kind: 'script', optional: true },
  'virtual_server/hashed': { kind: 'none' },
  'virtual_server/ops': { kind: 'none' },
  'virtual_server/flag-1': { kind: 'none' },
  'virtual_server/flag-2': { kind: 'none' },
  'virtual_server/flag-3': { kind: 'none' },
  'virtual_server/sh-port': { kind: 'none' },
  'virtual_server/sh-fallback': { kind: 'none' },
  'virtual_server/mh-port': { kind: 'none' },
  'virtual_server/mh-fallback': { kind: 'none' },
  'global_defs/lvs_flush_on_stop': { kind: 'string', optional: true },
  'global_defs/lvs_flush_onstop': { kind: 'string', optional: true },
  'global_defs/vrrp_iptables': { kind: 'string', optional: true, rest: true },
  'global_defs/vrrp_ipsets': { kind: 'string', optional: true, rest: true },
  'global_defs/nftables': { kind: 'string', optional: true },
  'global_defs/nftables_ipvs': { kind: 'string', optional: true },
  'global_defs/dynamic_interfaces': { kind: 'string', optional: true },
  'global_defs/vrrp_garp_extra_if': { kind: 'string', optional: true, rest: true },
  'global_defs/vrrp_vmac_garp_intvl': { kind: 'string', optional: true, rest: true },
  'global_defs/lvs_timeouts': { kind: 'string', rest: true },
  'global_defs/router_id': { kind: 'string' },
  // global_parser.c: without a value, the maximum SCHED_RR priority (99 on Linux); -1 disables.
  'global_defs/max_auto_priority': { kind: 'int', min: -1, max: 99, optional: true },
  // get_realtime_priority(): SCHED_RR priorities, 1 to 99 on Linux; others are clamped (checks/values/handlers.ts).
  'global_defs/vrrp_rt_priority': { kind: 'int', min: 1, max: 99 },
  'global_defs/checker_rt_priority': { kind: 'int', min: 1, max: 99 },
  'global_defs/bfd_rt_priority': { kind: 'int', min: 1, max: 99 },
  'vrrp_instance/auth_pass': { kind: 'string' },
  'vrrp_instance/authentication/auth_pass': { kind: 'string' },
  'vrrp_instance/authentication/auth_type': { kind: 'enum', values: ['PASS', 'AH'] },
  // check_file.c reads a full int here, unlike the vrrp track_file weight (-254..254).
  'virtual_server/real_server/FILE_CHECK/weight': {
    kind: 'int',
    min: -2147483647,
    max: 2147483647,
    trailing: ['reverse', 'noreverse'],
  },
  'track_file/weight': { kind: 'int', min: -254, max: 254, trailing: ['reverse'] },
  'vrrp_track_file/weight': { kind: 'int', min: -254, max: 254, trailing: ['reverse'] },
};

/**
 * Keywords the inventory lists as taking nothing whose handlers do read values (checked in keepalived's
 * global_parser.c, check_ssl.c, check_http.c). Their values are not validated yet, only accepted.
 */
const TAKES_VALUES = [
  /^global_defs\/(vrrp|checker|bfd)_(priority|rt_priority|cpu_affinity|rlimit_rttime|rlimit_rtime)$/,
  /^global_defs\/(lvs_process_name|startup_script_timeout|shutdown_script_timeout|vrrp_notify_fifo|lvs_notify_fifo|reload_repeat)$/,
  /_rcv_bufs$/,
  /^SSL\/(password|ca|certificate|key)$/,
  /\/url\/regex_(min|max)_offset$/,
];
for (const entry of inventory) {
  if (TAKES_VALUES.some((r) => r.test(entry.path)))
    OVERRIDES[entry.path] ??= { kind: 'string', rest: true, strict: false };
}

/**
 * The kinds of named things a keyword line or a value block refers to (schema/symbol-kinds.ts): the
 * inventory's reference text starts with the kind's name. A kind used only by an option word of a value
 * line (`track_group NAME` on an address line) is not the block's reference.
 */
const REFERENCE_KINDS = symbolKinds.SYMBOL_KIND_NAMES.filter((kind) =>
  symbolKinds.SYMBOL_KINDS[kind].referencedBy.some((use) => 'keyword' in use || 'valueBlock' in use),
);

function referenceFor(entry) {
  const r = entry.references;
  if (!r) return undefined;
  if (r.startsWith('executable file')) return undefined;
  for (const kind of REFERENCE_KINDS) if (r.startsWith(kind)) return kind;
  if (r.startsWith('interface')) return 'interface';
  if (r.startsWith('system user')) return 'user';
  return undefined;
}

function deprecationFor(entry) {
  const d = entry.deprecated;
  if (!d) return undefined;
  if (/synonym/.test(d) && !/legacy/.test(d)) return undefined;
  // lb_algo/lb_kind: old spellings keepalived still accepts without a word; we only hint.
  if (/legacy/.test(d)) return { replacement: d.split(' ')[0], legacy: true };
  const replacement = /^[a-z_]+$/.test(d) ? d : undefined;
  return { replacement, note: replacement ? undefined : d };
}

const keywords = inventory.map((entry) => {
  const parent = entry.path.includes('/') ? entry.path.slice(0, entry.path.lastIndexOf('/')) : '';
  const out = {
    path: entry.path,
    name: entry.keyword,
    parent,
    args: OVERRIDES[entry.path] ?? argsFor(entry),
  };
  if (entry.opens_block) out.block = entry.block_kind;
  if (entry.block_kind === 'values') out.valueLines = valueLinesFor(entry);
  const ref = referenceFor(entry);
  if (ref) out.references = ref;
  if (entry.quoted_script_arg) out.script = true;
  const dep = deprecationFor(entry);
  if (dep) out.deprecated = dep;
  if (entry.build_condition) out.buildFlags = entry.build_condition;
  if (typeof since[entry.path] === 'string') out.since = since[entry.path];
  if (emptyValues[entry.path]) out.emptyValue = emptyValues[entry.path];
  out.source = entry.source;
  return out;
});

const target = join(root, 'server/src/schema/keywords.json');
const output = JSON.stringify(keywords, null, 1) + '\n';
if (check) {
  if (readFileSync(target, 'utf8') !== output) {
    console.error(`${target} is out of date with its sources: run npm run gen`);
    process.exit(1);
  }
  console.log(`${target} is up to date (${keywords.length} keywords)`);
} else {
  writeFileSync(target, output);
  console.log(`wrote ${keywords.length} keywords to ${target}`);
}
