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

/**
 * Characters text output never passes to the terminal: C0 controls but tab, DEL, C1 controls (ESC [2J,
 * OSC title sequences, CSI in its 8-bit form, ...) and the bidirectional overrides and isolates (which
 * reorder what is shown). Lone surrogates are escaped too (a terminal shows them as garbage).
 */
const UNSAFE =
  /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Config content made inert for a terminal: each unsafe character becomes a visible escape (`\x1b`,
 * `\u202e`), every other character is kept. Tabs are kept; a lone `\` is kept as it is.
 */
export function escapeControls(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff
      ? `\\x${code.toString(16).padStart(2, '0')}`
      : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

export function formatText(reports: FileReport[], color: boolean): string {
  const paint = (c: keyof typeof COLORS, s: string): string =>
    color ? `${COLORS[c]}${s}${COLORS.reset}` : s;
  const out: string[] = [];
  const counts = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const report of reports) {
    // File names and messages quote the config and the file system: neither may drive the terminal.
    const file = escapeControls(report.file);
    for (const d of report.diagnostics) {
      counts[d.severity]++;
      const { line, character } = d.range.start;
      out.push(
        `${paint('bold', `${file}:${line + 1}:${character + 1}:`)} ${paint(d.severity, d.severity)} ${escapeControls(d.rule)}: ${escapeControls(d.message)}`,
      );
      if (report.lines) {
        const raw = report.lines.lineText(line).replace(/\t/g, ' ');
        const endChar = Math.min(d.range.end.line === line ? d.range.end.character : raw.length, raw.length);
        // The caret goes under the escaped text: measure the columns after escaping.
        const before = escapeControls(raw.slice(0, Math.min(character, raw.length))).length;
        const marked = escapeControls(
          raw.slice(Math.min(character, raw.length), Math.max(character, endChar)),
        );
        const width = Math.max(1, marked.length);
        out.push(`  ${escapeControls(raw)}`);
        out.push(`  ${' '.repeat(before)}${paint(d.severity, '^' + '~'.repeat(width - 1))}`);
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
