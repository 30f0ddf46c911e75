// `--baseline FILE` / `--write-baseline FILE`: a team adopts the linter on configs that already have
// findings by recording them once; later runs report (and fail on) new findings only. Findings are
// matched by fingerprint (fingerprint.ts: rule, file, line text, occurrence), so moving lines around
// keeps them matched, while editing a finding's line makes it new. Paths in the file are relative to the
// baseline's own folder, so it can be committed and used from any working folder.
import { dirname, resolve } from 'node:path';
import type { FileReport } from './format';
import { fingerprints, pathUnder } from './fingerprint';

/** Problems of a settings file are never recorded: they must be fixed, not accepted. */
const NEVER_RECORDED = new Set(['invalid-settings']);

export interface BaselineEntry {
  fingerprint: string;
  /** For people reading the file: what and where it was when recorded. */
  rule: string;
  file: string;
  line: number;
  message: string;
}

export interface Baseline {
  version: 1;
  findings: BaselineEntry[];
}

const folderOf = (baselinePath: string): string => dirname(resolve(baselinePath));

export function baselineOf(reports: FileReport[], baselinePath: string): Baseline {
  const findings: BaselineEntry[] = [];
  for (const report of reports) {
    const file = pathUnder(folderOf(baselinePath), report);
    const prints = fingerprints(report, file);
    report.diagnostics.forEach((d, i) => {
      if (NEVER_RECORDED.has(d.rule)) return;
      findings.push({
        fingerprint: prints[i]!,
        rule: d.rule,
        file,
        line: d.range.start.line + 1,
        message: d.message,
      });
    });
  }
  return { version: 1, findings };
}

export function formatBaseline(baseline: Baseline): string {
  return JSON.stringify(baseline, null, 2) + '\n';
}

/** The baseline in a file's text, or why it is not one. */
export function parseBaseline(text: string): Baseline | { error: string } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { error: `not valid JSON (${(e as Error).message})` };
  }
  const b = data as Partial<Baseline> | null;
  if (!b || typeof b !== 'object' || b.version !== 1 || !Array.isArray(b.findings))
    return { error: 'not a keepalived-lint baseline (expected { "version": 1, "findings": [...] })' };
  if (!b.findings.every((f) => f && typeof f === 'object' && typeof f.fingerprint === 'string'))
    return { error: 'a finding without a "fingerprint" string' };
  return b as Baseline;
}

export interface BaselineResult {
  /** The reports without the findings the baseline records. */
  reports: FileReport[];
  /** Findings left out because the baseline records them. */
  known: number;
  /** Entries of the files checked that no finding matched any more (fixed, or their line was edited). */
  gone: number;
}

export function applyBaseline(
  reports: FileReport[],
  baseline: Baseline,
  baselinePath: string,
): BaselineResult {
  const recorded = new Set(baseline.findings.map((f) => f.fingerprint));
  const matched = new Set<string>();
  const checked = new Set<string>();
  let known = 0;
  const kept = reports.map((report) => {
    const file = pathUnder(folderOf(baselinePath), report);
    checked.add(file);
    const prints = fingerprints(report, file);
    const diagnostics = report.diagnostics.filter((d, i) => {
      if (NEVER_RECORDED.has(d.rule) || !recorded.has(prints[i]!)) return true;
      matched.add(prints[i]!);
      known++;
      return false;
    });
    return { ...report, diagnostics };
  });
  // Only entries of files checked in this run can be gone (a run on some files says nothing of others).
  const gone = baseline.findings.filter((f) => checked.has(f.file) && !matched.has(f.fingerprint)).length;
  return { reports: kept, known, gone };
}
