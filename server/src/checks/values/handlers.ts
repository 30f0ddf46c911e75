// What some keepalived handlers do with a value the schema's range lets through, or with the words of a
// keyword whose value has its own small grammar. Each entry is read from the handler it names (2.2.7).
import { syncDaemonOption } from '../../schema/line-options';
import { IFNAMSIZ, LOOPBACK_INTERFACE } from '../../schema/limits';
import { compareVersions } from '../../schema/version';
import { NO_ARG_FINDINGS, type Arg, type ArgFinding } from './args';

type Check = (args: Arg[], version: string | undefined) => ArgFinding[];

const finding = (arg: Arg, message: string, severity?: ArgFinding['severity']): ArgFinding => ({
  rule: 'invalid-value',
  message,
  start: arg.word.start,
  end: arg.word.end,
  severity,
});

/**
 * The repeat counts and smtp_connect_timeout: read from 0 "to maintain backward compatibility with pre
 * v2.0.7", then "must be greater than 0, setting to 1" (reported since 2.0.7).
 */
const atLeastOne =
  (said: string): Check =>
  (args, version) => {
    const arg = args[0];
    if (!arg || !/^\s*\+?0+$/.test(arg.value)) return [];
    if (version !== undefined && compareVersions(version, '2.0.7') < 0) return [];
    return [
      finding(
        arg,
        `keepalived reports "${said} must be greater than 0, setting to 1" and uses 1.`,
        'warning',
      ),
    ];
  };

/**
 * core/global_parser.c get_realtime_priority(): read_int_strvec (strtol, base 10), then clamped to
 * sched_get_priority_min/max(SCHED_RR), which Linux sets to 1 and 99.
 */
const realtimePriority =
  (process: string): Check =>
  (args) => {
    const arg = args[0];
    if (!arg) return [];
    if (!/^\s*[+-]?\d+$/.test(arg.value))
      return [
        finding(
          arg,
          `'${arg.value}' is not a whole number: keepalived reports "${process} process real-time priority '${arg.value}' invalid" and ignores the line, so the ${process} process keeps its default priority.`,
        ),
      ];
    const n = Number(arg.value);
    if (n < 1)
      return [
        finding(
          arg,
          `Real-time priorities go from 1 to 99 on Linux: keepalived reports "${process} process real-time priority ${n} less than minimum 1 - setting to minimum" and uses 1.`,
          'warning',
        ),
      ];
    if (n > 99)
      return [
        finding(
          arg,
          `Real-time priorities go from 1 to 99 on Linux: keepalived reports "${process} process real-time priority ${n} greater than maximum 99 - setting to maximum" and uses 99.`,
          'warning',
        ),
      ];
    return [];
  };

/** read_unsigned_strvec(…, ignore_error = false): decimal digits only, within [min, max]. */
function unsignedIn(value: string, min: number, max: number): boolean {
  const text = value.trimStart();
  return /^\d+$/.test(text) && Number(text) >= min && Number(text) <= max;
}

/**
 * core/global_parser.c lvs_syncd_handler(): `lvs_sync_daemon IFNAME` and the options of
 * schema/line-options.ts LVS_SYNC_DAEMON_OPTIONS. A bad number is reported and that option ignored; the
 * rest of the line still counts. (The address of `group` is left to the multicast checks of keepalived.)
 */
const lvsSyncDaemon: Check = (args) => {
  const out: ArgFinding[] = [];
  const ifname = args[0];
  // IP_VS_IFNAME_MAXLEN (IFNAMSIZ): the name takes at most 15 bytes.
  if (ifname && Buffer.byteLength(ifname.value) >= IFNAMSIZ)
    out.push(
      finding(
        ifname,
        `keepalived reports "lvs_sync_daemon interface name '${ifname.value}' too long - ignoring" and ignores the whole line, so no sync daemon is started.`,
      ),
    );
  for (let i = 1; i < args.length; i++) {
    const name = args[i]!.value;
    // Not an option: the old positional VRRP_INSTANCE [SYNCID]; unknown words are reported elsewhere.
    const option = syncDaemonOption(name);
    if (!option) continue;
    const value = args[++i];
    if (option.value !== 'number' || !value || unsignedIn(value.value, option.min, option.max)) continue;
    out.push(
      finding(
        value,
        `lvs_sync_daemon ${name} takes a number from ${option.min} to ${option.max}: keepalived reports "${option.rejects.replace('%s', value.value)}"${name === 'id' ? ", so the sync id is the instance's virtual_router_id" : ' and ignores this option'}.`,
      ),
    );
  }
  return out;
};

/**
 * check/check_http.c digest_handler(): an MD5 digest, 32 characters read two at a time as hex
 * (strtoul(, 16) must use both); anything else is reported and the url keeps no digest, so the checker
 * accepts any page content.
 */
const digest: Check = (args) => {
  const arg = args[0];
  if (!arg) return [];
  const bytes = Buffer.byteLength(arg.value);
  const consequence =
    'and the url keeps no digest, so the check passes whatever page the server returns (only the status code counts)';
  if (bytes !== 32)
    return [
      finding(
        arg,
        `keepalived reports "digest '${arg.value}' character length should be 32 rather than ${bytes}" ${consequence}. Write the page's MD5 sum (genhash prints it).`,
      ),
    ];
  // The handler reads the pairs from the last one down, and reports the first it cannot read.
  for (let i = 30; i >= 0; i -= 2)
    if (!/^(?:[0-9a-fA-F]{2}|[ \t+-]?[0-9a-fA-F])$/.test(arg.value.slice(i, i + 2)))
      return [
        finding(
          arg,
          `'${arg.value}' is not hexadecimal at offset ${i}: keepalived reports "Unable to interpret hex digit in '${arg.value}' at offset ${i}/${i + 1}" ${consequence}.`,
        ),
      ];
  return [];
};

/** The loopback device is refused (LOOPBACK_INTERFACE), and an earlier interface line's value is cleared too. */
const instanceInterface: Check = (args) => {
  const arg = args[0];
  if (arg?.value !== LOOPBACK_INTERFACE) return [];
  return [
    finding(
      arg,
      `keepalived refuses the loopback device ("cannot use a loopback interface (lo) for vrrp - ignoring") and the instance has no interface from this line on: VRRP adverts need a real one. Name the interface that carries the VIP's network.`,
    ),
  ];
};

const CHECKS: Record<string, Check> = {
  'vrrp_instance/interface': instanceInterface,
  'virtual_server/real_server/HTTP_GET/url/digest': digest,
  'virtual_server/real_server/SSL_GET/url/digest': digest,
  'vrrp_instance/garp_master_repeat': atLeastOne('garp_master_repeat'),
  'vrrp_instance/garp_master_refresh_repeat': atLeastOne('garp_master_refresh_repeat'),
  'global_defs/vrrp_garp_master_repeat': atLeastOne('vrrp_garp_master_repeat'),
  'global_defs/vrrp_garp_master_refresh_repeat': atLeastOne('vrrp_garp_master_refresh_repeat'),
  // The handler's own spelling.
  'global_defs/smtp_connect_timeout': atLeastOne('smtp_conect_timeout'),
  'global_defs/vrrp_rt_priority': realtimePriority('vrrp'),
  'global_defs/checker_rt_priority': realtimePriority('checker'),
  'global_defs/bfd_rt_priority': realtimePriority('bfd'),
  'global_defs/lvs_sync_daemon': lvsSyncDaemon,
};

export function checkHandlerValues(
  path: string,
  args: Arg[],
  version: string | undefined,
): readonly ArgFinding[] {
  return CHECKS[path]?.(args, version) ?? NO_ARG_FINDINGS;
}
