// Cross-file checks of names and includes: undefined and duplicate names, unused definitions and
// parameters, and (checks/includes.ts) includes that match nothing or loop. They run once per configuration
// and report into the file where each problem is.
import type { Rule } from './rules';
import type { RuleFamily } from './family';
import { mutuallyExclusive } from '../analysis/conditions';
import { exclusiveBranches } from '../syntax/templates';
import type { ConfigModel } from '../analysis/model';
import { KIND_LABEL, type SymbolDefinition, type SymbolKind } from '../analysis/symbols';
import { symbolKind } from '../schema/symbol-kinds';
import type { FileFinding, Fix } from './finding';
import { DEFAULT_SCRIPT_USER, useraddLine } from '../analysis/scripts';
import { checkIncludes } from './includes';
import { append } from '../analysis/budget';
import { Suggester } from './suggest';
import { loopVariableNames } from '../analysis/sequences';
import { referencedTooEarly } from '../analysis/lookup-order';
import { definedLaterFinding } from './defined-later';
import { placedLines } from '../analysis/placed-lines';

export type { FileFinding } from './finding';

const NO_NAMES: readonly string[] = [];

export function checkReferences(model: ConfigModel): FileFinding[] {
  const out: FileFinding[] = [];
  const { symbols } = model;
  // Gathered on the first undefined parameter only: it is a pass over every line of the configuration.
  let loopVariables: Set<string> | undefined;
  // The names defined of each kind, gathered once: per reference it would cost a pass over every definition.
  const namesOfKind = new Map<SymbolKind, string[]>();
  for (const d of symbols.definitions) {
    const names = namesOfKind.get(d.kind);
    if (names) names.push(d.name);
    else namesOfKind.set(d.kind, [d.name]);
  }
  const suggester = new Suggester();

  // For the blocks around a reference: made on the first use only.
  let placedOf: ReturnType<typeof placedLines> | undefined;
  for (const ref of symbols.references) {
    if (ref.pattern) continue; // a template expression: whatever name it renders to
    if (symbols.definitionsOf(ref.kind, ref.name).length > 0) {
      const later = referencedTooEarly(model, ref);
      if (later) out.push(definedLaterFinding(model, (placedOf ??= placedLines(model)), ref, later));
      continue;
    }
    if (ref.kind === 'param') {
      if (!model.complete || ref.name.startsWith('_')) continue;
      // A `~SEQ`/`~LST` line sets its variables for the lines it reads, a multi-line definition's too.
      if ((loopVariables ??= loopVariablesOf(model)).has(ref.name)) continue;
      out.push({
        file: ref.file,
        rule: 'undefined-parameter',
        message: `Parameter '$${ref.name}' is not defined anywhere in this configuration; keepalived keeps '$${ref.name}' literally.`,
        ...ref.span,
      });
      continue;
    }
    if (symbols.openKinds.has(ref.kind)) continue; // some name of this kind is only known at run time
    const suggestions = suggester.closest(ref.name, namesOfKind.get(ref.kind) ?? NO_NAMES);
    const hint = suggestions.length ? ` Did you mean ${suggestions.map((s) => `'${s}'`).join(' or ')}?` : '';
    out.push({
      file: ref.file,
      rule: 'undefined-reference',
      // With unresolved includes the definition may live in a file we could not read.
      severity: model.complete ? undefined : 'warning',
      message: `No ${KIND_LABEL[ref.kind]} named '${ref.name}' is defined${model.complete ? '' : ' in the files that could be read'}; ${consequence(ref.kind, ref.name)}.${hint}`,
      ...ref.span,
      fixes: [
        ...suggestions.map((s, i) => ({
          title: `Change to '${s}'`,
          edits: [{ ...ref.span, newText: s }],
          preferred: i === 0 && suggestions.length === 1,
          manual: true,
        })),
        ...(ref.kind === 'vrrp_script' ? [createScriptFix(model, ref.file, ref.span.start, ref.name)] : []),
      ],
    });
  }

  const patternRefs = symbols.references.filter((r) => r.pattern);
  const byKey = new Map<string, SymbolDefinition[]>();
  for (const def of symbols.definitions) {
    const key = `${def.kind}\u0000${def.name}`;
    const list = byKey.get(key);
    if (list) list.push(def);
    else byKey.set(key, [def]);
  }
  for (const defs of byKey.values()) {
    const first = defs[0]!;
    // A parameter defined again takes the new value from there on (check_definition() replaces it):
    // configurations reuse one multi-line definition that way, so that is no duplicate.
    for (const later of first.kind === 'param' ? [] : defs.slice(1)) {
      if (mutuallyExclusive(first.statement.condition, later.statement.condition)) continue;
      if (exclusiveBranches(first.statement.branch, later.statement.branch)) continue;
      out.push({
        file: later.file,
        rule: 'duplicate-definition',
        message: `${KIND_LABEL[later.kind]} '${later.name}' is already defined${first.file === later.file ? '' : ` in ${first.file}`} (line ${lineOf(model, first) + 1}); keepalived uses only one of them.`,
        ...later.span,
      });
    }
    const referenced =
      symbols.referencesOf(first.kind, first.name).length > 0 ||
      patternRefs.some((r) => r.kind === first.kind && r.pattern!.test(first.name));
    if (referenced) continue;
    if (
      first.kind === 'param' ? model.complete : symbolKind(first.kind).inertUnlessReferenced && model.complete
    ) {
      for (const def of defs) {
        out.push({
          file: def.file,
          rule: first.kind === 'param' ? 'unused-parameter' : 'unused-definition',
          message:
            first.kind === 'param'
              ? `Parameter '$${def.name}' is defined but never used.`
              : `${KIND_LABEL[def.kind]} '${def.name}' is never referenced, so it has no effect${def.kind === 'vrrp_script' ? ' (add it to a track_script block)' : ''}.`,
          ...def.span,
          tags: ['unnecessary'],
          fixes: [
            { title: `Remove ${KIND_LABEL[def.kind]} '${def.name}'`, edits: [removeStatement(model, def)] },
          ],
        });
      }
    }
  }

  append(out, checkIncludes(model));
  return out;
}

/** A new vrrp_script (run as an unprivileged user) before the top-level block that references it. */
function createScriptFix(model: ConfigModel, path: string, at: number, name: string): Fix {
  const file = model.files.get(path)!;
  const top = file.tree.statements.find((s) => s.start <= at && at <= s.end);
  const offset = top ? file.lines.lineStart(file.lines.positionAt(top.start).line) : 0;
  const eol = file.eol;
  const body = [
    `vrrp_script ${name} {`,
    `    script "/usr/local/bin/${name}"`,
    `    user ${DEFAULT_SCRIPT_USER}`,
    '    interval 2',
    '    fall 2',
    '    rise 2',
    '}',
    '',
    '',
  ];
  return {
    title: `Create vrrp_script '${name}'`,
    manual: true,
    edits: [{ start: offset, end: offset, newText: body.join(eol) }],
    requires: `/usr/local/bin/${name} must exist, and the account '${DEFAULT_SCRIPT_USER}' on every node (${useraddLine(DEFAULT_SCRIPT_USER)})`,
  };
}

function lineOf(model: ConfigModel, def: SymbolDefinition): number {
  return model.files.get(def.file)?.lines.positionAt(def.span.start).line ?? 0;
}

/** An edit deleting a whole definition statement (its lines), for "remove unused" fixes. */
function removeStatement(
  model: ConfigModel,
  def: SymbolDefinition,
): { start: number; end: number; newText: string } {
  const file = model.files.get(def.file)!;
  const startLine = file.lines.positionAt(def.statement.start).line;
  const endLine = file.lines.positionAt(def.statement.end).line;
  const start = file.lines.lineStart(startLine);
  const end = endLine + 1 < file.lines.lineCount ? file.lines.lineStart(endLine + 1) : file.text.length;
  return { start, end, newText: '' };
}

/** Every variable a `~SEQ` / `~LST` line of the configuration sets. */
function loopVariablesOf(model: ConfigModel): Set<string> {
  const names = new Set<string>();
  for (const file of model.files.values())
    for (const p of file.placed)
      for (const prefix of p.statement.sequences) for (const n of loopVariableNames(prefix)) names.add(n);
  return names;
}

/** What this family reports: the rule records `--help`, SARIF and docs/rules.md read (checks/families.ts). */
const rules = [
  {
    id: 'undefined-reference',
    severity: 'error',
    category: 'correctness',
    scope: 'configuration',
    description: 'A reference (track_script, track_file, sync-group member, ...) to a name defined nowhere.',
  },
  {
    id: 'defined-after-use',
    severity: 'error',
    category: 'correctness',
    scope: 'configuration',
    description:
      'A track_script, track_file, track_process, track_bfd, FILE_CHECK, BFD_CHECK or track_group line naming an object defined only further down: keepalived looks the name up as it reads the line, does not find it and ignores the line.',
  },
  {
    id: 'duplicate-definition',
    severity: 'warning',
    category: 'correctness',
    scope: 'configuration',
    description: 'Two definitions of one name (two vrrp_script chk, two vrrp_instance VI_1, ...).',
  },
  {
    id: 'unused-definition',
    severity: 'hint',
    category: 'style',
    scope: 'configuration',
    description: 'A vrrp_script, track_file, process tracker or group no one references.',
  },
  {
    id: 'undefined-parameter',
    severity: 'hint',
    category: 'correctness',
    scope: 'configuration',
    description: 'A $PARAMETER used but never defined; keepalived keeps it literally.',
  },
  {
    id: 'unused-parameter',
    severity: 'hint',
    category: 'style',
    scope: 'configuration',
    description: 'A $PARAMETER defined but never used.',
  },
] as const satisfies readonly Rule[];

// Adds these ids to RuleId (./rules.ts), so a finding of any family names a rule that exists.
declare module './rules' {
  interface FamilyRules {
    references: typeof rules;
  }
}

export const family: RuleFamily = {
  name: 'references',
  rules,
  checks: [{ over: 'configuration', check: checkReferences }],
};

/** What keepalived does with a reference to a name nothing defines. */
function consequence(kind: SymbolKind, name: string): string {
  // ipwrapper.c link_vsg_to_vs() (2.2.7 l.1216-1222): the whole virtual server goes, with a log line only.
  if (kind === 'virtual_server_group')
    return `keepalived drops this whole virtual_server, and only logs "Virtual server group ${name} specified but not configured - ignoring virtual server [${name}]:0" (keepalived -t reports nothing), so no IPVS service is set up for it`;
  return 'keepalived ignores this reference';
}
