// Template layers over a keepalived config: Jinja2, ERB, Go templates and shell-style `${VAR}` placeholders.
// Most keepalived configs in repositories are rendered by Ansible, Puppet, Chef, Salt or Go programs, so the
// linter reads the keepalived layer and *masks* the template layer instead of misreading it:
// - an expression (`{{ x }}`, `<%= x %>`, `${X}`) becomes a run of MASK characters of the same length, so it
//   stays one word (or part of one) at the same offsets, and whatever it renders to is unknown;
// - a statement (`{% if %}`, `<% end %>`, `{{ range }}`) and a comment become blanks when they stand
//   between blanks (they render no word there), and MASK characters when they touch a word (`a{% if %}b`:
//   the word is whatever the branches render);
// - control statements open and close *branches*: the lines of `{% if %}` and `{% else %}` are alternatives,
//   like `@id` lines, so two of them can never both be in one rendered config.
// Tag delimiters are matched with their quoted strings skipped; a tag with no closing delimiter is not a tag.
import { walkStatements, type Block, type Comment, type Span, type Statement, type Word } from './ast';

import type {
  BranchStep,
  Control,
  TemplateBranch,
  TemplateDialect,
  TemplateMode,
  TemplateTag,
} from './template-types';

export type {
  BranchStep,
  Control,
  TemplateBranch,
  TemplateDialect,
  TemplateMode,
  TemplateTag,
} from './template-types';
export const TEMPLATE_MODES: readonly TemplateMode[] = ['auto', 'jinja', 'erb', 'go', 'none'];

/** Replaces template expressions in the text that is lexed; private use, so no config contains it. */
export const MASK = '\uE000';

export interface TemplateLayer {
  dialect: TemplateDialect;
  tags: TemplateTag[];
  /** The text with the template layer masked (same length, same offsets, same line breaks). */
  masked: string;
  /** The other alternatives of one-line conditionals, each a line of its own (oneLineConditionals). */
  renderings: InlineRendering[];
  /** Jinja `{% include %}`, `{% import %}` and `{% from %}` lines with a literal path (templateIncludes). */
  includes: TemplateInclude[];
  /** Block tags whose line break trim_blocks drops, gluing two lines of keepalived text (joinedLines). */
  joins: TemplateTag[];
  /** The branch at an offset; undefined outside every control statement. */
  branchAt(offset: number): TemplateBranch | undefined;
}

const TEMPLATE_EXTENSIONS: Record<string, TemplateDialect | 'content'> = {
  '.j2': 'jinja',
  '.jinja': 'jinja',
  '.jinja2': 'jinja',
  '.erb': 'erb',
  '.tmpl': 'content',
  '.tpl': 'content',
  '.gotmpl': 'go',
  '.template': 'content',
};

/** The template extension of a file name (`.j2`, `.erb`, ...), if it has one. */
export function templateExtension(path: string): string | undefined {
  const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  const dot = name.lastIndexOf('.');
  const ext = dot >= 0 ? name.slice(dot) : '';
  return ext in TEMPLATE_EXTENSIONS ? ext : undefined;
}

/**
 * The template dialect of a file: by its extension where that says one, else by its content. Undefined for
 * a plain config. Content decides only on unambiguous markers, so a plain config is never masked.
 */
export function detectDialect(path: string, text: string): TemplateDialect | undefined {
  const ext = templateExtension(path);
  const byName = ext ? TEMPLATE_EXTENSIONS[ext] : undefined;
  if (byName && byName !== 'content') return byName;
  // Every pattern is bounded (no unbounded run after a repeated start), so detection is linear.
  if (/<%[=#-]?\s/.test(text) && /\s-?%>/.test(text)) return 'erb';
  const comment = text.indexOf('{#');
  if (
    /\{%-?[ \t]{0,16}(?:if|for|set|macro|raw|include|import|from|block|extends)\b/.test(text) ||
    (comment >= 0 && text.indexOf('#}', comment + 2) >= 0)
  )
    return 'jinja';
  if (/\{\{-?[ \t]{0,16}(?:\.|\$|end\b|range\b|if\b|with\b|define\b|template\b|\/\*)/.test(text)) return 'go';
  if (/\{\{-?[ \t]{0,16}[A-Za-z_][^{}\r\n]{0,256}\}\}/.test(text)) return 'jinja';
  if (shellPlaceholdersApply(text)) return 'shell';
  return undefined;
}

/** The dialect to read a file with under a mode. */
export function dialectFor(
  mode: TemplateMode | undefined,
  path: string,
  text: string,
): TemplateDialect | undefined {
  if (mode === 'none') return undefined;
  if (mode === undefined || mode === 'auto') return detectDialect(path, text);
  return mode;
}

/**
 * `${VAR}` placeholders (envsubst, shell here-documents) are keepalived `$PARAMETERS` when the file defines
 * any parameter or includes files that could; only a file that does neither, but uses `${NAME}`, is read as
 * a shell template.
 */
function shellPlaceholdersApply(text: string): boolean {
  if (!/\$\{[A-Za-z][A-Za-z0-9_]*\}/.test(text)) return false;
  if (/^[ \t]*(?:@\^?\S+[ \t]+)?\$[A-Za-z_][A-Za-z0-9_]*=/m.test(text)) return false;
  return !/^[ \t]*include[rmwba]?[ \t]/m.test(text);
}

/** How the template engine is set up, where that changes what it renders. */
export interface TemplateOptions {
  /** Jinja's trim_blocks: the line break right after a block tag (`%}`) or a comment is not rendered. */
  trimBlocks?: boolean;
}

/**
 * Whether a file is rendered with Jinja's trim_blocks on: Ansible's template module turns it on by
 * default, and Ansible templates are `.j2` files under a role's or playbook's `templates/` folder.
 */
export function ansibleTrimBlocks(path: string): boolean {
  const p = path.replace(/\\/g, '/').toLowerCase();
  return p.endsWith('.j2') && (p.startsWith('templates/') || p.includes('/templates/'));
}

/** The template layer of a text in a dialect. */
export function scanTemplate(
  text: string,
  dialect: TemplateDialect,
  options: TemplateOptions = {},
): TemplateLayer {
  const tags = dialect === 'shell' ? scanShell(text) : scanTags(text, dialect);
  // Lines the engine joins are one line for everything after, the one-line conditionals included.
  const implicit: { at: number; tag: TemplateTag }[] = [];
  const trimmed = trimmedBreaks(text, tags, dialect, options, implicit);
  const lines = trimmed.length > 0 ? blankBreaks(text, trimmed) : text;
  const masked0 = mask(text, tags);
  const { masked, renderings } = oneLineConditionals(
    lines,
    trimmed.length > 0 ? blankBreaks(masked0, trimmed) : masked0,
    tags,
  );
  const includes = dialect === 'jinja' ? templateIncludes(text, tags) : [];
  const joins = implicit.length > 0 ? joinedLines(masked, implicit) : [];
  return { dialect, tags, masked, renderings, includes, joins, branchAt: branchIndex(tags) };
}

interface Delimiters {
  open: string;
  close: string;
  classify(inner: string): Pick<TemplateTag, 'kind' | 'control'>;
}

const DIALECTS: Record<Exclude<TemplateDialect, 'shell'>, Delimiters[]> = {
  jinja: [
    { open: '{{', close: '}}', classify: () => ({ kind: 'expression' }) },
    { open: '{%', close: '%}', classify: (inner) => ({ kind: 'statement', control: jinjaControl(inner) }) },
    { open: '{#', close: '#}', classify: () => ({ kind: 'comment' }) },
  ],
  erb: [{ open: '<%', close: '%>', classify: erbClassify }],
  go: [{ open: '{{', close: '}}', classify: goClassify }],
};

function scanTags(text: string, dialect: Exclude<TemplateDialect, 'shell'>): TemplateTag[] {
  const delimiters = DIALECTS[dialect];
  const tags: TemplateTag[] = [];
  // A delimiter whose closer was not found from some offset is not found from any later one either:
  // dropping it keeps the scan linear on a text full of unclosed `{{`.
  const live = new Set(delimiters);
  const nextAt = new Map(delimiters.map((d) => [d, -1]));
  let i = 0;
  while (i < text.length) {
    let best: { at: number; d: Delimiters } | undefined;
    for (const d of live) {
      // Each delimiter's next opening is looked up again only once the scan has passed it.
      let at = nextAt.get(d)!;
      if (at < i) nextAt.set(d, (at = text.indexOf(d.open, i)));
      if (at < 0) live.delete(d);
      else if (!best || at < best.at) best = { at, d };
    }
    if (!best) break;
    const { at, d } = best;
    if (dialect === 'erb' && text[at + 2] === '%') {
      i = at + 3; // `<%%` is a literal `<%`
      continue;
    }
    const end = closingOf(text, at + d.open.length, d.close, d.open === '{#' || text.startsWith('<%#', at));
    if (end < 0) {
      live.delete(d);
      i = at + d.open.length;
      continue;
    }
    const inner = text.slice(at + d.open.length, end - d.close.length);
    tags.push({ start: at, end, ...d.classify(inner) });
    i = end;
  }
  return tags;
}

/** The offset just past the closing delimiter, skipping quoted strings inside code; -1 if none. */
function closingOf(text: string, from: number, close: string, comment: boolean): number {
  if (comment) {
    const at = text.indexOf(close, from);
    return at < 0 ? -1 : at + close.length;
  }
  for (let i = from; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"' || c === "'" || c === '`') {
      const q = text.indexOf(c, i + 1);
      // An unmatched quote in code: give up on quotes and take the first closer.
      if (q < 0) {
        const at = text.indexOf(close, i);
        return at < 0 ? -1 : at + close.length;
      }
      i = q;
    } else if (text.startsWith(close, i)) return i + close.length;
  }
  return -1;
}

/** The code of a tag without its whitespace-control marks (`-`, `+`, `~`); no regular expression with a
 * run before an anchor, which would take quadratic time on a tag of blanks. */
function code(inner: string): string {
  let c = inner.trim();
  let start = 0;
  while (start < c.length && '-+~='.includes(c[start]!)) start++;
  c = c.slice(start).trimStart();
  if (c.length > 0 && '-+~'.includes(c[c.length - 1]!)) c = c.slice(0, -1).trimEnd();
  return c;
}

function jinjaControl(inner: string): Control | undefined {
  const word = /^[a-z_]+/.exec(code(inner))?.[0] ?? '';
  if (word === 'if') return 'branch';
  if (word === 'macro' || word === 'call') return 'fragment';
  if (['for', 'filter', 'with', 'block', 'raw', 'autoescape', 'trans'].includes(word)) return 'loop';
  if (word === 'set' && !code(inner).includes('=')) return 'loop';
  if (word === 'elif' || word === 'else' || word === 'pluralize') return 'alternative';
  if (word.startsWith('end')) return 'close';
  return undefined;
}

function goClassify(inner: string): Pick<TemplateTag, 'kind' | 'control'> {
  const c = code(inner);
  if (c.startsWith('/*')) return { kind: 'comment' };
  const word = /^[a-z]+/.exec(c)?.[0] ?? '';
  if (word === 'if') return { kind: 'statement', control: 'branch' };
  if (word === 'define') return { kind: 'statement', control: 'fragment' };
  if (word === 'range' || word === 'with' || word === 'block') return { kind: 'statement', control: 'loop' };
  if (word === 'else') return { kind: 'statement', control: 'alternative' };
  if (word === 'end') return { kind: 'statement', control: 'close' };
  // `{{ $x := ... }}` and `{{ $x = ... }}` set a variable and render nothing.
  if (/^\$[A-Za-z0-9_]*\s*:?=/.test(c)) return { kind: 'statement' };
  return { kind: 'expression' };
}

function erbClassify(inner: string): Pick<TemplateTag, 'kind' | 'control'> {
  if (inner.startsWith('#')) return { kind: 'comment' };
  if (inner.startsWith('=')) return { kind: 'expression' };
  const c = code(inner);
  const word = /^[a-z]+/.exec(c)?.[0] ?? '';
  // Only the end of the code says whether it opens a block (`do |x|`, `{`) or closes its own (`end`).
  const tail = c.slice(-256);
  const oneLine = /\bend$/.test(tail) && word !== 'end';
  if ((word === 'if' || word === 'unless' || word === 'case') && !oneLine)
    return { kind: 'statement', control: 'branch' };
  if (['while', 'until', 'for', 'begin'].includes(word) && !oneLine)
    return { kind: 'statement', control: 'loop' };
  if (['elsif', 'else', 'when', 'rescue', 'ensure'].includes(word))
    return { kind: 'statement', control: 'alternative' };
  if (word === 'end' || c === '}') return { kind: 'statement', control: 'close' };
  if (/(?:\bdo|\{)\s*(?:\|[^|]*\|)?$/.test(tail)) return { kind: 'statement', control: 'loop' };
  return { kind: 'statement' };
}

/**
 * `${NAME}` and `$NAME` placeholders; only called for files with no keepalived parameters. Names that
 * start with `_` are keepalived's own (`${_PWD}`, `${_INSTANCE}`, ...) and stay what they are.
 */
function scanShell(text: string): TemplateTag[] {
  const tags: TemplateTag[] = [];
  for (const m of text.matchAll(/\$\{[A-Za-z][A-Za-z0-9_]*\}|\$[A-Za-z][A-Za-z0-9_]*/g))
    tags.push({ start: m.index, end: m.index + m[0].length, kind: 'expression' });
  return tags;
}

const BLANKS = ' \t\f\v\r\n';

/**
 * Whitespace control: the line breaks the template engine does not render, as offsets. Jinja's `{%-`,
 * `{{-` and `{#-` drop every blank before the tag, line breaks included, and `-%}`, `-}}`, `-#}` every blank
 * after it; with trim_blocks the one line break right after a block tag or comment goes too (not after
 * `+%}`). ERB's `-%>` drops the line break after the tag (`<%-` only the indentation before it, which
 * joins nothing). Go's `{{- ` and ` -}}` drop every blank before and after. The masked text keeps these
 * offsets as blanks, so the lines the lexer reads are the lines keepalived will read, at the offsets of
 * the template as written. Not at a macro's edges (see below).
 */
function trimmedBreaks(
  text: string,
  tags: TemplateTag[],
  dialect: TemplateDialect,
  options: TemplateOptions,
  implicit: { at: number; tag: TemplateTag }[] = [],
): number[] {
  if (dialect === 'shell') return [];
  const out: number[] = [];
  const isBlank = (i: number) => i >= 0 && i < text.length && BLANKS.includes(text[i]!);
  const breakAt = (i: number) => text[i] === '\n' || text[i] === '\r';
  const before = (at: number): void => {
    for (let i = at - 1; isBlank(i); i--) if (breakAt(i)) out.push(i);
  };
  const after = (at: number): void => {
    for (let i = at; isBlank(i); i++) if (breakAt(i)) out.push(i);
  };
  /** One line break (`\r\n` counts as one) right after `at`. */
  const oneBreak = (at: number): void => {
    if (text[at] === '\r') out.push(at++);
    if (text[at] === '\n') out.push(at);
  };
  const opened: (Control | undefined)[] = [];
  for (const tag of tags) {
    // A macro's (or Go define's) body renders where it is called, not where it is written: trimming at
    // its edges joins nothing that keepalived reads together.
    if (tag.control === 'branch' || tag.control === 'loop' || tag.control === 'fragment')
      opened.push(tag.control);
    const ended = tag.control === 'close' ? opened.pop() : undefined;
    if (tag.control === 'fragment' || ended === 'fragment') continue;
    const open = text.slice(tag.start, tag.start + 3);
    const close = text.slice(tag.end - 3, tag.end);
    if (dialect === 'jinja') {
      if (open[2] === '-') before(tag.start);
      if (close[0] === '-') after(tag.end);
      else if (options.trimBlocks && tag.kind !== 'expression' && close[0] !== '+') {
        const before = out.length;
        oneBreak(tag.end);
        for (const at of out.slice(before)) if (text[at] === '\n') implicit.push({ at, tag });
      }
    } else if (dialect === 'erb') {
      if (close[0] === '-') oneBreak(tag.end);
    } else {
      // Go needs a blank between the mark and the action: `{{-3}}` is the number -3.
      if (open[2] === '-' && isBlank(tag.start + 3)) before(tag.start);
      if (close[0] === '-' && isBlank(tag.end - 4)) after(tag.end);
    }
  }
  return out;
}

/**
 * The trim_blocks joins that glue two lines of keepalived text: the tag whose line break is not rendered,
 * where words stand before it on the rendered line and a word (not a lone brace) comes after. A tag on a
 * line of its own joins nothing: the line vanishes. One pass over the masked text.
 */
function joinedLines(masked: string, implicit: { at: number; tag: TemplateTag }[]): TemplateTag[] {
  const out: TemplateTag[] = [];
  let next = 0;
  let lineStart = 0;
  while (next < implicit.length && lineStart <= masked.length) {
    let lineEnd = masked.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = masked.length;
    let wordSeen = false;
    let i = lineStart;
    for (; next < implicit.length && implicit[next]!.at < lineEnd; next++) {
      const { at, tag } = implicit[next]!;
      for (; i < at; i++) if (!BLANKS.includes(masked[i]!)) wordSeen = true;
      let j = at + 1;
      while (j < lineEnd && BLANKS.includes(masked[j]!)) j++;
      if (wordSeen && j < lineEnd && masked[j] !== '}' && masked[j] !== '{') out.push(tag);
    }
    lineStart = lineEnd + 1;
  }
  return out;
}

/** The text with a blank at each of these offsets (line breaks the engine does not render). */
function blankBreaks(text: string, at: number[]): string {
  const out = [...text];
  for (const i of at) out[i] = ' ';
  return out.join('');
}

function mask(text: string, tags: TemplateTag[]): string {
  if (tags.length === 0) return text;
  let out = '';
  let last = 0;
  for (const tag of tags) {
    const body = text.slice(tag.start, tag.end);
    const before = tag.start === 0 ? ' ' : text[tag.start - 1]!;
    const after = tag.end >= text.length ? ' ' : text[tag.end]!;
    // Next to a word, a statement is part of that word (what it renders there is unknown).
    const touches = !BLANKS.includes(before) || !BLANKS.includes(after);
    const blank = tag.kind === 'comment' || (tag.kind === 'statement' && !touches);
    out += text.slice(last, tag.start) + (blank ? body.replace(/[^\r\n]/g, ' ') : MASK.repeat(body.length));
    last = tag.end;
  }
  return out + text.slice(last);
}

/**
 * Another alternative of a one-line conditional (`{% if a %}user root{% else %}user {{ u }}{% endif %}`):
 * its span in the text and its masked text, read by the parser as one more line at the same place.
 */
export interface InlineRendering {
  start: number;
  end: number;
  masked: string;
}

/**
 * An `if`/`else` that opens and closes on one line renders one of its alternatives there.
 * - When the conditional is the whole line (`{% if a %}nopreempt{% else %}preempt_delay 10{% endif %}`),
 *   its tags render nothing: they are blanked, so no word is glued to them. The first alternative that
 *   holds a word stays in the masked text; each other one is returned as a rendering of its own, so the
 *   parser reads it as a line in its own branch (branchIndex gives each alternative's offsets its
 *   alternative), as it reads the branches of a multi-line `if`.
 * - In the middle of a line (`priority {% if m %}150{% else %}100{% endif %}`) only the first alternative
 *   that holds a word is read, the others are blanked, so the line is not read as having every
 *   alternative's words at once; when blanks stand on both sides of it, its tags are blanked too (the
 *   value is `150`), else they stay masked and the word is a pattern (`chk_{% if a %}x{% endif %}`).
 */
function oneLineConditionals(
  text: string,
  masked: string,
  tags: TemplateTag[],
): { masked: string; renderings: InlineRendering[] } {
  const open: { tag: TemplateTag | undefined; parts: Span[]; from: number; between: TemplateTag[] }[] = [];
  const renderings: InlineRendering[] = [];
  let out: string[] | undefined;
  const blank = (start: number, end: number): void => {
    out ??= [...masked];
    for (let i = start; i < end; i++) out[i] = ' ';
  };
  // The masked text of a part as it is now (a conditional nested in it may have been read already).
  const now = (p: Span): string => (out ? out.slice(p.start, p.end).join('') : masked.slice(p.start, p.end));
  for (const tag of tags) {
    if (!tag.control) continue;
    if (tag.control === 'branch' || tag.control === 'loop' || tag.control === 'fragment') {
      open.push({ tag: tag.control === 'branch' ? tag : undefined, parts: [], from: tag.end, between: [] });
    } else if (tag.control === 'alternative') {
      const top = open[open.length - 1];
      if (top) {
        top.parts.push({ start: top.from, end: tag.start });
        top.from = tag.end;
        top.between.push(tag);
      }
    } else {
      const top = open.pop();
      const first = top?.tag;
      if (!top || !first || /[\r\n]/.test(text.slice(first.start, tag.end))) continue;
      const parts = [...top.parts, { start: top.from, end: tag.start }];
      const holds = parts.filter((p) => now(p).trim() !== '');
      if (wholeLine(text, first.start, tag.end)) {
        // Read before blanking: an alternative's own nested tags stay masked in its rendering.
        const [kept, ...others] = holds.filter((p) => !/^[ \t]*[#!]/.test(now(p)));
        for (const p of others) renderings.push({ ...p, masked: now(p) });
        for (const t of [first, ...top.between, tag]) blank(t.start, t.end);
        for (const p of parts) if (p !== kept) blank(p.start, p.end);
        continue;
      }
      if (top.parts.length === 0) continue;
      const kept = holds[0] ?? parts[0]!;
      for (const p of parts) if (p !== kept) blank(p.start, p.end);
      // Between blanks, the conditional renders exactly its alternative: its tags are no part of the word.
      const apart = (i: number) => i < 0 || i >= text.length || BLANKS.includes(text[i]!);
      if (apart(first.start - 1) && apart(tag.end))
        for (const t of [first, ...top.between, tag]) blank(t.start, t.end);
    }
  }
  return { masked: out ? out.join('') : masked, renderings };
}

/**
 * A Jinja statement that reads another template: `{% include "x" %}` renders it there, `{% import "x" as
 * m %}` and `{% from "x" import m %}` bring in its macros. `keyword` is the word `include`/`import`/`from`,
 * `path` the quoted literal (quotes included), `value` the path.
 */
export interface TemplateInclude {
  statement: 'include' | 'import' | 'from';
  keyword: Span;
  path: Span;
  value: string;
}

/**
 * The include, import and from statements that are alone on their line and name one literal path: those
 * are read like keepalived include lines. A path built by an expression, a list of paths, or a statement
 * in the middle of a line is not (which file it reads is known only once rendered).
 */
function templateIncludes(text: string, tags: TemplateTag[]): TemplateInclude[] {
  const out: TemplateInclude[] = [];
  for (const tag of tags) {
    if (tag.kind !== 'statement' || tag.control) continue;
    const inner = text.slice(tag.start + 2, tag.end - 2);
    const m = /^([-+]?\s*)(include|import|from)(\s+)(["'])([^"'\\\r\n{}]+)\4(?=\s|$|-)/.exec(inner);
    if (!m || !wholeLine(text, tag.start, tag.end)) continue;
    // What may follow: `ignore missing`, `with context`, `as name`, `import a, b`.
    // A `~`, `+`, filter or call joins the literal into an expression (the tag's own `-`/`+` mark aside).
    let rest = inner.slice(m[0].length).trimEnd();
    if (rest.endsWith('-') || rest.endsWith('+')) rest = rest.slice(0, -1);
    if (/[~|+(]|\{\{/.test(rest)) continue;
    const keywordStart = tag.start + 2 + m[1]!.length;
    const pathStart = keywordStart + m[2]!.length + m[3]!.length;
    out.push({
      statement: m[2] as TemplateInclude['statement'],
      keyword: { start: keywordStart, end: keywordStart + m[2]!.length },
      path: { start: pathStart, end: pathStart + m[5]!.length + 2 },
      value: m[5]!,
    });
  }
  return out;
}

/** Whether only blanks stand between the line's start and `start`, and between `end` and the line's end. */
function wholeLine(text: string, start: number, end: number): boolean {
  for (let i = start - 1; i >= 0 && text[i] !== '\n' && text[i] !== '\r'; i--)
    if (!BLANKS.includes(text[i]!)) return false;
  for (let i = end; i < text.length && text[i] !== '\n' && text[i] !== '\r'; i++)
    if (!BLANKS.includes(text[i]!)) return false;
  return true;
}

/** Template control statements nested deeper than this are read as if they were not there. */
const MAX_TEMPLATE_DEPTH = 64;

/** Branch lookup by offset, from the control statements in order. */
function branchIndex(tags: TemplateTag[]): (offset: number) => TemplateBranch | undefined {
  const changes: { at: number; branch: TemplateBranch | undefined }[] = [];
  const stack: BranchStep[] = [];
  let groups = 0;
  // Groups nested deeper than MAX_TEMPLATE_DEPTH are not tracked (each change copies the open groups).
  let untracked = 0;
  for (const tag of tags) {
    if (!tag.control) continue;
    const opens = tag.control === 'branch' || tag.control === 'loop' || tag.control === 'fragment';
    if (opens && stack.length >= MAX_TEMPLATE_DEPTH) {
      untracked++;
      continue;
    }
    if (untracked > 0) {
      if (tag.control === 'close') untracked--;
      continue;
    }
    if (opens)
      stack.push({
        group: ++groups,
        alternative: 0,
        loop: tag.control !== 'branch',
        fragment: tag.control === 'fragment',
      });
    else if (tag.control === 'alternative') {
      const top = stack.pop();
      if (top) stack.push({ ...top, alternative: top.alternative + 1 });
    } else stack.pop();
    changes.push({ at: tag.end, branch: stack.length ? { path: [...stack] } : undefined });
  }
  return (offset) => {
    let lo = 0;
    let hi = changes.length - 1;
    let found: TemplateBranch | undefined;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (changes[mid]!.at <= offset) {
        found = changes[mid]!.branch;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  };
}

/** Two lines that no rendering can both contain: they are in different alternatives of one `if`. */
export function exclusiveBranches(a: TemplateBranch | undefined, b: TemplateBranch | undefined): boolean {
  if (!a || !b) return false;
  for (const x of a.path) {
    const y = b.path.find((p) => p.group === x.group);
    if (y && !x.loop && y.alternative !== x.alternative) return true;
  }
  return false;
}

/** One string per branch, for grouping lines by where they are in the template ('' outside any). */
export function branchKey(branch: TemplateBranch | undefined): string {
  return branch ? branch.path.map((p) => `/${p.group}:${p.alternative}`).join('') : '';
}

/** A line inside a macro or Go `define`: a fragment of whatever block the caller renders it in. */
export function inFragment(branch: TemplateBranch | undefined): boolean {
  return branch?.path.some((p) => p.fragment) ?? false;
}

/**
 * A word with template expressions, as a pattern over what it can render to: the masked parts match
 * anything. `chk_{{ svc }}` matches `chk_nginx`.
 */
export function templatePattern(masked: string): RegExp {
  const parts = masked.replace(/^"|"$/g, '').split(new RegExp(`${MASK}+`));
  return new RegExp(`^${parts.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 's');
}

/** Whether a masked word is nothing but template expression (a name or keyword we cannot know at all). */
export function wholly(masked: string): boolean {
  // Quotes around the expression are not part of the name.
  for (const c of masked) if (c !== MASK && c !== '"') return false;
  return true;
}

interface TemplateTree {
  statements: Statement[];
  strayBlocks: Block[];
  comments: Comment[];
}

/**
 * Puts the template layer back into a tree parsed from the masked text: each word that holds an
 * expression gets its text as written and its masked text in `template`; each line gets its branch.
 */
export function restoreTemplate(tree: TemplateTree, text: string, layer: TemplateLayer): void {
  const visit = (s: Statement): void =>
    restoreWords(s, text, (w) => layer.masked.slice(w.start, w.end), layer);
  walkStatements(tree.statements, visit);
  for (const block of tree.strayBlocks) walkStatements(block.statements, visit);
  for (const c of tree.comments) c.text = text.slice(c.start, c.end);
}

/** Puts the template layer back into one statement read from masked text (`maskedOf` a word's span). */
export function restoreWords(
  s: Statement,
  text: string,
  maskedOf: (w: Word) => string,
  layer: Pick<TemplateLayer, 'branchAt'>,
): void {
  const restore = (w: Word | undefined): void => {
    if (!w) return;
    const masked = maskedOf(w);
    if (!masked.includes(MASK)) return;
    w.text = text.slice(w.start, w.end);
    w.template = masked;
    w.value = w.quoted ? w.text.slice(1, w.unterminated ? undefined : -1) : w.text.replace(/\\([#!])/g, '$1');
  };
  s.branch = layer.branchAt(s.start);
  restore(s.condition);
  s.sequences.forEach(restore);
  restore(s.keyword);
  s.args.forEach(restore);
  const d = s.definition;
  if (d) d.value = text.slice(d.valueSpan.start, d.valueSpan.end);
}
