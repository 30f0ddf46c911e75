// Builds a minimal valid config around any keyword of the schema, for tests that must cover all of them.
import { keywordAt, type KeywordSpec } from '../server/src/schema';
import { SCHEDULER_FLAGS, schedulerFlag } from '../server/src/schema/vocabulary';

/** Valid example arguments for a keyword's argument spec. */
export function sampleArgs(spec: KeywordSpec): string {
  const a = spec.args;
  switch (a.kind) {
    case 'none':
    case 'bool':
      return '';
    case 'string':
      // A url's digest is an MD5 sum (check_http.c digest_handler reads 32 hex digits).
      return spec.name === 'digest' ? '9b3a0c85a887a256d6939da88aabd8cd' : 'x';
    case 'name':
      return 'n1';
    case 'int':
      return String(a.min <= 1 && a.max >= 1 ? 1 : a.min);
    case 'timer':
      return String(a.min <= 1 && a.max >= 1 ? 1 : a.min);
    case 'enum':
      return a.values[0]!;
    case 'script':
      return '"/usr/local/bin/check" nobody';
    case 'user':
      return 'nobody';
    case 'ip':
      return '192.0.2.1';
    case 'interface':
      return 'eth0';
    case 'special':
      return (
        {
          lvs_method: 'NAT',
          mcast4: '224.0.0.18',
          mcast6: 'ff02::12',
          mcast: '224.0.0.18',
          ip_port: '192.0.2.1 80',
          ip_optional_port: '192.0.2.1 80',
          host_optional_port: '192.0.2.1',
          virtual_server: '192.0.2.1 80',
          persistence_granularity: '255.255.255.0',
          status_codes: '200-299',
          init_file: '',
          hmac_key: '1 secret',
          lvs_sync_daemon: 'eth0',
          notify_fifo: '/run/keepalived.fifo',
          include_check: '',
        } as const
      )[a.shape];
  }
}

const SAMPLE_VALUE_LINE: Record<string, string> = {
  ipaddress: '192.0.2.10/24 dev eth0',
  route: '198.51.100.0/24 via 192.0.2.254',
  rule: 'from 192.0.2.0/24 table 100',
  unicast_peer: '192.0.2.2',
  email: 'ops@example.com',
  instance_names: 'VI_1',
  track_interface: 'eth0 weight 10',
  track: 'n1 weight 10',
  vsg_entry: '192.0.2.1 80',
  up_down_delay: 'eth0 1 2',
  interface_names: 'eth0',
  any: 'x',
};

/** The keyword line with sample arguments, plus a block with one valid line when it opens one. */
export function sampleLine(spec: KeywordSpec, inner = ''): string {
  const args = sampleArgs(spec);
  const head = args ? `${spec.name} ${args}` : spec.name;
  if (spec.block === 'values') return `${head} {\n${SAMPLE_VALUE_LINE[spec.valueLines ?? 'any']}\n}`;
  if (spec.block === 'keywords') return `${head} {\n${inner}\n}`;
  return head;
}

/** Definitions of every name the sample lines refer to (n1, VI_1), so references resolve. */
export const SAMPLE_DEFINITIONS = `vrrp_script n1 {
script "/usr/local/bin/check" nobody
}
track_file n1 {
file /run/keepalived/state
}
vrrp_track_process n1 {
process nginx
}
bfd_instance n1 {
neighbor_ip 192.0.2.9
}
virtual_server_group n1 {
192.0.2.1 80
}
track_group n1 {
group {
VI_1
}
}
vrrp_instance VI_1 {
interface eth0
virtual_router_id 1
virtual_ipaddress {
192.0.2.10
}
}
`;

/** A config that places the keyword at `path` inside all of its enclosing blocks. */
export function configAround(path: string): string {
  return SAMPLE_DEFINITIONS + placeAround(path);
}

/**
 * What keepalived requires of a vrrp_instance (vrrp.c chk_min_cfg(), vrrp_complete_instance()), written
 * before the line under test so that line wins where it sets the same thing: another VRID and interface
 * than VI_1's, and a VIP.
 */
const INSTANCE_REQUIRED = 'interface eth1\nvirtual_router_id 2\nvirtual_ipaddress {\n192.0.2.20\n}\n';

/**
 * A scheduler flag takes effect only after an lvs_sched line naming its scheduler (check_parser.c
 * lbflags_handler); `hashed`, which sets nothing, is quiet (a warning) under sh.
 */
function schedulerFor(path: string): string {
  const flag = schedulerFlag(path.split('/').at(-1)!);
  return flag ? `lvs_sched ${SCHEDULER_FLAGS[flag] ?? 'sh'}\n` : '';
}

function placeAround(path: string): string {
  const parts = path.split('/');
  let text = '';
  for (let i = parts.length; i >= 1; i--) {
    const spec = keywordAt(parts.slice(0, i).join('/'))!;
    const inner = i === parts.length ? '' : text;
    const before =
      spec.path === 'vrrp_instance'
        ? INSTANCE_REQUIRED
        : spec.path === 'virtual_server'
          ? schedulerFor(path)
          : '';
    text = sampleLine(spec, before + inner);
  }
  return text + '\n';
}
