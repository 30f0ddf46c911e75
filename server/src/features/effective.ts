// The effective configuration of a file's configuration: included files spliced in where keepalived
// reads them, `$PARAM` uses expanded, lines switched off by `@id` (with a config id set) left out.
import type { AnalyzedFile } from '../analysis/document';
import type { ConfigModel } from '../analysis/model';
import { conditionHolds } from '../analysis/conditions';
import { MAX_INCLUDE_DEPTH } from '../analysis/budget';
import { expandText } from '../analysis/params';
import type { Statement } from '../syntax/ast';

export function effectiveConfiguration(file: AnalyzedFile): string {
  const model = file.model;
  const out: string[] = [
    `# Effective configuration of ${model.root}`,
    `# (includes spliced in, parameters expanded)`,
    '',
  ];
  emit(model, model.root, out, [], 0);
  return out.join('\n') + '\n';
}

function emit(model: ConfigModel, path: string, out: string[], active: string[], depth: number): void {
  const file = model.files.get(path);
  if (!file || active.includes(path) || depth > MAX_INCLUDE_DEPTH) return;
  const includesByLine = new Map<number, Statement>();
  for (const edge of model.includes)
    if (edge.from === path)
      includesByLine.set(file.lines.positionAt(edge.statement.start).line, edge.statement);
  const conditional = new Map<number, Statement>();
  for (const p of file.placed)
    if (p.statement.condition) conditional.set(file.lines.positionAt(p.statement.start).line, p.statement);
  for (let line = 0; line < file.lines.lineCount; line++) {
    const text = file.lines.lineText(line);
    const include = includesByLine.get(line);
    if (include) {
      const edge = model.includes.find((e) => e.statement === include);
      out.push(`# ${text.trim()}`);
      for (const target of edge?.resolution?.files ?? []) {
        out.push(`# --- begin ${target} ---`);
        emit(model, target, out, [...active, path], depth + 1);
        out.push(`# --- end ${target} ---`);
      }
      continue;
    }
    const cond = conditional.get(line);
    if (cond && !conditionHolds(cond.condition, model.options.configId)) continue;
    if (/^\s*\$[A-Za-z_]\w*=/.test(text)) {
      out.push(`# ${text.trim()}`);
      continue;
    }
    out.push(text.includes('$') ? (expandText(text, model.params, 0, true) ?? text) : text);
  }
}
