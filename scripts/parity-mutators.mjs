// The mutations of scripts/parity-mutants.mjs. A defect mutator changes one line and keeps the line
// count (so keepalived's findings on the mutant can be compared with the original's line by line); a
// neutral one may move lines. Each returns { lines, line } (the 0-based line it changed) or undefined
// when the config offers no place for it. They know keepalived's syntax only as far as finding a place:
// whether the result is a defect is keepalived's to say.

/** A line's words, without its comment; undefined for lines with quotes or continuations. */
function words(line) {
  if (/["'\\]/.test(line)) return undefined;
  const code = line.replace(/[#!].*/, '').trim();
  return code ? code.split(/\s+/) : [];
}

const pick = (rnd, list) => (list.length ? list[Math.floor(rnd() * list.length)] : undefined);

/** Indexes of lines whose words pass `test(words, index)`. */
function where(lines, test) {
  const out = [];
  lines.forEach((l, i) => {
    const w = words(l);
    if (w && test(w, i)) out.push(i);
  });
  return out;
}

/** The block each line is in: the first word of the line that opened it ('' at top level). */
function blocks(lines) {
  const stack = [];
  return lines.map((l) => {
    const w = words(l) ?? [];
    const inside = stack.at(-1) ?? '';
    for (const t of w.join(' ').split('')) {
      if (t === '{') stack.push(w[0] === '{' ? inside : w[0]);
      else if (t === '}') stack.pop();
    }
    return inside;
  });
}

/**
 * The last line of what starts at line `i`: the line itself, or, when it opens a block, the line of its
 * closing '}' (undefined when braces on the way cannot be counted: quotes, several on one line).
 */
function blockEnd(lines, i) {
  let depth = 0;
  for (let j = i; j < lines.length; j++) {
    const code = lines[j].replace(/[#!].*/, '');
    if (j > i && /"/.test(code) && /[{}]/.test(code)) return undefined;
    for (const c of code) {
      if (c === '{') depth++;
      else if (c === '}') depth--;
    }
    if (depth < 0) return undefined;
    if (depth === 0) return j;
  }
  return undefined;
}

const indent = (l) => /^\s*/.exec(l)[0];
const replace = (lines, i, text) => ({ lines: lines.map((l, j) => (j === i ? text : l)), line: i });
const plain = (w) => w.length && !w.some((x) => x.includes('{') || x.includes('}'));

/** Keywords that take a number, the block they are in, and a value out of their range in 2.2.7. */
const NUMBERS = {
  virtual_router_id: '256',
  priority: '300',
  advert_int: '-1',
  weight: '300',
  interval: '-5',
  rise: '0',
  fall: '0',
  connect_timeout: '-2',
  delay_loop: '-1',
  garp_master_delay: '-1',
  vrrp_garp_master_delay: '-1',
  nb_get_retry: '-1',
  retry: '-1',
  timeout: '-1',
};
const ENUMS = ['state', 'lb_algo', 'lb_kind', 'protocol', 'auth_type', 'persistence_engine'];
const WRONG_BLOCK = {
  global_defs: 'virtual_router_id 51',
  vrrp_instance: 'lb_algo rr',
  virtual_server: 'virtual_router_id 51',
  vrrp_script: 'lb_kind DR',
  real_server: 'advert_int 1',
  vrrp_sync_group: 'delay_loop 6',
};
// What keepalived needs in a block, and drops or reports at its '}' or after reading the config when it
// is missing: a vrrp_script's script ("No script set ... - removing"), a track_file's file, a BFD
// instance's neighbor, a FILE_CHECK's track_file, a virtual_server's real servers, an instance's VRID and
// addresses. A line is removed; a block (real_server, virtual_ipaddress) is removed with every line of it,
// each left blank so that the line count stays.
const REQUIRED = {
  vrrp_instance: ['interface', 'virtual_router_id', 'virtual_ipaddress'],
  vrrp_script: ['script'],
  track_file: ['file'],
  vrrp_track_file: ['file'],
  track_process: ['process'],
  vrrp_track_process: ['process'],
  bfd_instance: ['neighbor_ip', 'neighbour_ip'],
  FILE_CHECK: ['track_file'],
  virtual_server: ['real_server'],
  vrrp_sync_group: ['group'],
};
const REFERENCES = new Set(['track_script', 'track_file', 'track_process', 'track_bfd', 'group']);
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(\/\d+)?$/;

export const MUTATORS = [
  {
    name: 'misspelt keyword',
    mutate(lines, rnd) {
      const i = pick(
        rnd,
        where(lines, (w) => plain(w) && /^[a-z_]{5,}$/.test(w[0])),
      );
      if (i === undefined) return undefined;
      const w = words(lines[i]);
      const k = 1 + Math.floor(rnd() * (w[0].length - 2));
      const typo = w[0].slice(0, k) + w[0][k + 1] + w[0][k] + w[0].slice(k + 2);
      if (typo === w[0]) return undefined;
      return replace(lines, i, indent(lines[i]) + [typo, ...w.slice(1)].join(' '));
    },
  },
  {
    name: 'wrong block',
    mutate(lines, rnd) {
      const b = blocks(lines);
      const i = pick(
        rnd,
        where(
          lines,
          (w, j) => w.length === 0 && WRONG_BLOCK[b[j]] && b[j + 1] === b[j] && lines[j].trim() === '',
        ),
      );
      if (i === undefined) return undefined;
      return replace(lines, i, `    ${WRONG_BLOCK[b[i]]}`);
    },
  },
  {
    name: 'missing }',
    mutate(lines, rnd) {
      const i = pick(
        rnd,
        where(lines, (w) => w.length === 1 && w[0] === '}'),
      );
      return i === undefined ? undefined : replace(lines, i, '');
    },
  },
  {
    name: 'extra }',
    mutate(lines, rnd) {
      const i = pick(
        rnd,
        where(lines, (w) => plain(w) && w.length >= 2),
      );
      return i === undefined ? undefined : replace(lines, i, `${lines[i]} }`);
    },
  },
  {
    name: 'out-of-range number',
    mutate(lines, rnd) {
      const i = pick(
        rnd,
        where(lines, (w) => w.length === 2 && NUMBERS[w[0]] && /^\d+$/.test(w[1])),
      );
      if (i === undefined) return undefined;
      const w = words(lines[i]);
      return replace(lines, i, `${indent(lines[i])}${w[0]} ${NUMBERS[w[0]]}`);
    },
  },
  {
    name: 'bad enum',
    mutate(lines, rnd) {
      const i = pick(
        rnd,
        where(lines, (w) => w.length === 2 && ENUMS.includes(w[0])),
      );
      if (i === undefined) return undefined;
      const w = words(lines[i]);
      return replace(lines, i, `${indent(lines[i])}${w[0]} ${w[1]}X`);
    },
  },
  {
    name: 'bad IP',
    mutate(lines, rnd) {
      const i = pick(
        rnd,
        where(lines, (w) => plain(w) && w.some((x) => IPV4.test(x))),
      );
      if (i === undefined) return undefined;
      const w = words(lines[i]);
      const k = w.findIndex((x) => IPV4.test(x));
      w[k] = w[k].replace(/^\d{1,3}/, '300');
      return replace(lines, i, indent(lines[i]) + w.join(' '));
    },
  },
  {
    name: 'undefined reference',
    mutate(lines, rnd) {
      const b = blocks(lines);
      const i = pick(
        rnd,
        where(lines, (w, j) => w.length >= 1 && plain(w) && REFERENCES.has(b[j]) && /^\w[\w.-]*$/.test(w[0])),
      );
      if (i === undefined) return undefined;
      const w = words(lines[i]);
      return replace(lines, i, indent(lines[i]) + [`${w[0]}_undefined`, ...w.slice(1)].join(' '));
    },
  },
  {
    name: 'dropped argument',
    mutate(lines, rnd) {
      const b = blocks(lines);
      const i = pick(
        rnd,
        where(
          lines,
          (w, j) =>
            w.length === 2 &&
            plain(w) &&
            b[j] !== '' &&
            !REFERENCES.has(b[j]) &&
            /^[a-z_]+$/.test(w[0]) &&
            !/^(?:virtual_ipaddress|virtual_routes|virtual_rules|static_\w+|unicast_peer|track_\w+)$/.test(
              b[j],
            ),
        ),
      );
      if (i === undefined) return undefined;
      return replace(lines, i, indent(lines[i]) + words(lines[i])[0]);
    },
  },
  {
    name: 'removed required',
    mutate(lines, rnd) {
      const b = blocks(lines);
      // The first word is enough: a quoted script or file path does not matter when the line goes.
      const first = (l) => /^\s*([A-Za-z_]\w*)/.exec(l.replace(/[#!].*/, ''))?.[1];
      const i = pick(
        rnd,
        lines.map((l, j) => (REQUIRED[b[j]]?.includes(first(l)) ? j : -1)).filter((j) => j >= 0),
      );
      if (i === undefined) return undefined;
      const end = blockEnd(lines, i);
      if (end === undefined) return undefined;
      return { lines: lines.map((l, j) => (j >= i && j <= end ? '' : l)), line: i, count: end - i + 1 };
    },
  },
];

export const NEUTRAL = [
  {
    name: 'comment',
    mutate(lines, rnd) {
      const i = pick(
        rnd,
        where(lines, (w) => plain(w) && w.length >= 1 && !/[#!]/.test(lines[lines.indexOf(lines[0])])),
      );
      if (i === undefined || /[#!]/.test(lines[i])) return undefined;
      return replace(lines, i, `${lines[i]}  # a note`);
    },
  },
  {
    name: 'blank lines',
    mutate(lines, rnd) {
      const i = pick(
        rnd,
        where(lines, (w) => w.length >= 1),
      );
      if (i === undefined) return undefined;
      return { lines: [...lines.slice(0, i), '', '! a comment', '', ...lines.slice(i)], line: i };
    },
  },
  {
    name: '{ on the next line',
    mutate(lines, rnd) {
      const i = pick(
        rnd,
        where(lines, (w) => w.length >= 2 && w.at(-1) === '{' && !/[#!]/.test(lines[0] ?? '')),
      );
      if (i === undefined) return undefined;
      const head = lines[i].replace(/\s*\{\s*$/, '');
      if (head === lines[i]) return undefined;
      return { lines: [...lines.slice(0, i), head, `${indent(lines[i])}{`, ...lines.slice(i + 1)], line: i };
    },
  },
  {
    name: 'reordered lines',
    mutate(lines, rnd) {
      const b = blocks(lines);
      const i = pick(
        rnd,
        where(lines, (w, j) => {
          const v = words(lines[j + 1] ?? '');
          return (
            plain(w) &&
            w.length >= 2 &&
            v &&
            plain(v) &&
            v.length >= 2 &&
            v[0] !== w[0] &&
            b[j] === b[j + 1] &&
            b[j] !== '' &&
            !/[#!]/.test(lines[j] + lines[j + 1])
          );
        }),
      );
      if (i === undefined) return undefined;
      return { lines: [...lines.slice(0, i), lines[i + 1], lines[i], ...lines.slice(i + 2)], line: i };
    },
  },
];
