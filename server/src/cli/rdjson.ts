// `--format rdjson`: reviewdog's Diagnostic Format (a DiagnosticResult), for `reviewdog -f=rdjson`.
// Positions are 1-based with UTF-8 byte columns and exclusive ends, as the format defines them. Fixes
// become suggestions reviewdog can post as suggested changes: the preferred fix (else the first) whose
// edits are all in the finding's own file, one suggestion per edit; a fix that edits another file is left
// out (reviewdog cannot suggest a change outside the commented file).
import type { Diagnostic } from '../checks';
import { DOCS_BASE, ruleDocUrl, type Severity } from '../checks/rules';
import type { LineIndex, Position } from '../syntax/position';
import type { FileReport } from './format';
import { pathUnder } from './fingerprint';

const SEVERITY: Record<Severity, string> = { error: 'ERROR', warning: 'WARNING', info: 'INFO', hint: 'INFO' };

interface RdPosition {
  line: number;
  column: number;
}
interface RdRange {
  start: RdPosition;
  end: RdPosition;
}

export function formatRdjson(reports: FileReport[], baseDir: string): string {
  const diagnostics = reports.flatMap((report) => {
    const path = pathUnder(baseDir, report);
    return report.diagnostics.map((d) => ({
      message: d.message,
      location: { path, range: rdRange(report.lines, d.range.start, d.range.end) },
      severity: SEVERITY[d.severity],
      code: { value: d.rule, url: ruleDocUrl(d.rule) },
      ...suggestions(d, report.lines),
    }));
  });
  const result = {
    source: { name: 'keepalived-lint', url: DOCS_BASE.replace(/\/blob\/.*$/, '') },
    diagnostics,
  };
  return JSON.stringify(result, null, 2) + '\n';
}

function suggestions(
  d: Diagnostic,
  lines: LineIndex | undefined,
): { suggestions?: { range: RdRange; text: string }[] } {
  if (!lines || !d.fixes) return {};
  // One fix only (the preferred one if any): the alternatives of a finding would conflict as suggestions.
  const fixes = [...d.fixes].sort((a, b) => Number(b.preferred === true) - Number(a.preferred === true));
  const fix = fixes.find((f) => f.edits.every((e) => e.file === undefined || e.file === d.file));
  const out = (fix?.edits ?? []).map((e) => {
    const range = lines.range(e.start, e.end);
    return { range: rdRange(lines, range.start, range.end), text: e.newText };
  });
  return out.length ? { suggestions: out } : {};
}

/** An LSP range (0-based, UTF-16 characters) as rdjson's (1-based, UTF-8 byte columns). */
function rdRange(lines: LineIndex | undefined, start: Position, end: Position): RdRange {
  const position = (p: Position): RdPosition => {
    const text = lines?.lineText(p.line);
    const column = text === undefined ? p.character : Buffer.byteLength(text.slice(0, p.character), 'utf8');
    return { line: p.line + 1, column: column + 1 };
  };
  return { start: position(start), end: position(end) };
}
