// Every script keepalived would execute, and the user it would run as, with the reason chain:
// the user on the script, else global_defs script_user, else a keepalived_script account if this machine
// has one, else root (and with enable_script_security and no such account, keepalived disables it).
import type { Statement, Word } from '../syntax/ast';
import type { PlacedStatement } from './document';
import type { HostInfo } from './host';
import type { ConfigModel } from './model';

export const DEFAULT_SCRIPT_USER = 'keepalived_script';

export interface EffectiveUser {
  /** The account name, or undefined when keepalived disables the script instead. */
  user?: string;
  group?: string;
  /** Runs with uid 0 (or gid 0). */
  root: boolean;
  /** keepalived refuses to run the script (security enabled and no user to run it as). */
  disabled: boolean;
  /** How keepalived arrives at the user, step by step, in plain words. */
  reasons: string[];
  /** Where the user comes from. */
  source: 'script' | 'script_user' | 'keepalived_script' | 'fallback-root' | 'disabled';
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
  /** The command line as keepalived sees it. */
  command: string;
  /** The program: first word of the command. */
  program: string;
  /** The word naming the user, when the script names one (inline, or a `user` line of its block). */
  userWord?: Word;
  /** The group word after the user, if any. */
  groupWord?: Word;
  effective: EffectiveUser;
}

export interface ScriptSecurity {
  scripts: ScriptUse[];
  /** `enable_script_security` is set (active) somewhere in the configuration. */
  securityEnabled: boolean;
  /** The global_defs `script_user` line, if any. */
  scriptUser?: { user: string; group?: string; placed: PlacedStatement; file: string };
  /** The first global_defs block, where fixes add settings. */
  globalDefs?: { file: string; statement: Statement };
}

/** Keywords whose script is the whole rest of the line, with the user on a separate `user` line. */
const USER_ON_OWN_LINE = new Set(['vrrp_script/script', 'virtual_server/real_server/MISC_CHECK/misc_path']);

const cache = new WeakMap<ConfigModel, WeakMap<HostInfo, ScriptSecurity>>();

export function scriptSecurity(model: ConfigModel, host: HostInfo): ScriptSecurity {
  let perHost = cache.get(model);
  if (!perHost) cache.set(model, (perHost = new WeakMap()));
  const cached = perHost.get(host);
  if (cached) return cached;

  const result: ScriptSecurity = { scripts: [], securityEnabled: false };
  const candidates: { file: string; placed: PlacedStatement; parent?: Statement }[] = [];
  const userLines = new Map<Statement, PlacedStatement>();
  for (const [file, analyzed] of model.files) {
    const parents = parentMap(analyzed.tree.statements);
    for (const placed of analyzed.placed) {
      if (placed.inactive || placed.role !== 'keyword' || !placed.spec) continue;
      const path = placed.spec.path;
      if (path === 'global_defs/enable_script_security') result.securityEnabled = true;
      if (path === 'global_defs' && !result.globalDefs)
        result.globalDefs = { file, statement: placed.statement };
      if (path === 'global_defs/script_user' && placed.statement.args[0]) {
        result.scriptUser = {
          user: placed.expandedArgs[0] ?? placed.statement.args[0].value,
          group: placed.expandedArgs[1],
          placed,
          file,
        };
      }
      if (path === 'vrrp_script/user' || path === 'virtual_server/real_server/MISC_CHECK/user') {
        const parent = parents.get(placed.statement);
        if (parent) userLines.set(parent, placed);
      }
      if (placed.spec.script && placed.statement.args[0])
        candidates.push({ file, placed, parent: parents.get(placed.statement) });
    }
  }

  for (const { file, placed, parent } of candidates) {
    const s = placed.statement;
    const spec = placed.spec!;
    const ownLine = USER_ON_OWN_LINE.has(spec.path);
    const commandWord = s.args[0]!;
    const command = ownLine && !commandWord.quoted ? s.args.map((a) => a.value).join(' ') : commandWord.value;
    const userLine = ownLine && parent ? userLines.get(parent) : undefined;
    const userWord = ownLine ? userLine?.statement.args[0] : s.args[1];
    const groupWord = ownLine ? userLine?.statement.args[1] : s.args[2];
    result.scripts.push({
      file,
      placed,
      statement: s,
      keyword: spec.name,
      parent,
      commandWord,
      command,
      program: splitCommand(command)[0] ?? '',
      userWord,
      groupWord,
      effective: effectiveUser(
        userWord?.value,
        groupWord?.value,
        result,
        host,
        ownLine ? `'user' line in its ${parent?.keyword.value ?? 'block'}` : 'user after the command',
      ),
    });
  }
  perHost.set(host, result);
  return result;
}

function effectiveUser(
  explicit: string | undefined,
  group: string | undefined,
  config: ScriptSecurity,
  host: HostInfo,
  where: string,
): EffectiveUser {
  const isRoot = (user: string): boolean => user === 'root' || host.uidOf(user) === 0;
  if (explicit) {
    const root = isRoot(explicit) || group === 'root' || group === '0';
    return {
      user: explicit,
      group,
      root,
      disabled: false,
      source: 'script',
      reasons: [`the script names user '${explicit}' (${where})`],
    };
  }
  const reasons = ['the script names no user'];
  if (config.scriptUser) {
    const user = config.scriptUser.user;
    reasons.push(`global_defs sets script_user ${user}`);
    return {
      user,
      group: config.scriptUser.group,
      root: isRoot(user),
      disabled: false,
      source: 'script_user',
      reasons,
    };
  }
  reasons.push('global_defs sets no script_user');
  if (host.uidOf(DEFAULT_SCRIPT_USER) !== undefined) {
    reasons.push(`this machine has a '${DEFAULT_SCRIPT_USER}' account, which keepalived uses`);
    return {
      user: DEFAULT_SCRIPT_USER,
      root: host.uidOf(DEFAULT_SCRIPT_USER) === 0,
      disabled: false,
      source: 'keepalived_script',
      reasons,
    };
  }
  reasons.push(`there is no '${DEFAULT_SCRIPT_USER}' account (Debian and Ubuntu packages do not create one)`);
  if (config.securityEnabled) {
    reasons.push('with enable_script_security set, keepalived refuses to run the script');
    return { root: false, disabled: true, source: 'disabled', reasons };
  }
  reasons.push('so keepalived runs it as root');
  return { user: 'root', root: true, disabled: false, source: 'fallback-root', reasons };
}

/** Splits a command the way keepalived does for execve: blanks separate, ' and " quote. */
export function splitCommand(command: string): string[] {
  const words: string[] = [];
  for (const m of command.matchAll(/(?:"[^"]*"|'[^']*'|\\.|[^\s"'\\])+/g)) {
    words.push(m[0].replace(/^["']|["']$/g, ''));
  }
  return words;
}

function parentMap(statements: readonly Statement[]): Map<Statement, Statement> {
  const map = new Map<Statement, Statement>();
  const walk = (list: readonly Statement[], parent?: Statement): void => {
    for (const s of list) {
      if (parent) map.set(s, parent);
      if (s.block) walk(s.block.statements, s);
    }
  };
  walk(statements);
  return map;
}
