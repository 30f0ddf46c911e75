#!/usr/bin/env node
// Parity with keepalived's own checker over ../shared/corpus (`npm run test:parity`, docs/parity.md).
//
// For every keepalived configuration in the corpus (keepalived-samples/, real/ and devel/, recursively;
// not templates/ nor *.NOTKEEPALIVED; a file that another config includes is judged through that
// config, as keepalived reads it), it runs
//   - keepalived -t, the installed version, through scripts/oracle.mjs (private network namespace with
//     the config's interfaces, the shim against 2.2.7's self-kill), with a per-file time limit, and
//   - our engine from server/src, in process (bundled with esbuild at the start of the run), targeting
//     that same keepalived version, with a per-file time limit too,
// then compares them line by line:
//   - recall, per category of keepalived's message: of the lines keepalived reports something on, how
//     many we report something on;
//   - false alarms: our errors on lines keepalived says nothing about.
// Messages that describe the checking machine rather than the config (interfaces it lacks, accounts,
// script files) are left out, and so is what keepalived says without a line number.
//
// keepalived's answers are cached (node_modules/.cache/keepalived-parity/, or $PARITY_CACHE), keyed by
// the config's files, the keepalived version and the oracle's code, so a re-run takes seconds.
//
// Exit code 1 when there is a false alarm not listed in test/parity/known-differences.json, when the
// engine fails or times out on a file, or (with --require or $CI) when the corpus or keepalived is
// missing. Recall is reported, not enforced (yet).
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { availableParallelism, hostname, tmpdir } from 'node:os';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import {
  configFiles,
  keepalivedAvailable,
  oracleIsolation,
  oracleShim,
  runOracle,
  SCRIPT_DROPS,
  validInterfaceName,
} from './oracle.mjs';

const HERE = fileURLToPath(import.meta.url);
const ROOT = resolve(dirname(HERE), '..');
/**
 * ipwrapper.c link_vsg_to_vs() drops a `virtual_server group` service it cannot link with a log line only
 * (log_message, not report_config_error): -t prints nothing, the log says it, naming the service "[GROUP]:0".
 */
const DROPPED_SERVICE =
  /doesn't match virtual server (\[.*\]:\d+) - ignoring$|specified but not configured - ignoring virtual server (\[.*\]:\d+)$/;
/** Bump when the way keepalived is run or its answer is stored changes: old cache entries are ignored. */
const ORACLE_PROTOCOL = 'parity-oracle-4';
const MAX_INTERFACES = 4096;

// --- the corpus ----------------------------------------------------------------------------------

export const FOLDERS = ['keepalived-samples', 'real', 'devel'];

/** keepalived 2.2.7's top-level keywords (install_keyword_root), plus `include`. */
const TOP_LEVEL = new Set(
  (
    'bfd_instance child_wait_time garp_group global_defs instance interface_up_down_delays ' +
    'linkbeat_interfaces linkbeat_use_polling namespace_with_ipsets net_namespace net_namespace_ipvs ' +
    'static_ipaddress static_routes static_rules track_file track_group use_pid_dir virtual_server ' +
    'virtual_server_group vrrp_instance vrrp_script vrrp_sync_group vrrp_track_file vrrp_track_process include'
  ).split(' '),
);

/**
 * Whether a corpus file is a keepalived config: 'config', or why not. Every `*.conf` is one (keepalived
 * reads whatever it is given); another file is one when its first word is a top-level keyword or a
 * `$NAME=` definition. Binary files, scripts (`#!`) and Jinja templates (`{%`, `{{`) are not.
 */
export function fileKind(path) {
  const bytes = readFileSync(path);
  if (bytes.includes(0)) return 'binary';
  const text = bytes.toString('utf8');
  if (text.startsWith('#!')) return 'script';
  if (/\{%|\{\{/.test(text)) return 'Jinja template';
  if (path.endsWith('.conf')) return 'config';
  for (const raw of text.split('\n')) {
    const line = raw.replace(/[#!].*/, '').trim();
    if (!line) continue;
    const word = line.replace(/^@\^?\S+\s+/, '').split(/[\s{]/)[0];
    return TOP_LEVEL.has(word) || /^\$[A-Za-z_]\w*=?/.test(word) ? 'config' : 'not a config';
  }
  return 'empty';
}

/**
 * The configs to judge: every config file of the corpus folders that no other one includes.
 * @returns {{ roots: string[], included: string[], skipped: { file: string, why: string }[] }} paths
 *   relative to the corpus
 */
export function listCorpus(corpus) {
  const configs = [];
  const skipped = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const st = lstatSync(path);
      if (st.isDirectory()) walk(path);
      else if (!st.isFile()) skipped.push({ file: relative(corpus, path), why: 'not a regular file' });
      else if (name.endsWith('.NOTKEEPALIVED'))
        skipped.push({ file: relative(corpus, path), why: '*.NOTKEEPALIVED' });
      else {
        const kind = fileKind(path);
        if (kind === 'config') configs.push(path);
        else skipped.push({ file: relative(corpus, path), why: kind });
      }
    }
  };
  for (const folder of FOLDERS) if (existsSync(join(corpus, folder))) walk(join(corpus, folder));
  const included = new Set();
  for (const path of configs) for (const f of configFiles(path).slice(1)) if (f !== path) included.add(f);
  return {
    roots: configs.filter((p) => !included.has(p)).map((p) => relative(corpus, p)),
    included: configs.filter((p) => included.has(p)).map((p) => relative(corpus, p)),
    skipped,
  };
}

// --- keepalived's messages -----------------------------------------------------------------------

export const CATEGORIES = [
  'unknown keyword',
  'brace',
  'missing parameter',
  'invalid value',
  'undefined reference',
  'duplicate',
  'security',
  'deprecated',
  'consequence',
  'other',
];

/** Messages naming an interface keepalived could not find, with the name. */
const MISSING_INTERFACE = [
  /^WARNING - interface (\S+) for .* doesn't exist$/,
  /^\(.*?\) tracked interface (\S+) doesn't exist$/,
  /^\(.*?\) WARNING - VRF interface (\S+) doesn't exist$/,
  /^WARNING - interface (\S+) specified for garp_group doesn't exist$/,
  /^unknown interface (\S+) specified for (?:linkbeat interface|up\/down delay)$/,
];

/** What describes the checking machine, not the config: never compared. */
const MACHINE = [
  ...MISSING_INTERFACE.map((re) => ({ why: 'interface', re })),
  { why: 'interface', re: /^Non-existent interface specified in configuration$/ },
  { why: 'interface', re: /Cannot find an IP address to use for interface/ },
  // lib/notify.c get_default_script_user(), set_script_uid_gid(); vrrp_parser.c; check_misc.c;
  // global_parser.c script_user_handler()
  { why: 'account', re: /^Unable to set default user\b/ },
  { why: 'account', re: /^Error setting global script uid\/gid$/ },
  { why: 'account', re: /^Unable to set uid\/gid for script\b/ },
  { why: 'account', re: /^Failed to set uid\/gid for misc checker script\b/ },
  { why: 'account', re: /^Failed to set default user\b/ },
  { why: 'account', re: /^Invalid user\/group for\b/ },
  { why: 'account', re: /^Unable to set uid:gid\b/ },
  // global_parser.c smtpserver_handler(): a host name is looked up (getaddrinfo), and the namespace has
  // no DNS; a literal address is not
  { why: 'name resolution', re: /^Invalid smtp server (?![\d.]+ |\S*:)\S+ \d{1,5}$/ },
  // scripts/oracle.mjs SCRIPT_DROPS: every way a script file is found missing or unsafe here
  ...SCRIPT_DROPS.filter((d) => d.kind !== 'vrrp-script-no-script').map((d) => ({
    why: 'script file',
    re: d.re,
  })),
];

/** In the order tried: the first that matches names the category. */
const CATEGORY_RULES = [
  [
    'brace',
    /^Extra '\}' found|^Missing '[{}]'|^Unexpected '[{}]'|missing '\}'s or extra '\{'s|[Uu]nmatched quote|[Uu]nterminated quote/,
  ],
  [
    'unknown keyword',
    /^Unknown keyword '|unknown route keyword|^Unknown configuration entry|\b[Uu]nknown (?:\S+ )*option\b|^Unknown rule option/,
  ],
  [
    'missing parameter',
    /is missing a parameter|^No \S+(?: \S+)? specified$|requires (?:an? )?interface(?: name)?$|^\S+ script missing$|without value|empty .*block$/,
  ],
  ['deprecated', /deprecated|[Pp]lease use |[Pp]lease replace|iptables not supported, using nftables/],
  [
    'duplicate',
    /already (?:defined|specified|used|configured|set|using)|is duplicated|both use VRID|[Dd]uplicate/,
  ],
  [
    'undefined reference',
    /not found, ignoring|\bnot found$|specified in (?:sync|track) group .* doesn't exist|unknown track_(?:script|interface|process|interace)\b/,
  ],
  ['security', /SECURITY VIOLATION|script_security|[Ii]nsecure|Truncating auth_pass/],
  [
    'consequence',
    /has no |\b[Nn]o \S+ (?:set|specified)\b|does not have|\bwith no\b|\bwithout\b|\brequires\b|cannot be tracked|[Ii]ncompatible|must match|exceeds|Cannot use|has only \d+|does not support|not supported in/,
  ],
  [
    'invalid value',
    /[Ii]nvalid|not valid|outside (?:integer )?range|negative number|decimal places|unknown state|unknown authentication|malformed|too long|must be|greater than|less than|[Uu]nknown|not a valid|[Cc]annot specify|nonsense/,
  ],
];

/** The category of one of keepalived's messages. */
export function categorize(text) {
  for (const [category, re] of CATEGORY_RULES) if (re.test(text)) return category;
  return 'other';
}

/** Why a message describes the checking machine, or undefined when it is about the config. */
export function machineReason(text) {
  return MACHINE.find((m) => m.re.test(text))?.why;
}

/** The category one of our rules reports in, for the false alarms table. */
export function ruleCategory(rule) {
  if (/^(?:unknown-keyword|unsupported-keyword|wrong-block|extra-argument)$/.test(rule))
    return 'unknown keyword';
  if (
    /^(?:syntax-error|unclosed-block|extra-closing-brace|unexpected-block|missing-block|unterminated-quote)$/.test(
      rule,
    )
  )
    return 'brace';
  if (rule === 'missing-argument') return 'missing parameter';
  if (rule === 'invalid-value' || rule === 'line-too-long') return 'invalid value';
  if (/^(?:undefined-|include-not-found)/.test(rule)) return 'undefined reference';
  if (/^duplicate-/.test(rule)) return 'duplicate';
  if (/^(?:script-|unsafe-|insecure-|cleartext-|auth-pass|startup-script)/.test(rule)) return 'security';
  if (/^(?:deprecated|legacy)-/.test(rule)) return 'deprecated';
  return 'other';
}

// --- running keepalived --------------------------------------------------------------------------

/** The installed keepalived's version ("2.2.7"), or undefined. */
export function keepalivedVersion() {
  const r = spawnSync('keepalived', ['--version'], { encoding: 'utf8' });
  return /Keepalived v(\d+\.\d+\.\d+)/.exec((r.stderr ?? '') + (r.stdout ?? ''))?.[1];
}

/**
 * keepalived -t on one config, re-run (at most twice) with the interfaces it said it lacked, so that
 * names the text scan cannot see (`~SEQ` loops, multi-line definitions) exist too.
 */
function oracleJob(file, timeoutMs) {
  const started = Date.now();
  const { run: r, rounds } = oracleWithInterfaces(file, timeoutMs);
  return {
    exitCode: r.exitCode,
    signal: r.signal,
    timedOut: r.timedOut,
    killed: r.killed,
    isolated: r.isolated,
    shim: r.shim,
    interfaces: r.interfaces.length,
    rounds,
    notes: r.notes,
    messages: r.allMessages,
    // Only what says which start-up/shutdown script failed and why (see machineMessages()), whether
    // keepalived gave up at a network namespace this machine lacks (see namespaceMissing()), and the
    // virtual servers it drops with a log line only (see DROPPED_SERVICE).
    log: (r.log ?? [])
      .filter(
        (l) =>
          /\b(?:startup|shutdown) script\b|^Unable to set network namespace /.test(l) ||
          DROPPED_SERVICE.test(l),
      )
      .slice(0, 100),
    ms: Date.now() - started,
  };
}

/** runOracle, re-run (at most twice) with the interfaces keepalived said it lacked; the last run. */
export function oracleWithInterfaces(file, timeoutMs) {
  let extra = [];
  let r;
  let rounds = 0;
  for (;;) {
    r = runOracle(file, timeoutMs, { interfaces: extra, maxInterfaces: MAX_INTERFACES });
    rounds++;
    if (r.timedOut || r.killed || !r.isolated || rounds >= 3) break;
    const have = new Set(r.interfaces);
    const missing = new Set();
    for (const m of r.allMessages)
      for (const re of MISSING_INTERFACE) {
        const name = re.exec(m.text)?.[1];
        if (name && !have.has(name) && validInterfaceName(name) && name !== 'lo') missing.add(name);
      }
    if (missing.size === 0 || have.size >= MAX_INTERFACES) break;
    extra = [...extra, ...missing];
  }
  return { run: r, rounds };
}

/**
 * The signal keepalived died of when it crashed (SIGSEGV, SIGABRT, ...), else undefined. A crash cuts its
 * answer short (2.2.7 segfaults on some configs, e.g. tracking an unknown track_file while another one is
 * defined): what it did not get to say must not be read as agreement. SIGTERM is `killed`, SIGKILL our
 * time limit (scripts/oracle.mjs).
 */
export function crashed(run) {
  return run?.signal && run.signal !== 'SIGTERM' && run.signal !== 'SIGKILL' ? run.signal : undefined;
}

/**
 * The network namespace keepalived could not enter, if that is why it stopped: with `net_namespace NAME`
 * it opens /run/netns/NAME right after reading global_defs and exits when that fails, so it says nothing
 * about the rest of the configuration, which must not be read as agreement.
 */
export function namespaceMissing(run) {
  for (const l of run.log ?? []) {
    const name = /^Unable to set network namespace (.*) - exiting$/.exec(l)?.[1];
    if (name !== undefined) return name;
  }
  return undefined;
}

/** The cache key of keepalived's answer on a config: its files' paths and contents, and the setup. */
export function oracleKey(corpus, root, version, timeoutMs) {
  const hash = createHash('sha256');
  const oracleCode = ['oracle.mjs', 'oracle/keepalived-shim.c'].map((f) =>
    readFileSync(join(ROOT, 'scripts', f)),
  );
  hash.update(JSON.stringify([ORACLE_PROTOCOL, version, timeoutMs, hostname(), process.getuid?.()]));
  for (const code of oracleCode) hash.update(code);
  for (const f of configFiles(join(corpus, root))) {
    hash.update(`\0${relative(corpus, f)}\0`);
    hash.update(readFileSync(f));
  }
  return hash.digest('hex').slice(0, 32);
}

// --- workers ---------------------------------------------------------------------------------------

/** A pool of worker threads running this file; a job that takes too long has its worker replaced. */
export class Pool {
  constructor(size, data) {
    this.data = data;
    this.idle = [];
    this.queue = [];
    this.size = size;
    this.workers = 0;
    this.next = 0;
  }

  spawn() {
    const worker = new Worker(HERE, { workerData: this.data });
    worker.unref();
    this.workers++;
    return worker;
  }

  /**
   * Resolves to { value } or { error } or { timedOut: true }, with `ms`: how long the job ran in its worker
   * (from its start there, not from the call: jobs queue for a free worker).
   */
  run(job, timeoutMs) {
    return new Promise((done) => {
      this.queue.push({ job, timeoutMs, done });
      this.pump();
    });
  }

  pump() {
    while (this.queue.length && (this.idle.length || this.workers < this.size)) {
      const worker = this.idle.pop() ?? this.spawn();
      const { job, timeoutMs, done } = this.queue.shift();
      const id = this.next++;
      const began = Date.now();
      let finished = false;
      const finish = (answer, keep) => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        if (keep) this.idle.push(worker);
        else {
          this.workers--;
          void worker.terminate();
        }
        done({ ...answer, ms: Date.now() - began });
        this.pump();
      };
      const onMessage = (m) => {
        if (m.id === id) finish(m.error !== undefined ? { error: m.error } : { value: m.value }, true);
      };
      const onError = (e) => finish({ error: String(e?.stack ?? e) }, false);
      const timer = setTimeout(() => finish({ timedOut: true }, false), timeoutMs);
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.postMessage({ id, job });
    }
  }

  async close() {
    for (const w of this.idle.splice(0)) await w.terminate();
  }
}

function workerMain() {
  let engine;
  if (workerData.role === 'engine') engine = createRequire(import.meta.url)(workerData.bundle);
  parentPort.on('message', ({ id, job }) => {
    try {
      const value =
        workerData.role === 'oracle'
          ? oracleJob(job.file, job.timeoutMs)
          : engine.lintConfig(job.file, job.options);
      parentPort.postMessage({ id, value });
    } catch (e) {
      parentPort.postMessage({ id, error: String(e?.stack ?? e) });
    }
  });
}

/** Bundles test/parity/engine.ts (and so server/src as it is now) into one CommonJS file. */
export async function bundleEngine(dir) {
  const { build } = await import('esbuild');
  const outfile = join(dir, `engine-${process.pid}.cjs`);
  await build({
    entryPoints: [join(ROOT, 'test/parity/engine.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['vscode'],
    logLevel: 'warning',
  });
  return outfile;
}

// --- comparing -----------------------------------------------------------------------------------

/** The config file a message names: keepalived prints an include's path as written (after globbing). */
function placeMessage(printed, files) {
  if (printed === undefined) return files[0];
  if (isAbsolute(printed)) return files.includes(printed) ? printed : undefined;
  for (const f of files) {
    const candidate = resolve(dirname(f), printed);
    if (files.includes(candidate)) return candidate;
  }
  const same = files.filter((f) => basename(f) === basename(printed));
  return same.length === 1 ? same[0] : undefined;
}

/**
 * The messages of a run that describe the machine (each with why), besides those that do by their
 * text: what follows from them. A vrrp_script removed for its account makes every `track_script` of
 * it "not found"; a start-up or shutdown script whose account is missing is "Invalid".
 */
function machineMessages(run, files) {
  const removed = new Set();
  const texts = new Map(files.map((f) => [f, undefined]));
  const scriptAt = (file, line) => {
    if (!texts.get(file)) texts.set(file, readFileSync(file, 'utf8').split('\n'));
    const lines = texts.get(file);
    for (let i = Math.min(line, lines.length) - 1; i >= 0; i--) {
      const m = /^\s*vrrp_script\s+(\S+)/.exec(lines[i]);
      if (m) return m[1];
    }
    return undefined;
  };
  for (const m of run.messages) {
    if (machineReason(m.text) !== 'account') continue;
    const named = /^Unable to set default user for vrrp script (\S+) - removing$/.exec(m.text)?.[1];
    if (named) removed.add(named);
    else if (/^Unable to set uid\/gid for script\b/.test(m.text) && m.line) {
      const file = placeMessage(m.file, files);
      const name = file && scriptAt(file, m.line);
      if (name) removed.add(name);
    }
  }
  const failedStartup = new Set();
  for (const l of run.log ?? []) {
    const m = /^(?:Failed to set default user|Invalid user\/group) for (startup|shutdown) script\b/.exec(l);
    if (m) failedStartup.add(m[1]);
  }
  return (m) => {
    const why = machineReason(m.text);
    if (why) return why;
    const tracked = /^\(.*?\) track script (\S+) not found, ignoring\.\.\.$/.exec(m.text)?.[1];
    if (tracked && removed.has(tracked)) return 'account';
    const startup = /^Invalid (startup|shutdown) script$/.exec(m.text)?.[1];
    if (startup && failedStartup.has(startup)) return 'account';
    return undefined;
  };
}

/**
 * The message of the same category that keepalived printed without a line number and that names what
 * our finding names first (the first quoted word of our message, as a whole word of keepalived's).
 */
function namedWithoutLine(rule, message, unlined) {
  const category = ruleCategory(rule);
  const name = /'([^']+)'/.exec(message)?.[1];
  if (!name) return undefined;
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`(?:^|[\\s\\[(])${escaped}(?:$|[\\s\\]):,])`);
  return unlined.find((u) => u.category === category && re.test(u.text));
}

/**
 * Whether keepalived reports our finding without a line number, given what it printed without one and the
 * log lines of the services it dropped (`logged`): the matchers below, for the corpus test.
 */
export function reportedWithoutLine(rule, message, texts, log = []) {
  const unlined = [...texts, ...log.filter((l) => DROPPED_SERVICE.test(l))].map((text) => ({
    category: categorize(text),
    text,
  }));
  return (
    namedWithoutLine(rule, message, unlined) ??
    unclosedWithoutLine(rule, unlined) ??
    requiredWithoutLine(rule, message, unlined) ??
    droppedServiceWithoutLine(rule, message, unlined)
  );
}

/** Our virtual-server-ignored on a service keepalived's log says it dropped (DROPPED_SERVICE). */
function droppedServiceWithoutLine(rule, message, unlined) {
  if (rule !== 'virtual-server-ignored') return undefined;
  const shown = /virtual server (\[.*?\]:\d+)/.exec(message)?.[1];
  if (!shown) return undefined;
  return unlined.find((u) => {
    const m = DROPPED_SERVICE.exec(u.text);
    return m && (m[1] ?? m[2]) === shown;
  });
}

/**
 * keepalived counts the blocks still open at the end of the config and reports them with no line ("There
 * are 1 missing '}'s or extra '{'s", read_conf_file() in lib/parser.c): our error on the line that opened
 * such a block says the same thing.
 */
function unclosedWithoutLine(rule, unlined) {
  if (rule !== 'unclosed-block') return undefined;
  return unlined.find((u) => /^There are \d+ missing '\}'s or extra '\{'s$/.test(u.text));
}

/**
 * keepalived checks each vrrp_instance after reading the config (vrrp.c chk_min_cfg(),
 * vrrp_complete_instance()) and names it but no line: "(VI_1) the virtual router id must be set",
 * "(VI_1) Unknown interface!", "(VI_1) No VIP specified; at least one is required". Our error on the
 * instance's first line says the same thing.
 */
export function requiredWithoutLine(rule, message, unlined) {
  if (rule !== 'instance-missing-required') return undefined;
  const name = /'([^']+)'/.exec(message)?.[1];
  if (!name) return undefined;
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const stops =
    '(?:the virtual router id must be set|Unknown interface!|No VIP specified; at least one is required)';
  const re = new RegExp(`^\\(${escaped}\\) ${stops}$`);
  // keepalived stops at the first instance that fails (vrrp_complete_init() returns at once), so it never
  // checks the ones after it: our error on a later instance is what keepalived reports once that is fixed.
  const first = new RegExp(`^\\(.+\\) ${stops}$`);
  return unlined.find((u) => re.test(u.text)) ?? unlined.find((u) => first.test(u.text));
}

/**
 * Compares keepalived's answer and ours on one config.
 * @param {string} corpus
 * @param {string} root relative to the corpus
 * @param {ReturnType<typeof oracleJob>} run
 * @param {{ path: string, diagnostics: { line: number, rule: string, severity: string, message: string }[] }[]} ours
 */
export function compareConfig(corpus, root, run, ours) {
  const rootPath = join(corpus, root);
  const files = [...new Set([rootPath, ...configFiles(rootPath), ...ours.map((o) => o.path)])];
  const rel = (f) => relative(corpus, f);
  const isMachine = machineMessages(run, files);
  /** file -> line -> { category -> texts } */
  const theirs = new Map();
  const dropped = [];
  const unlined = [];
  const unplaced = [];
  let fatal;
  const seen = new Set();
  for (const m of run.messages) {
    const file = m.line ? placeMessage(m.file, files) : undefined;
    const key = `${m.file ?? ''}\0${m.line ?? ''}\0${m.text}`;
    if (seen.has(key)) continue; // -t reads the config once per process: the same message again
    seen.add(key);
    const why = isMachine(m);
    if (why) {
      dropped.push({ why, file: file && rel(file), line: m.line, text: m.text });
      continue;
    }
    const category = categorize(m.text);
    if (!m.line) {
      unlined.push({ category, text: m.text });
      continue;
    }
    if (!file) {
      unplaced.push({ file: m.file, line: m.line, category, text: m.text });
      continue;
    }
    if (!fatal && /is missing a parameter/.test(m.text)) fatal = { file, line: m.line };
    if (!theirs.has(file)) theirs.set(file, new Map());
    const lines = theirs.get(file);
    if (!lines.has(m.line)) lines.set(m.line, new Map());
    const byCategory = lines.get(m.line);
    if (!byCategory.has(category)) byCategory.set(category, []);
    byCategory.get(category).push(m.text);
  }
  for (const l of run.log ?? [])
    if (DROPPED_SERVICE.test(l)) unlined.push({ category: categorize(l), text: l });
  const oursByLine = new Map(ours.map((o) => [o.path, new Map()]));
  for (const o of ours)
    for (const d of o.diagnostics) {
      const lines = oursByLine.get(o.path);
      if (!lines.has(d.line)) lines.set(d.line, []);
      lines.get(d.line).push(d);
    }
  const findings = [];
  for (const [file, lines] of theirs)
    for (const [line, byCategory] of lines)
      for (const [category, texts] of byCategory) {
        const on = oursByLine.get(file)?.get(line) ?? [];
        // A hint is not a report: editors show it faintly and the CLI never fails on it.
        const found = on.some((d) => d.severity !== 'hint');
        findings.push({ file: rel(file), line, category, texts, found, ours: on });
      }
  const falseAlarms = [];
  const withoutLine = [];
  for (const o of ours) {
    // keepalived stops at a missing parameter: it said nothing about what comes after it.
    if (fatal && o.path !== fatal.file) continue;
    for (const d of o.diagnostics) {
      if (d.severity !== 'error' || theirs.get(o.path)?.has(d.line)) continue;
      if (fatal && d.line > fatal.line) continue;
      // Nor did it get to the checks it makes once the whole config is read (chk_min_cfg() and the
      // others that name an instance but no line): our error there is for when that line is fixed.
      if (fatal && d.rule === 'instance-missing-required') continue;
      // keepalived checks references after reading the config, and names the object but no line:
      // "Virtual router VI_1 specified in sync group G doesn't exist - ignoring".
      const named =
        namedWithoutLine(d.rule, d.message, unlined) ??
        unclosedWithoutLine(d.rule, unlined) ??
        requiredWithoutLine(d.rule, d.message, unlined) ??
        droppedServiceWithoutLine(d.rule, d.message, unlined);
      if (named) {
        withoutLine.push({
          file: rel(o.path),
          line: d.line,
          rule: d.rule,
          message: d.message,
          keepalived: named.text,
        });
        continue;
      }
      const machine = dropped.filter((x) => x.file === rel(o.path) && x.line === d.line).map((x) => x.text);
      falseAlarms.push({ file: rel(o.path), line: d.line, rule: d.rule, message: d.message, machine });
    }
  }
  return {
    findings,
    falseAlarms,
    withoutLine,
    dropped,
    unlined,
    unplaced,
    fatal: fatal && { file: rel(fatal.file), line: fatal.line },
    errors: ours.reduce((n, o) => n + o.diagnostics.filter((d) => d.severity === 'error').length, 0),
    // What we report (a hint is not a report), for comparing a mutant with its original.
    reported: ours.flatMap((o) =>
      o.diagnostics.filter((d) => d.severity !== 'hint').map((d) => `${d.rule}\0${d.message}`),
    ),
  };
}

// --- reporting -----------------------------------------------------------------------------------

/** `a` of `b` as a percentage with one decimal, '-' when there are none (also used by parity-mutants.mjs). */
export const pct = (a, b) => (b ? `${((100 * a) / b).toFixed(1)}%` : '-');

/**
 * The per-category table: keepalived's findings (one per file, line and category), how many we report
 * anything on, in how many configs we miss some; our false alarms (by our rule's category) and in how
 * many configs.
 */
export function formatTable(findings, falseAlarms) {
  const rows = [
    ['category', 'keepalived', 'found', 'missed', 'recall', 'configs missed', 'false alarms', 'configs'],
  ];
  const row = (name, of, fa) => {
    const found = of.filter((f) => f.found).length;
    const configs = (list) => new Set(list.map((f) => f.root)).size;
    return [
      name,
      of.length,
      found,
      of.length - found,
      pct(found, of.length),
      configs(of.filter((f) => !f.found)),
      fa.length,
      configs(fa),
    ];
  };
  for (const category of CATEGORIES)
    rows.push(
      row(
        category,
        findings.filter((f) => f.category === category),
        falseAlarms.filter((f) => ruleCategory(f.rule) === category),
      ),
    );
  rows.push(row('all', findings, falseAlarms));
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  const line = (r) =>
    '| ' +
    r.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join(' | ') +
    ' |';
  const rule =
    '|' + widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : '-'.repeat(w + 1) + ':')).join('|') + '|';
  return [line(rows[0]), rule, ...rows.slice(1).map(line)].join('\n');
}

const GAPS_PATH = join(ROOT, 'test/parity/engine-gaps.json');

/** Known false alarms that are bugs of our engine (issue 11), one `file:line:rule` each. */
function loadEngineGaps() {
  if (!existsSync(GAPS_PATH)) return new Set();
  const data = JSON.parse(readFileSync(GAPS_PATH, 'utf8'));
  if (!Array.isArray(data.gaps)) throw new Error(`${GAPS_PATH}: expected { "gaps": [...] }`);
  return new Set(data.gaps);
}

function writeEngineGaps(keys) {
  const data = {
    about:
      'False alarms of our engine on ../shared/corpus that are known bugs, not fixed yet (issue 11; causes in docs/parity.md). A new false alarm fails npm run test:parity; regenerate with --write-gaps after fixing some.',
    gaps: [...new Set(keys)].sort(),
  };
  writeFileSync(GAPS_PATH, JSON.stringify(data, null, 1) + '\n');
}

function loadAllowList() {
  const path = join(ROOT, 'test/parity/known-differences.json');
  const list = JSON.parse(readFileSync(path, 'utf8'));
  if (!Array.isArray(list)) throw new Error(`${path}: expected an array`);
  for (const e of list)
    if (typeof e.file !== 'string' || !Number.isInteger(e.line) || typeof e.rule !== 'string' || !e.reason)
      throw new Error(`${path}: every entry needs file, line, rule and reason: ${JSON.stringify(e)}`);
  return list;
}

// --- main ----------------------------------------------------------------------------------------

const USAGE = `Usage: node scripts/parity.mjs [options]
  --corpus DIR          the corpus (default: $KEEPALIVED_CORPUS or ../shared/corpus beside the project)
  --only TEXT           only configs whose corpus path contains TEXT
  --timeout SECONDS     time limit of keepalived -t per config (default 20)
  --engine-timeout S    time limit of our engine per config (default 60)
  --jobs N              parallel runs (default: the number of CPUs, at most 4)
  --no-cache            run keepalived again on every config (the answers are stored anyway)
  --all                 print every miss (default: the first 25 of each category)
  --report FILE         write everything found as JSON
  --require             fail when the corpus or keepalived is missing (also when $CI is set)
  --write-gaps          record today's false alarms as known engine gaps (test/parity/engine-gaps.json)`;

function parseArgs(argv) {
  const o = {
    corpus: process.env.KEEPALIVED_CORPUS || resolve(ROOT, '..', 'shared', 'corpus'),
    only: undefined,
    timeout: 20,
    engineTimeout: 60,
    jobs: Math.max(1, Math.min(4, availableParallelism())),
    cache: true,
    all: false,
    report: undefined,
    require: !!process.env.CI,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    const number = () => {
      const n = Number(value());
      if (!(n > 0)) throw new Error(`${a} needs a positive number`);
      return n;
    };
    if (a === '--corpus') o.corpus = resolve(value());
    else if (a === '--only') o.only = value();
    else if (a === '--timeout') o.timeout = number();
    else if (a === '--engine-timeout') o.engineTimeout = number();
    else if (a === '--jobs') o.jobs = Math.floor(number());
    else if (a === '--no-cache') o.cache = false;
    else if (a === '--all') o.all = true;
    else if (a === '--report') o.report = resolve(value());
    else if (a === '--require') o.require = true;
    else if (a === '--write-gaps') o.writeGaps = true;
    else if (a === '-h' || a === '--help') o.help = true;
    else throw new Error(`unknown option ${a}`);
  }
  return o;
}

export function cacheDir() {
  const dir =
    process.env.PARITY_CACHE ||
    (existsSync(join(ROOT, 'node_modules'))
      ? join(ROOT, 'node_modules', '.cache', 'keepalived-parity')
      : join(tmpdir(), `keepalived-parity-${process.getuid?.() ?? 'user'}`));
  mkdirSync(dir, { recursive: true });
  return dir;
}

async function main(argv) {
  let o;
  try {
    o = parseArgs(argv);
  } catch (e) {
    console.error(`parity: ${e.message}\n${USAGE}`);
    return 2;
  }
  if (o.help) {
    console.log(USAGE);
    return 0;
  }
  const unavailable = (why) => {
    if (o.require) {
      console.error(`parity: FAILED: ${why}`);
      return 1;
    }
    console.log(`parity: SKIPPED: ${why} (pass --require, or set CI, to fail instead)`);
    return 0;
  };
  if (!existsSync(o.corpus))
    return unavailable(
      `the corpus is missing: ${o.corpus} does not exist (CI checks it out beside the project)`,
    );
  if (!keepalivedAvailable())
    return unavailable('keepalived is not installed (apt-get install -y keepalived)');
  const version = keepalivedVersion();
  if (!version) return unavailable('cannot tell the version of keepalived (keepalived --version)');
  const configId = hostname().split('.')[0];
  const started = Date.now();
  const dir = cacheDir();
  const allowList = loadAllowList();

  const { roots: allRoots, included, skipped } = listCorpus(o.corpus);
  const roots = o.only ? allRoots.filter((r) => r.includes(o.only)) : allRoots;
  const isolation = oracleIsolation();
  const shim = oracleShim();
  console.log(
    `parity: keepalived ${version} -t vs our engine (keepalivedVersion ${version}, config id '${configId}') ` +
      `on ${o.corpus}\nparity: ${roots.length} configs (${included.length} more files read through their includes; ` +
      `${skipped.length} files are not configs); ${isolation.isolated ? 'isolated in a network namespace' : `NOT isolated: ${isolation.error}`}; ` +
      `${shim.path ? 'shim loaded' : `no shim: ${shim.error}`}; cache ${dir}`,
  );

  // keepalived: cached answers first, the rest in parallel.
  const oracle = new Map();
  const toRun = [];
  for (const root of roots) {
    const key = oracleKey(o.corpus, root, version, o.timeout * 1000);
    const path = join(dir, `${key}.json`);
    if (o.cache && existsSync(path)) {
      try {
        oracle.set(root, JSON.parse(readFileSync(path, 'utf8')));
        continue;
      } catch {
        // a broken entry is run again
      }
    }
    toRun.push({ root, path });
  }
  if (toRun.length)
    console.log(`parity: running keepalived -t on ${toRun.length} configs (${o.jobs} at a time)`);
  const oraclePool = new Pool(o.jobs, { role: 'oracle' });
  await Promise.all(
    toRun.map(async ({ root, path }) => {
      const answer = await oraclePool.run(
        { file: join(o.corpus, root), timeoutMs: o.timeout * 1000 },
        o.timeout * 4000 + 30000,
      );
      const run = answer.value ?? {
        timedOut: !!answer.timedOut,
        killed: false,
        messages: [],
        error: answer.error,
      };
      oracle.set(root, run);
      if (answer.value) {
        writeFileSync(`${path}.${process.pid}.tmp`, JSON.stringify(run));
        renameSync(`${path}.${process.pid}.tmp`, path);
      }
    }),
  );
  await oraclePool.close();
  const oracleDone = Date.now();

  // Our engine, in worker threads, each config with a time limit.
  const bundle = await bundleEngine(dir);
  const enginePool = new Pool(o.jobs, { role: 'engine', bundle });
  const engine = new Map();
  await Promise.all(
    roots.map(async (root) => {
      const answer = await enginePool.run(
        { file: join(o.corpus, root), options: { keepalivedVersion: version, configId } },
        o.engineTimeout * 1000,
      );
      engine.set(root, answer);
    }),
  );
  await enginePool.close();
  rmSync(bundle, { force: true });

  // Compare.
  const findings = [];
  const falseAlarms = [];
  const withoutLine = [];
  const dropped = [];
  const unlined = [];
  const unplaced = [];
  const notCompared = [];
  const engineFailures = [];
  const fatal = [];
  let compared = 0;
  for (const root of roots) {
    const run = oracle.get(root);
    const ours = engine.get(root);
    if (ours.timedOut || ours.error) {
      engineFailures.push({
        file: root,
        why: ours.timedOut ? `timed out after ${o.engineTimeout} s` : ours.error,
      });
      continue;
    }
    const namespace = namespaceMissing(run);
    const crash = crashed(run);
    if (run.timedOut || run.killed || run.error || namespace || crash) {
      notCompared.push({
        file: root,
        why: namespace
          ? `keepalived -t exits at 'net_namespace ${namespace}' before reading the rest: this machine has no /run/netns/${namespace} (core/main.c, set_namespaces())`
          : run.timedOut
            ? `keepalived -t timed out after ${o.timeout} s`
            : run.killed
              ? 'keepalived -t killed itself (SIGTERM, exit 143)'
              : crash
                ? `keepalived -t crashed (${crash}) before it had said everything`
                : `keepalived could not be run: ${run.error}`,
      });
      continue;
    }
    compared++;
    const c = compareConfig(o.corpus, root, run, ours.value);
    findings.push(...c.findings.map((f) => ({ ...f, root })));
    falseAlarms.push(...c.falseAlarms.map((f) => ({ ...f, root })));
    withoutLine.push(...c.withoutLine.map((f) => ({ ...f, root })));
    dropped.push(...c.dropped.map((d) => ({ ...d, root })));
    unlined.push(...c.unlined.map((u) => ({ ...u, root })));
    unplaced.push(...c.unplaced.map((u) => ({ ...u, root })));
    if (c.fatal) fatal.push({ root, ...c.fatal });
  }
  const allowed = (f) => allowList.find((a) => a.file === f.file && a.line === f.line && a.rule === f.rule);
  // Engine gaps: false alarms that are our bugs, known and not fixed yet (a ratchet, not an excuse: a new
  // false alarm fails, a fixed one must be removed with --write-gaps).
  const gaps = loadEngineGaps();
  const gapKey = (f) => `${f.file}:${f.line}:${f.rule}`;
  const isGap = (f) => gaps.has(gapKey(f));
  if (o.writeGaps) {
    writeEngineGaps(falseAlarms.filter((f) => !allowed(f)).map(gapKey));
    console.log(`parity: wrote ${join('test/parity', 'engine-gaps.json')}`);
  }
  const knownGaps = o.writeGaps ? [] : falseAlarms.filter((f) => !allowed(f) && isGap(f));
  const unexpected = o.writeGaps ? [] : falseAlarms.filter((f) => !allowed(f) && !isGap(f));
  const fixedGaps = [...gaps].filter((k) => !falseAlarms.some((f) => gapKey(f) === k));
  const stale = allowList.filter(
    (a) => !falseAlarms.some((f) => a.file === f.file && a.line === f.line && a.rule === f.rule),
  );

  // Report.
  const out = [];
  out.push('', `parity with keepalived ${version} -t, ${new Date().toISOString().slice(0, 10)}:`);
  out.push(
    `${roots.length} configs, ${compared} compared; not compared: ${notCompared.length} (keepalived timed out, was killed or stopped at a missing network namespace), ` +
      `${engineFailures.length} (our engine failed); ${fatal.length} stopped at a missing parameter (compared up to that line)`,
  );
  out.push('', formatTable(findings, falseAlarms), '');
  out.push(
    `recall: keepalived's findings with a line number (one per file, line and category) that we report something ` +
      `on (error, warning or info). false alarms: our errors on lines keepalived says nothing about (by our rule's category).`,
  );
  for (const folder of FOLDERS) {
    const of = findings.filter((f) => f.root.startsWith(`${folder}/`));
    const fa = falseAlarms.filter((f) => f.root.startsWith(`${folder}/`)).length;
    out.push(
      `  ${folder}: recall ${pct(of.filter((f) => f.found).length, of.length)} of ${of.length}, ${fa} false alarms`,
    );
  }
  const byWhy = {};
  for (const d of dropped) byWhy[d.why] = (byWhy[d.why] ?? 0) + 1;
  out.push(
    `left out as describing this machine: ${
      Object.entries(byWhy)
        .map(([w, n]) => `${n} ${w}`)
        .join(', ') || 'nothing'
    }; without a line number (not compared): ${unlined.length}` +
      (unplaced.length ? `; in a file we could not place: ${unplaced.length}` : ''),
  );

  out.push(
    '',
    `== false alarms: ${falseAlarms.length} (${knownGaps.length} known engine gaps in test/parity/engine-gaps.json, ${unexpected.length} new)`,
  );
  if (fixedGaps.length)
    out.push(`== engine gaps that no longer occur (run --write-gaps to remove them): ${fixedGaps.length}`);
  for (const f of falseAlarms)
    out.push(
      `${allowed(f) ? '  (known) ' : isGap(f) ? '  (gap) ' : '  NEW '}${f.file}:${f.line} ${f.rule}: ${f.message}` +
        (f.file !== f.root ? ` [in ${f.root}]` : '') +
        (f.machine.length ? ` [keepalived, about this machine: ${f.machine.join(' / ')}]` : ''),
    );
  if (withoutLine.length) {
    out.push(
      `== our errors that keepalived reports without a line number (not false alarms): ${withoutLine.length}`,
    );
    for (const f of withoutLine)
      out.push(`  ${f.file}:${f.line} ${f.rule}: ${f.message} [keepalived: ${f.keepalived}]`);
  }
  if (stale.length) {
    out.push(`== known differences that no longer occur (remove them): ${stale.length}`);
    for (const s of stale) out.push(`  ${s.file}:${s.line} ${s.rule}`);
  }
  for (const category of CATEGORIES) {
    const missed = findings.filter((f) => f.category === category && !f.found);
    if (!missed.length) continue;
    out.push('', `== missed ${category}: ${missed.length}`);
    for (const f of o.all ? missed : missed.slice(0, 25))
      out.push(`  ${f.file}:${f.line} keepalived: ${summarizeTexts(f.texts)}`);
    if (!o.all && missed.length > 25) out.push(`  ... and ${missed.length - 25} more (--all prints them)`);
  }
  if (notCompared.length || engineFailures.length) out.push('', '== not compared');
  for (const n of notCompared) out.push(`  ${n.file}: ${n.why}`);
  for (const n of engineFailures) out.push(`  ${n.file}: OUR ENGINE FAILED: ${n.why.split('\n')[0]}`);
  const slow = [...engine]
    .filter(([, e]) => e.ms > 5000)
    .map(([f, e]) => `${f} (${(e.ms / 1000).toFixed(1)} s)`);
  if (slow.length) out.push('', `== slow in our engine: ${slow.join(', ')}`);
  out.push(
    '',
    `parity: keepalived ${((oracleDone - started) / 1000).toFixed(1)} s (${toRun.length} run, ${roots.length - toRun.length} cached), ` +
      `engine ${((Date.now() - oracleDone) / 1000).toFixed(1)} s`,
  );
  console.log(out.join('\n'));
  if (o.report) {
    writeFileSync(
      o.report,
      JSON.stringify(
        {
          version,
          date: new Date().toISOString(),
          roots,
          findings,
          falseAlarms,
          dropped,
          unlined,
          unplaced,
          notCompared,
          engineFailures,
          fatal,
        },
        null,
        1,
      ),
    );
    console.log(`parity: report written to ${o.report}`);
  }
  const failures = [];
  if (unexpected.length)
    failures.push(
      `${unexpected.length} new false alarm(s), in neither test/parity/known-differences.json nor test/parity/engine-gaps.json`,
    );
  if (engineFailures.length) failures.push(`our engine failed on ${engineFailures.length} config(s)`);
  if (failures.length) {
    console.error(`parity: FAILED: ${failures.join('; ')}`);
    return 1;
  }
  console.log(
    `parity: OK (no new false alarms; ${knownGaps.length} known engine gaps remain; recall is reported, not enforced yet)`,
  );
  return 0;
}

if (!isMainThread && workerData?.role) workerMain();
else if (isMainThread && process.argv[1] && resolve(process.argv[1]) === HERE)
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      console.error(e);
      process.exitCode = 1;
    },
  );

/**
 * keepalived's messages on one line, for the report: repeats that differ only in an instance or object
 * name (`(4.0.1.7) unicast with use_vmac requires ...` x 250) shown once with their count, and the whole
 * cut to a line's worth.
 * @param {string[]} texts
 */
export function summarizeTexts(texts) {
  const groups = new Map();
  for (const t of new Set(texts)) {
    const shape = t.replace(/^\([^)]*\) /, '(…) ').replace(/\b\d+(?:\.\d+)*\b/g, 'N');
    const g = groups.get(shape);
    if (g) g.count++;
    else groups.set(shape, { first: t, count: 1 });
  }
  const joined = [...groups.values()]
    .map((g) => (g.count > 1 ? `${g.first} (and ${g.count - 1} more like it)` : g.first))
    .join(' / ');
  return joined.length > 400 ? `${joined.slice(0, 399)}…` : joined;
}
