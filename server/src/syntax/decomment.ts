// keepalived's decomment() (lib/parser.c) for one physical line: what is left of a line once comments,
// `\#`/`\!` escapes and surrounding blanks are gone. keepalived applies it to every line before it looks
// at it, and it decides where a multi-line `$NAME=` definition ends, so the lexer and the parameter
// expansion both use this one version of it.

export interface Decommented {
  /** The line as keepalived reads it: comment removed, escapes resolved, blanks trimmed. */
  text: string;
  /** The text ends with `\`: a multi-line definition goes on to the next line. */
  continues: boolean;
}

const isBlank = (c: string | undefined): boolean => c === ' ' || c === '\t';

/**
 * `line` holds no line break. A `\` at the very end of the line is kept even when it is inside the
 * comment (`value # note \` reads as `value\`): decomment() notes it before it cuts the comment off.
 */
export function decommentLine(line: string): Decommented {
  let quote = false;
  let commentAt = -1;
  let finalBackslash = false;
  let out = '';
  let i = 0;
  while (i < line.length && isBlank(line[i])) i++;
  for (; i < line.length; i++) {
    const c = line[i]!;
    if (c === '"') {
      if (commentAt < 0) quote = !quote;
    } else if (c === '\\') {
      if (i + 1 >= line.length) {
        finalBackslash = true;
        break;
      }
      const next = line[i + 1]!;
      if (commentAt < 0) {
        // Outside quotes `\#` and `\!` are the characters themselves; any other pair is kept as written.
        out += !quote && (next === '#' || next === '!') ? next : c + next;
      }
      i++;
      continue;
    } else if (!quote && commentAt < 0 && (c === '#' || c === '!')) commentAt = i;
    if (commentAt < 0) out += c;
  }
  let end = out.length;
  while (end > 0 && isBlank(out[end - 1])) end--;
  const text = out.slice(0, end) + (finalBackslash ? '\\' : '');
  return { text, continues: text.endsWith('\\') };
}
