// Every script keepalived would execute: the command as keepalived splits it, and the account it runs as,
// following keepalived's own rules (lib/notify.c notify_script_init/set_uid_gid/get_default_script_user,
// vrrp_parser.c vrrp_vscript_*, check_misc.c misc_*, global_parser.c script_user_handler):
// - `script` (vrrp_script) and `misc_path` take the first word only (quote the command to pass arguments);
//   the account is on a `user` line of the block. Every other script keyword (notify*, startup_script,
//   quorum_up, ...) also takes the first word as the command, and the next two words as user and group.
// - A named account or group that does not exist removes the script; so does a numeric name, as keepalived
//   looks accounts up by name only.
// - No user: global_defs script_user, else a `keepalived_script` account, else root; with
//   enable_script_security and no such account, keepalived removes the script instead.
// - script_user applies to scripts read after it. At start keepalived's processes inherit the value the
//   first pass over global_defs left, but a reload (SIGHUP) resets it, so scripts read before the line
//   then fall back to keepalived_script or root.
import type { Block, Statement, Word } from '../syntax/ast';
import { exclusiveBranches, MASK, type TemplateBranch } from '../syntax/templates';
import type { PlacedStatement } from './document';
import type { HostInfo } from './host';
import type { ConfigModel } from './model';

export const DEFAULT_SCRIPT_USER = 'keepalived_script';

/** How a fix or a message tells the user to create an account keepalived can run scripts as. */
export function useraddLine(user: string): string {
  return `useradd --system --no-create-home --shell /usr/sbin/nologin ${user}`;
}

export type Known = 'yes' | 'no' | 'unknown';

export interface EffectiveUser {
  /** Where the account comes from. */
  source: 'script' | 'script_user' | 'keepalived_script' | 'fallback-root';
  /** The account keepalived runs the script as (`root` for the fallback). */
  user: string;
  group?: string;
  /** The account and group exist on the nodes: 'unknown' without facts about them. */
  exists: Known;
  /** It would run with uid 0 or gid 0. */
  root: boolean;
  /** Set when keepalived removes the script while reading the configuration: why, in keepalived's terms. */
  removed?: string;
  /** The nodes are unknown and the script names no user: keepalived_script where it exists, else this. */
  orElse?: 'root' | 'removed';
  /** How keepalived arrives at the account, step by step, in plain words. */
  reasons: string[];
  /** The account is a template expression: it is whatever each rendering puts there. */
  templated?: boolean;
}

export interface ScriptUse {
  file: string;
  placed: PlacedStatement;
  statement: Statement;
  /** Keyword name (`script`, `notify_master`, `misc_path`, ...). */
  keyword: string;
  /** The enclosing vrrp_script / MISC_CHECK / vrrp_instance ... statement. */
  parent?: Statement;
  /** The word holding the command (quoted or not). */
  commandWord: Word;
  /** The program and its arguments, as keepalived splits the command word. */
  argv: string[];
  /** argv as written in the command, quotes and escapes kept. */
  writtenArgv: string[];
  /** argv joined by spaces. */
  command: string;
  /** argv[0]. */
  program: string;
  /** Words after the command that keepalived drops (an unquoted `script /x arg`). */
  ignoredWords: Word[];
  /** The word naming the user: on the command's line (notify style) or a `user` line of its block. */
  userWord?: Word;
  groupWord?: Word;
  /** The `user` line is inside a template `{% if %}` the script line is not in: other renderings have no user. */
  userConditional?: boolean;
  /** Other renderings of the template keep another `user` line (userLineOf): the verdict holds where this one is rendered. */
  userAlternatives?: boolean;
  /** The user words of those other renderings' `user` lines, as written (`{{ u }}`, `nobody`). */
  otherUserWords?: Word[];
  /** The user and group are words of the command's line (notify style), not of a `user` line. */
  userOnCommandLine: boolean;
  /** `</path`: keepalived only tests that the file can be opened; nothing is executed. */
  openTest: boolean;
  /** The account keepalived runs it as when it starts. */
  effective: EffectiveUser;
  /** The account after a reload (SIGHUP), when that differs from `effective`. */
  afterReload?: EffectiveUser;
  /** The global_defs script_user line read after this script, which makes `afterReload` differ. */
  laterScriptUser?: ScriptUserLine;
}

export interface ScriptUserLine {
  user: string;
  group?: string;
  placed: PlacedStatement;
  file: string;
}

export interface ScriptSecurity {
  scripts: ScriptUse[];
  /** `enable_script_security` is set (active) somewhere in the configuration. */
  securityEnabled: boolean;
  /** The last global_defs `script_user` line, if any (the one new scripts get at start). */
  scriptUser?: ScriptUserLine;
  /** Every active script_user line, in read order. */
  scriptUserLines: ScriptUserLine[];
  /** The first global_defs block, where fixes add settings. */
  globalDefs?: { file: string; statement: Statement };
  /** The configuration has a vrrp_instance: keepalived only checks (and runs) VRRP scripts then. */
  hasVrrpInstance: boolean;
  /** The configuration has a virtual_server: keepalived only checks (and runs) checker scripts then. */
  hasVirtualServer: boolean;
}

/** Keywords whose command is the first word and whose user is on a separate `user` line of the block. */
const USER_ON_OWN_LINE = new Set(['vrrp_script/script', 'virtual_server/real_server/MISC_CHECK/misc_path']);
const USER_LINES = new Set(['vrrp_script/user', 'virtual_server/real_server/MISC_CHECK/user']);

const cache = new WeakMap<ConfigModel, WeakMap<HostInfo, ScriptSecurity>>();

export function scriptSecurity(model: ConfigModel, host: HostInfo): ScriptSecurity {
  let perHost = cache.get(model);
  if (!perHost) cache.set(model, (perHost = new WeakMap()));
  const cached = perHost.get(host);
  if (cached) return cached;

  const result: ScriptSecurity = {
    scripts: [],
    securityEnabled: false,
    scriptUserLines: [],
    hasVrrpInstance: false,
    hasVirtualServer: false,
  };
  const candidates: { file: string; placed: PlacedStatement; parent?: Statement }[] = [];
  const userLines = new Map<Statement, PlacedStatement[]>();
  for (const [file, analyzed] of model.files) {
    // The lines whose block (as written) is looked up: a few per script, so the tree's parents are
    // mapped for them only, after the pass.
    const users: PlacedStatement[] = [];
    const scripts: PlacedStatement[] = [];
    for (const placed of analyzed.placed) {
      if (placed.inactive || placed.role !== 'keyword' || !placed.spec) continue;
      const path = placed.spec.path;
      if (path === 'global_defs/enable_script_security') result.securityEnabled = true;
      if (path === 'vrrp_instance') result.hasVrrpInstance = true;
      if (path === 'virtual_server') result.hasVirtualServer = true;
      if (path === 'global_defs' && !result.globalDefs)
        result.globalDefs = { file, statement: placed.statement };
      if (path === 'global_defs/script_user' && placed.statement.args[0]) {
        result.scriptUserLines.push({
          user: placed.expandedArgs[0] ?? placed.statement.args[0].value,
          group: placed.statement.args[1]
            ? (placed.expandedArgs[1] ?? placed.statement.args[1].value)
            : undefined,
          placed,
          file,
        });
      }
      if (USER_LINES.has(path)) users.push(placed);
      if (placed.spec.script && placed.statement.args[0]) scripts.push(placed);
    }
    if (users.length === 0 && scripts.length === 0) continue;
    const parents = parentsOf(
      analyzed.tree.statements,
      new Set([...users, ...scripts].map((p) => p.statement)),
    );
    for (const placed of users) {
      const parent = parents.get(placed.statement);
      // keepalived applies each `user` line in turn; the last one rendered decides (userLineOf).
      if (parent) userLines.set(parent, [...(userLines.get(parent) ?? []), placed]);
    }
    for (const placed of scripts) candidates.push({ file, placed, parent: parents.get(placed.statement) });
  }
  const seqOf = (p: PlacedStatement): number => p.seq ?? 0;
  result.scriptUserLines.sort((a, b) => seqOf(a.placed) - seqOf(b.placed));
  result.scriptUser = result.scriptUserLines[result.scriptUserLines.length - 1];

  // A template file's script lines are split on its masked text: an expression is one unknown word.
  const analyzed = (path: string): string => {
    const f = model.files.get(path);
    return f?.tree.template?.masked ?? f?.text ?? '';
  };
  const original = (path: string): string => model.files.get(path)?.text ?? '';
  for (const { file, placed, parent } of candidates) {
    const s = placed.statement;
    const spec = placed.spec!;
    const ownLine = USER_ON_OWN_LINE.has(spec.path);
    // keepalived re-reads script lines with ' and " quoting and \ escapes (alloc_strvec_quoted_escaped),
    // so its words can differ from the plain tokenizer's: `script 'killall -0 haproxy'` is one word.
    const words = scriptLineWords(placed, analyzed(file), original(file));
    const commandWord = words[0]!;
    // Template expressions stay masked in argv: a word holding MASK is unknown (see `templated`).
    const written = commandWords(commandWord.template ? unquote(commandWord.template) : commandWord.value);
    const argv = written.map(unquote);
    const users = ownLine && parent ? userLineOf(userLines.get(parent) ?? [], s.branch) : undefined;
    const userLine = users?.line;
    const userWord = ownLine ? userLine?.statement.args[0] : words[1];
    const groupWord = ownLine ? userLine?.statement.args[1] : words[2];
    const expanded = (w: Word | undefined, line: PlacedStatement | undefined): string | undefined => {
      if (!w || !line) return w?.value;
      const i = line.statement.args.indexOf(w);
      return i < 0 ? w.value : (line.expandedArgs[i] ?? w.value);
    };
    const userLinePlaced = ownLine ? userLine : placed;
    const where = ownLine
      ? `'user' line in its ${parent?.keyword.value ?? 'block'}${users?.alternatives ? ', in the template branch that renders it' : ''}`
      : 'user after the command';
    const before = result.scriptUserLines.filter((l) => seqOf(l.placed) < seqOf(placed)).pop();
    const user = expanded(userWord, userLinePlaced);
    const group = expanded(groupWord, userLinePlaced);
    const fromScriptUser = before ?? result.scriptUser;
    const templated = user
      ? userWord?.template !== undefined
      : fromScriptUser?.placed.statement.args[0]?.template !== undefined;
    const effective: EffectiveUser = templated
      ? {
          source: user ? 'script' : 'script_user',
          user: user ?? fromScriptUser!.user,
          exists: 'unknown',
          root: false,
          reasons: [`the account is the template expression ${user ?? fromScriptUser!.user}`],
          templated: true,
        }
      : user
        ? named(
            user,
            group,
            'script',
            [`the script names user '${user}'${group ? ` and group '${group}'` : ''} (${where})`],
            host,
          )
        : defaulted(before ?? result.scriptUser, result, host);
    const laterScriptUser = !user && !before ? result.scriptUser : undefined;
    const afterReload = laterScriptUser ? defaulted(undefined, result, host, true) : undefined;
    result.scripts.push({
      file,
      placed,
      statement: s,
      keyword: spec.name,
      parent,
      commandWord,
      argv,
      writtenArgv: written,
      command: argv.join(' '),
      program: argv[0] ?? '',
      ignoredWords: ownLine ? words.slice(1) : words.slice(3),
      userWord,
      groupWord,
      userOnCommandLine: !ownLine && userWord !== undefined,
      userConditional: users?.conditional ?? false,
      userAlternatives: users?.alternatives ?? false,
      otherUserWords: users?.others.flatMap((l) => l.statement.args.slice(0, 1)) ?? [],
      openTest: /^<\s*\//.test(commandWord.value),
      effective,
      afterReload,
      laterScriptUser,
    });
  }
  perHost.set(host, result);
  return result;
}

/**
 * The `user` line that decides a script's account, among lines a template may render or not: each
 * rendering keeps its last line, so a line counts when no later line is rendered wherever it is. Of
 * those, the one keepalived would run as root with comes first, then a template expression, then the
 * last. `alternatives`: other renderings keep another line (`others`). `conditional`: some renderings have
 * none.
 */
function userLineOf(
  lines: readonly PlacedStatement[],
  script: TemplateBranch | undefined,
):
  | { line: PlacedStatement; alternatives: boolean; conditional: boolean; others: PlacedStatement[] }
  | undefined {
  const kept = lines.filter((line, i) =>
    lines
      .slice(i + 1)
      .every(
        (later) =>
          conditionalTo(later.statement.branch, line.statement.branch) ||
          exclusiveBranches(later.statement.branch, line.statement.branch),
      ),
  );
  const last = kept[kept.length - 1];
  if (!last) return undefined;
  const word = (l: PlacedStatement) => l.expandedArgs[0] ?? l.statement.args[0]?.value ?? '';
  const line =
    kept.find((l) => l.statement.args[0]?.template === undefined && ['root', '0'].includes(word(l))) ??
    kept.find((l) => l.statement.args[0]?.template !== undefined) ??
    last;
  // Lines in two alternatives of one if/else cover both sides; one line alone leaves the other without.
  const covered = kept.some((a) =>
    kept.some((b) => a !== b && exclusiveBranches(a.statement.branch, b.statement.branch)),
  );
  const conditional = !covered && kept.every((l) => conditionalTo(l.statement.branch, script));
  return { line, alternatives: kept.length > 1, conditional, others: kept.filter((l) => l !== line) };
}

/** A line in a template branch that another line is not in: some renderings have the one without the other. */
function conditionalTo(line: TemplateBranch | undefined, of: TemplateBranch | undefined): boolean {
  return (line?.path ?? []).some((step) => !step.loop && !of?.path.some((p) => p.group === step.group));
}

/** An account named on the script or by script_user: it must exist, by name. */
export function named(
  user: string,
  group: string | undefined,
  source: 'script' | 'script_user',
  reasons: string[],
  host: HostInfo,
): EffectiveUser {
  const account = host.account(user);
  const gid = group === undefined ? account?.gid : host.groupId(group);
  const numeric = [user, group].find((n) => n !== undefined && /^\d+$/.test(n));
  let exists: Known;
  let removed: string | undefined;
  if (account && gid !== undefined) exists = 'yes';
  else if (host.known || numeric !== undefined) {
    exists = 'no';
    const what = !account ? `account '${user}'` : `group '${group}'`;
    removed = numeric
      ? `keepalived looks accounts and groups up by name only, so '${numeric}' is a name, not an id, and ${host.known ? 'this machine has no' : 'nodes practically never have an'} account or group of that name`
      : `there is no ${what} on this machine`;
  } else exists = 'unknown';
  const root = account ? account.uid === 0 || gid === 0 : user === 'root' || group === 'root';
  return { source, user, group, exists, root, removed, reasons };
}

/** No user on the script: script_user, else keepalived_script, else root (or removal with security on). */
export function defaulted(
  line: ScriptUserLine | undefined,
  config: ScriptSecurity,
  host: HostInfo,
  reload = false,
): EffectiveUser {
  const reasons = ['the script names no user'];
  if (line) {
    reasons.push(`global_defs sets script_user ${line.user}${line.group ? ` ${line.group}` : ''}`);
    const e = named(line.user, line.group, 'script_user', reasons, host);
    if (e.removed)
      e.removed +=
        ', so keepalived fails to set the default script user and removes every script that relies on it';
    return e;
  }
  reasons.push(
    reload
      ? 'after a reload, scripts read before the script_user line fall back to the default'
      : 'global_defs sets no script_user',
  );
  const account = host.account(DEFAULT_SCRIPT_USER);
  if (account) {
    reasons.push(`the nodes have a '${DEFAULT_SCRIPT_USER}' account, which keepalived uses`);
    return {
      source: 'keepalived_script',
      user: DEFAULT_SCRIPT_USER,
      exists: 'yes',
      root: account.uid === 0 || account.gid === 0,
      reasons,
    };
  }
  if (!host.known) {
    reasons.push(
      `keepalived uses a '${DEFAULT_SCRIPT_USER}' account where one exists (Debian and Ubuntu do not create one), else ${config.securityEnabled ? 'removes the script, as enable_script_security is set' : 'root'}`,
    );
    return {
      source: 'keepalived_script',
      user: DEFAULT_SCRIPT_USER,
      exists: 'unknown',
      root: false,
      orElse: config.securityEnabled ? 'removed' : 'root',
      reasons,
    };
  }
  reasons.push(`there is no '${DEFAULT_SCRIPT_USER}' account (Debian and Ubuntu packages do not create one)`);
  if (config.securityEnabled) {
    reasons.push('with enable_script_security set, keepalived cannot set a default user');
    return {
      source: 'keepalived_script',
      user: DEFAULT_SCRIPT_USER,
      exists: 'no',
      root: false,
      removed: `enable_script_security is set and there is no '${DEFAULT_SCRIPT_USER}' account to run it as`,
      reasons,
    };
  }
  reasons.push('so keepalived runs it as root');
  return { source: 'fallback-root', user: 'root', exists: 'yes', root: true, reasons };
}

/**
 * The words of a script line after its keyword, as keepalived's alloc_strvec_quoted_escaped reads them.
 * With `$PARAM`s expanded, the expanded words are used (their positions are those of the written words).
 */
function scriptLineWords(placed: PlacedStatement, text: string, original = text): Word[] {
  const args = placed.statement.args;
  const expandedDiffers = args.some(
    (a, i) => placed.expandedArgs[i] !== undefined && placed.expandedArgs[i] !== a.value,
  );
  if (expandedDiffers || !text)
    return args.map((a, i) => ({ ...a, value: placed.expandedArgs[i] ?? a.value }));
  const start = args[0]!.start;
  const words: Word[] = [];
  const raw = text.slice(start, args[args.length - 1]!.end);
  for (const m of raw.matchAll(/(?:"[^"]*"?|'[^']*'?|\\.|[^\s"'\\])+/g)) {
    const masked = m[0];
    const at = start + m.index;
    const t = masked.includes(MASK) ? original.slice(at, at + masked.length) : masked;
    words.push({
      text: t,
      value: unquote(t),
      start: at,
      end: at + t.length,
      quoted: /^["']/.test(t),
      unterminated: false,
      ...(t === masked ? {} : { template: masked }),
    });
  }
  return words.length ? words : [...args];
}

function unquote(word: string): string {
  return word.replace(
    /"([^"]*)"?|'([^']*)'?|\\(.)/g,
    (_, d: string | undefined, s: string | undefined, e: string) => d ?? s ?? e,
  );
}

/** Splits a command the way keepalived does for execve: blanks separate, ' and " quote, \ escapes. */
export function splitCommand(command: string): string[] {
  return commandWords(command).map(unquote);
}

/** The words of a command as written, quotes and escapes kept. */
export function commandWords(command: string): string[] {
  return [...command.matchAll(/(?:"[^"]*"?|'[^']*'?|\\.|[^\s"'\\])+/g)].map((m) => m[0]);
}

/**
 * The statement (as written) whose block holds each of `wanted`. The walk only enters the blocks whose
 * text holds one of them (most blocks hold no script line); when that misses one (a line the tree does
 * not nest where its offsets say, or one at the top level), the whole tree is walked.
 */
function parentsOf(statements: readonly Statement[], wanted: Set<Statement>): Map<Statement, Statement> {
  const starts = [...wanted].map((s) => s.start).sort((a, b) => a - b);
  const holdsWanted = (b: Block): boolean => {
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid]! < b.start) lo = mid + 1;
      else hi = mid;
    }
    return lo < starts.length && starts[lo]! <= b.end;
  };
  const map = new Map<Statement, Statement>();
  const walk = (list: readonly Statement[], parent: Statement | undefined, everywhere: boolean): void => {
    for (const s of list) {
      if (parent && wanted.has(s)) map.set(s, parent);
      if (s.block && (everywhere || holdsWanted(s.block))) walk(s.block.statements, s, everywhere);
    }
  };
  walk(statements, undefined, false);
  if (map.size < wanted.size) {
    map.clear();
    walk(statements, undefined, true);
  }
  return map;
}
