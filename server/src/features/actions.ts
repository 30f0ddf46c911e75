// Code actions: the fixes each diagnostic carries, as quick fixes bound to it, plus "fix all of this kind
// in the file" built from the preferred fixes of every diagnostic of that rule.
import {
  CodeActionKind,
  type CodeAction,
  type Diagnostic as LspDiagnostic,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver-types';
import type { AnalyzedFile } from '../analysis/document';
import type { Diagnostic } from '../checks';
import type { Fix } from '../checks/finding';
import { bulkSafe, preferredEdits } from '../checks/fixes';
import type { DiagnosticData } from './diagnostics';
import { pathToUri } from './uri';

function toWorkspaceEdit(file: AnalyzedFile, fix: Fix): WorkspaceEdit {
  const changes: Record<string, TextEdit[]> = {};
  for (const e of fix.edits) {
    const path = e.file ?? file.path;
    const target = file.model.files.get(path) ?? file;
    (changes[pathToUri(path)] ??= []).push({ range: target.lines.range(e.start, e.end), newText: e.newText });
  }
  return { changes };
}

/** A diagnostic's identity across the LSP round trip: its rule and its range. */
function rangeKey(rule: string, r: LspDiagnostic['range']): string {
  return `${rule}\u0000${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
}

/**
 * Quick fixes for the diagnostics of a request, and one "fix all" per rule. Linear in the number of
 * diagnostics: the file's diagnostics are indexed once by rule and range (the editor may send tens of
 * thousands in one request), and each rule's bulk fix is built once.
 */
export function codeActions(
  file: AnalyzedFile,
  contextDiagnostics: readonly LspDiagnostic[],
  fileDiagnostics: readonly Diagnostic[],
): CodeAction[] {
  const actions: CodeAction[] = [];
  // Through `unknown`: Array.isArray would narrow the readonly array itself to any[].
  const given: unknown = contextDiagnostics;
  if (!Array.isArray(given)) return actions;
  // Fixes are offsets into the text they were computed on: take them from the diagnostics of the
  // current text (the editor keeps the diagnostic's range up to date), never from the stale copy.
  const byRange = new Map<string, Diagnostic>();
  const byRule = new Map<string, Diagnostic[]>();
  for (const d of fileDiagnostics) {
    const key = rangeKey(d.rule, d.range);
    if (!byRange.has(key)) byRange.set(key, d);
    let list = byRule.get(d.rule);
    if (!list) byRule.set(d.rule, (list = []));
    list.push(d);
  }
  const rulesSeen = new Set<string>();
  const textOf = (path: string): string | undefined => file.model.files.get(path)?.text;
  for (const lsp of contextDiagnostics) {
    const data = lsp?.data as DiagnosticData | undefined;
    if (!data || lsp.source !== 'keepalived' || typeof data.rule !== 'string' || !lsp.range) continue;
    const current = byRange.get(rangeKey(data.rule, lsp.range));
    if (!current?.fixes) continue;
    for (const fix of current.fixes) {
      actions.push({
        // The title is all an editor shows: say what must be true on the nodes first.
        title: fix.requires ? `${fix.title}; first: ${fix.requires}` : fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [lsp],
        isPreferred: fix.preferred === true,
        edit: toWorkspaceEdit(file, fix),
      });
    }
    if (rulesSeen.has(data.rule)) continue;
    rulesSeen.add(data.rule);
    const sameRule = (byRule.get(data.rule) ?? []).filter((d) =>
      d.fixes?.some((f) => bulkSafe(f, d, textOf)),
    );
    if (sameRule.length < 2) continue;
    const changes: Record<string, TextEdit[]> = {};
    for (const group of preferredEdits(sameRule, textOf)) {
      const target = file.model.files.get(group.file) ?? file;
      changes[pathToUri(group.file)] = group.edits.map((e) => ({
        range: target.lines.range(e.start, e.end),
        newText: e.newText,
      }));
    }
    actions.push({
      title: `Fix all '${data.rule}' problems in this file`,
      kind: CodeActionKind.QuickFix,
      edit: { changes },
    });
  }
  return actions;
}
