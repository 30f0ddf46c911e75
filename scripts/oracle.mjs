// Runs keepalived's own checker (`keepalived -t -l -D -f FILE`, from Debian's package) on a config and
// returns what it said, per line. Used by the parity suites (test/corpus).
//
// What it does, so that what keepalived says is about the config and not about this machine or -t's
// own quirks:
// - It only runs `keepalived -t`, which parses and checks the config and exits: it starts no daemon and
//   runs none of the config's scripts (it only stats them). There is no other mode.
// - It runs in the config's folder (relative includes and script paths resolve as on the target), as
//   root if we are root, with a service's environment (systemd's PATH, LC_ALL=C) and a timeout.
// - It runs in a private network namespace (`unshare -n`) that holds a bridge for every interface name
//   the config (and its includes) uses, so "interface X doesn't exist" is never said. The names are
//   passed to a fixed sh script as arguments, never spliced into shell text. Needs root; without it
//   the run is not isolated and the result says `isolated: false`. Names the config gives its own
//   VMAC/ipvlan interfaces (`use_vmac NAME`, `use_ipvlan NAME`) get no bridge: keepalived creates
//   those itself and refuses a name that already exists. Callers may add names the scan missed
//   (`options.interfaces`, e.g. the ones keepalived said it lacked in a first run).
// - It preloads a small shim (scripts/oracle/keepalived-shim.c, built with gcc at first use into a
//   cache folder under os.tmpdir(), keyed by the source's hash). keepalived 2.2.7's -t kills itself
//   with SIGTERM (exit 143, no message) right after checking the first script that runs as a non-root
//   user (lib/notify.c: `if (main_pid != getppid()) kill(getpid(), SIGTERM);`, and main_pid is 0 in
//   -t): the shim's getppid() answers main_pid so that check passes. It also captures what -t would
//   log through log_message() (lost in -t mode: most script checks are only logged), as `log`.
// - A run that was killed (SIGTERM / exit 143) said nothing about the rest of the config: it is
//   flagged `killed` and must never be read as agreement.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import braces from 'braces';
import picomatch from 'picomatch';

export function keepalivedAvailable() {
  const r = spawnSync('keepalived', ['--version'], { encoding: 'utf8' });
  return r.status === 0 || /Keepalived v/.test((r.stderr ?? '') + (r.stdout ?? ''));
}

const SHIM_SOURCE = fileURLToPath(new URL('./oracle/keepalived-shim.c', import.meta.url));
/** The shim writes each log_message() line to stderr after this prefix. */
const LOG_PREFIX = '[keepalived log] ';
/** PATH of a systemd service on Debian, where keepalived runs. */
const SERVICE_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
/** At most this many interfaces are created per run, unless the caller asks for more. */
const MAX_INTERFACES = 64;
/** Ceiling for `options.maxInterfaces` (configs with thousands of instances name thousands). */
const MAX_INTERFACES_LIMIT = 8192;

let shim;
/**
 * Builds the LD_PRELOAD shim once per source version (cached under os.tmpdir()).
 * @returns {{ path: string | null, error?: string }}
 */
export function oracleShim() {
  if (shim) return shim;
  try {
    const source = readFileSync(SHIM_SOURCE);
    const hash = createHash('sha256').update(source).digest('hex').slice(0, 16);
    const dir = privateDir(join(tmpdir(), `keepalived-oracle-${process.getuid?.() ?? 'user'}`));
    const target = join(dir, `keepalived-shim-${hash}.so`);
    if (!ownedFile(target)) {
      rmSync(target, { force: true });
      const partial = `${target}.${process.pid}.tmp`;
      const r = spawnSync('gcc', ['-shared', '-fPIC', '-O2', '-o', partial, SHIM_SOURCE, '-ldl'], {
        encoding: 'utf8',
        timeout: 60000,
      });
      if (r.status !== 0) {
        rmSync(partial, { force: true });
        const why = r.error ? r.error.message : (r.stderr || `gcc exited ${r.status}`).trim();
        return (shim = { path: null, error: `cannot build the shim: ${why}` });
      }
      renameSync(partial, target); // atomic, so concurrent workers never load a half-written file
    }
    shim = { path: target };
  } catch (e) {
    shim = { path: null, error: `cannot build the shim: ${e instanceof Error ? e.message : e}` };
  }
  return shim;
}

/** A folder only we can write to (the shim is preloaded into a root process: nobody else may plant it). */
function privateDir(dir) {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = lstatSync(dir);
  const uid = process.getuid?.();
  if (st.isDirectory() && !st.isSymbolicLink() && (uid === undefined || st.uid === uid)) {
    chmodSync(dir, 0o700);
    return dir;
  }
  return mkdtempSync(join(tmpdir(), 'keepalived-oracle-'));
}

function ownedFile(path) {
  try {
    const st = lstatSync(path);
    const uid = process.getuid?.();
    return st.isFile() && (uid === undefined || st.uid === uid) && (st.mode & 0o022) === 0;
  } catch {
    return false;
  }
}

// Runs inside `unshare -n` (and `-m` when the config names network namespaces): lo up; each name of
// $KEEPALIVED_ORACLE_NETNS (checked names, split on blanks) becomes /run/netns/NAME bound to this same
// namespace, on a tmpfs only this mount namespace sees, so `net_namespace NAME` enters the namespace
// that holds the bridges (core/namespaces.c opens /run/netns/NAME; without it keepalived exits before
// reading the rest); one bridge per name before `--`, then exec what follows `--` with the shim
// preloaded. Names only ever arrive as "$1": the shell never parses them. Names made only of
// [A-Za-z0-9_.@+-] go to one `ip -batch` (thousands of interfaces in a fraction of a second; ip's batch
// reader splits on blanks and treats quotes and '#' specially, none of which such a name holds); any
// other name gets its own `ip link add`.
const NETNS_SCRIPT = `ip link set dev lo up >/dev/null 2>&1 || exit 125
if [ -n "$KEEPALIVED_ORACLE_NETNS" ]; then
  mkdir -p /run/netns && mount -t tmpfs -o size=64k,mode=755 keepalived-oracle /run/netns || exit 125
  for ns in $KEEPALIVED_ORACLE_NETNS; do
    : > "/run/netns/$ns" && mount --bind /proc/self/ns/net "/run/netns/$ns" || exit 125
  done
fi
for n in "$@"; do
  [ "$n" = -- ] && break
  case "$n" in
    *[!A-Za-z0-9_.@+-]*) ;;
    *) printf 'link add name %s type bridge\\nlink set dev %s up\\n' "$n" "$n" ;;
  esac
done | ip -force -batch - >/dev/null 2>&1
while [ "$#" -gt 0 ] && [ "$1" != -- ]; do
  case "$1" in
    *[!A-Za-z0-9_.@+-]*) ip link add name "$1" type bridge >/dev/null 2>&1 && ip link set dev "$1" up >/dev/null 2>&1 ;;
  esac
  shift
done
[ "$#" -gt 0 ] && shift
if [ -n "$KEEPALIVED_ORACLE_PRELOAD" ]; then LD_PRELOAD="$KEEPALIVED_ORACLE_PRELOAD"; export LD_PRELOAD; fi
exec "$@"`;

let isolation;
/**
 * Whether runs can be isolated in a network namespace with bridges (needs root and unshare).
 * @returns {{ isolated: boolean, error?: string }}
 */
export function oracleIsolation() {
  if (isolation) return isolation;
  const probe = 'kl-oracle-probe';
  const r = spawnSync(
    'unshare',
    ['-n', 'sh', '-c', NETNS_SCRIPT, 'sh', probe, '--', 'ip', 'link', 'show', 'dev', probe],
    { encoding: 'utf8', timeout: 10000 },
  );
  isolation =
    r.status === 0
      ? { isolated: true }
      : {
          isolated: false,
          error: `unshare -n with bridges failed (${r.error?.message ?? (r.stderr.trim() || `exit ${r.status}`)})`,
        };
  return isolation;
}

/**
 * @typedef {{ line?: number, text: string }} OracleMessage
 * @typedef {{
 *   exitCode: number | null, signal: string | null, timedOut: boolean,
 *   killed: boolean, isolated: boolean, shim: boolean, interfaces: string[], notes: string[],
 *   messages: OracleMessage[], allMessages: (OracleMessage & { file?: string })[], log: string[] | null,
 * }} OracleResult
 * `killed`: keepalived died from SIGTERM (exit 143) and said nothing about the rest of the config.
 * `messages`: what -t printed (report_config_error) about the file itself. `allMessages`: every
 * message, each with the `file` keepalived named when it was in an included file (as printed: the
 * include's path, relative to the including file's folder unless absolute). `log`: what it would have
 * logged (log_message), when the shim could capture it, else null.
 * @param {string} file
 * @param {number} [timeoutMs]
 * @param {{ interfaces?: string[], maxInterfaces?: number }} [options] `interfaces`: more names to
 *   create (e.g. those keepalived said it lacked in an earlier run); `maxInterfaces`: raise the
 *   default cap of 64 bridges (at most 8192).
 * @returns {OracleResult}
 */
export function runOracle(file, timeoutMs = 15000, options = {}) {
  const abs = resolve(file);
  const notes = [];
  const { path: shimPath, error: shimError } = oracleShim();
  if (shimError) notes.push(`${shimError}; runs that check a non-root script are killed`);
  const { isolated, error: isolationError } = oracleIsolation();
  if (isolationError) notes.push(`not isolated: ${isolationError}; interface messages describe this machine`);
  const max = Math.min(Math.max(options.maxInterfaces ?? MAX_INTERFACES, 0), MAX_INTERFACES_LIMIT);
  let interfaces = [];
  if (isolated) {
    const names = new Set(interfaceNames(abs, max));
    for (const name of options.interfaces ?? [])
      if (names.size < max && validInterfaceName(name) && name !== 'lo') names.add(name);
    interfaces = [...names];
  }
  const namespaces = isolated ? namespaceNames(abs) : [];
  if (namespaces.length) notes.push(`network namespaces ${namespaces.join(', ')} made as this run's own`);
  const keepalived = ['keepalived', '-t', '-l', '-D', '-f', abs];
  // The environment keepalived gets as a service (systemd's default PATH), not ours: a bare command is
  // looked up in PATH as the script's user, and a folder of ours that user cannot enter would fail it.
  const env = { PATH: SERVICE_PATH, LC_ALL: 'C' };
  if (shimPath) env.KEEPALIVED_ORACLE_LOG = '1';
  let command, args;
  if (isolated) {
    if (shimPath) env.KEEPALIVED_ORACLE_PRELOAD = shimPath;
    if (namespaces.length) env.KEEPALIVED_ORACLE_NETNS = namespaces.join(' ');
    const unshare = namespaces.length ? ['-m', '-n'] : ['-n'];
    [command, args] = [
      'unshare',
      [...unshare, 'sh', '-c', NETNS_SCRIPT, 'sh', ...interfaces, '--', ...keepalived],
    ];
  } else {
    if (shimPath) env.LD_PRELOAD = shimPath;
    [command, args] = [keepalived[0], keepalived.slice(1)];
  }
  const r = spawnSync(command, args, {
    cwd: dirname(abs),
    env,
    encoding: 'utf8',
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
  });
  const timedOut = r.error?.code === 'ETIMEDOUT' || r.signal === 'SIGKILL';
  const killed = r.signal === 'SIGTERM' || r.status === 143;
  if (killed) notes.push('killed by SIGTERM: keepalived said nothing about the rest of the config');
  const stderr = r.stderr ?? '';
  const logLines = [];
  const rest = [];
  for (const raw of stderr.split('\n'))
    if (!raw.startsWith(LOG_PREFIX)) rest.push(raw);
    else if (raw.slice(LOG_PREFIX.length).trim()) logLines.push(raw.slice(LOG_PREFIX.length).trim());
  return {
    exitCode: r.status,
    signal: r.signal,
    timedOut,
    killed,
    isolated,
    shim: !!shimPath,
    interfaces,
    notes,
    messages: parseOracle(rest.join('\n'), basename(abs)),
    allMessages: parseOracleAll(rest.join('\n')),
    // keepalived logs its start-up banner first thing, so an empty capture means there was none.
    log: logLines.length ? logLines : null,
  };
}

/** Splits keepalived's stderr into messages with the 1-based line they name (if any). */
export function parseOracle(stderr, fileName) {
  const messages = [];
  for (const raw of stderr.split('\n')) {
    const text = raw.trim();
    if (!text) continue;
    const m = /^\((?:(.+?): )?Line (\d+)\) (.*)$/.exec(text);
    if (m && (!m[1] || basename(m[1]) === fileName)) messages.push({ line: Number(m[2]), text: m[3] });
    else if (!m) messages.push({ text });
  }
  return messages;
}

/**
 * Splits keepalived's stderr into messages: `line` (1-based) when it names one, and `file` when it
 * names the file too (keepalived does so for lines of included files).
 * @returns {{ file?: string, line?: number, text: string }[]}
 */
export function parseOracleAll(stderr) {
  const messages = [];
  for (const raw of stderr.split('\n')) {
    const text = raw.trim();
    if (!text) continue;
    const m = /^\((?:(.+?): )?Line (\d+)\) (.*)$/.exec(text);
    if (!m) messages.push({ text });
    else if (m[1]) messages.push({ file: m[1], line: Number(m[2]), text: m[3] });
    else messages.push({ line: Number(m[2]), text: m[3] });
  }
  return messages;
}

// --- interface names ---------------------------------------------------------------------------------

/** Keywords whose next word is an interface, when they start a line. */
const INTERFACE_KEYWORDS = new Set(['interface', 'lvs_sync_daemon_interface', 'lvs_sync_daemon']);
/** Words followed by an interface anywhere on a line (addresses, routes, rules). */
const INTERFACE_ARGS = new Set(['dev', 'oif', 'iif']);
/** Blocks in which each line starts with an interface. */
const INTERFACE_BLOCKS = new Set(['track_interface', 'interfaces']);

/** What Linux accepts as an interface name (dev_valid_name). */
export function validInterfaceName(name) {
  return (
    typeof name === 'string' &&
    name.length > 0 &&
    name.length <= 15 &&
    name !== '.' &&
    name !== '..' &&
    !/[/:\s]/.test(name)
  );
}

/** Keywords whose next word names an interface keepalived creates itself (a VMAC or ipvlan). */
const OWN_INTERFACE_KEYWORDS = new Set(['use_vmac', 'use_ipvlan']);

/**
 * Reads a config and every file it includes (glob with braces, `$NAME` / `${NAME}` definitions and
 * keepalived's built-in `${_PWD}`, the folder of the file being read), calling `onWords` with the
 * words of each line (comments, conditional `@id ` prefixes and braces split off) and the stack of
 * enclosing block names. Returns every file read, the config itself first. At most 256 files.
 */
function walkConfig(file, onWords = () => {}) {
  const seen = new Set();
  const definitions = new Map();
  const visit = (path, depth) => {
    if (seen.has(path) || seen.size >= 256 || depth > 16) return;
    let text;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      return;
    }
    seen.add(path);
    const blocks = [];
    for (const raw of text.split('\n')) {
      const line = stripComment(raw).replace(/^\s*@\^?\S+\s+/, '');
      // keepalived's definitions: `$NAME=value`, used as $NAME or ${NAME} (one-line ones suffice here)
      const def = /^\s*\$([A-Za-z_]\w*)\s*=\s*(.*?)\s*$/.exec(line);
      if (def) {
        definitions.set(def[1], def[2]);
        continue;
      }
      const expanded = line.replace(/\$\{([A-Za-z_]\w*)\}|\$([A-Za-z_]\w*)/g, (all, a, b) =>
        (a ?? b) === '_PWD' ? dirname(path) : (definitions.get(a ?? b) ?? all),
      );
      const words = expanded.replace(/[{}]/g, ' $& ').split(/\s+/).filter(Boolean);
      if (words[0] === 'include') {
        if (words[1]) for (const f of expandInclude(words[1], dirname(path))) visit(f, depth + 1);
        continue;
      }
      onWords(words, blocks);
    }
  };
  visit(resolve(file), 0);
  return [...seen];
}

/** Every file keepalived reads for a config: the file itself, then the files it includes. */
export function configFiles(file) {
  return walkConfig(file);
}

/**
 * The interface names a config (and the files it includes) uses: a conservative scan of the text, so
 * it may name a few words that are not interfaces, which costs nothing. Names the config gives its own
 * VMAC / ipvlan interfaces are left out. At most `limit` (64).
 */
export function interfaceNames(file, limit = MAX_INTERFACES) {
  const names = new Set();
  const own = new Set();
  walkConfig(file, (words, blocks) => {
    let first = true;
    let previous = '';
    for (let i = 0; i < words.length; i++) {
      const w = words[i];
      if (w === '{' || w === '}') {
        if (w === '{') blocks.push(previous);
        else blocks.pop();
        first = true;
        previous = '';
        continue;
      }
      if (first && INTERFACE_BLOCKS.has(blocks.at(-1))) names.add(w);
      const next = words[i + 1];
      if (next && next !== '{' && next !== '}') {
        if ((first && INTERFACE_KEYWORDS.has(w)) || INTERFACE_ARGS.has(w)) names.add(next);
        if (first && OWN_INTERFACE_KEYWORDS.has(w)) own.add(next);
      }
      first = false;
      previous = w;
    }
  });
  const result = [];
  for (const name of names)
    if (result.length < limit && validInterfaceName(name) && name !== 'lo' && !own.has(name))
      result.push(name);
  return result;
}

/**
 * Every name a `net_namespace` line of the config (any `@id` variant) gives, that is a safe file name:
 * the run makes each one (see NETNS_SCRIPT).
 * @param {string} file
 * @returns {string[]}
 */
export function namespaceNames(file) {
  const names = new Set();
  // As expanded with the config's one-line definitions, and as written: a definition made only for
  // other ids (`@low $NAME=low`) leaves `$NAME` as keepalived reads it for this machine's id.
  walkConfig(file, (words) => {
    if (words[0] === 'net_namespace' && words[1] && !words[1].includes('$')) names.add(words[1]);
  });
  for (const path of configFiles(file)) {
    let text = '';
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      continue;
    }
    for (const m of text.matchAll(/^[ \t]*(?:@\^?\S+[ \t]+)?net_namespace[ \t]+([^\s#!]+)/gm))
      names.add(m[1]);
  }
  // lib/parser.c: ${_INSTANCE} is the instance name, which is the config id: this host's name here.
  const instance = hostname().split('.')[0];
  return [...names]
    .map((n) => n.replace(/^\$\{_INSTANCE\}$|^\$_INSTANCE$/, instance))
    .filter((n) => /^[A-Za-z0-9_$][A-Za-z0-9_.${}-]{0,63}$/.test(n))
    .slice(0, 16);
}

/** keepalived's comment rule: an unquoted '#' or '!' starts a comment. */
function stripComment(line) {
  let quote = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"') quote = !quote;
    else if (c === '\\') i++;
    else if (!quote && (c === '#' || c === '!')) return line.slice(0, i);
  }
  return line;
}

/** The files an `include` pattern names (glob with braces), relative to the including file's folder. */
function expandInclude(pattern, base) {
  const files = [];
  for (const p of braces.expand(pattern.replace(/^"(.*)"$/, '$1'))) {
    const abs = isAbsolute(p) ? p : join(base, p);
    const parts = abs.split('/').filter(Boolean);
    let paths = ['/'];
    for (const part of parts) {
      const next = [];
      for (const dir of paths) {
        if (!picomatch.scan(part).isGlob) next.push(join(dir, part));
        else {
          let entries = [];
          try {
            entries = readdirSync(dir);
          } catch {
            // a folder that does not exist matches nothing
          }
          const match = picomatch(part);
          for (const e of entries) if (match(e)) next.push(join(dir, e));
        }
      }
      paths = next.slice(0, 256);
    }
    files.push(...paths);
  }
  return files;
}

// --- script drops --------------------------------------------------------------------------------

/**
 * Every message of keepalived 2.2.7 that says a script will not run, with where it comes from and
 * whether `-t` prints it (report_config_error: in `messages`) or only logs it (log_message: in `log`,
 * which only the shim can capture). `name` is the vrrp_script's name (`vrrp_script`) or the script's
 * path (`path`). Where keepalived prints cmd_str() (each word in single quotes) the name is the first
 * word, unquoted, and '' when the script was not set yet.
 */
export const SCRIPT_DROPS = [
  // keepalived/vrrp/vrrp_parser.c
  {
    kind: 'vrrp-script-no-default-user',
    names: 'vrrp_script',
    printed: true,
    source: 'vrrp_parser.c:1615',
    re: /^Unable to set default user for vrrp script (.*) - removing$/,
  },
  {
    kind: 'vrrp-script-bad-user',
    names: 'path',
    printed: true,
    source: 'vrrp_parser.c:1594',
    re: /^Unable to set uid\/gid for script ?(.*)$/,
  },
  {
    kind: 'vrrp-script-no-script',
    names: 'vrrp_script',
    printed: true,
    source: 'vrrp_parser.c:1609',
    re: /^No script set for vrrp_script (.*) - removing$/,
  },
  // keepalived/vrrp/vrrp.c check_track_script_secure()
  {
    kind: 'track-script-not-found',
    names: 'vrrp_script',
    printed: true,
    source: 'vrrp.c:195',
    re: /^Disabling track script (.*) since not found\/accessible$/,
  },
  {
    kind: 'track-script-insecure',
    names: 'vrrp_script',
    printed: true,
    source: 'vrrp.c:191',
    re: /^Disabling track script (.*) due to insecure$/,
  },
  // keepalived/check/check_misc.c
  {
    kind: 'misc-script-bad-user',
    names: 'path',
    printed: true,
    source: 'check_misc.c:181',
    re: /^Failed to set uid\/gid for misc checker script (.*) - removing$/,
  },
  {
    kind: 'misc-script-no-default-user',
    names: 'path',
    printed: true,
    source: 'check_misc.c:205',
    re: /^Unable to set default user for misc script (.*) - removing$/,
  },
  {
    kind: 'misc-script-insecure',
    names: 'path',
    printed: false,
    source: 'check_misc.c:250',
    re: /^Disabling misc script (.*) due to insecure$/,
  },
  {
    kind: 'misc-script-not-found',
    names: 'path',
    printed: false,
    source: 'check_misc.c:254',
    re: /^Disabling misc script (.*) since not found\/accessible$/,
  },
  // lib/notify.c notify_script_init(): notify_*, startup/shutdown scripts
  {
    kind: 'script-bad-user',
    names: 'path',
    printed: false,
    source: 'notify.c:1088',
    re: /^Invalid user\/group for (\S+) script (.*) - ignoring$/,
  },
  {
    kind: 'script-no-default-user',
    names: 'path',
    printed: false,
    source: 'notify.c:1095',
    re: /^Failed to set default user for (\S+) script (.*) - ignoring$/,
  },
  // lib/notify.c check_script_secure() / check_security(): every script
  {
    kind: 'script-not-in-path',
    names: 'path',
    printed: false,
    source: 'notify.c:725',
    re: /^Cannot find script (.*) in path - disabling$/,
  },
  {
    kind: 'script-path-permissions',
    names: 'path',
    printed: false,
    source: 'notify.c:723',
    re: /^Permissions failure for script (.*) in path - disabling$/,
  },
  {
    kind: 'script-uid-gid',
    names: 'path',
    printed: false,
    source: 'notify.c:737',
    re: /^Unable to set uid:gid \d+:\d+ for script (.*) - disabling$/,
  },
  {
    kind: 'script-inaccessible',
    names: 'path',
    printed: false,
    source: 'notify.c:766',
    re: /^Script (.*) cannot be accessed - .*$/,
  },
  {
    kind: 'script-no-stat',
    names: 'path',
    printed: false,
    source: 'notify.c:817',
    re: /^Unable to access script `(.*)` - disabling$/,
  },
  {
    kind: 'script-not-executable',
    names: 'path',
    printed: false,
    source: 'notify.c:834',
    re: /^WARNING - script '(.*)' is not executable for uid:gid \d+:\d+ - disabling\.$/,
  },
  {
    kind: 'script-not-found',
    names: 'path',
    printed: false,
    source: 'notify.c:660',
    re: /^check_script_secure could not find script '(.*)' - disabling$/,
  },
  {
    kind: 'script-stat-error',
    names: 'path',
    printed: false,
    source: 'notify.c:662',
    re: /^check_script_secure\('(.*)'\) returned errno \d+ - .* - disabling$/,
  },
  {
    kind: 'script-wrong-file-type',
    names: 'path',
    printed: false,
    source: 'notify.c:672',
    re: /^Wrong file type found in script path '(.*)'\.$/,
  },
  {
    kind: 'script-unsafe-permissions',
    names: 'path',
    printed: false,
    source: 'notify.c:682',
    re: /^Unsafe permissions found for script '(.*)' - disabling\.$/,
  },
];

/** The first word of keepalived's cmd_str() ('a' 'b' ...), unquoted; a plain path is returned as is. */
function firstWord(s) {
  const m = /^'([^']*)'/.exec(s);
  return m ? m[1] : s;
}

/**
 * Every script keepalived drops, disables or removes according to its messages (from `messages`,
 * `log`, or plain strings; "(Line N) " prefixes are allowed).
 * @param {(string | { line?: number, text: string })[]} messages
 * @returns {{ kind: string, name: string, text: string, line?: number, type?: string }[]}
 */
export function scriptDrops(messages) {
  const drops = [];
  for (const m of messages ?? []) {
    const raw = typeof m === 'string' ? m : m.text;
    const lm = /^\((?:.+?: )?Line (\d+)\) (.*)$/.exec(raw);
    const text = lm ? lm[2] : raw;
    const line = typeof m === 'object' && m.line ? m.line : lm ? Number(lm[1]) : undefined;
    for (const d of SCRIPT_DROPS) {
      const x = d.re.exec(text);
      if (!x) continue;
      const type = x.length > 2 ? x[1] : undefined; // notify_master, startup, ...
      const named = x.length > 2 ? x[2] : x[1];
      const drop = { kind: d.kind, name: d.names === 'path' ? firstWord(named) : named, text };
      if (line) drop.line = line;
      if (type) drop.type = type;
      drops.push(drop);
      break;
    }
  }
  return drops;
}

/** Messages that say the config itself is wrong in a way a linter must find on the same line. */
export const MUST_FIND = [
  /^Unknown keyword '/,
  /^invalid number '/,
  /^number '.*' outside (integer )?range/,
  /^negative number '/,
  /has too many decimal places/,
  /^Extra '}' found/,
  /^Missing '\{' at beginning/,
  /^Unexpected '\{'/,
  /unknown state '/,
  /VRRP parsed invalid IP/,
  /malformed unicast peer address/,
  /unknown authentication type/,
  /^Unmatched quote/,
  /^Unterminated quote/,
  /Truncating auth_pass/,
  /Interface name '.*' too long/,
  /is missing a parameter after keyword/,
  /Invalid lvs_scheduler/,
  /only applies to sh scheduler/,
];

// --- what only describes the checking machine ---------------------------------------------------

/**
 * Messages of `keepalived -t` that only describe the checking machine, not the config. Interfaces are
 * not here: the oracle's namespace has them all. Used where a fixed file is compared with its original
 * (test/corpus/fix.test.ts, scripts/fix-parity.mjs).
 */
export const MACHINE_MESSAGES = new RegExp(
  [
    // Accounts this machine lacks. `script_user X` (global_parser.c), `user X` in a vrrp_script
    // (vrrp_parser.c) or a MISC_CHECK (check_misc.c) naming an account that is not in /etc/passwd here:
    'Error setting global script uid/gid',
    'Unable to set uid/gid for script',
    'Failed to set uid/gid for misc checker script',
    // ... and keepalived's default account for scripts without a user, keepalived_script, which this
    // machine does not have (notify.c get_default_script_user, then vrrp_parser.c / check_misc.c):
    'Unable to set default user ',
    // Script files as this machine has them, not as the target does: missing here, or here with other
    // owners or modes (vrrp.c check_track_script_secure). The log says which (MACHINE_DROPS below).
    'Disabling track script .* since not found/accessible',
    'Disabling track script .* due to insecure',
  ].join('|'),
);

/**
 * Script drops that keepalived -t only logs (captured by the shim; kinds of scriptDrops) and that only
 * describe this machine. Not here: a bare command run as a non-root user ('script-path-permissions'),
 * which 2.2.7 disables on every machine, and a user keepalived cannot read ('script-bad-user').
 */
export const MACHINE_DROPS = new Set([
  // The script's file is not on this machine:
  'script-inaccessible', // Script X cannot be accessed - No such file or directory
  'script-not-found', // check_script_secure could not find script 'X'
  'script-not-in-path', // Cannot find script X in path (a command not installed here)
  'script-no-stat', // Unable to access script `X`
  'misc-script-not-found', // Disabling misc script X since not found/accessible
  // The file is here, but its owner and mode are this machine's, not the target's:
  'script-not-executable', // WARNING - script 'X' is not executable for uid:gid U:G
  'script-unsafe-permissions', // Unsafe permissions found for script 'X' - disabling.
  'script-wrong-file-type', // Wrong file type found in script path 'X'.
  'script-stat-error', // check_script_secure('X') returned errno N
  'misc-script-insecure', // Disabling misc script X due to insecure
  // keepalived_script, the default account, is not on this machine:
  'script-no-default-user', // Failed to set default user for TYPE script X
]);
