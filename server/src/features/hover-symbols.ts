// Hover summaries of named things (vrrp_script, vrrp_instance, track_file, ...) and of the scripts
// keepalived runs, with the user each one runs as and why.
import { MASK } from '../syntax/templates';
import type { AnalyzedFile, PlacedStatement } from '../analysis/document';
import type { ConfigModel } from '../analysis/model';
import { fateOfScript, type FateOptions } from '../analysis/script-fate';
import { objectsOf } from '../analysis/objects';
import { scriptSecurity, type ScriptUse } from '../analysis/scripts';
import { KIND_LABEL, type SymbolDefinition, type SymbolKind } from '../analysis/symbols';
import { keywordAt } from '../schema';
import type { Word } from '../syntax/ast';
import { code, count, fenced, place, shownPath } from './hover-text';
import { failoverTables, tableMarkdown } from './failover-table';
import { pathToUri } from './uri';

/** What keepalived does with a script, from the one answer the rules also read (script-fate.ts). */
export function runsAs(use: ScriptUse, model: ConfigModel, env: FateOptions): string {
  const effective = use.effective;
  const why = effective.reasons.join(', ');
  const { fate } = fateOfScript(use, scriptSecurity(model, env.host), env);
  switch (fate.kind) {
    case 'not-executed':
      return 'keepalived only tests that this file can be opened: nothing is executed.';
    case 'removed':
      return `keepalived **removes** it: ${fate.why} (${why}).`;
    case 'disabled':
      return `keepalived **disables** it at start-up: ${fate.why}.`;
    case 'always-fails':
      return `It **can never succeed**: ${fate.why}.`;
    case 'kills-keepalived':
      return `It **stops keepalived** at start-up: ${fate.why}.`;
    case 'runs':
      break;
  }
  const who = effective.group ? `${effective.user}:${effective.group}` : effective.user;
  const lines: string[] = [];
  if (effective.orElse)
    lines.push(
      `Runs as **${who}** on nodes that have that account, else ${effective.orElse === 'root' ? '**as root**' : 'keepalived **removes** it'}: ${why}.`,
    );
  else {
    const privileged = effective.root && effective.user !== 'root' ? ' (root privileges)' : '';
    const check =
      effective.exists === 'unknown'
        ? ' The account must exist on every node, or keepalived removes the script.'
        : '';
    lines.push(`Runs as **${who}**${privileged}: ${why}.${check}`);
  }
  if (use.afterReload)
    lines.push(
      `After a reload it runs as **${use.afterReload.orElse ? `${use.afterReload.user} or ${use.afterReload.orElse}` : use.afterReload.user}**: script_user is read after it.`,
    );
  return lines.join('\n\n');
}

/** The words of a line that make up the command (all of them for an unquoted `script a b c`). */
export function commandWords(use: ScriptUse): Word[] {
  return [use.commandWord, ...use.ignoredWords.filter(() => !use.userOnCommandLine)];
}

export function scriptSummary(use: ScriptUse, model: ConfigModel, env: FateOptions): string {
  // In a template the command holds masked expressions: show it as written instead.
  const templated = use.command.includes(MASK);
  const parts = [
    templated
      ? `**${use.keyword}** runs ${code(use.commandWord.value)} (a template expression: what it renders to)`
      : `**${use.keyword}** runs ${code(use.command)}`,
  ];
  if (use.program && use.program !== use.command && !templated) parts.push(`Program: ${code(use.program)}`);
  if (use.ignoredWords.length)
    parts.push(
      `keepalived ignores ${use.ignoredWords.map((w) => code(w.text)).join(' ')}: quote the whole command to pass arguments.`,
    );
  parts.push(runsAs(use, model, env));
  return parts.join('\n\n');
}

/** The summary of a named thing, from its (first or hovered) definition. */
export function symbolSummary(
  file: AnalyzedFile,
  kind: SymbolKind,
  name: string,
  hovered: SymbolDefinition | undefined,
  env: FateOptions,
  peers: ConfigModel[] = [],
): string {
  const { model } = file;
  const defs = model.symbols.definitionsOf(kind, name);
  const refs = model.symbols.referencesOf(kind, name);
  const def = hovered ?? defs[0];
  const label = KIND_LABEL[kind];
  if (!def) {
    const maybe = model.complete ? '' : ' (an include that is not followed here may define it)';
    return [
      `**${label}** ${code(name)} is not defined in this configuration${maybe}.`,
      `Referenced in ${count(refs.length, 'place')}.`,
    ].join('\n\n');
  }
  const again = defs.length > 1 ? ` (defined ${defs.length} times)` : '';
  const parts = [`**${label}** ${code(name)} · defined at ${place(file, def.file, def.span.start)}${again}`];
  if (kind === 'vrrp_script') parts.push(...vrrpScript(file, def, env));
  else if (kind === 'vrrp_instance') parts.push(...vrrpInstance(file, def, peers));
  else parts.push(fenced(definingLine(file, def)));
  if (kind !== 'vrrp_script')
    parts.push(refs.length ? `Referenced in ${count(refs.length, 'place')}.` : 'Not referenced anywhere.');
  return parts.join('\n\n');
}

function definingLine(file: AnalyzedFile, def: SymbolDefinition): string {
  const target = file.model.files.get(def.file) ?? file;
  return target.lines.lineText(target.lines.positionAt(def.statement.start).line).trim();
}

/** The placed lines directly inside a definition's block. */
function childrenOf(file: AnalyzedFile, def: SymbolDefinition): PlacedStatement[] {
  const inside = new Set(def.statement.block?.statements ?? []);
  const target = file.model.files.get(def.file) ?? file;
  return target.placed.filter((p) => inside.has(p.statement) && p.role === 'keyword');
}

/** The arguments of a child keyword, expanded where known. */
function valueOf(children: PlacedStatement[], keyword: string): string | undefined {
  const child = children.find((c) => c.spec?.name === keyword);
  if (!child) return undefined;
  return child.statement.args.map((a, i) => child.expandedArgs[i] ?? a.value).join(' ');
}

function vrrpScript(file: AnalyzedFile, def: SymbolDefinition, env: FateOptions): string[] {
  const { model } = file;
  const parts: string[] = [];
  const use = scriptSecurity(model, env.host).scripts.find(
    (s) => s.parent === def.statement && s.keyword === 'script',
  );
  parts.push(
    use
      ? `Command: ${code(use.command)}`
      : 'No `script` line: keepalived drops this vrrp_script and every track of it.',
  );
  const children = childrenOf(file, def);
  const settings: string[] = [];
  for (const key of ['interval', 'timeout', 'weight', 'rise', 'fall']) {
    const value = valueOf(children, key);
    const fallback = key === 'interval' ? keywordAt('vrrp_script/interval')?.doc?.default : undefined;
    if (value !== undefined) settings.push(`- ${key}: ${code(value)}`);
    else if (fallback) settings.push(`- ${key}: ${fallback} (default)`);
  }
  if (settings.length) parts.push(settings.join('\n'));
  if (use) parts.push(runsAs(use, file.model, env));

  const refs = model.symbols.referencesOf('vrrp_script', def.name);
  const tracks = objectsOf(model).instances.flatMap((i) =>
    i.trackScripts
      .filter((t) => t.name === def.name)
      .map((t) => `${code(i.name)}${t.weight !== undefined ? ` (weight ${signed(t.weight)})` : ''}`),
  );
  if (refs.length === 0) parts.push('Not tracked anywhere.');
  else
    parts.push(`Tracked in ${count(refs.length, 'place')}${tracks.length ? `: ${tracks.join(', ')}` : ''}.`);
  return parts;
}

function vrrpInstance(file: AnalyzedFile, def: SymbolDefinition, peers: ConfigModel[]): string[] {
  const instance = objectsOf(file.model).instances.find((i) => i.statement === def.statement);
  if (!instance) return [fenced(definingLine(file, def))];
  const shown = (v: string | number | undefined): string => (v === undefined ? 'not set' : code(String(v)));
  const master = instance.state?.toUpperCase() === 'MASTER';
  const priority =
    instance.priority !== undefined
      ? code(String(instance.priority))
      : `not set (${master ? '255, as state is MASTER' : '100'})`;
  const vips = instance.vips.map((v) => code(v.address));
  const tracks = instance.trackScripts.map(
    (t) => `${code(t.name)}${t.weight !== undefined ? ` (weight ${signed(t.weight)})` : ''}`,
  );
  const lines = [
    `- state: ${shown(instance.state)}`,
    `- interface: ${shown(instance.interface)}`,
    `- virtual_router_id: ${shown(instance.vrid)}`,
    `- priority: ${priority}`,
    `- virtual_ipaddress: ${vips.length ? vips.join(', ') : 'none'}`,
    `- track_script: ${tracks.length ? tracks.join(', ') : 'none'}`,
  ];
  // The failover table of every virtual router this instance is a member of, with links to the peers.
  const tables = failoverTables(peers.includes(file.model) ? peers : [file.model], (p) =>
    shownPath(file, p),
  ).filter((t) => t.members.some((m) => m.instance.statement === def.statement));
  const out = [lines.join('\n')];
  for (const t of tables) {
    out.push(tableMarkdown(t));
    const others = t.members.filter((m) => m.instance.file !== def.file);
    if (others.length)
      out.push(
        `Peers: ${others.map((m) => `[${code(m.instance.name)} in ${shownPath(file, m.instance.file)}](${pathToUri(m.instance.file)}#L${lineOf(m.model, m.instance.file, m.instance.span.start) + 1})`).join(', ')}`,
      );
  }
  return out;
}

/** The 0-based line of an offset in a file of a node's configuration. */
function lineOf(model: ConfigModel, path: string, offset: number): number {
  return model.files.get(path)?.lines.positionAt(offset).line ?? 0;
}

const signed = (n: number): string => (n > 0 ? `+${n}` : String(n));
