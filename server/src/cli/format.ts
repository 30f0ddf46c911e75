// Output formats of keepalived-lint: compiler-style text with the source line and a caret, and the JSON
// contract of architecture.md (0-based LSP ranges).
import type { Diagnostic } from '../checks';
import type { LineIndex } from '../syntax/position';

export interface FileReport {
  /**
   * The path shown: as the user gave it (or as found under a folder they gave), or for a file reached
   * through an include, named the way its configuration's root was given.
   */
  file: string;
  /** The file as the engine names it (`Diagnostic.file`, `TextEdit.file`); default: `file`. */
  path?: string;
  lines?: LineIndex;
  diagnostics: Diagnostic[];
}

/** The reports by engine path, so an edit that names another file finds its lines and shown path. */
export function reportsByPath(reports: FileReport[]): Map<string, FileReport> {
  const byPath = new Map<string, FileReport>();
  for (const r of reports) if (!byPath.has(r.path ?? r.file)) byPath.set(r.path ?? r.file, r);
  return byPath;
}

const COLORS = {
  error: '\x1b[31m',
  warning: '\x1b[33m',
  info: '\x1b[36m',
  hint: '\x1b[2m',
  reset: '\x1b[0m',
  bold: '\x1b[1m',
};

export function formatText(reports: FileReport[], color: boolean): string {
  const paint = (c: keyof typeof COLORS, s: string): string =>
    color ? `${COLORS[c]}${s}${COLORS.reset}` : s;
  const out: string[] = [];
  const counts = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const report of reports) {
    for (const d of report.diagnostics) {
      counts[d.severity]++;
      const { line, character } = d.range.start;
      out.push(
        `${paint('bold', `${report.file}:${line + 1}:${character + 1}:`)} ${paint(d.severity, d.severity)} ${d.rule}: ${d.message}`,
      );
      if (report.lines) {
        const source = report.lines.lineText(line).replace(/\t/g, ' ');
        const endChar = d.range.end.line === line ? d.range.end.character : source.length;
        const width = Math.max(1, Math.min(endChar, source.length) - character);
        out.push(`  ${source}`);
        out.push(`  ${' '.repeat(character)}${paint(d.severity, '^' + '~'.repeat(width - 1))}`);
      }
    }
  }
  const files = reports.length;
  const summary = (['error', 'warning', 'info', 'hint'] as const)
    .filter((s) => counts[s] > 0)
    .map((s) => `${counts[s]} ${s}${counts[s] === 1 ? '' : s === 'info' ? '' : 's'}`);
  out.push(
    `${summary.length ? summary.join(', ') : 'no problems'} in ${files} file${files === 1 ? '' : 's'}`,
  );
  return out.join('\n') + '\n';
}

export function formatJson(reports: FileReport[]): string {
  const byPath = reportsByPath(reports);
  const diagnostics = reports.flatMap((r) =>
    r.diagnostics.map((d) => ({
      file: r.file,
      rule: d.rule,
      severity: d.severity,
      message: d.message,
      range: d.range,
      ...(d.fixes
        ? {
            fixes: d.fixes.map((f) => ({
              title: f.title,
              edits: f.edits.map((e) => {
                // An edit in another file of the configuration (e.g. its global_defs) names that file.
                if (e.file === undefined || e.file === d.file)
                  return { range: r.lines ? r.lines.range(e.start, e.end) : undefined, newText: e.newText };
                const target = byPath.get(e.file);
                return {
                  file: target?.file ?? e.file,
                  range: target?.lines ? target.lines.range(e.start, e.end) : undefined,
                  newText: e.newText,
                };
              }),
            })),
          }
        : {}),
    })),
  );
  return JSON.stringify({ diagnostics }, null, 2) + '\n';
}
