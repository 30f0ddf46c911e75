// What a check produces: a rule id, a message and an offset span in one file, plus optional fixes as data.
import type { ConfigModel } from '../analysis/model';
import type { RuleId, Severity } from './rules';

export interface TextEdit {
  /** The file to edit when it is not the diagnostic's own (e.g. global_defs in an included file). */
  file?: string;
  start: number;
  end: number;
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
  /** The fix is the obvious one (e.g. the single did-you-mean), safe to apply in bulk. */
  preferred?: boolean;
  /** What must be true on every node before the fixed config works (e.g. an account to create). */
  requires?: string;
  /**
   * A suggestion for someone looking at it, never applied unattended (`--fix`, "fix all"): a did-you-mean
   * to another keyword or name can change what keepalived reads next (a value block swallowing lines).
   */
  manual?: boolean;
}

export interface Finding {
  rule: RuleId;
  message: string;
  start: number;
  end: number;
  fixes?: Fix[];
  tags?: ('unnecessary' | 'deprecated')[];
}

/** A finding of a configuration-wide check, in one of its files; `severity` lowers the rule's default. */
export type FileFinding = Finding & { file: string; severity?: Severity };

/** The 1-based line of an offset in a file of the configuration, for messages that point at another line. */
export function lineNumber(model: ConfigModel, file: string, offset: number): number {
  return (model.files.get(file)?.lines.positionAt(offset).line ?? 0) + 1;
}

/**
 * An edit removing `start`..`end` of `text`: the whole line when nothing but blanks is left on it, so a
 * removed list entry leaves no blank line with trailing spaces behind.
 */
export function removal(text: string, start: number, end: number): TextEdit {
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const newline = text.indexOf('\n', end);
  const lineEnd = newline < 0 ? text.length : newline;
  const alone = /^[ \t]*$/.test(text.slice(lineStart, start)) && /^[ \t\r]*$/.test(text.slice(end, lineEnd));
  return alone
    ? { start: lineStart, end: newline < 0 ? lineEnd : newline + 1, newText: '' }
    : { start, end, newText: '' };
}
