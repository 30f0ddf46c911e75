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

export function codeActions(
  file: AnalyzedFile,
  contextDiagnostics: LspDiagnostic[],
  fileDiagnostics: Diagnostic[],
): CodeAction[] {
  const actions: CodeAction[] = [];
  const rulesSeen = new Set<string>();
  for (const lsp of contextDiagnostics) {
    const data = lsp.data as DiagnosticData | undefined;
    if (!data || lsp.source !== 'keepalived') continue;
    // Fixes are offsets into the text they were computed on: take them from the diagnostics of the
    // current text (the editor keeps the diagnostic's range up to date), never from the stale copy.
    const current = fileDiagnostics.find(
      (d) =>
        d.rule === data.rule &&
        d.range.start.line === lsp.range.start.line &&
        d.range.start.character === lsp.range.start.character &&
        d.range.end.line === lsp.range.end.line &&
        d.range.end.character === lsp.range.end.character,
    );
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
    const textOf = (path: string): string | undefined => file.model.files.get(path)?.text;
    const sameRule = fileDiagnostics.filter(
      (d) => d.rule === data.rule && d.fixes?.some((f) => bulkSafe(f, d, textOf)),
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
