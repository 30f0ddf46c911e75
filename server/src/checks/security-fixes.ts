// Fixes for script security that never break a config: a fix that names an account is offered only when
// keepalived will accept it on the nodes: never for a bare command name (keepalived disables those when
// run as a non-root account), never with --this-host for an account this machine lacks, and otherwise
// with a `requires` note saying the account must exist on every node. enable_script_security is added
// only when no script would then be removed or disabled.
import type { ConfigModel } from '../analysis/model';
import { before230 } from '../analysis/script-fate';
import { useraddLine, type ScriptSecurity, type ScriptUse } from '../analysis/scripts';
import type { Word } from '../syntax/ast';
import type { Fix } from './finding';
import type { ScriptVerdict, SecurityOptions } from './security-options';

/**
 * What the account fixes of one configuration share, worked out once per configuration: whether every
 * script on the default account has a path, whether security can then be turned on, and the one
 * global_defs edit. Per script these would make the fixes quadratic in the number of scripts.
 */
export interface FixPlan {
  security: ScriptSecurity;
  model: ConfigModel;
  options: SecurityOptions;
  /** Every script that takes the default account has a path (script_user affects them all). */
  globalSafe: boolean;
  /** The global_defs fix (script_user, plus enable_script_security when nothing would be dropped). */
  globalFix(): Fix | undefined;
  /** The fix that only adds enable_script_security, when nothing would be removed or disabled. */
  securityOnlyFix(): Fix | undefined;
}

export function planFixes(
  all: ScriptVerdict[],
  security: ScriptSecurity,
  model: ConfigModel,
  options: SecurityOptions,
): FixPlan {
  let globalSafe = true;
  for (const v of all)
    if (!v.script.userWord && !v.script.openTest && !v.script.program.includes('/')) globalSafe = false;
  const once = <T>(make: () => T): (() => T) => {
    let done = false;
    let value: T;
    return () => {
      if (!done) [value, done] = [make(), true];
      return value;
    };
  };
  const firstScript = once(() => {
    // A loop, not Math.min(...spread): the number of scripts grows with the input.
    let first = Infinity;
    for (const s of security.scripts) first = Math.min(first, s.placed.seq ?? 0);
    return first;
  });
  return {
    security,
    model,
    options,
    globalSafe,
    globalFix: once(() => {
      const user = options.scriptUser;
      const fix = addGlobalFix(
        security,
        model,
        firstScript,
        user,
        securityIsSafe(all, true),
        accountRequires(options),
      );
      return fix && { ...fix, preferred: true };
    }),
    securityOnlyFix: once(() => {
      if (!securityIsSafe(all, false)) return undefined;
      const fix = addGlobalFix(security, model, firstScript, '', true, undefined, true);
      return fix && { ...fix, preferred: true };
    }),
  };
}

/** What the nodes need before an account fix works, when this machine cannot answer for them. */
function accountRequires(options: SecurityOptions): string | undefined {
  const user = options.scriptUser;
  return options.host.known
    ? undefined
    : `the account '${user}' must exist on every node (${useraddLine(user)})`;
}

/** Ways to make a root script run as the configured unprivileged account; the first is preferred. */
export function accountFixes(script: ScriptUse, plan: FixPlan): Fix[] {
  const { security, model, options } = plan;
  const user = options.scriptUser;
  if (!script.program.includes('/')) return [];
  // Before 2.3.0 a non-root startup/shutdown script stops keepalived: never move one off root there.
  const startStop = /^global_defs\/(startup|shutdown)_script$/.test(script.placed.spec?.path ?? '');
  if (startStop && before230(options.keepalivedVersion)) return [];
  if (options.host.known && !options.host.account(user)) return [];
  const requires = accountRequires(options);
  const e = script.effective;
  const fixes: Fix[] = [];
  if (e.source === 'script' && script.userWord) {
    // A root group keeps gid 0 whatever the user: replace `root root` by the user alone (its own group).
    const group =
      script.groupWord && /^(root|0)$/.test(script.groupWord.value) ? script.groupWord : undefined;
    fixes.push({
      title: `Run as ${user} instead of ${e.user}`,
      edits: [{ start: script.userWord.start, end: (group ?? script.userWord).end, newText: user }],
      preferred: true,
      requires,
    });
    return fixes;
  }
  if (e.source === 'script_user' && security.scriptUser) {
    if (!plan.globalSafe) return [];
    const word = security.scriptUser.placed.statement.args[0]!;
    const group = security.scriptUser.placed.statement.args[1];
    fixes.push({
      title: `Set script_user to ${user}`,
      edits: [{ file: security.scriptUser.file, start: word.start, end: (group ?? word).end, newText: user }],
      preferred: true,
      requires,
    });
    return fixes;
  }
  if (plan.globalSafe) {
    const global = plan.globalFix();
    if (global) fixes.push(global);
  }
  const local = addUserFix(script, user, model, requires);
  if (local) fixes.push(fixes.length ? local : { ...local, preferred: true });
  return fixes;
}

/** Whether turning on enable_script_security removes or disables nothing that runs today. */
function securityIsSafe(all: ScriptVerdict[], defaultGetsAccount: boolean): boolean {
  return all.every(({ script, fate }) => {
    const e = script.effective;
    const unsafePath = fate.path.problems.length > 0 || fate.path.volatileDir !== undefined;
    if (unsafePath && (e.root || e.orElse === 'root')) return false;
    // A script on the default account survives security only if that account is keepalived_script and
    // it exists (or script_user is being added); the root fallback is exactly what security removes.
    const relyOnDefault = !script.userWord && e.source !== 'script_user';
    return !relyOnDefault || defaultGetsAccount || (e.source === 'keepalived_script' && e.exists === 'yes');
  });
}

/** Adds the user to one script: after the quoted command, or as a `user` line in vrrp_script/MISC_CHECK. */
export function addUserFix(
  script: ScriptUse,
  user: string,
  model: ConfigModel,
  requires?: string,
): Fix | undefined {
  const file = model.files.get(script.file);
  if (!file || script.userWord) return undefined;
  if (script.userOnCommandLine || script.ignoredWords.length > 0) return undefined;
  const ownLine = /^(vrrp_script\/script|.*\/misc_path)$/.test(script.placed.spec?.path ?? '');
  if (!ownLine) {
    // notify style: `notify_master "/x.sh"` -> `notify_master "/x.sh" user`
    if (script.statement.args.length > 1) return undefined;
    return {
      title: `Run this script as ${user}`,
      edits: [{ start: script.commandWord.end, end: script.commandWord.end, newText: ` ${user}` }],
      requires,
    };
  }
  const line = file.lines.positionAt(script.statement.start).line;
  const indent = /^[ \t]*/.exec(file.lines.lineText(line))![0];
  const at = file.lines.lineEnd(line);
  return {
    title: `Run this script as ${user}`,
    edits: [{ start: at, end: at, newText: `${file.eol}${indent}user ${user}` }],
    requires,
  };
}

/** Adds `script_user` and/or `enable_script_security` to global_defs, creating the block at the top if needed. */
function addGlobalFix(
  security: ScriptSecurity,
  model: ConfigModel,
  firstScript: () => number,
  user: string,
  withSecurity: boolean,
  requires: string | undefined,
  onlySecurity = false,
): Fix | undefined {
  const wanted = [
    ...(!onlySecurity && !security.scriptUser ? [`script_user ${user}`] : []),
    ...(withSecurity && !security.securityEnabled ? ['enable_script_security'] : []),
  ];
  if (wanted.length === 0) return undefined;
  const title = onlySecurity
    ? 'Add enable_script_security to global_defs'
    : `Run scripts as ${user} by default (global_defs script_user${wanted.length > 1 ? ' + enable_script_security' : ''})`;
  const g = security.globalDefs;
  // script_user must be read before the scripts (a reload resets it otherwise): only insert into a
  // global_defs block read before every script, else add a new block at the top of the root file.
  const gSeq = g ? model.files.get(g.file)?.placed.find((p) => p.statement === g.statement)?.seq : undefined;
  if (g?.statement.block && (onlySecurity || (gSeq !== undefined && gSeq < firstScript()))) {
    const file = model.files.get(g.file)!;
    const eol = file.eol;
    const open = g.statement.block.open;
    const blockLine = file.lines.positionAt(g.statement.start).line;
    const base = /^[ \t]*/.exec(file.lines.lineText(blockLine))![0];
    const inner = g.statement.block.statements[0];
    const indent = inner
      ? /^[ \t]*/.exec(file.lines.lineText(file.lines.positionAt(inner.start).line))![0]
      : base + '    ';
    const text = wanted.map((w) => `${eol}${indent}${w}`).join('');
    return { title, edits: [{ file: g.file, start: open + 1, end: open + 1, newText: text }], requires };
  }
  const root = model.files.get(model.root)!;
  const eol = root.eol;
  const text = `global_defs {${eol}${wanted.map((w) => `    ${w}${eol}`).join('')}}${eol}${eol}`;
  return { title, edits: [{ file: model.root, start: 0, end: 0, newText: text }], requires };
}

/**
 * The words of a command line as one quoted word, each word as written. keepalived reads a script line
 * twice with the same quoting rules (lib/parser.c alloc_strvec_quoted_escaped(), then
 * set_script_params_array() in lib/notify.c on the first word): the outer quotes make the words one string,
 * and the quotes the user wrote inside it still group their arguments on the second reading. Double quotes
 * outside unless the words hold one, then single quotes; a backslash would be read twice, so no quoting.
 */
export function quotedCommand(words: readonly Word[]): string | undefined {
  const joined = words.map((w) => w.text).join(' ');
  if (joined.includes('\\')) return undefined;
  if (!joined.includes('"')) return `"${joined}"`;
  if (!joined.includes("'")) return `'${joined}'`;
  return undefined;
}

/** `notify_master /x.sh MASTER` -> `notify_master "/x.sh MASTER"`: the words become arguments. */
export function quoteCommandFix(script: ScriptUse): Fix | undefined {
  const words = script.statement.args;
  const newText = quotedCommand(words);
  if (newText === undefined) return undefined;
  return {
    title: 'Quote the command so the words after it are arguments, not the user',
    edits: [{ start: words[0]!.start, end: words[words.length - 1]!.end, newText }],
  };
}
