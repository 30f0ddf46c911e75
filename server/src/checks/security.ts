// Script and authentication security: scripts that run as root, script security switched off, script
// paths someone other than root could replace, shell syntax keepalived will not interpret, cleartext VRRP
// passwords and readable HMAC key files. Every check reads metadata only; nothing a config names is run.
import type { FileSystem } from '../analysis/fs';
import type { HostInfo } from '../analysis/host';
import type { ConfigModel } from '../analysis/model';
import { checkScriptPath, VOLATILE_DIRS, type PathVerdict } from '../analysis/script-paths';
import { scriptSecurity, splitCommand, type ScriptSecurity, type ScriptUse } from '../analysis/scripts';
import type { Fix } from './finding';
import type { FileFinding } from './references';

export interface SecurityOptions {
  host: HostInfo;
  fs: FileSystem;
  /** Account the fixes put on scripts (setting keepalived.scriptUser). */
  scriptUser: string;
  /** The config is for this machine: report scripts missing here, check every script path. */
  thisHost: boolean;
  volatileDirs?: string[];
}

/** Shell syntax that only means something to a shell; keepalived runs scripts with execve. */
const SHELL_SYNTAX = /(\|\||&&|[|;<>`]|\$\(|(^|\s)&(\s|$)|2>&1)/;
const SHELL_PROGRAMS = /(^|\/)(sh|bash|dash|ash|zsh|ksh|busybox)$/;

export function checkSecurity(model: ConfigModel, options: SecurityOptions): FileFinding[] {
  const security = scriptSecurity(model, options.host);
  const out: FileFinding[] = [];
  // Many scripts share one program: look at each path on disk once per run.
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
  for (const script of security.scripts) {
    out.push(...userFindings(script, security, model, options));
    out.push(...pathFindings(script, options, verdictOf(script.program)));
    const shell = shellFinding(script);
    if (shell) out.push(shell);
  }
  const disabled = securityDisabled(security, model, options);
  if (disabled) out.push(disabled);
  out.push(...authFindings(model, options));
  return out;
}

function userFindings(
  script: ScriptUse,
  security: ScriptSecurity,
  model: ConfigModel,
  options: SecurityOptions,
): FileFinding[] {
  const e = script.effective;
  const span = { start: script.commandWord.start, end: script.commandWord.end };
  const chain = e.reasons.join(', ');
  if (e.disabled) {
    return [
      {
        file: script.file,
        rule: 'script-disabled',
        message: `keepalived will not run this ${script.keyword}: ${chain}. Add a user to the script, or script_user to global_defs.`,
        ...span,
        fixes: [
          addUserFix(script, options.scriptUser, model),
          addGlobalFix(security, model, options.scriptUser),
        ].filter(isFix),
      },
    ];
  }
  if (!e.root) return [];
  const explicit = e.source === 'script' || e.source === 'script_user';
  const message = explicit
    ? `This ${script.keyword} runs as root: ${chain}. Use an unprivileged account (for example ${options.scriptUser}) that can do what the script needs.`
    : `This ${script.keyword} runs as root: ${chain}. Add 'user ${options.scriptUser}' to the script, or 'script_user ${options.scriptUser}' and 'enable_script_security' to global_defs.`;
  const fixes: Fix[] = [];
  if (e.source === 'script' && script.userWord) {
    // A root group keeps gid 0 whatever the user: replace `root root` by the user alone (its own group).
    const group =
      script.groupWord && /^:?(root|0)$/.test(script.groupWord.value) ? script.groupWord : undefined;
    fixes.push({
      title: `Run as ${options.scriptUser} instead of ${e.user}`,
      edits: [
        { start: script.userWord.start, end: (group ?? script.userWord).end, newText: options.scriptUser },
      ],
      preferred: true,
    });
  } else if (e.source === 'script_user' && security.scriptUser) {
    const word = security.scriptUser.placed.statement.args[0]!;
    fixes.push({
      title: `Set script_user to ${options.scriptUser}`,
      edits: [
        { file: security.scriptUser.file, start: word.start, end: word.end, newText: options.scriptUser },
      ],
      preferred: true,
    });
  } else {
    const global = addGlobalFix(security, model, options.scriptUser);
    if (global) fixes.push({ ...global, preferred: true });
    const local = addUserFix(script, options.scriptUser, model);
    if (local) fixes.push(local);
  }
  return [{ file: script.file, rule: 'script-runs-as-root', message, ...span, fixes }];
}

function isFix(f: Fix | undefined): f is Fix {
  return f !== undefined;
}

/** Adds the user to one script: after the quoted command, or as a `user` line in vrrp_script/MISC_CHECK. */
export function addUserFix(script: ScriptUse, user: string, model: ConfigModel): Fix | undefined {
  const file = model.files.get(script.file);
  if (!file) return undefined;
  const ownLine = script.placed.spec?.path === 'vrrp_script/script' || script.keyword === 'misc_path';
  if (!ownLine) {
    if (script.userWord) return undefined;
    return {
      title: `Run this script as ${user}`,
      edits: [{ start: script.commandWord.end, end: script.commandWord.end, newText: ` ${user}` }],
    };
  }
  if (script.userWord) return undefined;
  const line = file.lines.positionAt(script.statement.start).line;
  const indent = /^[ \t]*/.exec(file.lines.lineText(line))![0];
  const at = file.lines.lineEnd(line);
  const eol = file.eol;
  return {
    title: `Run this script as ${user}`,
    edits: [{ start: at, end: at, newText: `${eol}${indent}user ${user}` }],
  };
}

/** Adds `script_user` and `enable_script_security` to global_defs, creating the block at the top if needed. */
export function addGlobalFix(
  security: ScriptSecurity,
  model: ConfigModel,
  user: string,
  onlySecurity = false,
): Fix | undefined {
  const wanted = [
    ...(!onlySecurity && !security.scriptUser ? [`script_user ${user}`] : []),
    ...(!security.securityEnabled ? ['enable_script_security'] : []),
  ];
  if (wanted.length === 0) return undefined;
  const title = onlySecurity
    ? 'Add enable_script_security to global_defs'
    : `Run scripts as ${user} by default (global_defs script_user + enable_script_security)`;
  const g = security.globalDefs;
  if (g?.statement.block) {
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
    return { title, edits: [{ file: g.file, start: open + 1, end: open + 1, newText: text }] };
  }
  const root = model.files.get(model.root)!;
  const eol = root.eol;
  const text = `global_defs {${eol}${wanted.map((w) => `    ${w}${eol}`).join('')}}${eol}${eol}`;
  return { title, edits: [{ file: model.root, start: 0, end: 0, newText: text }] };
}

function securityDisabled(
  security: ScriptSecurity,
  model: ConfigModel,
  options: SecurityOptions,
): FileFinding | undefined {
  if (security.securityEnabled || security.scripts.length === 0) return undefined;
  const at = security.globalDefs
    ? { file: security.globalDefs.file, span: security.globalDefs.statement.keyword }
    : { file: security.scripts[0]!.file, span: security.scripts[0]!.commandWord };
  const n = security.scripts.length;
  return {
    file: at.file,
    rule: 'script-security-disabled',
    message: `${n} script${n === 1 ? ' is' : 's are'} configured but enable_script_security is not set: keepalived reports "SECURITY VIOLATION" and never checks whether someone other than root can replace a script it runs as root. Add enable_script_security to global_defs.`,
    start: at.span.start,
    end: at.span.end,
    fixes: [addGlobalFix(security, model, options.scriptUser, true)]
      .filter(isFix)
      .map((f) => ({ ...f, preferred: true })),
  };
}

function pathFindings(script: ScriptUse, options: SecurityOptions, verdict: PathVerdict): FileFinding[] {
  const span = { start: script.commandWord.start, end: script.commandWord.end };
  const out: FileFinding[] = [];
  const where = verdict.viaSearch ? ` (found through PATH at ${verdict.path})` : '';
  if (verdict.volatileDir) {
    out.push({
      file: script.file,
      rule: 'unsafe-script-path',
      message: `'${script.program}'${where} is under ${verdict.volatileDir}, where any local user can create or swap files; keep scripts in a root-owned folder such as /etc/keepalived/scripts or /usr/local/libexec.`,
      ...span,
    });
  }
  if (verdict.missing) {
    if (options.thisHost) {
      out.push({
        file: script.file,
        rule: 'script-not-found',
        message: `'${script.program}' does not exist on this machine${verdict.path ? '' : ' or in its PATH'}; keepalived disables the script ("not found/accessible").`,
        ...span,
      });
    }
    return out;
  }
  // keepalived only insists on safe paths when the script runs with root privileges.
  if (verdict.problems.length && (script.effective.root || options.thisHost)) {
    out.push({
      file: script.file,
      rule: 'unsafe-script-path',
      message: `'${script.program}'${where} could be replaced by someone other than root: ${verdict.problems.join('; ')}. keepalived reports "Unsafe permissions found for script" and, with enable_script_security, disables it.`,
      ...span,
    });
  }
  return out;
}

function shellFinding(script: ScriptUse): FileFinding | undefined {
  const words = splitCommand(script.command);
  if (words.length === 0 || SHELL_PROGRAMS.test(words[0]!)) return undefined;
  const operator = words.slice(1).find((w) => SHELL_SYNTAX.test(w));
  if (!operator) return undefined;
  const wrapped = script.command.includes("'") ? undefined : `/bin/sh -c '${script.command}'`;
  const start = script.commandWord.quoted ? script.commandWord.start + 1 : script.commandWord.start;
  return {
    file: script.file,
    rule: 'script-shell-syntax',
    message: `keepalived runs scripts without a shell, so '${operator}' is passed to ${words[0]} as a literal argument. Put the pipeline in a script file, or run it through a shell explicitly${wrapped ? `: "${wrapped}"` : ''}.`,
    start: script.commandWord.start,
    end: script.commandWord.end,
    fixes:
      wrapped && script.commandWord.quoted
        ? [
            {
              title: 'Run it through /bin/sh -c',
              edits: [{ start, end: start + script.command.length, newText: wrapped }],
            },
          ]
        : undefined,
  };
}

function authFindings(model: ConfigModel, options: SecurityOptions): FileFinding[] {
  const out: FileFinding[] = [];
  for (const [path, file] of model.files) {
    for (const placed of file.placed) {
      if (placed.inactive || placed.role !== 'keyword' || !placed.spec) continue;
      const s = placed.statement;
      if (placed.spec.name === 'auth_type' && placed.expandedArgs[0] === 'PASS') {
        out.push({
          file: path,
          rule: 'cleartext-auth',
          message:
            'auth_type PASS sends the password in clear text in every VRRP advertisement, so anyone on the segment can read it and forge adverts; with VRRPv3 (vrrp_version 3) keepalived ignores authentication altogether. Prefer unicast peers and a firewall that only accepts VRRP from your nodes.',
          start: s.args[0]!.start,
          end: s.args[0]!.end,
        });
      }
      if (placed.spec.path === 'vrrp_instance/auth_hmac/key') {
        const value = s.args.find((a) => a.value.startsWith('file:'));
        const keyPath = value?.value.slice(5);
        if (!value || !keyPath) continue;
        const entry = options.fs.stat(keyPath);
        if (entry.kind === 'file' && (entry.mode & 0o077) !== 0) {
          out.push({
            file: path,
            rule: 'insecure-key-file',
            message: `The HMAC key file ${keyPath} can be read or written by users other than its owner (mode ${(entry.mode & 0o777).toString(8)}); keepalived treats that as a security error. chmod 600 it.`,
            start: value.start,
            end: value.end,
          });
        }
      }
    }
  }
  return out;
}
