// SARIF 2.1.0 output of keepalived-lint, shaped for GitHub code scanning: the whole rule table as the
// driver's rules, one result per diagnostic with 1-based regions (UTF-16 columns), a fingerprint that
// survives unrelated edits above a finding, and fixes as artifact changes. A pure function of its input.
import { isAbsolute, posix, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from '../checks';
import type { Fix } from '../checks/finding';
import { DOCS_BASE, ruleDocUrl, type Severity } from '../checks/rules';
import { RULES } from '../checks/families';
import type { LineIndex, Range } from '../syntax/position';
import type * as Sarif from 'sarif';
import { reportsByPath, type FileReport } from './format';
import { fingerprints } from './fingerprint';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const SRCROOT = '%SRCROOT%';
/** The repository, derived from the rule docs so the address lives in one place. */
const INFORMATION_URI = DOCS_BASE.replace(/\/blob\/.*$/, '');

export interface SarifOptions {
  /**
   * Absolute folder that artifact URIs under `%SRCROOT%` are relative to (the CLI passes its working
   * folder); files outside it become file: URIs. Without it, relative paths stay as given (with forward
   * slashes) and absolute ones become file: URIs.
   */
  baseDir?: string;
}

// Regions and context regions are always written with these fields.
type FullRegion = Required<Pick<Sarif.Region, 'startLine' | 'startColumn' | 'endLine' | 'endColumn'>> &
  Pick<Sarif.Region, 'snippet'>;
type Level = NonNullable<Sarif.Result['level']>;
/** Every artifact location this formatter writes has its URI. */
type ArtifactLocation = Sarif.ArtifactLocation & { uri: string };

const LEVEL: Record<Severity, Level> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

export function formatSarif(reports: FileReport[], toolVersion: string, options: SarifOptions = {}): string {
  const rules = [...RULES.values()].map((rule): Sarif.ReportingDescriptor => ({
    id: rule.id,
    name: pascalCase(rule.id),
    shortDescription: { text: rule.description },
    helpUri: ruleDocUrl(rule.id),
    defaultConfiguration: { level: LEVEL[rule.severity] },
    // GitHub code scanning groups alerts by tags; `security` marks security alerts.
    properties: { tags: [rule.category] },
  }));
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));

  // One artifact per file reported (an included file has its own), listed before any result refers to it.
  const artifacts: Sarif.Artifact[] = [];
  const artifactIndex = new Map<string, number>();
  const locate = (file: string): ArtifactLocation => {
    const location = artifactLocation(file, options.baseDir);
    let index = artifactIndex.get(location.uri);
    if (index === undefined) {
      index = artifacts.length;
      artifactIndex.set(location.uri, index);
      artifacts.push({ location: { ...location } });
    }
    return { ...location, index };
  };
  const located = reports.map((r) => locate(r.file));
  const byPath = reportsByPath(reports);
  // Where a fix's edit goes: the diagnostic's own file, or another file of its configuration.
  const target = (d: Diagnostic, file: string | undefined, own: EditTarget): EditTarget | undefined => {
    if (file === undefined || file === d.file) return own;
    const other = byPath.get(file);
    if (!other?.lines) return undefined;
    return { location: locate(other.file), lines: other.lines };
  };
  const results: Sarif.Result[] = [];
  reports.forEach((report, i) => {
    const location = located[i]!;
    const own = report.lines ? { location, lines: report.lines } : undefined;
    // Keyed on the line's text, not its number: inserting lines above a finding keeps its fingerprint.
    const prints = fingerprints(report, location.uri);
    report.diagnostics.forEach((d, j) => {
      const targets = own && ((file: string | undefined) => target(d, file, own));
      results.push(
        result(d, location, report.lines, ruleIndex.get(d.rule), `${prints[j]!.slice(0, 16)}:1`, targets),
      );
    });
  });

  const run: Sarif.Run = {
    tool: {
      driver: { name: 'keepalived-lint', informationUri: INFORMATION_URI, version: toolVersion, rules },
    },
    invocations: [{ executionSuccessful: true }],
    ...(options.baseDir ? { originalUriBaseIds: { [SRCROOT]: { uri: directoryUri(options.baseDir) } } } : {}),
    artifacts,
    results,
    columnKind: 'utf16CodeUnits',
  };
  const log: Sarif.Log = { $schema: SARIF_SCHEMA, version: '2.1.0', runs: [run] };
  return JSON.stringify(log, null, 2) + '\n';
}

/** A file a fix edits: where it is in the log and its text's lines. */
interface EditTarget {
  location: ArtifactLocation;
  lines: LineIndex;
}

function result(
  d: Diagnostic,
  location: Sarif.ArtifactLocation,
  lines: LineIndex | undefined,
  ruleIndex: number | undefined,
  primaryLocationLineHash: string,
  targets: ((file: string | undefined) => EditTarget | undefined) | undefined,
): Sarif.Result {
  const region: FullRegion = toRegion(d.range);
  let contextRegion: Sarif.Region | undefined;
  if (lines && d.range.start.line === d.range.end.line) {
    // region.snippet is the flagged text itself; the whole source line goes in the context region, which
    // SARIF wants to be strictly larger than the region.
    const text = lines.lineText(d.range.start.line);
    region.snippet = { text: text.slice(d.range.start.character, d.range.end.character) };
    if (d.range.start.character > 0 || d.range.end.character < text.length)
      contextRegion = { startLine: region.startLine, endLine: region.startLine, snippet: { text } };
  }
  const fixes = targets && d.fixes?.flatMap((f) => toFix(f, targets));
  return {
    ruleId: d.rule,
    ...(ruleIndex === undefined ? {} : { ruleIndex }),
    level: LEVEL[d.severity],
    message: { text: d.message },
    locations: [
      { physicalLocation: { artifactLocation: location, region, ...(contextRegion && { contextRegion }) } },
    ],
    partialFingerprints: { primaryLocationLineHash },
    ...(fixes?.length ? { fixes } : {}),
  };
}

/** A fix as SARIF artifact changes, one per file it edits; none when a file it edits is not in the log. */
function toFix(fix: Fix, targets: (file: string | undefined) => EditTarget | undefined): Sarif.Fix[] {
  const changes = new Map<string, { target: EditTarget; edits: Fix['edits'] }>();
  for (const edit of fix.edits) {
    const target = targets(edit.file);
    if (!target) return [];
    const change = changes.get(target.location.uri);
    if (change) change.edits.push(edit);
    else changes.set(target.location.uri, { target, edits: [edit] });
  }
  return [
    {
      description: { text: fix.title },
      artifactChanges: [...changes.values()].map(({ target, edits }) => ({
        artifactLocation: target.location,
        replacements: [...edits]
          .sort((a, b) => a.start - b.start || a.end - b.end)
          .map((e) => ({
            deletedRegion: toRegion(target.lines.range(e.start, e.end)),
            insertedContent: { text: e.newText },
          })),
      })),
    },
  ];
}

/** 0-based LSP range -> 1-based SARIF region (end column exclusive, as LSP's end character). */
function toRegion(range: Range): FullRegion {
  return {
    startLine: range.start.line + 1,
    startColumn: range.start.character + 1,
    endLine: range.end.line + 1,
    endColumn: range.end.character + 1,
  };
}

function artifactLocation(file: string, baseDir: string | undefined): ArtifactLocation {
  let path = file;
  if (baseDir !== undefined) {
    const absolute = resolve(baseDir, file);
    path = relative(baseDir, absolute);
    if (path === '' || isAbsolute(path) || path === '..' || path.startsWith('..' + sep)) {
      return { uri: fileUri(absolute) };
    }
  } else if (isAbsolute(file)) {
    return { uri: fileUri(file) };
  }
  const normalized = posix.normalize(path.split(sep).join('/'));
  const uri = normalized.split('/').map(encodeURIComponent).join('/');
  // A path above the current folder has no place under the source root: leave it a plain reference.
  return normalized === '..' || normalized.startsWith('../') ? { uri } : { uri, uriBaseId: SRCROOT };
}

function fileUri(path: string): string {
  return pathToFileURL(path).href;
}

function directoryUri(dir: string): string {
  const href = fileUri(resolve(dir));
  return href.endsWith('/') ? href : href + '/';
}

/** `unknown-keyword` -> `UnknownKeyword`. */
export function pascalCase(id: string): string {
  return id
    .split('-')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}
