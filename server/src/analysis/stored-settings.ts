// What keepalived stores for a one-value setting written on several lines, or with a value it cannot take.
// Each handler of keepalived 2.2.7's vrrp_parser.c runs once per line, in order, so the stored value is a
// fold over the lines; the handlers differ in what a bad value does (keep the earlier value, reset to a
// default) and in whether a later line wins. The instance view (objects.ts) reads its settings through
// this one table, and the checks say the same consequence when they report a bad value or an overridden
// line, so the cluster analysis and the messages cannot disagree. A vrrp_script's own weight is read by
// track-lines.ts readOwnWeight (its handler keeps even a reported value); its entry here words that.
import type { KeywordSpec } from '../schema';
import { LOOPBACK_INTERFACE } from '../schema/limits';
import { checkInt, checkInterfaceName, checkSockaddrIP, checkTimer, tooLongForIfName } from './primitives';

/** The setting's value after one line, from the value before it. */
export interface Step {
  value: string | undefined;
  /** Set when keepalived drops this line's value, or keeps an earlier one instead. */
  ignored?: string;
  /** keepalived leaves the value before this line in place (whatever it was, known here or not). */
  keeps?: true;
}

export interface StoredSetting {
  /** keepalived's handler, for the comment trail. */
  handler: string;
  /** What keepalived does with a value it cannot take, as the end of a sentence. */
  onInvalid: string;
  /** A value that must not appear in messages (a password). */
  secret?: boolean;
  next(word: string, before: string | undefined, spec: KeywordSpec): Step;
}

const INVALID = 'its value is not valid';

/** A value valid for the keyword's spec (the schema holds the ranges). */
function valid(word: string, spec: KeywordSpec): boolean {
  const a = spec.args;
  if (a.kind === 'int') return checkInt(word, a.min, a.max) === undefined;
  if (a.kind === 'timer') return checkTimer(word, a.min, a.max) === undefined;
  // check_parser/vrrp_parser compare enum words with strcmp unless the schema says otherwise.
  if (a.kind === 'enum')
    return a.caseInsensitive
      ? a.values.some((v) => v.toUpperCase() === word.toUpperCase())
      : a.values.includes(word);
  if (a.kind === 'ip') return checkSockaddrIP(word) === undefined;
  if (a.kind === 'interface') return checkInterfaceName(word) === undefined;
  return true;
}

/** A bad value leaves the earlier line's value in place; `otherwise` says what happens without one. */
const keepEarlier = (handler: string, otherwise: string): StoredSetting => ({
  handler,
  onInvalid: `keepalived ignores this line and keeps an earlier value; ${otherwise}`,
  next: (word, before, spec) =>
    valid(word, spec) ? { value: word } : { value: before, ignored: INVALID, keeps: true },
});

/** A bad value resets the setting to keepalived's default, `fallback`, described as `what`. */
const resetTo = (handler: string, fallback: string, what: string): StoredSetting => ({
  handler,
  onInvalid: `keepalived uses ${what} ${fallback} instead`,
  next: (word, _before, spec) => ({ value: valid(word, spec) ? word : fallback }),
});

/** `setting`, except that the word `clearing` unsets it (an invalid value, which invalid-value reports). */
const clearedBy = (clearing: string, setting: StoredSetting): StoredSetting => ({
  ...setting,
  next: (word, before, spec) =>
    word === clearing ? { value: undefined, ignored: INVALID } : setting.next(word, before, spec),
});

/** keepalived reads the word and stores it whatever it reports (vrrp_vscript_weight_handler). */
const scriptWeight: StoredSetting = {
  handler: 'vrrp_vscript_weight_handler',
  onInvalid:
    "keepalived reports it but still stores the number at the start of the word (0 when there is none, and with weight 0 the script's failure puts its instances in FAULT instead of changing their priority)",
  next: (word) => ({ value: word }),
};

/** Keyed by keyword path (`vrrp_instance/priority`). */
export const STORED_SETTINGS: Readonly<Record<string, StoredSetting>> = {
  'vrrp_instance/virtual_router_id': keepEarlier(
    'vrrp_vrid_handler',
    'without one keepalived reports "the virtual router id must be set" once the configuration is read, and stops (instance-missing-required)',
  ),
  'vrrp_instance/priority': resetTo('vrrp_prio_handler', '100', 'the default priority'),
  'vrrp_instance/advert_int': keepEarlier('vrrp_adv_handler', 'without one it uses the default of 1 second'),
  'vrrp_instance/preempt_delay': resetTo('vrrp_preempt_delay_handler', '0', 'a delay of'),
  'vrrp_script/weight': scriptWeight,
  'vrrp_script/interval': keepEarlier(
    'vrrp_vscript_interval_handler',
    'without one the script runs every second',
  ),
  'vrrp_script/timeout': keepEarlier(
    'vrrp_vscript_timeout_handler',
    'without one a run may take as long as the interval',
  ),
  'vrrp_script/rise': resetTo('vrrp_vscript_rise_handler', '1', 'a rise count of'),
  'vrrp_script/fall': resetTo('vrrp_vscript_fall_handler', '1', 'a fall count of'),
  // vrrp_int_handler: a name of IFNAMSIZ bytes or more is refused (the interface before stays); the
  // loopback device (`lo`) is refused and clears the interface; any other name is looked up and replaces
  // it, one Linux could never have (a '/') included. default_interface is only for static addresses
  // (vrrp_if.c): chk_min_cfg() still wants one here.
  'vrrp_instance/interface': clearedBy(LOOPBACK_INTERFACE, {
    handler: 'vrrp_int_handler',
    onInvalid:
      'keepalived ignores this line and keeps an earlier value; without one keepalived reports "Unknown interface!" once the configuration is read, and stops, unless the instance is unicast on 2.2.8 or later (instance-missing-required)',
    next: (word, before) =>
      tooLongForIfName(word) ? { value: before, ignored: INVALID, keeps: true } : { value: word },
  }),
  // vrrp_srcip_handler: inet_stosockaddr() marks the address family unset when it cannot read the word, so
  // a malformed line also undoes an earlier good one.
  'vrrp_instance/unicast_src_ip': {
    handler: 'vrrp_srcip_handler',
    onInvalid:
      'keepalived skips this line ("malformed src address") and, because it has already cleared the stored address, an earlier unicast_src_ip line is lost too',
    next: (word, _before, spec) =>
      valid(word, spec) ? { value: word } : { value: undefined, ignored: INVALID },
  },
  // vrrp_auth_type_handler: only PASS and AH (case-sensitive) are taken; another word keeps the earlier type.
  'vrrp_instance/authentication/auth_type': keepEarlier(
    'vrrp_auth_type_handler',
    'without one the instance uses no authentication',
  ),
  // vrrp_auth_pass_handler: every line replaces the password.
  'vrrp_instance/authentication/auth_pass': {
    handler: 'vrrp_auth_pass_handler',
    onInvalid: 'keepalived stores it anyway',
    secret: true,
    next: (word) => ({ value: word }),
  },
  // MASTER sticks: a later BACKUP is refused; any other word means BACKUP.
  'vrrp_instance/state': {
    handler: 'vrrp_state_handler',
    onInvalid: 'keepalived uses BACKUP instead',
    next: (word, before) =>
      word === 'BACKUP' && before === 'MASTER'
        ? {
            value: before,
            keeps: true,
            ignored:
              'keepalived keeps the earlier state MASTER ("state previously set as MASTER - ignoring BACKUP")',
          }
        : { value: word === 'MASTER' ? 'MASTER' : 'BACKUP' },
  },
  // The first valid version wins: a different later one "conflicts with configured version" and is ignored.
  'vrrp_instance/version': {
    handler: 'vrrp_version_handler',
    onInvalid:
      'keepalived ignores this line and keeps an earlier version; without one it uses the global vrrp_version (2 by default)',
    next: (word, before, spec) =>
      !valid(word, spec)
        ? { value: before, ignored: INVALID, keeps: true }
        : before !== undefined && before !== word
          ? {
              value: before,
              keeps: true,
              ignored: `keepalived keeps the earlier version ${before} ("conflicts with configured version")`,
            }
          : { value: word },
  },
};

/** One line of a setting, with the word keepalived's handler reads (undefined: not known here). */
export interface SettingLine<L> {
  line: L;
  word: string | undefined;
}

export interface StoredValue<L> {
  value: string | undefined;
  /**
   * What keepalived stores is not known here: the line that decides has a template expression, an unknown
   * parameter or no value. `value` is then undefined, as it is when the lines leave the setting unset.
   */
  unknown: boolean;
  /** The line whose value keepalived keeps. */
  deciding?: L;
  /** Lines that set the value before another line overrode it, or whose value keepalived refused. */
  overridden: { line: L; why: string }[];
}

/** Folds the lines of one setting in file order, as keepalived's handler sees them. */
export function storedValue<L>(
  setting: StoredSetting,
  spec: KeywordSpec,
  lines: readonly SettingLine<L>[],
): StoredValue<L> {
  let value: string | undefined;
  let unknown = false;
  let deciding: L | undefined;
  const refused: { line: L; why: string }[] = [];
  const replaced: L[] = [];
  for (const { line, word } of lines) {
    if (word === undefined) {
      // A template expression, an unknown parameter or no value: what keepalived stores is not known here.
      value = undefined;
      unknown = true;
      deciding = line;
      continue;
    }
    const step = setting.next(word, value, spec);
    // A line that keeps the value before it leaves it as (un)known as it was.
    if (!step.keeps) unknown = false;
    if (step.ignored) {
      // A refused value is already an invalid-value finding; a refused valid value is worth its own.
      if (step.ignored !== INVALID) refused.push({ line, why: step.ignored });
    } else {
      if (deciding !== undefined && step.value !== value) replaced.push(deciding);
      deciding = line;
    }
    value = step.value;
  }
  if (replaced.length === 0) return { value, unknown, deciding, overridden: refused };
  const last = value === undefined || setting.secret ? '' : ` (${spec.name} ${value})`;
  const overridden = [
    ...replaced.map((line) => ({
      line,
      why: `a later line sets it again, and keepalived keeps the last one${last}`,
    })),
    ...refused,
  ];
  return { value, unknown, deciding, overridden };
}
