// Applying fixes as data: pick each diagnostic's preferred fix, merge identical edits (many findings share
// the same global_defs fix), skip edits that overlap an earlier one, and apply them per file.
import type { Diagnostic } from '.';
import type { Fix, TextEdit } from './finding';

export interface FileEdits {
  file: string;
  edits: TextEdit[];
}

/**
 * Text a fix must never rewrite unattended: a `$PARAMETER` (one definition may serve several nodes), a
 * template placeholder (`{{ }}`, `{% %}`, `<% %>`, `${VAR}`) or a line behind an `@id` condition (a variant).
 */
const NOT_FOR_BULK = /\$|\{\{|\{%|<%/;

/** Whether `--fix` and "fix all" may apply this fix without anyone looking at it. */
export function bulkSafe(fix: Fix, d: Diagnostic, textOf?: (file: string) => string | undefined): boolean {
  if (!fix.preferred || fix.manual) return false;
  if (!textOf) return true;
  for (const e of fix.edits) {
    const text = textOf(e.file ?? d.file);
    if (text === undefined) return false;
    if (NOT_FOR_BULK.test(text.slice(e.start, e.end))) return false;
  }
  const own = textOf(d.file);
  if (own !== undefined) {
    const lineStart = own.lastIndexOf('\n', d.offsets.start - 1) + 1;
    if (/^[ \t]*@/.test(own.slice(lineStart, d.offsets.start + 1))) return false;
  }
  return true;
}

/** The edits `--fix` applies, grouped by file, from the diagnostics of several files. */
export function preferredEdits(
  diagnostics: Diagnostic[],
  textOf?: (file: string) => string | undefined,
): FileEdits[] {
  const byFile = new Map<string, TextEdit[]>();
  const seen = new Set<string>();
  for (const d of diagnostics) {
    const fix = d.fixes?.find((f) => bulkSafe(f, d, textOf));
    if (!fix) continue;
    for (const edit of fix.edits) {
      const file = edit.file ?? d.file;
      const key = `${file}\u0000${edit.start}\u0000${edit.end}\u0000${edit.newText}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const list = byFile.get(file) ?? [];
      list.push({ start: edit.start, end: edit.end, newText: edit.newText });
      byFile.set(file, list);
    }
  }
  return [...byFile].map(([file, edits]) => ({ file, edits: withoutOverlaps(edits) }));
}

function withoutOverlaps(edits: TextEdit[]): TextEdit[] {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  const kept: TextEdit[] = [];
  for (const e of sorted) {
    const last = kept[kept.length - 1];
    const bothInserts = last && e.start === e.end && last.start === last.end && e.start === last.start;
    if (bothInserts) {
      // Two fixes adding text at one point: one that contains the other makes it redundant
      // (adding script_user + enable_script_security covers adding enable_script_security).
      if (last.newText.includes(e.newText)) continue;
      if (e.newText.includes(last.newText)) {
        kept[kept.length - 1] = e;
        continue;
      }
      kept.push(e);
      continue;
    }
    if (last && e.start < last.end) continue;
    kept.push(e);
  }
  return kept;
}

export function applyEdits(text: string, edits: TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start || b.end - a.end)) {
    out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  }
  return out;
}
