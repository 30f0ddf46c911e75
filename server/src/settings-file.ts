// The project settings file: `.keepalived-lint.json`, or the `keepalived-lint` key of a package.json,
// found upward from each config (the nearest one wins; files do not cascade). This module owns its
// discovery, its validation (each problem located on the key or value at fault) and how its layers merge;
// the CLI and the language server both read configs through it, so a team's CI and editors agree.
// The JSON schema contributed to editors is generated from the same field table (settingsSchema()).
import { TEMPLATE_MODES, type TemplateMode } from './syntax/templates';
import { dirname, join, relative, sep } from 'node:path';
import picomatch from 'picomatch';
import type { FileSystem } from './analysis/fs';
import type { SeverityOrOff } from './checks/rules';
import { RULE_IDS } from './checks/families';
import { parseVersion } from './schema/version';
import { parseJsonTree, JsonSyntaxError, type JsonMember, type JsonNode } from './json-tree';
import type { Settings } from './settings';
import type { Diagnostic } from './checks';
import { LineIndex } from './syntax/position';

export const SETTINGS_FILE_NAME = '.keepalived-lint.json';
export const PACKAGE_JSON_KEY = 'keepalived-lint';
/** Settings files larger than this are refused (a settings file is a few lines). */
const MAX_SETTINGS_BYTES = 1024 * 1024;

const SEVERITIES = ['error', 'warning', 'info', 'hint', 'off'] as const;

/** What a settings file, or one of its overrides, sets; a key left out is not set there. */
export interface ProjectSettings {
  rules?: Record<string, SeverityOrOff>;
  keepalivedVersion?: string;
  configId?: string;
  scriptUser?: string;
  thisHost?: boolean;
  template?: TemplateMode;
}

/** A problem in a settings file, on the offsets of the key or value at fault. */
export interface SettingsProblem {
  message: string;
  start: number;
  end: number;
  /** Nothing of the file can be used (not JSON, unreadable), not only the entry at fault. */
  whole?: boolean;
}

export interface SettingsFile {
  /** Absolute path of `.keepalived-lint.json` or of the package.json that holds the settings. */
  path: string;
  text: string;
  base: ProjectSettings;
  /** Globs (relative to the file's folder) of configs not to check. */
  ignore: string[];
  /** Applied in order over `base` to the configs their globs match; a later one wins. */
  overrides: { files: string[]; settings: ProjectSettings }[];
  /** Empty when the file is valid. Anything at fault is left out, never guessed. */
  problems: SettingsProblem[];
}

export interface ResolvedSettings {
  /** The settings file that governs the config, if any. */
  file?: SettingsFile;
  /** One of its `ignore` globs matches the config. */
  ignored: boolean;
  settings: ProjectSettings;
}

// --- the fields: validation and schema from one table -------------------------------------------------

type Problem = (message: string, node: { start: number; end: number }) => undefined;

interface Field<T> {
  description: string;
  schema: Record<string, unknown>;
  read(node: JsonNode, problem: Problem): T | undefined;
}

const kindName: Record<JsonNode['kind'], string> = {
  object: 'an object',
  array: 'a list',
  string: 'a string',
  number: 'a number',
  boolean: 'true or false',
  null: 'null',
};

const stringField = (
  description: string,
  check?: (value: string) => string | undefined,
  schema: Record<string, unknown> = {},
): Field<string> => ({
  description,
  schema: { type: 'string', ...schema },
  read(node, problem) {
    if (node.kind !== 'string') return problem(`must be a string, not ${kindName[node.kind]}`, node);
    const error = check?.(node.value);
    return error ? problem(error, node) : node.value.trim();
  },
});

const SETTING_FIELDS: { [K in keyof ProjectSettings]-?: Field<NonNullable<ProjectSettings[K]>> } = {
  rules: {
    description: 'Severity per rule id: error, warning, info, hint or off. See docs/rules.md for the rules.',
    schema: {
      type: 'object',
      propertyNames: { enum: [...RULE_IDS] },
      additionalProperties: { enum: [...SEVERITIES] },
    },
    read(node, problem) {
      if (node.kind !== 'object') return problem(`must be an object of rule id to severity`, node);
      const rules: Record<string, SeverityOrOff> = {};
      for (const m of node.members) {
        if (!(RULE_IDS as readonly string[]).includes(m.key)) {
          problem(`unknown rule '${m.key}'`, { start: m.keyStart, end: m.keyEnd });
          continue;
        }
        const v = m.value;
        if (v.kind === 'string' && (SEVERITIES as readonly string[]).includes(v.value))
          rules[m.key] = v.value as SeverityOrOff;
        else problem(`the severity of '${m.key}' must be one of ${SEVERITIES.join(', ')}`, v);
      }
      return rules;
    },
  },
  keepalivedVersion: stringField(
    'keepalived version the configs are for, e.g. 2.2.7 (Debian 12). X.Y means X.Y.0, its oldest release. Default: the newest.',
    (v) => (parseVersion(v) ? undefined : `'${v}' is not a keepalived version: use X.Y or X.Y.Z, e.g. 2.2.7`),
    { pattern: '^v?\\d+\\.\\d+(\\.\\d+)?$' },
  ),
  configId: stringField(
    'Evaluate @id / @^id conditional lines as keepalived --config-id ID would. Default: every variant is possible.',
  ),
  scriptUser: stringField(
    'Account the quick fixes put on scripts (user / script_user). Default: keepalived_script.',
    (v) => (v.trim() === '' ? 'must not be empty' : undefined),
    { minLength: 1 },
  ),
  thisHost: {
    description:
      'The configs are for the machine that checks them: report scripts and network interfaces missing here and check every script path.',
    schema: { type: 'boolean' },
    read: (node, problem) =>
      node.kind === 'boolean'
        ? node.value
        : problem(`must be true or false, not ${kindName[node.kind]}`, node),
  },
  template: {
    description: 'Template dialect of the configs: auto (by file name and content), jinja, erb, go, or none.',
    schema: { enum: [...TEMPLATE_MODES] },
    read: (node, problem) =>
      node.kind === 'string' && (TEMPLATE_MODES as readonly string[]).includes(node.value)
        ? (node.value as TemplateMode)
        : problem(`must be one of ${TEMPLATE_MODES.join(', ')}`, node),
  },
};

const GLOBS_DESCRIPTION =
  "Globs relative to the settings file's folder. One without a '/' matches a file name at any depth (*.j2); one with a '/' matches the path (legacy/**); a trailing '/' means everything under that folder.";

function readGlobs(node: JsonNode, problem: Problem, single: boolean): string[] | undefined {
  if (single && node.kind === 'string')
    node = { kind: 'array', start: node.start, end: node.end, items: [node] };
  if (node.kind !== 'array') return problem(`must be a list of globs`, node);
  const globs: string[] = [];
  for (const item of node.items) {
    if (item.kind !== 'string' || item.value.trim() === '') problem('must be a non-empty glob string', item);
    else globs.push(item.value.trim());
  }
  return globs;
}

function readSettingsObject(
  members: JsonMember[],
  problem: Problem,
  extra: Record<string, (m: JsonMember) => void>,
): ProjectSettings {
  const out: Record<string, unknown> = {};
  const seen = new Set<string>();
  for (const m of members) {
    const at = { start: m.keyStart, end: m.keyEnd };
    if (seen.has(m.key)) problem(`'${m.key}' is given twice; the last one counts`, at);
    seen.add(m.key);
    const field = (SETTING_FIELDS as Record<string, Field<unknown>>)[m.key];
    if (field) {
      const value = field.read(m.value, (message, node) => problem(`${m.key}: ${message}`, node));
      if (value !== undefined) out[m.key] = value;
      else delete out[m.key];
    } else if (extra[m.key]) extra[m.key]!(m);
    else problem(`unknown setting '${m.key}' (ignored)`, at);
  }
  return out;
}

/**
 * Validates a settings file's text. `inPackageJson`: the settings are the `keepalived-lint` key, and a
 * package.json without it is not a settings file (undefined). One that is not valid JSON is taken for
 * ours when its text names the key (else it is some other tool's problem).
 */
export function parseSettingsFile(path: string, text: string, inPackageJson: true): SettingsFile | undefined;
export function parseSettingsFile(path: string, text: string, inPackageJson?: false): SettingsFile;
export function parseSettingsFile(
  path: string,
  text: string,
  inPackageJson = false,
): SettingsFile | undefined {
  const file: SettingsFile = { path, text, base: {}, ignore: [], overrides: [], problems: [] };
  const problem: Problem = (message, node) => {
    file.problems.push({ message, start: node.start, end: node.end });
    return undefined;
  };
  let root: JsonNode;
  try {
    root = parseJsonTree(text);
  } catch (e) {
    if (!(e instanceof JsonSyntaxError)) throw e;
    if (inPackageJson && !text.includes(`"${PACKAGE_JSON_KEY}"`)) return undefined;
    problem(`not valid JSON: ${e.message}`, { start: e.offset, end: Math.min(e.offset + 1, text.length) });
    file.problems[0]!.whole = true;
    return file;
  }
  if (inPackageJson) {
    const members = root.kind === 'object' ? root.members.filter((m) => m.key === PACKAGE_JSON_KEY) : [];
    const member = members[members.length - 1];
    if (!member) return undefined;
    root = member.value;
  }
  if (root.kind !== 'object') {
    problem(`the settings must be a JSON object, not ${kindName[root.kind]}`, root);
    file.problems[0]!.whole = true;
    return file;
  }
  file.base = readSettingsObject(root.members, problem, {
    $schema: () => {},
    ignore: (m) => (file.ignore = readGlobs(m.value, (s, n) => problem(`ignore: ${s}`, n), false) ?? []),
    overrides: (m) => {
      if (m.value.kind !== 'array')
        return problem('overrides: must be a list of { "files": [...], ... }', m.value);
      for (const item of m.value.items) {
        if (item.kind !== 'object') {
          problem('overrides: each entry must be an object with "files" and the settings for them', item);
          continue;
        }
        let files: string[] | undefined;
        const settings = readSettingsObject(item.members, problem, {
          files: (f) => (files = readGlobs(f.value, (s, n) => problem(`files: ${s}`, n), true)),
        });
        if (files === undefined)
          problem('this override has no "files" globs, so it applies to nothing', item);
        else file.overrides.push({ files, settings });
      }
    },
  });
  return file;
}

// --- discovery ----------------------------------------------------------------------------------------

/** Settings files as found upward from configs, cached until clear() (a settings file changed). */
export class SettingsFiles {
  private readonly byDir = new Map<string, SettingsFile | null>();

  constructor(private readonly fs: Pick<FileSystem, 'stat' | 'readText'>) {}

  /** A path whose change may change the settings (the server watches these names). */
  static isSettingsFileName(path: string): boolean {
    const name = path.slice(path.lastIndexOf(sep) + 1);
    return name === SETTINGS_FILE_NAME || name === 'package.json';
  }

  clear(): void {
    this.byDir.clear();
  }

  /** The settings file nearest to `dir` (itself or a folder above it), if any. */
  find(dir: string): SettingsFile | undefined {
    const walked: string[] = [];
    let found: SettingsFile | undefined;
    for (let d = dir; ;) {
      const cached = this.byDir.get(d);
      if (cached !== undefined) {
        found = cached ?? undefined;
        break;
      }
      walked.push(d);
      found = this.readIn(d);
      if (found) break;
      const parent = dirname(d);
      if (parent === d) break;
      d = parent;
    }
    for (const d of walked) this.byDir.set(d, found ?? null);
    return found;
  }

  /** A settings file given by name (the CLI's --settings): it must exist. */
  load(path: string): SettingsFile {
    const read = this.fs.readText(path, MAX_SETTINGS_BYTES);
    const isPackage = path.slice(path.lastIndexOf(sep) + 1) === 'package.json';
    if (!read.ok) return unreadable(path, read.reason);
    if (!isPackage) return parseSettingsFile(path, read.text);
    return (
      parseSettingsFile(path, read.text, true) ?? {
        ...unreadable(path, ''),
        text: read.text,
        problems: [
          { message: `this package.json has no "${PACKAGE_JSON_KEY}" key`, start: 0, end: 0, whole: true },
        ],
      }
    );
  }

  private readIn(dir: string): SettingsFile | undefined {
    const own = join(dir, SETTINGS_FILE_NAME);
    if (this.fs.stat(own).kind !== 'missing') return this.load(own);
    const pkg = join(dir, 'package.json');
    if (this.fs.stat(pkg).kind !== 'file') return undefined;
    const read = this.fs.readText(pkg, MAX_SETTINGS_BYTES);
    return read.ok ? parseSettingsFile(pkg, read.text, true) : undefined;
  }

  /** The settings for one config: its settings file's, with the overrides that match it. */
  resolve(config: string, file = this.find(dirname(config))): ResolvedSettings {
    if (!file) return { ignored: false, settings: {} };
    const rel = relative(dirname(file.path), config).split(sep).join('/');
    const ignored = file.ignore.some((g) => globMatches(g, rel));
    let settings = file.base;
    for (const o of file.overrides)
      if (o.files.some((g) => globMatches(g, rel))) settings = mergeSettings(settings, o.settings);
    return { file, ignored, settings };
  }
}

function unreadable(path: string, reason: string): SettingsFile {
  return {
    path,
    text: '',
    base: {},
    ignore: [],
    overrides: [],
    problems: [{ message: `cannot read the settings file: ${reason}`, start: 0, end: 0, whole: true }],
  };
}

const matchers = new Map<string, (path: string) => boolean>();

/** A settings glob against a path relative to the settings file's folder (forward slashes). */
export function globMatches(glob: string, rel: string): boolean {
  let match = matchers.get(glob);
  if (!match) {
    const pattern = glob.endsWith('/') ? glob + '**' : glob.replace(/^\.\//, '');
    match = picomatch(pattern, { dot: true, basename: !pattern.includes('/') });
    matchers.set(glob, match);
  }
  return match(rel);
}

// --- merging ------------------------------------------------------------------------------------------

/** `over` on top of `base`: rules merge rule by rule, every other key set in `over` replaces. */
export function mergeSettings(base: ProjectSettings, over: ProjectSettings): ProjectSettings {
  const merged: ProjectSettings = { ...base, ...over };
  if (base.rules || over.rules) merged.rules = { ...base.rules, ...over.rules };
  return merged;
}

/** The editor's settings with a project file's on top: the file is what CI reads, so it wins. */
export function withProjectSettings(editor: Settings, project: ProjectSettings): Settings {
  return {
    rules: { ...editor.rules, ...project.rules },
    configId: project.configId ?? editor.configId,
    keepalivedVersion: project.keepalivedVersion ?? editor.keepalivedVersion,
    scriptUser: project.scriptUser ?? editor.scriptUser,
    thisHost: project.thisHost ?? editor.thisHost,
  };
}

/** The rule of a settings file's problems (in the rule table and docs/rules.md like every rule). */
export const SETTINGS_RULE = 'invalid-settings';

/**
 * A settings file's problems as diagnostics on it, each saying what is not used because of it. The
 * severity is the one set outside the file (a flag, the editor's settings): the file cannot vouch for
 * itself.
 */
export function settingsDiagnostics(file: SettingsFile, severity: SeverityOrOff = 'error'): Diagnostic[] {
  if (severity === 'off') return [];
  const lines = new LineIndex(file.text);
  return file.problems.map((p) => ({
    file: file.path,
    rule: SETTINGS_RULE,
    severity,
    message: `${p.message}: ${p.whole ? "none of this file's settings are used" : 'this entry is not used'}, so the configs under this folder are checked without it.`,
    range: lines.range(p.start, p.end),
    offsets: { start: p.start, end: p.end },
  }));
}

/** Settings given as command-line flags; they win over the file's (`--this-host` can only turn it on). */
export function flagSettings(flags: {
  rules: Record<string, SeverityOrOff>;
  keepalivedVersion?: string;
  configId?: string;
  scriptUser?: string;
  thisHost: boolean;
  template?: TemplateMode;
}): ProjectSettings {
  const out: ProjectSettings = { rules: flags.rules };
  if (flags.template !== undefined) out.template = flags.template;
  if (flags.keepalivedVersion !== undefined) out.keepalivedVersion = flags.keepalivedVersion;
  if (flags.configId !== undefined) out.configId = flags.configId;
  if (flags.scriptUser !== undefined) out.scriptUser = flags.scriptUser;
  if (flags.thisHost) out.thisHost = true;
  return out;
}

// --- the JSON schema ----------------------------------------------------------------------------------

/** The JSON schema of a settings file, contributed to editors (package.json `jsonValidation`). */
export function settingsSchema(): Record<string, unknown> {
  const fields = Object.fromEntries(
    Object.entries(SETTING_FIELDS).map(([name, f]) => [name, { description: f.description, ...f.schema }]),
  );
  const globs = { type: 'array', items: { type: 'string', minLength: 1 } };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'keepalived-lint settings',
    description: `Settings of keepalived-lint and the keepalived language server for the configs under this folder (${SETTINGS_FILE_NAME}, or the "${PACKAGE_JSON_KEY}" key of package.json). The nearest file above a config counts.`,
    type: 'object',
    additionalProperties: false,
    properties: {
      $schema: { type: 'string' },
      ...fields,
      ignore: { description: `Configs not to check. ${GLOBS_DESCRIPTION}`, ...globs },
      overrides: {
        description: 'Settings for some of the configs, applied in order over the settings above.',
        type: 'array',
        items: {
          type: 'object',
          required: ['files'],
          additionalProperties: false,
          properties: {
            files: {
              description: `The configs this applies to. ${GLOBS_DESCRIPTION}`,
              anyOf: [{ type: 'string', minLength: 1 }, globs],
            },
            ...fields,
          },
        },
      },
    },
  };
}
