// Inline suppressions: `# keepalived-lint: ignore=RULE[,RULE] [-- reason]` silences those rules on the next
// line; `# keepalived-lint: ignore-file=RULE[,RULE]` anywhere silences them for the whole file.
// Matched on rule ids only, never on message text.
import type { Comment } from '../syntax/ast';
import type { LineIndex } from '../syntax/position';

const DIRECTIVE = /^[#!]\s*keepalived-lint:\s*(ignore|ignore-file)=([A-Za-z0-9_,-]+)(?:\s+--\s*(.*))?\s*$/;

export interface Suppressions {
  /** Rules silenced for the whole file. */
  file: Set<string>;
  /** 0-based line -> rules silenced on it. */
  lines: Map<number, Set<string>>;
}

export function collectSuppressions(comments: readonly Comment[], lines: LineIndex): Suppressions {
  const result: Suppressions = { file: new Set(), lines: new Map() };
  for (const comment of comments) {
    const m = DIRECTIVE.exec(comment.text.trim());
    if (!m) continue;
    const rules = m[2]!.split(',').filter(Boolean);
    if (m[1] === 'ignore-file') {
      rules.forEach((r) => result.file.add(r));
      continue;
    }
    const line = lines.positionAt(comment.start).line;
    // A directive alone on its line applies to the next line; at the end of a line, to that line.
    const onOwnLine = lines.lineText(line).trimStart().startsWith(comment.text.trimStart());
    const target = onOwnLine ? line + 1 : line;
    const set = result.lines.get(target) ?? new Set<string>();
    rules.forEach((r) => set.add(r));
    result.lines.set(target, set);
  }
  return result;
}

export function isSuppressed(s: Suppressions, rule: string, line: number): boolean {
  return (
    s.file.has(rule) ||
    s.file.has('all') ||
    (s.lines.get(line)?.has(rule) ?? false) ||
    (s.lines.get(line)?.has('all') ?? false)
  );
}
