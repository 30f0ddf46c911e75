// When keepalived first accepted each choice value of an enum keyword, for values newer than 2.0.0 (the
// oldest release we target); the schema's `values` list is the newest release's. One entry per value.
// Sources are keepalived's own, read at the release tags.
import { compareVersions } from './version';
import { addressOption, OLDEST_RELEASE } from './vocabulary';
import { routeOption } from './line-options';

export interface ValueSince {
  /** Keyword paths, as in keywords.json, that share one handler. */
  paths: readonly string[];
  value: string;
  /** First release that accepts the value. */
  since: string;
  /** First release that checks the value at all (older ones pass any value on unread). */
  checkedSince?: string;
  /** What the older release does with the value, in its words. */
  rejects: string;
  /** What else it takes besides keepalived, when that is not ours to know. */
  caveat?: string;
  source: string;
}

export const VALUE_SINCE: readonly ValueSince[] = [
  {
    paths: ['virtual_server/lvs_sched', 'virtual_server/lb_algo'],
    value: 'twos',
    since: '2.2.5',
    // Before 2.0.7 lbalgo_handler copied any name and left it to the kernel.
    checkedSince: '2.0.7',
    rejects: `reports "Invalid lvs_scheduler 'twos' - ignoring" and ignores the line, so the virtual server gets the default 'wlc'`,
    caveat: 'the kernel also needs the ip_vs_twos module',
    source:
      'check/check_parser.c lvs_schedulers[] / lbalgo_handler: "twos" added in v2.2.5; the list is checked since v2.0.7',
  },
];

/** The entry saying `value` of `path` is too new for `version`, if it is; nothing when no version is targeted. */
export function valueTooNew(
  path: string,
  value: string,
  version: string | undefined,
): ValueSince | undefined {
  if (version === undefined) return undefined;
  return VALUE_SINCE.find(
    (v) =>
      v.value === value &&
      v.paths.includes(path) &&
      compareVersions(version, v.since) < 0 &&
      (!v.checkedSince || compareVersions(version, v.checkedSince) >= 0),
  );
}

/** What an older release does with an address option it does not know, in its words. */
export const ADDRESS_OPTION_REJECTS = `reports "Unknown configuration entry '%s' for ip address - ignoring" and reads on`;

/**
 * The release that introduced address option `option` (vocabulary.ts ADDRESS_OPTIONS), when the targeted
 * `version` is older. Options there in OLDEST_RELEASE are never flagged: older releases are not read.
 */
export function addressOptionTooNew(option: string, version: string | undefined): string | undefined {
  if (version === undefined) return undefined;
  const since = addressOption(option)?.since;
  if (since === undefined || compareVersions(since, OLDEST_RELEASE) <= 0) return undefined;
  return compareVersions(version, since) < 0 ? since : undefined;
}

/**
 * The release that introduced route option `option` (line-options.ts ROUTE_OPTIONS), when the targeted
 * `version` is older: that release takes the word for the destination ("unknown route keyword %s") and
 * drops the route. Options there in OLDEST_RELEASE are never flagged.
 */
export function routeOptionTooNew(option: string, version: string | undefined): string | undefined {
  if (version === undefined) return undefined;
  const since = routeOption(option)?.since;
  if (since === undefined || compareVersions(since, OLDEST_RELEASE) <= 0) return undefined;
  return compareVersions(version, since) < 0 ? since : undefined;
}
