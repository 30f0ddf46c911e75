// Script security: what keepalived will do with each script (analysis/script-fate.ts) turned into findings
// that state keepalived's consequence: runs as root, removed, disabled at start-up, never able to work,
// fatal at start-up; plus script security being off, replaceable script paths, shell syntax keepalived
// will not interpret, and command words keepalived drops. Every check reads metadata only.
import type { Rule } from './rules';
import type { RuleFamily } from './family';
import { append } from '../analysis/budget';
import { MASK } from '../syntax/templates';
import type { ConfigModel } from '../analysis/model';
import { fateOf, isVrrpScript } from '../analysis/script-fate';
import { freedTrackedScripts } from '../analysis/script-tracking';
import { checkScriptPath, VOLATILE_DIRS, type PathVerdict } from '../analysis/script-paths';
import {
  defaulted,
  named,
  scriptSecurity,
  useraddLine,
  type ScriptSecurity,
  type ScriptUse,
} from '../analysis/scripts';
import { authFindings } from './auth';
import { lineNumber, type FileFinding, type Fix } from './finding';
import { accountFixes, planFixes, quoteCommandFix, quotedCommand, type FixPlan } from './security-fixes';
import type { ScriptVerdict, SecurityOptions } from './security-options';

export type { ScriptVerdict, SecurityOptions } from './security-options';

/** Shell syntax that only means something to a shell; keepalived runs scripts with execve. */
const SHELL_SYNTAX = /(\|\||&&|[|;<>`]|\$\(|(^|\s)&(\s|$)|2>&1)/;
const SHELL_PROGRAMS = /(^|\/)(sh|bash|dash|ash|zsh|ksh|busybox)$/;
/** Keywords whose account is on a `user` line of their block (vrrp_script, MISC_CHECK). */
const USER_ON_OWN_LINE_RE = /^(vrrp_script\/script|.*\/misc_path)$/;
/** What an account name can look like on Debian/Ubuntu (adduser's NAME_REGEX, relaxed to allow dots). */
const ACCOUNT_NAME = /^[a-z_][a-z0-9_.-]*\$?$/;

/** The fate of every script of a configuration, computed once per model and option set. */
export function scriptVerdicts(model: ConfigModel, options: SecurityOptions): ScriptVerdict[] {
  const security = scriptSecurity(model, options.host);
  const verdicts = new Map<string, PathVerdict>();
  const verdictOf = (program: string): PathVerdict => {
    let v = verdicts.get(program);
    if (!v)
      verdicts.set(
        program,
        (v = checkScriptPath(program, options.fs, options.host, options.volatileDirs ?? VOLATILE_DIRS)),
      );
    return v;
  };
  return security.scripts.map((script) => ({
    script,
    fate: fateOf(script, security, options, verdictOf),
  }));
}

export function checkSecurity(model: ConfigModel, options: SecurityOptions): FileFinding[] {
  const security = scriptSecurity(model, options.host);
  const verdicts = scriptVerdicts(model, options);
  const plan = planFixes(verdicts, security, model, options);
  const out: FileFinding[] = [];
  for (const v of verdicts) {
    out.push(...fateFindings(v, plan));
    out.push(...wordFindings(v.script, options));
    const shell = shellFinding(v.script);
    if (shell) out.push(shell);
    const templated = templateUserFinding(v.script);
    if (templated) out.push(templated);
  }
  append(out, scriptUserFindings(security, options));
  append(out, fifoFindings(model, security, options));
  const disabled = securityDisabled(verdicts, plan);
  if (disabled) out.push(disabled);
  append(out, authFindings(model, options.fs));
  return out;
}

/** In a template, what holds for the lines as written holds for every config the template renders. */
function renderedNote(model: ConfigModel, script: ScriptUse): string {
  const tree = model.files.get(script.file)?.tree;
  if (!tree?.template) return '';
  if (script.userAlternatives)
    return ` This holds on every node the template deploys to wherever it renders that user line${otherRenderings(script)}.`;
  const branch = script.statement.branch;
  return branch
    ? ' This holds on every node the template deploys to whenever this part of the template is rendered.'
    : ' This holds on every node the template deploys to.';
}

/** What the other renderings of a script's `user` line name: `; where it renders 'user {{ u }}' instead, ...`. */
function otherRenderings(script: ScriptUse): string {
  const words = script.otherUserWords ?? [];
  const templated = words.filter((w) => w.template !== undefined).map((w) => `'user ${w.text}'`);
  const plain = words.filter((w) => w.template === undefined).map((w) => `'user ${w.value}'`);
  const parts: string[] = [];
  if (templated.length > 0)
    parts.push(
      `where it renders ${templated.join(' or ')} instead, the account depends on that template variable (root if it renders to root)`,
    );
  if (plain.length > 0) parts.push(`where it renders ${plain.join(' or ')} instead, it runs as that account`);
  return parts.length > 0 ? `; ${parts.join('; ')}` : '';
}

/** A script whose account is a template expression: whether it runs as root depends on that variable. */
function templateUserFinding(script: ScriptUse): FileFinding | undefined {
  const e = script.effective;
  if (script.userConditional && script.userWord && !e.templated)
    return {
      file: script.file,
      rule: 'script-user-template',
      message: `This ${script.keyword} runs as '${e.user}' only where the template renders this 'user' line: where its condition is false the script names no user and runs as script_user, keepalived_script or root. Make sure every rendering sets a user.`,
      start: script.userWord.start,
      end: script.userWord.end,
    };
  if (!e.templated || e.source !== 'script' || !script.userWord) return undefined;
  return {
    file: script.file,
    rule: 'script-user-template',
    message: `This ${script.keyword} runs as whatever account '${e.user}' renders to on each node${script.userAlternatives ? `, where the template renders this user line${otherRenderings(script)}` : ''}: whether it runs as root depends on that template variable. Make sure it never renders to root or to nothing.`,
    start: script.userWord.start,
    end: script.userWord.end,
  };
}

/** keepalived's consequence when a script is dropped, in terms of what the user configured it for. */
export function dropConsequence(script: ScriptUse, model: ConfigModel): string {
  const path = script.placed.spec?.path ?? '';
  if (path === 'vrrp_script/script') {
    const name = script.parent?.args[0]?.value ?? '';
    const refs = model.symbols.referencesOf('vrrp_script', name);
    if (refs.length === 0) return `so vrrp_script ${name} is gone (nothing tracks it yet)`;
    const where = [...new Set(refs.map((r) => containerOf(model, r.file, r.span.start)))].join(', ');
    return `so \`track_script ${name}\` in ${where} is ignored and the VIP will not move when the check fails`;
  }
  if (path.endsWith('/misc_path'))
    return 'so this real_server loses its MISC_CHECK and keepalived treats it as healthy whatever its state';
  if (/^global_defs\/(startup|shutdown)_script$/.test(path)) return `so the ${script.keyword} never runs`;
  if (/notify_fifo_script$/.test(path)) return 'so nothing reads the notification FIFO';
  return `so the ${script.keyword} script never runs`;
}

/**
 * A vrrp_script nothing tracks never runs: vrrp_complete_init() frees it ("Warning - script %s is not
 * used", vrrp.c 2.2.7 l.4787-4792) after checking its security. That holds when no track_script line names
 * it and when keepalived drops every line that does (analysis/script-tracking.ts). Said only when every
 * file was read and no name is left to a template or a parameter.
 */
function untrackedNote(script: ScriptUse, model: ConfigModel): string {
  if (script.placed.spec?.path !== 'vrrp_script/script' || !model.complete) return '';
  const symbols = model.symbols;
  if (
    symbols.openKinds.has('vrrp_script') ||
    symbols.references.some((r) => r.kind === 'vrrp_script' && r.pattern)
  )
    return '';
  const name = script.parent?.args[0]?.value ?? '';
  if (freedTrackedScripts(model).has(name))
    return ` (For now keepalived drops every track_script line naming vrrp_script ${name}, so it frees the script unused and it never runs; this is how it will run once a track line is kept.)`;
  if (symbols.referencesOf('vrrp_script', name).length > 0) return '';
  return ` (For now nothing tracks vrrp_script ${name}, so keepalived frees it unused and it never runs; this is how it will run once a track_script names it.)`;
}

function containerOf(model: ConfigModel, file: string, at: number): string {
  const statements = model.files.get(file)?.tree.statements ?? [];
  // Top-level statements are in file order: a binary search, as this runs once per reference of every
  // dropped script (a linear scan made 10,000 dropped scripts quadratic).
  let lo = 0;
  let hi = statements.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (statements[mid]!.start <= at) lo = mid;
    else hi = mid - 1;
  }
  const top = statements[lo];
  return top && top.start <= at && at <= top.end
    ? `${top.keyword.value} ${top.args[0]?.value ?? ''}`.trim()
    : file;
}

function fateFindings(v: ScriptVerdict, plan: FixPlan): FileFinding[] {
  const { model, options, security } = plan;
  const { script, fate } = v;
  const e = script.effective;
  const span = { file: script.file, start: script.commandWord.start, end: script.commandWord.end };
  const chain = e.reasons.join(', ');
  switch (fate.fate.kind) {
    case 'not-executed':
      return [];
    case 'removed': {
      const numeric = /name only/.test(fate.fate.why);
      const rule =
        e.source === 'keepalived_script'
          ? 'script-disabled'
          : numeric
            ? 'script-user-numeric'
            : 'script-account-missing';
      const asUser =
        script.userOnCommandLine && script.userWord && !numeric && !ACCOUNT_NAME.test(script.userWord.value)
          ? ` keepalived reads '${script.userWord.value}' as the account to run the script as, not as an argument: quote the whole command to pass it.`
          : '';
      const create =
        rule === 'script-disabled'
          ? ` Create the account on every node (${useraddLine(e.user)}), or name an existing unprivileged one with script_user.`
          : rule === 'script-account-missing' && !asUser
            ? e.group !== undefined && options.host.account(e.user)
              ? ` Create the group on every node (groupadd --system ${e.group}) or name a group that exists.`
              : ` Create it on every node (${useraddLine(e.user)}) or name an account that exists.`
            : '';
      const at =
        rule === 'script-disabled' || e.source === 'script_user' || !script.userWord
          ? span
          : wordSpan(script);
      // keepalived -t counts a removed vrrp_script, MISC_CHECK or a failed default user as a config
      // error; a notify-style script with a bad user is only logged ("... - ignoring").
      const logged = rule !== 'script-disabled' && !USER_ON_OWN_LINE_RE.test(script.placed.spec?.path ?? '');
      return [
        {
          ...at,
          rule,
          severity: logged ? 'warning' : undefined,
          message: `keepalived removes this ${script.keyword} while reading the configuration: ${fate.fate.why}; ${dropConsequence(script, model)}.${asUser}${create}`,
          fixes: asUser ? [quoteCommandFix(script)].filter(isFix) : undefined,
        },
      ];
    }
    case 'disabled':
      return [
        {
          ...span,
          rule: fate.fate.rule,
          message: `keepalived disables this ${script.keyword} at start-up: ${fate.fate.why}; ${dropConsequence(script, model)}.`,
        },
      ];
    case 'always-fails':
      return [
        {
          ...span,
          rule: fate.fate.rule,
          message: `This ${script.keyword} can never do its job: ${fate.fate.why}.`,
        },
      ];
    case 'kills-keepalived':
      return [
        {
          ...span,
          rule: 'startup-script-kills-keepalived',
          severity: fate.fate.certain ? undefined : 'warning',
          message: `${fate.fate.why}. Run it as root (write 'root' after the command) or upgrade to keepalived 2.3.0 or later.`,
        },
      ];
    case 'runs':
      break;
  }
  const out: FileFinding[] = [];
  if (e.orElse === 'removed') {
    out.push({
      ...span,
      rule: 'script-disabled',
      severity: 'warning',
      message: `keepalived removes this ${script.keyword} on every node without a '${e.user}' account (Debian and Ubuntu do not create one), as enable_script_security is set and the script names no user: ${dropConsequence(script, model)}. Create the account on every node (${useraddLine(e.user)}) or name an existing unprivileged account with 'user' or script_user.`,
    });
  }
  const root = e.root || e.orElse === 'root';
  if (root) {
    const conditional = e.orElse === 'root';
    const fixes = accountFixes(script, plan);
    const advice = fixAdvice(script, fixes, options);
    out.push({
      ...span,
      rule: 'script-runs-as-root',
      message:
        (conditional
          ? `This ${script.keyword} runs as root on every node without a '${e.user}' account: ${chain}. ${advice}`
          : `This ${script.keyword} runs as root: ${chain}. ${advice}`) +
        untrackedNote(script, model) +
        renderedNote(model, script),
      fixes,
    });
  }
  if (
    script.afterReload &&
    script.laterScriptUser &&
    (script.afterReload.root || script.afterReload.orElse)
  ) {
    const line = script.laterScriptUser;
    out.push({
      ...span,
      rule: 'script-user-after-script',
      message: `keepalived reads this ${script.keyword} before 'script_user ${line.user}' (${line.file === script.file ? `line ${lineNumber(model, line.file, line.placed.statement.start)}` : line.file}): it runs as ${line.user} after a fresh start, but a reload (SIGHUP, systemctl reload) resets the default user first, so from then on it runs as ${script.afterReload.orElse ? `${script.afterReload.user} where that account exists, else ${script.afterReload.orElse}` : script.afterReload.user}. Move global_defs (with script_user) above the scripts, or put a 'user' on the script.`,
    });
  }
  if (options.thisHost || v.fate.path.path)
    out.push(...pathFindings(script, options, v.fate.path, security.securityEnabled));
  return out;
}

function fixAdvice(script: ScriptUse, fixes: Fix[], options: SecurityOptions): string {
  if (!script.program.includes('/') && !script.program.includes(MASK))
    return `Give the full path of a script file first: keepalived disables a bare command name ('${script.program}') run as a non-root account.`;
  const user = options.scriptUser;
  if (fixes.length === 0 && options.host.known && !options.host.account(user))
    return `Run it as an unprivileged account that can do what the script needs; '${user}' does not exist here, create it first (${useraddLine(user)}).`;
  return `Run it as an unprivileged account that can do what the script needs (the fix uses '${user}', which must exist on every node: ${useraddLine(user)}).`;
}

function wordSpan(script: ScriptUse): { file: string; start: number; end: number } {
  const w = script.userWord!;
  return { file: script.file, start: w.start, end: (script.groupWord ?? w).end };
}

/** Command words keepalived drops, and notify-style arguments it reads as the user. */
function wordFindings(script: ScriptUse, options: SecurityOptions): FileFinding[] {
  const out: FileFinding[] = [];
  if (script.ignoredWords.length > 0 && !script.openTest) {
    const first = script.ignoredWords[0]!;
    const last = script.ignoredWords[script.ignoredWords.length - 1]!;
    const words = script.ignoredWords.map((w) => w.text).join(' ');
    const quoted = quotedCommand([script.commandWord, ...script.ignoredWords]);
    out.push({
      file: script.file,
      rule: 'script-args-ignored',
      message: script.userOnCommandLine
        ? `keepalived ignores '${words}': after the command it reads only a user and a group. Quote the whole command to pass arguments.`
        : `keepalived runs only '${script.commandWord.value}' and ignores '${words}': it takes the first word as the whole command. Quote the command to pass arguments${quoted ? `: ${script.keyword} ${quoted}` : ''}.`,
      start: first.start,
      end: last.end,
      fixes: script.userOnCommandLine || quoted === undefined ? undefined : [quoteArgsFix(script, quoted)],
    });
  }
  // An argument read as the user: only when the word cannot be an account and the host did not already
  // answer (a known host reports the missing account, with the same advice).
  const w = script.userWord;
  if (
    script.userOnCommandLine &&
    w &&
    !options.host.known &&
    !ACCOUNT_NAME.test(w.value) &&
    !/^\d+$/.test(w.value)
  ) {
    const quoted = quotedCommand(script.statement.args);
    out.push({
      file: script.file,
      rule: 'script-args-as-user',
      message: `keepalived reads '${w.value}' as the account to run this ${script.keyword} as, not as an argument; no account can have that name, so keepalived removes the script ("Invalid user/group ... - ignoring"). Quote the whole command${quoted ? `: ${script.keyword} ${quoted}` : ''}.`,
      start: w.start,
      end: (script.groupWord ?? w).end,
    });
  }
  return out;
}

/** `script /x arg` -> `script "/x arg"`: the ignored words become the command's arguments. */
function quoteArgsFix(script: ScriptUse, quoted: string): Fix {
  const last = script.ignoredWords[script.ignoredWords.length - 1] ?? script.commandWord;
  return {
    title: 'Quote the command so keepalived passes the arguments',
    edits: [{ start: script.commandWord.start, end: last.end, newText: quoted }],
    preferred: true,
  };
}

/** script_user lines: accounts that do not exist, or that nobody can verify without --this-host. */
function scriptUserFindings(security: ScriptSecurity, options: SecurityOptions): FileFinding[] {
  const out: FileFinding[] = [];
  const seen = new Set<string>();
  const account = (
    name: string,
    group: string | undefined,
    file: string,
    start: number,
    end: number,
    what: string,
  ): void => {
    const key = `${name}:${group ?? ''}`;
    if (name === 'root' || seen.has(key)) return;
    seen.add(key);
    if (options.host.known || /^\d+$/.test(name)) return; // the fate findings report missing accounts
    out.push({
      file,
      rule: 'script-account-unverified',
      message: `${what} '${name}'${group ? ` (group '${group}')` : ''}: keepalived removes every script that runs as an account or group missing on a node. Make sure it exists on every node${name === 'keepalived_script' ? ' (Debian and Ubuntu do not create it)' : ''}: ${useraddLine(name)}. Check with --this-host on a node.`,
      start,
      end,
    });
  };
  for (const line of security.scriptUserLines) {
    const s = line.placed.statement;
    const last = s.args[1] ?? s.args[0]!;
    if (s.args[0]!.template !== undefined) {
      out.push({
        file: line.file,
        rule: 'script-user-template',
        message: `Scripts without a user run as whatever account '${line.user}' renders to on each node: whether they run as root depends on that template variable. Make sure it never renders to root or to nothing.`,
        start: s.args[0]!.start,
        end: last.end,
      });
      continue;
    }
    account(line.user, line.group, line.file, s.args[0]!.start, last.end, 'Scripts without a user run as');
    if (options.host.known && !options.host.account(line.user) && !/^\d+$/.test(line.user)) {
      // Reported once on the line itself too: keepalived logs "Error setting global script uid/gid" here.
      out.push({
        file: line.file,
        rule: 'script-account-missing',
        message: `There is no account '${line.user}' on this machine: keepalived logs "Error setting global script uid/gid" and removes every script that names no user of its own. Create it (${useraddLine(line.user)}) or name an account that exists.`,
        start: s.args[0]!.start,
        end: last.end,
      });
    } else if (
      options.host.known &&
      line.group !== undefined &&
      options.host.groupId(line.group) === undefined
    ) {
      out.push({
        file: line.file,
        rule: 'script-account-missing',
        message: `There is no group '${line.group}' on this machine: keepalived logs "Error setting global script uid/gid" and removes every script that names no user of its own. Create it (groupadd --system ${line.group}) or name a group that exists.`,
        start: s.args[0]!.start,
        end: last.end,
      });
    }
  }
  for (const script of security.scripts) {
    const w = script.userWord;
    if (!w || script.openTest) continue;
    const e = script.effective;
    if (!ACCOUNT_NAME.test(e.user)) continue;
    account(e.user, e.group, script.file, w.start, (script.groupWord ?? w).end, 'This script runs as');
  }
  return out;
}

/** keepalived reports SECURITY VIOLATION for scripts it checks and would run while security is off. */
function securityDisabled(verdicts: ScriptVerdict[], plan: FixPlan): FileFinding | undefined {
  const { security } = plan;
  if (security.securityEnabled) return undefined;
  const counted = verdicts.filter(
    ({ script, fate }) =>
      fate.fate.kind !== 'not-executed' &&
      fate.fate.kind !== 'removed' &&
      // A file keepalived cannot find (also a failed PATH search) is not counted as a script.
      !(
        fate.fate.kind === 'disabled' &&
        (fate.fate.rule === 'script-not-found' || fate.fate.rule === 'script-bare-command')
      ) &&
      !(isVrrpScript(script) && !security.hasVrrpInstance),
  );
  if (counted.length === 0) return undefined;
  const at = security.globalDefs
    ? { file: security.globalDefs.file, span: security.globalDefs.statement.keyword }
    : { file: counted[0]!.script.file, span: counted[0]!.script.commandWord };
  const n = counted.length;
  const fix = plan.securityOnlyFix();
  return {
    file: at.file,
    rule: 'script-security-disabled',
    message: `${n} script${n === 1 ? '' : 's'} would run while enable_script_security is not set: keepalived -t reports "SECURITY VIOLATION - scripts are being executed but script_security not enabled". Without it keepalived still checks each script it runs as root, but only logs "Unsafe permissions found" and runs a script someone other than root could replace; with it, keepalived refuses such scripts and those with no account to run as.${fix ? '' : ' Before adding it, give every script an existing account and a root-owned path, or keepalived will remove them.'}`,
    start: at.span.start,
    end: at.span.end,
    fixes: fix ? [fix] : undefined,
  };
}

function pathFindings(
  script: ScriptUse,
  options: SecurityOptions,
  verdict: PathVerdict,
  securityEnabled: boolean,
): FileFinding[] {
  const span = { start: script.commandWord.start, end: script.commandWord.end };
  const out: FileFinding[] = [];
  const where = verdict.viaSearch ? ` (found through PATH at ${verdict.path})` : '';
  if (verdict.volatileDir) {
    out.push({
      file: script.file,
      rule: 'unsafe-script-path',
      message: `'${script.program}'${where} is under ${verdict.volatileDir}, which is emptied at boot (and by tmp cleaners): once the path is gone any local user can create it again, with their own script in it, and keepalived runs that. Keep scripts in a root-owned folder such as /etc/keepalived/scripts or /usr/local/libexec.`,
      ...span,
    });
  }
  if (verdict.missing) return out;
  // keepalived's security walk only applies to scripts run with root privileges.
  if (verdict.problems.length && (script.effective.root || script.effective.orElse === 'root')) {
    out.push({
      file: script.file,
      rule: 'unsafe-script-path',
      message: `'${script.program}'${where} could be replaced by someone other than root${options.thisHost ? '' : ' (on this machine)'}: ${verdict.problems.join('; ')}. keepalived logs "Unsafe permissions found for script"${securityEnabled ? ' and, as enable_script_security is set, disables it' : ' and still runs it as root; with enable_script_security it would disable it'}.`,
      ...span,
    });
  }
  return out;
}

function shellFinding(script: ScriptUse): FileFinding | undefined {
  const words = script.argv;
  if (words.length === 0 || SHELL_PROGRAMS.test(words[0]!)) return undefined;
  if (words[0]!.includes(MASK)) return undefined; // a template expression: the program is unknown
  // Only what no quote protects is shell syntax: 'haproxy|nginx' inside the command is one argument.
  const operator = script.writtenArgv
    .slice(1)
    .map(unquotedPart)
    .find((w) => !w.includes(MASK) && SHELL_SYNTAX.test(w));
  if (!operator) return undefined;
  // The command as written goes inside the single quotes, so its own quoting is kept for sh.
  const raw = script.commandWord.value;
  const wrapped = /['\\]/.test(raw) ? undefined : `/bin/sh -c '${raw}'`;
  const doubleQuoted = script.commandWord.text.startsWith('"') && script.commandWord.text.endsWith('"');
  const start = script.commandWord.start + 1;
  return {
    file: script.file,
    rule: 'script-shell-syntax',
    message: `keepalived runs scripts without a shell, so '${operator}' is passed to ${words[0]} as a literal argument. Put the pipeline in a script file, or run it through a shell explicitly${wrapped ? `: "${wrapped}"` : ''}.`,
    start: script.commandWord.start,
    end: script.commandWord.end,
    fixes:
      wrapped && doubleQuoted
        ? [
            {
              title: 'Run it through /bin/sh -c',
              edits: [{ start, end: script.commandWord.end - 1, newText: wrapped }],
            },
          ]
        : undefined,
  };
}

/** A word of a command with its quoted parts and escaped characters taken out. */
function unquotedPart(word: string): string {
  return word.replace(/"[^"]*"?|'[^']*'?|\\./g, '');
}

function isFix(f: Fix | undefined): f is Fix {
  return f !== undefined;
}

/** The script_user line keepalived has read before `seq` (a later one does not apply yet). */
function scriptUserBefore(security: ScriptSecurity, seq: number) {
  let last: ScriptSecurity['scriptUser'];
  for (const l of security.scriptUserLines) if ((l.placed.seq ?? 0) < seq) last = l;
  return last;
}

const FIFO_KEYWORD = /^global_defs\/((vrrp_|lvs_)?)notify_fifo$/;

/**
 * notify_fifo lines: keepalived creates the FIFO for the account named after its path (else the default
 * script user) and ignores the whole FIFO when that account cannot be set ("Invalid user/group for ...
 * fifo - ignoring", notify_fifo() in global_parser.c), so its notify_fifo_script never hears anything.
 */
function fifoFindings(model: ConfigModel, security: ScriptSecurity, options: SecurityOptions): FileFinding[] {
  const out: FileFinding[] = [];
  for (const [file, analyzed] of model.files) {
    for (const placed of analyzed.placed) {
      if (placed.inactive || placed.role !== 'keyword' || !FIFO_KEYWORD.test(placed.spec?.path ?? ''))
        continue;
      const [path, userWord, groupWord] = placed.statement.args;
      if (!path) continue;
      const user = userWord && (placed.expandedArgs[1] ?? userWord.value);
      const group = groupWord && (placed.expandedArgs[2] ?? groupWord.value);
      const e = user
        ? named(user, group, 'script', [], options.host)
        : defaulted(scriptUserBefore(security, placed.seq ?? 0), security, options.host);
      if (!e.removed) continue;
      const type = FIFO_KEYWORD.exec(placed.spec!.path)![1];
      const at = userWord ?? placed.statement.keyword;
      const numeric = /name only/.test(e.removed);
      out.push({
        file,
        rule: numeric ? 'script-user-numeric' : 'script-account-missing',
        severity: 'warning',
        message: `keepalived ignores this ${placed.spec!.name} while reading the configuration: ${e.removed}; so the FIFO is not created and ${type}notify_fifo_script (if any) receives no notifications.${user && !numeric ? ` Create the account on every node (${useraddLine(user)}) or name one that exists.` : ''}`,
        start: at.start,
        end: (groupWord ?? at).end,
      });
    }
  }
  return out;
}

/** What this family reports: the rule records `--help`, SARIF and docs/rules.md read (checks/families.ts). */
const rules = [
  {
    id: 'script-runs-as-root',
    severity: 'warning',
    category: 'security',
    scope: 'configuration',
    description:
      'A script keepalived will run as root: root named, or no user, no script_user and no keepalived_script account on the node.',
  },
  {
    id: 'script-user-template',
    severity: 'info',
    category: 'security',
    scope: 'configuration',
    description:
      'In a template, the account a script runs as is a template expression: whether it is root depends on that variable.',
  },
  {
    id: 'script-disabled',
    severity: 'error',
    category: 'scripts',
    scope: 'configuration',
    description:
      'A script keepalived removes: enable_script_security is set, the script names no user and the node has no keepalived_script account.',
  },
  {
    id: 'script-account-missing',
    severity: 'error',
    category: 'scripts',
    scope: 'machine',
    description:
      'A user, group or script_user that does not exist on this machine (--this-host): keepalived removes the scripts that use it.',
  },
  {
    id: 'script-user-numeric',
    severity: 'error',
    category: 'scripts',
    scope: 'configuration',
    description:
      'A numeric user or group (`user 0`): keepalived looks names up only by name, so it removes the script.',
  },
  {
    id: 'script-account-unverified',
    severity: 'info',
    category: 'scripts',
    scope: 'configuration',
    description:
      'An account scripts run as, which must exist on every node (checked with --this-host); keepalived removes the scripts where it does not.',
  },
  {
    id: 'script-args-as-user',
    severity: 'warning',
    category: 'scripts',
    scope: 'configuration',
    description:
      'An unquoted notify command whose next word keepalived reads as the user (`notify_master /x.sh MASTER`): the script is removed.',
  },
  {
    id: 'script-args-ignored',
    severity: 'warning',
    category: 'scripts',
    scope: 'configuration',
    description:
      'Words after an unquoted command that keepalived drops (`script /x.sh arg` runs /x.sh alone).',
  },
  {
    id: 'script-user-after-script',
    severity: 'warning',
    category: 'security',
    scope: 'configuration',
    description:
      'A script read before global_defs script_user: it runs as root (or the default) after a reload.',
  },
  {
    id: 'script-bare-command',
    severity: 'warning',
    category: 'scripts',
    scope: 'configuration',
    description:
      'A command without a path run as a non-root account: keepalived\u2019s PATH search then fails and disables it.',
  },
  {
    id: 'script-security-disabled',
    severity: 'warning',
    category: 'security',
    scope: 'configuration',
    description:
      'Scripts would run but enable_script_security is not set (keepalived -t: SECURITY VIOLATION).',
  },
  {
    id: 'unsafe-script-path',
    severity: 'warning',
    category: 'security',
    scope: 'machine',
    description:
      'A root script in a place someone other than root can change (writable folders, /tmp, non-root owners).',
  },
  {
    id: 'script-not-found',
    severity: 'warning',
    category: 'scripts',
    scope: 'machine',
    description: 'A script that does not exist on this machine (--this-host): keepalived disables it.',
  },
  {
    id: 'script-not-executable',
    severity: 'warning',
    category: 'scripts',
    scope: 'machine',
    description: 'A script the account it runs as cannot execute (--this-host): keepalived disables it.',
  },
  {
    id: 'script-no-shebang',
    severity: 'warning',
    category: 'scripts',
    scope: 'machine',
    description: 'A script file with no #! line and no ELF header (--this-host): it can never be executed.',
  },
  {
    id: 'script-symlink-renamed',
    severity: 'warning',
    category: 'scripts',
    scope: 'machine',
    description:
      'Before 2.3.0: a symlink to a program of another name (pidof -> killall5), which keepalived runs under the target\u2019s name.',
  },
  {
    id: 'startup-script-kills-keepalived',
    severity: 'error',
    category: 'scripts',
    scope: 'configuration',
    description:
      'Before 2.3.0: a startup_script or shutdown_script run as a non-root account stops keepalived at start-up.',
  },
  {
    id: 'script-shell-syntax',
    severity: 'warning',
    category: 'scripts',
    scope: 'configuration',
    description: 'Shell operators in a script command; keepalived runs scripts without a shell.',
  },
] as const satisfies readonly Rule[];

// Adds these ids to RuleId (./rules.ts), so a finding of any family names a rule that exists.
declare module './rules' {
  interface FamilyRules {
    security: typeof rules;
  }
}

export const family: RuleFamily = {
  name: 'security',
  rules,
  checks: [{ over: 'machine', check: checkSecurity }],
};
