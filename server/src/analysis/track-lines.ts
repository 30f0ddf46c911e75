// How keepalived reads one `NAME [weight N [reverse|noreverse]]` line of a track_* block: the single answer the
// election model and the value-line check both use. Source: keepalived 2.2.7 vrrp/vrrp_track.c
// alloc_track_if (l.86-152), alloc_track_script (l.201-277), alloc_track_process (l.320-393),
// alloc_track_bfd (l.468-539) and trackers/track_file.c alloc_track_file (l.115-181); the sync-group
// blocks call the same functions (vrrp_parser.c l.256-290).

import { listed, TRACK_DIRECTIONS, TRACK_WEIGHT, trackDirection } from '../schema/vocabulary';
import type { SymbolKind } from '../schema/symbol-kinds';

/** The directions a line takes after its weight, as a message lists them: 'reverse' or 'noreverse'. */
function directions(onInterface: boolean): string {
  const words = Object.keys(TRACK_DIRECTIONS).filter((w) => trackDirection(w, onInterface));
  return listed(words.map((w) => `'${w}'`));
}

/** What a track_* line tracks. */
export type TrackKind = 'script' | 'interface' | 'file' | 'process' | 'bfd';

export interface TrackLineProblem {
  /** Index of the word the problem is on (1 = the first word after the name). */
  word: number;
  message: string;
  severity: 'error' | 'warning';
}

export interface TrackLineReading {
  /** False when keepalived drops the whole line: NAME is then not tracked at all. */
  tracked: boolean;
  /** The weight the line sets; undefined when the tracked object's own weight applies. */
  weight?: number;
  /** reverse/noreverse as the line sets it; undefined when the object's own setting applies. */
  reverse?: boolean;
  problems: TrackLineProblem[];
}

/** The track blocks, by the kind of object they track. */
export const TRACK_BLOCKS: Readonly<Record<string, TrackKind>> = {
  track_script: 'script',
  track_interface: 'interface',
  track_file: 'file',
  track_process: 'process',
  track_bfd: 'bfd',
};

/** The symbol kind of the objects each track block names (an interface is the machine's, no symbol). */
export const TRACKED_SYMBOL_KIND: Readonly<Record<TrackKind, SymbolKind | undefined>> = {
  script: 'vrrp_script',
  interface: undefined,
  file: 'track_file',
  process: 'vrrp_track_process',
  bfd: 'bfd_instance',
};

/** The block each kind is written in, for messages. */
const BLOCK: Record<TrackKind, string> = {
  script: 'track_script',
  interface: 'track_interface',
  file: 'track_file',
  process: 'track_process',
  bfd: 'track_bfd',
};

/** read_int_strvec's range per kind: track_bfd takes -253..253, the others -254..254. */
const LIMIT: Record<TrackKind, number> = { script: 254, interface: 254, file: 254, process: 254, bfd: 253 };

export function readTrackLine(kind: TrackKind, words: readonly string[]): TrackLineReading {
  const name = words[0] ?? '';
  const problems: TrackLineProblem[] = [];
  const dropped = (word: number, why: string): TrackLineReading => ({
    tracked: false,
    problems: [
      {
        word,
        message: `${why}: keepalived ignores this whole line, so ${BLOCK[kind]} ${name} is not tracked and its state does not change the priority (write one name per line, or 'NAME weight N').`,
        severity: 'warning',
      },
    ],
  });
  const option = words[1];
  if (option === undefined) return { tracked: true, problems };
  if (option !== TRACK_WEIGHT.name)
    return dropped(1, `'${option}' is not a track option (only 'weight N' may follow the name)`);
  const value = words[2];
  if (value === undefined) return dropped(1, `'weight' has no value`);

  let weight: number | undefined;
  const limit = LIMIT[kind];
  const n = /^[+-]?\d+$/.test(value) ? Number(value) : NaN;
  if (!(Math.abs(n) <= limit)) {
    // An interface's weight falls back to 0 (down = FAULT); the others to the tracked object's own weight.
    weight = kind === 'interface' ? 0 : undefined;
    const fallback =
      kind === 'interface'
        ? `so ${name} is tracked with weight 0: its going down puts the instance in FAULT`
        : `so ${name}'s own weight applies`;
    problems.push({
      word: 2,
      message: `weight '${value}' is not a number from -${limit === 254 ? 253 : limit} to ${limit === 254 ? 253 : limit}: keepalived ignores it, ${fallback}.`,
      severity: 'error',
    });
  } else if (Math.abs(n) === 254 && (kind === 'interface' || kind === 'script')) {
    weight = n > 0 ? 253 : -253;
    problems.push({
      word: 2,
      message: `keepalived does not take weight ${n} here and uses ${weight} instead (weights are -253..253).`,
      severity: 'warning',
    });
  } else {
    weight = n;
  }

  const suffix = words[3];
  let reverse: boolean | undefined;
  const direction = suffix === undefined ? undefined : trackDirection(suffix, kind === 'interface');
  if (direction) reverse = direction.reverse;
  else if (suffix !== undefined) {
    if (kind === 'file' || kind === 'bfd') {
      return dropped(3, `'${suffix}' is not ${directions(false)}`);
    }
    // track_interface knows only 'reverse'; a script or process line keeps its entry with the default direction.
    problems.push({
      word: 3,
      message: `'${suffix}' is not understood here (expected ${directions(kind === 'interface')}): keepalived ignores it and tracks ${name} ${kind === 'interface' ? 'without reverse' : 'with its own direction'}.`,
      severity: 'warning',
    });
    reverse = kind === 'interface' ? false : undefined;
  }
  return { tracked: true, weight, reverse, problems };
}

/** What a tracked object's own `weight` lines leave it with; weight undefined when not known here. */
export interface OwnWeight {
  weight?: number;
  reverse: boolean;
}

/** C's strtol base 10 as keepalived's read_int_func calls it: the leading number, 0 when there is none. */
function strtol(word: string): number {
  const m = /^\s*([+-]?\d+)/.exec(word);
  return m ? Number(m[1]) : 0;
}

/**
 * The weight a vrrp_script, vrrp_track_process, track_file or bfd_instance keeps from its own `weight`
 * lines (words after the keyword, in file order; undefined for a word not known here). The handlers differ:
 * a vrrp_script stores whatever strtol reads even when it reports the value as invalid, and the last line
 * wins (vrrp_parser.c vrrp_vscript_weight_handler, l.1546-1560); a process keeps its first valid non-zero
 * weight (vrrp_tprocess_weight_handler, l.1697-1726); a file keeps its first weight other than 1 and turns
 * an invalid one into 1 (track_file.c l.236-268); a bfd takes each valid line (bfd_parser.c l.400-425).
 */
export function readOwnWeight(
  kind: TrackKind,
  lines: readonly (readonly (string | undefined)[])[],
): OwnWeight {
  const fallback = DEFAULT_OWN_WEIGHT[kind];
  const own: OwnWeight = { weight: fallback, reverse: false };
  const valid = (value: string) => /^[+-]?\d+$/.test(value) && Math.abs(Number(value)) <= OWN_LIMIT[kind];
  for (const [value, option] of lines) {
    const reverse = option === 'reverse';
    if (kind === 'script' || kind === 'bfd') {
      // Every line is read: the last one that sets a value wins.
      if (value === undefined) own.weight = undefined;
      else if (kind === 'script') own.weight = strtol(value);
      else if (valid(value)) own.weight = Number(value);
      own.reverse ||= reverse;
    } else if (kind === 'process' || kind === 'file') {
      // The first line that moves the weight off its default wins ("Weight already set ... - ignoring").
      if (own.weight !== fallback) continue;
      if (value === undefined) {
        own.weight = undefined;
        continue;
      }
      if (valid(value)) own.weight = Number(value);
      else if (kind === 'process') continue; // reported and ignored, direction included
      own.reverse ||= reverse;
    }
  }
  return own;
}

/** A tracked object's weight without a `weight` line: a track_file's is 1, the others' 0. */
export const DEFAULT_OWN_WEIGHT: Readonly<Record<TrackKind, number>> = {
  script: 0,
  interface: 0,
  file: 1,
  process: 0,
  bfd: 0,
};

/** The range each own-weight handler checks. */
const OWN_LIMIT: Record<TrackKind, number> = { script: 253, interface: 0, file: 254, process: 254, bfd: 253 };
