// Reads parsed files the way keepalived reads a config, so that every line lands in the keyword table
// keepalived would look it up in:
// - braces are not nested generically: the `{` after a keyword that takes no block (or an unknown one) is
//   ignored, the lines inside are read at the current level, and the matching `}` closes the *enclosing*
//   block. Replaying that gives the same unknown keywords and extra braces keepalived reports.
// - an include line splices the included files into the stream right there, at the current block level,
//   and parameters defined anywhere earlier in the stream are in scope.
import { lookupKeyword, type KeywordSpec } from '../schema';
import { compareVersions } from '../schema/version';
import type { Block, Statement, SyntaxTree } from '../syntax/ast';
import { conditionHolds } from './conditions';
import type { AnalyzeOptions, PlacedStatement } from './document';
import { expandWord, type ParamTable } from './params';

export interface BraceProblem {
  kind: 'unclosed-block' | 'extra-closing-brace' | 'unexpected-block' | 'missing-block';
  /** Lower than the rule's default where keepalived only logs the problem. */
  severity?: 'warning';
  start: number;
  end: number;
  message: string;
}

export interface ReadableFile {
  path: string;
  tree: SyntaxTree;
}

/** What the reader found in one file of the stream. */
export interface FileReading {
  placed: PlacedStatement[];
  braces: BraceProblem[];
}

/** Answers an include line with the files to splice in (already parsed), or undefined if unresolved. */
export type IncludeHandler = (statement: Statement, from: ReadableFile) => ReadableFile[] | undefined;

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
}

interface Pending {
  statement: Statement;
  spec?: KeywordSpec;
  inactive: boolean;
  file: string;
}

export class KeepalivedReader {
  readonly params: ParamTable = new Map();
  readonly readings = new Map<string, FileReading>();
  /** False once an unresolved include was read: parameters may come from it. */
  complete = true;
  private readonly stack: Context[] = [{ path: '', inactive: false, file: '' }];
  private pending: Pending | undefined;
  /** Position in keepalived's single read stream across every included file. */
  private seq = 0;
  /** Files being read right now, outermost first, with the include line that entered each. */
  readonly active: string[] = [];
  private readonly enteredBy: (Statement | undefined)[] = [];
  /** Include lines that take part in a cycle: the line, its file, the file it would re-read, and the files
   * on the loop (from the target to the file with the line closing it). */
  readonly cycles: { file: string; statement: Statement; target: string; loop: string[] }[] = [];

  constructor(
    private readonly options: AnalyzeOptions,
    private readonly onInclude: IncludeHandler = () => undefined,
    private readonly maxDepth = 32,
  ) {}

  /** Reads a root file (and whatever it includes), then reports blocks left open at the end. */
  readRoot(file: ReadableFile): void {
    this.readFile(file);
    const reading = (path: string) => this.readingOf(path);
    if (this.pending?.spec?.block && !this.pending.inactive) {
      const s = this.pending.statement;
      this.missingBlock(reading(this.pending.file), { start: s.keyword.start, end: s.keyword.end });
    }
    for (const open of this.stack.slice(1)) {
      if (open.inactive) continue;
      const name = open.owner ? `'${open.owner.keyword.value}'` : 'this block';
      reading(open.file).braces.push({
        kind: 'unclosed-block',
        start: open.open!,
        end: open.open! + 1,
        message: `The block of ${name} opened here is never closed: add '}' (keepalived: "missing '}'s or extra '{'s").`,
      });
    }
  }

  private readingOf(path: string): FileReading {
    let r = this.readings.get(path);
    if (!r) this.readings.set(path, (r = { placed: [], braces: [] }));
    return r;
  }

  private readFile(file: ReadableFile, enteredBy?: Statement): void {
    const reading = this.readingOf(file.path);
    this.active.push(file.path);
    this.enteredBy.push(enteredBy);
    const tree = file.tree;
    if (tree.strayBlocks.length === 0 && !tree.problems.some((p) => p.kind === 'extra-closing-brace')) {
      // No stray braces: the tree's order is document order, so walk it without building events.
      this.walk(tree.statements, file, reading);
    } else {
      for (const event of collectEvents(tree)) {
        if (event.type === 'line') this.line(event.statement, file, reading);
        else if (event.type === 'open') this.open(event, file, reading);
        else this.close(event.at, file, reading);
      }
    }
    this.active.pop();
    this.enteredBy.pop();
  }

  private walk(statements: readonly Statement[], file: ReadableFile, reading: FileReading): void {
    for (const s of statements) {
      this.line(s, file, reading);
      const block = s.block;
      if (!block) continue;
      this.open({ at: block.open, block }, file, reading);
      this.walk(block.statements, file, reading);
      if (block.close !== undefined) this.close(block.close, file, reading);
    }
  }

  private line(s: Statement, file: ReadableFile, reading: FileReading): void {
    const pending = this.pending;
    if (pending?.spec?.block === 'values' && !pending.inactive && pending.statement.args.length > 0) {
      // `track_interface eth0` on one line: keepalived takes the words as the block's only value.
    } else if (pending?.spec?.block === 'values' && !pending.inactive) {
      // keepalived only logs a missing '{' of a value block and reads the following lines as its values
      // up to the next '}'.
      const spec = pending.spec;
      this.readingOf(pending.file).braces.push({
        kind: 'missing-block',
        severity: 'warning',
        start: pending.statement.keyword.start,
        end: pending.statement.keyword.end,
        message: `'${spec.name}' is a block of values: write '${spec.name} {'. Without the '{' keepalived logs "'{' missing" and reads the next lines as its values, but the '}' that should end them closes the enclosing block instead.`,
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
    const entry = this.place(s, top, inactive);
    entry.seq = this.seq++;
    reading.placed.push(entry);
    if (s.kind === 'definition' && !inactive) this.params.set(s.definition!.name, s.definition!);
    if (s.kind === 'include') this.include(s, file, inactive);
    else this.pending = { statement: s, spec: entry.spec, inactive, file: file.path };
  }

  private include(s: Statement, file: ReadableFile, inactive: boolean): void {
    if (inactive) return;
    const targets = this.onInclude(s, file);
    if (!targets) {
      this.complete = false;
      return;
    }
    for (const target of targets) {
      const at = this.active.indexOf(target.path);
      if (at >= 0) {
        // Every include line on the loop is part of the cycle, so each file in it shows the problem.
        const loop = this.active.slice(at);
        this.cycles.push({ file: file.path, statement: s, target: target.path, loop });
        for (let k = at + 1; k < this.active.length; k++) {
          this.cycles.push({
            file: this.active[k - 1]!,
            statement: this.enteredBy[k]!,
            target: this.active[k]!,
            loop,
          });
        }
        continue;
      }
      if (this.active.length >= this.maxDepth) continue;
      this.readFile(target, s);
    }
  }

  private open(event: { at: number; block: Block }, file: ReadableFile, reading: FileReading): void {
    const top = this.stack[this.stack.length - 1]!;
    const owner = this.pending;
    this.pending = undefined;
    if (owner && owner.statement.block === event.block && (owner.spec?.block || owner.inactive)) {
      const spec = owner.spec;
      this.stack.push({
        path: spec ? spec.path : top.path,
        values: spec?.block === 'values' ? spec : undefined,
        inactive: owner.inactive,
        owner: owner.statement,
        open: event.at,
        file: file.path,
      });
    } else if (!top.inactive) {
      reading.braces.push({
        kind: 'unexpected-block',
        start: event.at,
        end: event.at + 1,
        message: unexpectedMessage(owner, top),
      });
    }
  }

  private close(at: number, _file: ReadableFile, reading: FileReading): void {
    if (this.pending?.spec?.block && !this.pending.inactive) {
      this.missingBlock(this.readingOf(this.pending.file), { start: at, end: at + 1 });
    }
    this.pending = undefined;
    while (this.stack.length > 1 && this.stack[this.stack.length - 1]!.implicit) this.stack.pop();
    if (this.stack.length > 1) this.stack.pop();
    else {
      reading.braces.push({
        kind: 'extra-closing-brace',
        start: at,
        end: at + 1,
        message:
          "Extra '}': no block is open here, so keepalived reports it (often a '{' earlier was ignored, see the findings above).",
      });
    }
  }

  private missingBlock(reading: FileReading, at: { start: number; end: number }): void {
    const name = this.pending!.spec!.name;
    reading.braces.push({
      kind: 'missing-block',
      ...at,
      message: `'${name}' opens a block, so keepalived expects '{' before this (Missing '{' at beginning of configuration block); without it, '${name}' is ignored.`,
    });
  }

  private place(s: Statement, top: Context, inactive: boolean): PlacedStatement {
    // A `~SEQ`/`~LST` line repeats with its loop variables set; values using them vary, so are unknown.
    const complete = this.complete && s.sequences.length === 0;
    const expandedArgs = s.args.map((w) => expandWord(w, this.params, complete));
    const entry: PlacedStatement = {
      statement: s,
      role: s.kind === 'keyword' ? (top.values ? 'value-line' : 'keyword') : s.kind,
      parentPath: top.path,
      spec: undefined,
      valueLines: undefined,
      owner: undefined,
      inactive,
      expandedArgs,
    };
    if (entry.role === 'value-line') {
      entry.valueLines = top.values!.valueLines;
      entry.owner = top.values;
    } else if (entry.role === 'keyword') {
      const name = expandWord(s.keyword, this.params, complete) ?? s.keyword.value;
      const spec = lookupKeyword(top.path, name);
      const target = this.options.keepalivedVersion;
      // An older keepalived does not know the keyword: it ignores the line and the braces after it.
      if (spec?.since && target && compareVersions(spec.since, target) > 0) entry.tooNew = spec;
      else entry.spec = spec;
    }
    return entry;
  }
}

function unexpectedMessage(owner: Pending | undefined, top: Context): string {
  if (!owner)
    return "Unexpected '{' - keepalived ignores it; the lines inside are read at the current level.";
  const name = owner.statement.keyword.value;
  const closes = top.owner ? `'${top.owner.keyword.value}'` : 'nothing (an extra brace)';
  const why = owner.spec ? `'${name}' takes no block` : `'${name}' is not a keyword here`;
  return `Unexpected '{': ${why}, so keepalived ignores this brace, reads the lines inside at the current level, and the matching '}' closes ${closes}.`;
}

/** Lines, `{` and `}` of one file in document order, stray braces included. */
function collectEvents(tree: SyntaxTree): Event[] {
  const events: Event[] = [];
  const addBlock = (block: Block): void => {
    events.push({ type: 'open', at: block.open, block });
    addStatements(block.statements);
    if (block.close !== undefined) events.push({ type: 'close', at: block.close });
  };
  const addStatements = (statements: readonly Statement[]): void => {
    for (const s of statements) {
      events.push({ type: 'line', at: s.start, statement: s });
      if (s.block) addBlock(s.block);
    }
  };
  addStatements(tree.statements);
  tree.strayBlocks.forEach(addBlock);
  for (const p of tree.problems)
    if (p.kind === 'extra-closing-brace') events.push({ type: 'close', at: p.start });
  return events.sort((a, b) => a.at - b.at);
}
