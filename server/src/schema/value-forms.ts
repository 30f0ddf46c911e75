// How the accepted form of some keywords' values changed between keepalived releases: the facts the
// schema's single range cannot say. Each entry is the form one range of releases reads; `from`/`until`
// are release numbers (until = first release that reads it differently). Sources are keepalived's own.
import { compareVersions } from './version';

export interface ValueForm {
  /** Keyword path, as in keywords.json. */
  path: string;
  from?: string;
  until?: string;
  /** Decimal places keepalived reads (0 = whole numbers only). */
  decimals: number;
  /** Largest value, in the keyword's unit (seconds). */
  max: number;
  /** What keepalived does with a value outside this form, in its words. */
  rejects: string;
  source: string;
}

const SCRIPT_TIMER = (keyword: 'interval' | 'timeout'): ValueForm[] => [
  {
    path: `vrrp_script/${keyword}`,
    until: '2.3.2',
    decimals: 0,
    max: 4294,
    rejects:
      keyword === 'interval'
        ? `reports "vrrp script interval '%s' must be between 1 and 4294 - ignoring" and keeps the default of 1 s`
        : `reports "vrrp script timeout '%s' invalid - ignoring" and keeps the default`,
    source:
      'vrrp/vrrp_parser.c vrrp_vscript_*_handler: read_unsigned_strvec(0, UINT_MAX / TIMER_HZ) in 2.2.7',
  },
  {
    path: `vrrp_script/${keyword}`,
    from: '2.3.2',
    decimals: 3,
    max: 4294,
    rejects: `reports the value invalid and ignores the line`,
    source:
      'vrrp/vrrp_parser.c: read_decimal_unsigned_strvec(0, (UINT_MAX / TIMER_HZ) * 1000, 3) since 2.3.2',
  },
];

const GARP_INTERVAL = (keyword: 'garp_interval' | 'gna_interval'): ValueForm[] => [
  {
    path: `garp_group/${keyword}`,
    until: '2.3.2',
    decimals: 6,
    max: 2147.483647,
    rejects: `reports "garp_group ${keyword} '%s' invalid" and ignores the line`,
    source:
      'vrrp/vrrp_parser.c garp_group_*_interval_handler: read_decimal_unsigned_strvec(0, INT_MAX, 6) in 2.2.7',
  },
  {
    path: `garp_group/${keyword}`,
    from: '2.3.2',
    decimals: 6,
    max: 4294.967295,
    rejects: `reports "garp_group ${keyword} '%s' invalid" and ignores the line`,
    source: 'vrrp/vrrp_parser.c: read_decimal_unsigned_strvec(0, UINT_MAX, 6) since 2.3.2',
  },
];

export const VALUE_FORMS: readonly ValueForm[] = [
  ...SCRIPT_TIMER('interval'),
  ...SCRIPT_TIMER('timeout'),
  ...GARP_INTERVAL('garp_interval'),
  ...GARP_INTERVAL('gna_interval'),
];

/** The form `path` takes in `version` (the newest release's when no version is targeted). */
export function valueFormOf(path: string, version: string | undefined): ValueForm | undefined {
  return VALUE_FORMS.find(
    (f) =>
      f.path === path &&
      (version === undefined
        ? f.until === undefined
        : (!f.from || compareVersions(version, f.from) >= 0) &&
          (!f.until || compareVersions(version, f.until) < 0)),
  );
}
