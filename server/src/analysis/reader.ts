// Reads parsed files the way keepalived reads a config, so that every line lands in the keyword table
// keepalived would look it up in:
// - braces are not nested generically: the `{` after a keyword that takes no block (or an unknown one) is
//   ignored, the lines inside are read at the current level, and the matching `}` closes the *enclosing*
//   block. Replaying that gives the same unknown keywords and extra braces keepalived reports.
// - an include line splices the included files into the stream right there, at the current block level,
//   and parameters defined anywhere earlier in the stream are in scope.
// The reading is a loop over an explicit stack of files (no recursion), bounded by MAX_INCLUDE_DEPTH and
// MAX_REREAD_LINES; a budget that stops it is recorded in `limits` on the include line.
import { keywordAt, lookupKeyword, type KeywordSpec } from '../schema';
import { MAXBUF } from '../schema/limits';
import { compareVersions } from '../schema/version';
import type { Block, Definition, Span, Statement, SyntaxTree, Word } from '../syntax/ast';
import {
  MAX_CONFIG_EXPANSION_STEPS,
  MAX_EXPANSION_CHARS,
  MAX_EXPANSION_STEPS,
  MAX_INCLUDE_DEPTH,
  MAX_CONFIG_LINES,
  MAX_EXPANSION_LINES,
  MAX_LOOP_PASSES,
  MAX_REREAD_LINES,
  type BudgetName,
  type LimitHit,
} from './budget';
import { conditionHolds } from './conditions';
import { newerThan } from './newer';
import type { AnalyzeOptions, BraceEvent, PlacedStatement } from './types';
import { copyLine, expandLine, hasEscapedCommentChar, mapExpansion, usesParameters } from './expand-lines';
import { nestedIterations, TOO_MANY_PASSES, type LoopBinding } from './sequences';
import { SkippedBlocks } from './skipped-blocks';
import { owners, ProcessSkips } from './processes';
import {
  expandWord,
  newExpansionBudget,
  pwdDefinition,
  sharedExpansion,
  unexpandedValue,
  type ExpansionBudget,
  type ParamTable,
} from './params';
import { AlternativeLevels, templateKeyword } from './templates';

export type { BraceEvent } from './types';

export interface ReadableFile {
  path: string;
  tree: SyntaxTree;
  /** The file's text, when known: where a physical line ends, for lines whose parameters reshape them. */
  text?: string;
}

/** What the reader found in one file of the stream. */
export interface FileReading {
  placed: PlacedStatement[];
  braces: BraceEvent[];
}

/** Answers an include line with the files to splice in (already parsed), or undefined if unresolved. */
export type IncludeHandler = (
  statement: Statement,
  from: ReadableFile,
  /** The include's words after parameter substitution. */
  pattern: string,
) => ReadableFile[] | undefined;

type Event =
  | { type: 'line'; at: number; statement: Statement }
  | { type: 'open'; at: number; block: Block }
  | { type: 'close'; at: number };

interface Context {
  /** Keyword table path ('' = top level). */
  path: string;
  /** Set for `{ ... }` value blocks. */
  values?: KeywordSpec;
  inactive: boolean;
  owner?: Statement;
  open?: number;
  file: string;
  /** A value block read without its '{': the next '}' ends it and still closes the enclosing block. */
  implicit?: boolean;
  /** A block no keepalived process reads (analysis/processes.ts). */
  unread?: boolean;
}

interface Pending {
  statement: Statement;
  spec?: KeywordSpec;
  /** The line's arguments after expansion (undefined: not known here). */
  args?: (string | undefined)[];
  inactive: boolean;
  file: string;
  /** The line as placed, when it is this reading's own. */
  placed?: PlacedStatement;
}

/** A file being read: where it is in its events, and the include line that entered it. */
interface FileFrame {
  kind: 'file';
  file: ReadableFile;
  reading: FileReading;
  cursor: Cursor;
  enteredBy: Statement | undefined;
  /** The edge into this file was recorded as part of a cycle already. */
  onCycle: boolean;
  /** The `_PWD` this file's reading replaced, put back when it ends (see enter()). */
  pwdBefore?: Definition;
}

/** The lines a parameter use turned one line into (analysis/expand-lines.ts), read in its place. */
interface ExpansionFrame {
  kind: 'expansion';
  file: ReadableFile;
  reading: FileReading;
  events: Event[];
  /**
   * For a `~SEQ`/`~LST` line, the loop variables of the pass each event belongs to: set again when the
   * event is read, so a line of the pass that uses another multi-line value expands it with that pass's
   * values (keepalived reads each pass through before it sets the next).
   */
  passes?: (readonly LoopBinding[])[];
  next: number;
  /** The line of the file that was expanded. */
  origin: Statement;
}

/** The first release whose child processes read the parent's decommented copy of the configuration. */
const CONFIG_COPY_SINCE = '2.2.0';

/** Expansions inside expansions (a multi-line definition that uses another) read at most this deep. */
const MAX_EXPANSION_DEPTH = 16;

/** The files an include line splices in, followed one after the other. */
interface TargetsFrame {
  kind: 'targets';
  statement: Statement;
  from: ReadableFile;
  targets: ReadableFile[];
  next: number;
}

export class KeepalivedReader {
  readonly params: ParamTable = new Map();
  /** The `_PWD` definitions the reader made (one per file entered), told apart from the configuration's. */
  private readonly folders = new WeakSet<Definition>();
  readonly readings = new Map<string, FileReading>();
  /** False once an unresolved include was read: parameters may come from it. */
  complete = true;
  private readonly stack: Context[] = [{ path: '', inactive: false, file: '' }];
  private pending: Pending | undefined;
  /** Position in keepalived's single read stream across every included file. */
  private seq = 0;
  /** Files being read right now, outermost first. */
  readonly active: string[] = [];
  /** Where each active file is in `active`. */
  private readonly activeAt = new Map<string, number>();
  /** The reading: file frames (the active files) and the include targets still to follow. */
  private readonly frames: (FileFrame | TargetsFrame | ExpansionFrame)[] = [];
  /** Expansion frames on `frames`. */
  private expansionDepth = 0;
  /** A parameter commented out the rest of a physical line: events of that file before this offset are skipped. */
  private skip: { file: string; until: number } | undefined;
  /** Blocks keepalived skips because their first line is rejected. */
  private readonly skipped = new SkippedBlocks();
  /** The processes still skipping a top-level block they do not own, by its braces (processes.ts). */
  private readonly processSkips = new ProcessSkips();
  /** While an expansion is read: the line of the file it replaces. */
  private origin: Statement | undefined;
  /** Include lines that take part in a cycle: the line, its file, the file it would re-read, and the files
   * on the loop (from the target to the file with the line closing it). Each (line, target) once. */
  readonly cycles: { file: string; statement: Statement; target: string; loop: string[] }[] = [];
  private readonly cycleSeen = new Map<Statement, Set<string>>();
  /** Budgets that were hit, on the lines that hit them (each line and budget once). */
  readonly limits: LimitHit[] = [];
  private readonly limitSeen = new Map<Statement, Set<BudgetName>>();
  /** Lines left to read again from files already read (MAX_REREAD_LINES). */
  private rereadLeft: number;
  /** Lines of files left to read into the stream, first reads and re-reads alike (MAX_CONFIG_LINES). */
  private linesLeft = MAX_CONFIG_LINES;
  /** Lines that expansions may still make (MAX_EXPANSION_LINES). */
  private expansionLinesLeft = MAX_EXPANSION_LINES;
  /** An expansion was refused for MAX_CONFIG_LINES or MAX_EXPANSION_LINES (reported once). */
  private expansionRefused = false;
  /** Parameter expansion work of the configuration, and the values worked out so far. */
  private readonly expansion = sharedExpansion();
  /** The line read last and its file, for the braces written on it (droppedWithLine): two fields, not
   * an object per line. */
  private lastLine: Statement | undefined;
  private lastLineFile: ReadableFile | undefined;
  /** Files whose text has no `$` (usesParameters). */
  private readonly withoutDollar = new WeakMap<ReadableFile, boolean>();
  /** Files whose text has no `\` (escapesCommentChar). */
  private readonly withoutBackslash = new WeakMap<ReadableFile, boolean>();
  /** Block levels where template `if` groups began (template files only). */
  private readonly alternatives = new AlternativeLevels<Context>();

  constructor(
    private readonly options: AnalyzeOptions,
    private readonly onInclude: IncludeHandler = () => undefined,
    private readonly maxDepth = MAX_INCLUDE_DEPTH,
    private readonly rereadLimit = MAX_REREAD_LINES,
  ) {
    this.rereadLeft = rereadLimit;
  }

  /** Reads a root file (and whatever it includes), then reports blocks left open at the end. */
  readRoot(file: ReadableFile): void {
    // The root is read whatever its size (MAX_FILE_LINES bounds it); what it includes shares the rest.
    this.linesLeft -= linesOf(file.tree);
    this.enter(file, undefined);
    this.run();
    const reading = (path: string) => this.readingOf(path);
    if (this.pending?.spec?.block && !this.pending.inactive) {
      const s = this.pending.statement;
      this.missingBlock(reading(this.pending.file), { start: s.keyword.start, end: s.keyword.end });
    }
    for (const open of this.stack.slice(1)) {
      if (open.inactive) continue;
      reading(open.file).braces.push({
        kind: 'never-closed',
        start: open.open!,
        end: open.open! + 1,
        owner: open.owner?.keyword.value,
      });
    }
  }

  private readingOf(path: string): FileReading {
    let r = this.readings.get(path);
    if (!r) this.readings.set(path, (r = { placed: [], braces: [] }));
    return r;
  }

  private enter(file: ReadableFile, enteredBy: Statement | undefined): void {
    this.activeAt.set(file.path, this.active.length);
    this.active.push(file.path);
    // keepalived changes into the folder of each file it opens (lib/parser.c open_glob_file, chdir), and
    // `${_PWD}` is its getcwd(): the folder of the file being read, as relative include paths are. A
    // `$_PWD=...` line of the configuration overrides it for good (check_definition clears def->fn).
    const current = this.params.get('_PWD');
    let pwdBefore: Definition | undefined;
    if (!current || this.folders.has(current)) {
      pwdBefore = current;
      const own = pwdDefinition(file.path);
      this.folders.add(own);
      this.params.set('_PWD', own);
      this.expansion.memo.clear();
    }
    this.frames.push({
      kind: 'file',
      file,
      reading: this.readingOf(file.path),
      cursor: cursorOf(file.tree),
      enteredBy,
      onCycle: false,
      pwdBefore,
    });
  }

  /** The end of a file: `${_PWD}` is the folder of the file that included it again. */
  private leave(frame: FileFrame): void {
    this.active.pop();
    this.activeAt.delete(frame.file.path);
    const current = this.params.get('_PWD');
    if (!current || !this.folders.has(current)) return; // overridden by the configuration
    if (frame.pwdBefore) this.params.set('_PWD', frame.pwdBefore);
    else this.params.delete('_PWD');
    this.expansion.memo.clear();
  }

  /** The reading loop: the next event of the innermost file, or the next target of an include line. */
  private run(): void {
    const frames = this.frames;
    while (frames.length > 0) {
      const top = frames[frames.length - 1]!;
      if (top.kind === 'targets') {
        if (top.next >= top.targets.length) frames.pop();
        else this.follow(top.targets[top.next++]!, top.statement, top.from);
        continue;
      }
      if (top.kind === 'expansion') {
        const at = top.next++;
        const event = top.events[at];
        if (!event) {
          frames.pop();
          this.expansionDepth--;
        } else {
          const pass = top.passes?.[at];
          if (pass && pass !== top.passes![at - 1]) this.setLoopVariables(pass);
          this.origin = top.origin;
          this.dispatch(event, top.file, top.reading);
          this.origin = undefined;
        }
        continue;
      }
      const event = top.cursor.next();
      if (!event) {
        frames.pop();
        this.leave(top);
        continue;
      }
      const skip = this.skip;
      if (skip && skip.file === top.file.path) {
        if (event.at < skip.until) continue;
        this.skip = undefined;
      }
      const template = top.file.tree.template;
      if (template && this.alternatives.align(top.file.path, template.branchAt(event.at), this.stack))
        this.pending = undefined;
      this.dispatch(event, top.file, top.reading);
    }
  }

  private dispatch(event: Event, file: ReadableFile, reading: FileReading): void {
    if (event.type === 'line') this.line(event.statement, file, reading);
    else if (event.type === 'open') this.open(event, file, reading);
    else this.close(event.at, file, reading);
  }

  /** Records a budget hit on a line, once per line and budget. */
  private limit(budget: BudgetName, file: string, statement: Statement, message: string, span?: Span): void {
    let seen = this.limitSeen.get(statement);
    if (!seen) this.limitSeen.set(statement, (seen = new Set()));
    if (seen.has(budget)) return;
    seen.add(budget);
    const at = span ?? {
      start: statement.keyword.start,
      end: statement.args[statement.args.length - 1]?.end ?? statement.keyword.end,
    };
    this.limits.push({ budget, file, start: at.start, end: at.end, message });
  }

  private line(s: Statement, file: ReadableFile, reading: FileReading): void {
    const params = this.usesParameters(s, file);
    if (this.expand(s, file, reading, params)) return;
    const pending = this.pending;
    if (pending?.spec?.block === 'values' && !pending.inactive) {
      // keepalived only logs a missing '{' of a value block and reads the following lines as its values
      // up to the next '}' (lib/parser.c alloc_value_block). Words after the keyword (`track_interface
      // eth0`) do not change that: keepalived reports "Block ... has extra parameters" (the extra-argument
      // check says so) and still reads the next lines as values.
      const spec = pending.spec;
      if (pending.statement.args.length === 0)
        this.readingOf(pending.file).braces.push({
          kind: 'values-missing-open',
          start: pending.statement.keyword.start,
          end: pending.statement.keyword.end,
          keyword: spec.name,
        });
      this.stack.push({
        path: spec.path,
        values: spec,
        inactive: false,
        owner: pending.statement,
        open: pending.statement.keyword.start,
        file: pending.file,
        implicit: true,
      });
    } else if (pending?.spec?.block && !pending.inactive) {
      this.missingBlock(this.readingOf(pending.file), { start: s.keyword.start, end: s.keyword.end });
    }
    this.pending = undefined;
    const top = this.stack[this.stack.length - 1]!;
    const inactive = top.inactive || !conditionHolds(s.condition, this.options.configId);
    const entry = this.place(s, top, inactive, file.path, params);
    if (top.unread) entry.unread = true;
    // Lines an expansion makes carry the offsets of the line they replace: their braces are not on it.
    this.lastLine = this.origin ? undefined : s;
    this.lastLineFile = file;
    entry.seq = this.seq++;
    if (this.origin) entry.expansionOf = this.origin;
    reading.placed.push(entry);
    if (s.kind === 'definition' && !inactive) {
      this.params.set(s.definition!.name, s.definition!);
      this.expansion.memo.clear();
    }
    if (s.kind === 'include') this.include(s, file, inactive);
    else
      this.pending = {
        statement: s,
        spec: entry.spec,
        args: entry.expandedArgs,
        inactive,
        file: file.path,
        placed: entry,
      };
  }

  /**
   * A line whose parameters change its shape is read as keepalived reads it: the line itself is placed as
   * ignored (its uses still count as uses), and what its expansion parses into is read in its place.
   */
  private expand(s: Statement, file: ReadableFile, reading: FileReading, params: boolean): boolean {
    if (s.kind !== 'keyword' || this.expansionDepth >= MAX_EXPANSION_DEPTH) return false;
    const top = this.stack[this.stack.length - 1]!;
    // A line of a child process's block with a `\#` in it: that process reads it as a comment. (The
    // cheap test of the words first: almost no line has such an escape.)
    const copy =
      !params && this.escapesCommentChar(s, file) && this.readFromCopy(s, top) ? copyLine(s) : undefined;
    if (!copy && !params) return false; // keeps its shape (expandLine() would say so for every value)
    if (top.inactive || !conditionHolds(s.condition, this.options.configId)) return false;
    const lastWord = s.args[s.args.length - 1] ?? s.keyword;
    const lineEnd = file.text === undefined ? lastWord.end : endOfLine(file.text, lastWord.end);
    const rest = file.text?.slice(lastWord.end, lineEnd) ?? '';
    // A `~SEQ`/`~LST` line is read once per pass of its loops (nested when there are several, the first
    // outermost). keepalived reads a multi-line definition through before the loop moves on, so its lines
    // see the same values.
    const loop = s.sequences.length > 0;
    const passes = loop ? nestedIterations(s.sequences) : [[]];
    if (passes === TOO_MANY_PASSES) return this.refuseExpansion(s, file, 'MAX_LOOP_PASSES');
    if (!passes || passes.length === 0) return false;
    // The lines an expansion makes count against MAX_CONFIG_LINES like those of an included file: once it
    // is spent, a line is read as written (said once, on the first line refused).
    if (this.linesLeft <= 0) return this.refuseExpansion(s, file, 'MAX_CONFIG_LINES');
    if (this.expansionLinesLeft <= 0) return this.refuseExpansion(s, file, 'MAX_EXPANSION_LINES');
    const events: Event[] = [];
    const eventPasses: (readonly LoopBinding[])[] = [];
    let commentsRest = false;
    let made = 0;
    // The loop variables are set in the table itself for each pass (no copy of the table per pass); a
    // line that cannot be expanded puts back what the table held.
    const names = [...new Set(passes[0]!.map((b) => b.name))];
    const before = new Map(names.map((n) => [n, this.params.get(n)]));
    const restore = (): void => {
      for (const [n, d] of before) {
        if (d) this.params.set(n, d);
        else this.params.delete(n);
      }
    };
    for (const bindings of passes) {
      this.setLoopVariables(bindings);
      const expanded = copy ?? expandLine(s, this.params, this.complete, rest, loop ? bindings : undefined);
      if (!expanded) {
        restore();
        return false;
      }
      // Events first, in the expansion's own order; then their offsets move to the file. (The tree is
      // new and read once: its events are not kept.)
      const own = buildEvents(expanded.tree);
      for (const e of own) if (e.type === 'line') made++;
      if (made > this.linesLeft || made > this.expansionLinesLeft) {
        restore();
        const budget = made > this.linesLeft ? 'MAX_CONFIG_LINES' : 'MAX_EXPANSION_LINES';
        if (budget === 'MAX_CONFIG_LINES') this.linesLeft = 0;
        else this.expansionLinesLeft = 0;
        return this.refuseExpansion(s, file, budget);
      }
      const at = mapExpansion(expanded);
      for (const e of own) {
        e.at = at(e.at);
        events.push(e);
        if (loop) eventPasses.push(bindings);
      }
      commentsRest ||= expanded.commentsRest;
    }
    this.linesLeft -= made;
    this.expansionLinesLeft -= made;
    // The variables keep their last values after the loop, as definitions would (they are still set).
    // The block that follows the line in the file belongs to the last line the expansion made.
    const last = events[events.length - 1];
    if (s.block && !loop && !commentsRest && last?.type === 'line' && !last.statement.block)
      last.statement.block = s.block;
    if (commentsRest && file.text !== undefined) this.skip = { file: file.path, until: lineEnd };
    const ignored = placedFields(
      s,
      'ignored',
      top.path,
      false,
      s.args.map(() => undefined),
    );
    ignored.expandedFrom = true;
    // A line that an outer expansion made is not the file's own text either (see symbols.ts ownWords).
    if (this.origin) ignored.expansionOf = this.origin;
    ignored.seq = this.seq++;
    reading.placed.push(ignored);
    this.frames.push({
      kind: 'expansion',
      file,
      reading,
      events,
      ...(loop ? { passes: eventPasses } : {}),
      next: 0,
      origin: this.origin ?? s,
    });
    this.expansionDepth++;
    return true;
  }

  private include(s: Statement, file: ReadableFile, inactive: boolean): void {
    if (inactive) return;
    // keepalived replaces the parameters of the line before it sees an include (read_line(), then
    // check_include()): `include ${_PWD}/conf.d/*.conf`, `include $DIR/vrrp.conf`. A word whose value is
    // not known here (a parameter from an include not read, `${_INSTANCE}`) leaves the files unknown.
    const budget = newExpansionBudget(this.expansion);
    const words = s.args.map((w) => expandWord(w, this.params, this.complete, budget));
    if (words.some((w) => w === undefined)) {
      this.complete = false;
      return;
    }
    const targets = this.onInclude(s, file, words.join(' '));
    if (!targets) {
      this.complete = false;
      return;
    }
    if (targets.length > 0) this.frames.push({ kind: 'targets', statement: s, from: file, targets, next: 0 });
  }

  /** Splices one target of an include line in, unless that would loop or a budget forbids it. */
  private follow(target: ReadableFile, s: Statement, file: ReadableFile): void {
    const at = this.activeAt.get(target.path);
    if (at !== undefined) {
      // A cycle is always reported (it is not followed, so it costs no reading).
      if (this.rereadLeft > 0) this.rereadLeft--;
      this.cycle(at, target, s, file);
      return;
    }
    const again = this.readings.has(target.path);
    if (again && this.rereadLeft <= 0) {
      this.stopRereading(target, s, file);
      return;
    }
    if (this.active.length >= this.maxDepth) {
      this.complete = false;
      this.limit(
        'MAX_INCLUDE_DEPTH',
        file.path,
        s,
        `This include is ${this.active.length} files deep, more than the linter follows (MAX_INCLUDE_DEPTH = ${this.maxDepth}): '${target.path}' is not read here, so findings that depend on it are less certain. keepalived itself has no depth limit; it stops when it runs out of file descriptors.`,
      );
      return;
    }
    const cost = Math.max(1, linesOf(target.tree));
    if (cost > this.linesLeft) {
      this.complete = false;
      this.limit(
        'MAX_CONFIG_LINES',
        file.path,
        s,
        `The linter has read ${MAX_CONFIG_LINES - Math.max(0, this.linesLeft)} lines of this configuration, and '${target.path}' has ${cost} more, over its limit of ${MAX_CONFIG_LINES} per configuration (MAX_CONFIG_LINES): it is not read here, so findings that depend on it are less certain.`,
      );
      return;
    }
    if (again) {
      if (cost > this.rereadLeft) {
        this.rereadLeft = 0;
        this.stopRereading(target, s, file);
        return;
      }
      this.rereadLeft -= cost;
    }
    this.linesLeft -= cost;
    this.enter(target, s);
  }

  /**
   * A line whose expansion would exceed MAX_CONFIG_LINES or MAX_EXPANSION_LINES: read as written; the
   * first one says so. A line whose loops exceed MAX_LOOP_PASSES: read as written, and says so.
   */
  private refuseExpansion(
    s: Statement,
    file: ReadableFile,
    budget: 'MAX_CONFIG_LINES' | 'MAX_EXPANSION_LINES' | 'MAX_LOOP_PASSES',
  ): false {
    this.complete = false;
    if (budget === 'MAX_LOOP_PASSES') {
      // A bound of this line's own loops, not of the configuration: each such line says so.
      this.limit(
        budget,
        file.path,
        s,
        `keepalived runs this line's loops more than ${MAX_LOOP_PASSES} times, more than the linter follows (MAX_LOOP_PASSES): the line is read as written, so the lines and names it makes are not checked and findings that depend on them are less certain.`,
      );
      return false;
    }
    if (this.expansionRefused) return false;
    this.expansionRefused = true;
    const what =
      budget === 'MAX_CONFIG_LINES'
        ? `past ${MAX_CONFIG_LINES} lines, the linter's limit per configuration (MAX_CONFIG_LINES)`
        : `past ${MAX_EXPANSION_LINES} lines made by ~SEQ and multi-line parameters, the linter's limit per configuration (MAX_EXPANSION_LINES)`;
    this.limit(
      budget,
      file.path,
      s,
      `Expanding this line would take the configuration ${what}: this line and every later one whose parameters or ~SEQ would make more lines are read as written, so findings that depend on what they make are less certain.`,
    );
    return false;
  }

  private stopRereading(target: ReadableFile, s: Statement, file: ReadableFile): void {
    this.complete = false;
    this.limit(
      'MAX_REREAD_LINES',
      file.path,
      s,
      `keepalived reads '${target.path}' again here, but the linter has already read ${this.rereadLimit} lines again from files it had read before (MAX_REREAD_LINES), so it follows no more includes of files already read; findings that depend on them are less certain.`,
    );
  }

  /** An include line that leads back to a file being read: records every include line on the loop. */
  private cycle(at: number, target: ReadableFile, s: Statement, file: ReadableFile): void {
    const loop = this.active.slice(at);
    this.recordCycle(file.path, s, target.path, loop);
    // Every include line on the loop is part of the cycle, so each file in it shows the problem: the
    // lines that entered the files above the target, outermost first.
    const entered: { frame: FileFrame; level: number }[] = [];
    let level = this.active.length - 1;
    for (let f = this.frames.length - 1; f >= 0 && level > at; f--) {
      const frame = this.frames[f]!;
      if (frame.kind !== 'file') continue;
      if (!frame.onCycle) entered.push({ frame, level });
      level--;
    }
    for (let k = entered.length - 1; k >= 0; k--) {
      const { frame, level: l } = entered[k]!;
      frame.onCycle = true;
      this.recordCycle(this.active[l - 1]!, frame.enteredBy!, this.active[l]!, loop);
    }
  }

  private recordCycle(file: string, statement: Statement, target: string, loop: string[]): void {
    let seen = this.cycleSeen.get(statement);
    if (!seen) this.cycleSeen.set(statement, (seen = new Set()));
    if (seen.has(target)) return;
    seen.add(target);
    this.cycles.push({ file, statement, target, loop });
  }

  /**
   * lib/parser.c read_line() drops a line whose `@id` is not the configured id before it looks for
   * braces, so a `{` or `}` written on that line is gone with it: it neither opens nor closes a block.
   * Without a configured id every variant is possible, and the braces are read as written.
   */
  private droppedWithLine(at: number, file: ReadableFile): boolean {
    const s = this.lastLine;
    const configId = this.options.configId;
    if (configId === undefined || this.origin || !s || this.lastLineFile !== file || file.text === undefined)
      return false;
    if (conditionHolds(s.condition, configId) || at < s.start) return false;
    const between = file.text.slice(s.start, at);
    return !between.includes('\n') && !between.includes('\r');
  }

  /** A line switched off by its own `@id` (not by the block it is in). */
  private offByOwnCondition(owner: Pending): boolean {
    return (
      this.options.configId !== undefined &&
      !this.origin &&
      !conditionHolds(owner.statement.condition, this.options.configId)
    );
  }

  private open(event: { at: number; block: Block }, file: ReadableFile, reading: FileReading): void {
    const top = this.stack[this.stack.length - 1]!;
    let owner = this.pending;
    this.pending = undefined;
    if (this.droppedWithLine(event.at, file)) return;
    // The line that would own the block was dropped: keepalived reads this '{' on its own.
    if (owner && !top.inactive && this.offByOwnCondition(owner)) owner = undefined;
    const ownsBlock = owner && owner.statement.block === event.block && (owner.spec?.block || owner.inactive);
    // A top-level block whose processes are all still skipping an earlier one is read by none.
    let unread = false;
    if (ownsBlock && this.stack.length === 1 && owner?.spec?.parent === '')
      unread = this.processSkips.openTop(owner.spec);
    else this.processSkips.open();
    // Its first line too: no process defines what it names.
    if (unread && owner?.placed) Object.assign(owner.placed, { inactive: true, unread: true });
    if (owner && ownsBlock) {
      const spec = owner.spec;
      // A block keepalived rejects at its first line is skipped whole (skipped-blocks.ts).
      const skipped =
        unread ||
        (!owner.inactive && spec?.block === 'keywords' && this.skipped.skips(spec, owner.args ?? []));
      this.stack.push({
        path: spec ? spec.path : top.path,
        values: spec?.block === 'values' ? spec : undefined,
        inactive: owner.inactive || skipped,
        owner: owner.statement,
        open: event.at,
        file: file.path,
        unread: unread || top.unread,
      });
    } else if (top.implicit && !top.inactive) {
      // A '{' among the values of a block that had none of its own: keepalived reads it as one more value,
      // but its brace count takes it as the missing '{', so the '}' that matches it ends the value block
      // only, not the enclosing one.
      top.implicit = false;
      reading.braces.push({
        kind: 'open-among-values',
        start: event.at,
        end: event.at + 1,
        keyword: top.values?.name ?? '',
      });
    } else if (!top.inactive) {
      reading.braces.push({
        kind: 'ignored-open',
        start: event.at,
        end: event.at + 1,
        keyword: owner?.statement.keyword.value,
        known: owner?.spec !== undefined,
        closes: top.owner?.keyword.value,
      });
    }
  }

  private close(at: number, file: ReadableFile, reading: FileReading): void {
    if (this.droppedWithLine(at, file)) return;
    this.processSkips.close();
    if (this.pending?.spec?.block && !this.pending.inactive) {
      this.missingBlock(this.readingOf(this.pending.file), { start: at, end: at + 1 });
    }
    this.pending = undefined;
    while (this.stack.length > 1 && this.stack[this.stack.length - 1]!.implicit) this.stack.pop();
    if (this.stack.length > 1) this.stack.pop();
    else {
      reading.braces.push({ kind: 'extra-close', start: at, end: at + 1 });
    }
  }

  private missingBlock(reading: FileReading, at: { start: number; end: number }): void {
    reading.braces.push({ kind: 'missing-open', ...at, keyword: this.pending!.spec!.name });
  }

  /**
   * keepalived from 2.2.0 on has its child processes read the parent's decommented copy of each line
   * (expand-lines.ts copyLine()): true for the lines of the blocks only child processes own.
   */
  private readFromCopy(s: Statement, top: Context): boolean {
    const version = this.options.keepalivedVersion;
    if (version !== undefined && compareVersions(version, CONFIG_COPY_SINCE) < 0) return false;
    const root = keywordAt(top.path === '' ? s.keyword.value : top.path.split('/')[0]!);
    return (
      root !== undefined && root.parent === '' && !owners(root).includes('parent') && owners(root).length > 0
    );
  }

  /** Sets a loop pass's variables as keepalived does (set_definition()); expansions made before are stale. */
  private setLoopVariables(bindings: readonly LoopBinding[]): void {
    for (const b of bindings) this.params.set(b.name, loopVariable(b.name, b.value));
    this.expansion.memo.clear();
  }

  private place(
    s: Statement,
    top: Context,
    inactive: boolean,
    file: string,
    params: boolean,
  ): PlacedStatement {
    // A `~SEQ`/`~LST` line repeats with its loop variables set; values using them vary, so are unknown.
    const complete = this.complete && s.sequences.length === 0;
    // A line without a `$` (most lines) expands to its words as written: no budget, no table lookups.
    const budget = params ? newExpansionBudget(this.expansion) : undefined;
    // map(), not push(): the array is kept with the model, and map() sizes it exactly.
    const expandedArgs = s.args.map((w) => this.valueOf(w, complete, budget));
    const role = s.kind === 'keyword' ? (top.values ? 'value-line' : 'keyword') : s.kind;
    const entry = placedFields(s, role, top.path, inactive, expandedArgs);
    entry.parent = top.owner;
    if (entry.role === 'value-line') {
      entry.valueLines = top.values!.valueLines;
      entry.owner = top.values;
      entry.expandedKeyword = this.valueOf(s.keyword, complete, budget);
    } else if (entry.role === 'keyword') {
      const expanded = this.valueOf(s.keyword, complete, budget);
      if (s.keyword.value.includes('$')) entry.expandedKeyword = expanded;
      const name = expanded ?? s.keyword.value;
      const spec =
        lookupKeyword(top.path, name) ??
        (s.branch || s.keyword.template ? templateKeyword(s, top.path) : undefined);
      const target = this.options.keepalivedVersion;
      // An older keepalived does not know the keyword: it ignores the line and the braces after it.
      if (spec?.since && target && newerThan(spec.since, target)) entry.tooNew = spec;
      else entry.spec = spec;
    }
    if (budget?.hit) this.expansionLimit(budget.hit, s, file);
    return entry;
  }

  /**
   * The line's words name a parameter. A file's own lines are words of its text: in a file without a `$`
   * (most files) none does, which one scan of the text tells instead of a look at every word of every
   * line. The lines an expansion made come from parameter values, and are looked at.
   */
  private usesParameters(s: Statement, file: ReadableFile): boolean {
    return !this.ownTextLacks(file, '$', this.withoutDollar) && usesParameters(s);
  }

  /** The line's words hold a `\#` or `\!`: in a file without a `\` (most files) none does, as for `$`. */
  private escapesCommentChar(s: Statement, file: ReadableFile): boolean {
    return !this.ownTextLacks(file, '\\', this.withoutBackslash) && hasEscapedCommentChar(s);
  }

  /** The line being read is the file's own text, and that text has no `char` (looked up once per file). */
  private ownTextLacks(file: ReadableFile, char: string, known: WeakMap<ReadableFile, boolean>): boolean {
    if (this.origin !== undefined || file.text === undefined) return false;
    let lacks = known.get(file);
    if (lacks === undefined) known.set(file, (lacks = !file.text.includes(char)));
    return lacks;
  }

  /** A word's value after expansion; without a budget the line has no `$`, so it is the value as written. */
  private valueOf(w: Word, complete: boolean, budget: ExpansionBudget | undefined): string | undefined {
    return budget ? expandWord(w, this.params, complete, budget) : unexpandedValue(w);
  }

  private expansionLimit(
    hit: 'MAX_EXPANSION_STEPS' | 'MAX_EXPANSION_CHARS' | 'MAX_CONFIG_EXPANSION_STEPS',
    s: Statement,
    file: string,
  ): void {
    const why =
      hit === 'MAX_EXPANSION_CHARS'
        ? `expands to more than ${MAX_EXPANSION_CHARS} characters (MAX_EXPANSION_CHARS; keepalived's line buffer holds ${MAXBUF - 1} bytes: "Parameter substitution ... would exceed maximum line length")`
        : hit === 'MAX_EXPANSION_STEPS'
          ? `needs more than ${MAX_EXPANSION_STEPS} parameter substitutions (MAX_EXPANSION_STEPS; a definition that uses itself twice doubles at every level)`
          : `needs parameter substitutions after the configuration's ${MAX_CONFIG_EXPANSION_STEPS} were spent (MAX_CONFIG_EXPANSION_STEPS)`;
    this.limit(
      hit,
      file,
      s,
      `A value on this line ${why}: the linter leaves it unexpanded, so checks of this value are skipped.`,
    );
  }
}

/**
 * A placed line with the fields every line has (unset ones undefined), set later in place: the passes
 * over the lines of a model then see objects of almost one shape (V8's hidden classes), which keeps their
 * property reads fast. The fields of rare lines (unread, tooNew, expandedFrom, expansionOf) are added
 * where they are set, so that the kept model does not carry them on every line.
 */
function placedFields(
  statement: Statement,
  role: PlacedStatement['role'],
  parentPath: string,
  inactive: boolean,
  expandedArgs: (string | undefined)[],
): PlacedStatement {
  return {
    statement,
    role,
    parentPath,
    parent: undefined,
    spec: undefined,
    valueLines: undefined,
    owner: undefined,
    inactive,
    expandedArgs,
    expandedKeyword: undefined,
    seq: undefined,
  };
}

/** A loop variable as keepalived sets it (set_definition()): a one-line definition. */
function loopVariable(name: string, value: string): Definition {
  const none = { start: 0, end: 0 };
  return { name, nameSpan: none, value, valueSpan: none, multiline: false };
}

function endOfLine(text: string, from: number): number {
  let i = from;
  while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
  return i;
}

/** The events of one file in document order, one at a time. */
interface Cursor {
  next(): Event | undefined;
}

/** Lines of a tree (nested ones included), for MAX_REREAD_LINES; counted once per tree. */
const lineCounts = new WeakMap<SyntaxTree, number>();

export function linesOf(tree: SyntaxTree): number {
  let n = lineCounts.get(tree);
  if (n !== undefined) return n;
  n = 0;
  const lists: (readonly Statement[])[] = [tree.statements, ...tree.strayBlocks.map((b) => b.statements)];
  while (lists.length > 0) {
    const list = lists.pop()!;
    n += list.length;
    for (const s of list) if (s.block) lists.push(s.block.statements);
  }
  lineCounts.set(tree, n);
  return n;
}

function cursorOf(tree: SyntaxTree): Cursor {
  if (tree.strayBlocks.length === 0 && !tree.problems.some((p) => p.kind === 'extra-closing-brace'))
    return new TreeCursor(tree.statements);
  const events = eventsOf(tree);
  let i = 0;
  return { next: () => events[i++] };
}

/**
 * No stray braces: the tree's order is document order, so walk it without building events. An explicit
 * stack of statement lists (no recursion); a block's `}` comes when its list is done.
 */
class TreeCursor implements Cursor {
  private readonly stack: { list: readonly Statement[]; next: number; close?: number }[];
  private opening: Block | undefined;

  constructor(statements: readonly Statement[]) {
    this.stack = [{ list: statements, next: 0 }];
  }

  next(): Event | undefined {
    const block = this.opening;
    if (block) {
      this.opening = undefined;
      this.stack.push({ list: block.statements, next: 0, close: block.close });
      return { type: 'open', at: block.open, block };
    }
    while (this.stack.length > 0) {
      const top = this.stack[this.stack.length - 1]!;
      if (top.next < top.list.length) {
        const statement = top.list[top.next++]!;
        this.opening = statement.block;
        return { type: 'line', at: statement.start, statement };
      }
      this.stack.pop();
      if (top.close !== undefined) return { type: 'close', at: top.close };
    }
    return undefined;
  }
}

/** Lines, `{` and `}` of one file in document order, stray braces included; built once per tree. */
const eventCache = new WeakMap<SyntaxTree, Event[]>();

function eventsOf(tree: SyntaxTree): Event[] {
  const cached = eventCache.get(tree);
  if (cached) return cached;
  const events = buildEvents(tree);
  eventCache.set(tree, events);
  return events;
}

function buildEvents(tree: SyntaxTree): Event[] {
  const events: Event[] = [];
  const add = (cursor: TreeCursor): void => {
    for (let e = cursor.next(); e; e = cursor.next()) events.push(e);
  };
  add(new TreeCursor(tree.statements));
  for (const block of tree.strayBlocks) {
    events.push({ type: 'open', at: block.open, block });
    add(new TreeCursor(block.statements));
    if (block.close !== undefined) events.push({ type: 'close', at: block.close });
  }
  for (const p of tree.problems)
    if (p.kind === 'extra-closing-brace') events.push({ type: 'close', at: p.start });
  // The sort is stable, so events already in order (the usual case) need none.
  if (events.some((e, i) => i > 0 && e.at < events[i - 1]!.at)) events.sort((a, b) => a.at - b.at);
  return events;
}
