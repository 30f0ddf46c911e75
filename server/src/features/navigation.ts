// Go to definition, find references, highlights and rename: all from the configuration's symbol index,
// so they work across included files.
import {
  DocumentHighlightKind,
  type DocumentHighlight,
  type Location,
  type Range,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver-types';
import type { AnalyzedFile } from '../analysis/document';
import type { ConfigModel } from '../analysis/model';
import { KIND_LABEL, type SymbolKind, type SymbolReference } from '../analysis/symbols';
import { symbolKind } from '../schema/symbol-kinds';
import type { Span } from '../syntax/ast';
import { symbolAt } from './cursor';
import { pathToUri } from './uri';

function toLocation(model: ConfigModel, file: string, span: Span): Location | undefined {
  const f = model.files.get(file);
  return f ? { uri: pathToUri(file), range: f.lines.range(span.start, span.end) } : undefined;
}

const defined = <T>(x: T | undefined): x is T => x !== undefined;

/** A template reference (`chk_{{ svc }}`) at an offset: its pattern stands for the names it can render. */
function patternAt(file: AnalyzedFile, offset: number): SymbolReference | undefined {
  return file.model.symbols.references.find(
    (r) => r.pattern && r.file === file.path && offset >= r.span.start && offset <= r.span.end,
  );
}

/** Template references whose pattern can render this name. */
function patternReferences(model: ConfigModel, kind: SymbolKind, name: string): SymbolReference[] {
  return model.symbols.references.filter((r) => r.pattern && r.kind === kind && r.pattern.test(name));
}

export function definition(file: AnalyzedFile, offset: number): Location[] {
  const pattern = patternAt(file, offset);
  if (pattern)
    return file.model.symbols.definitions
      .filter((d) => d.kind === pattern.kind && pattern.pattern!.test(d.name))
      .map((d) => toLocation(file.model, d.file, d.span))
      .filter(defined);
  const symbol = symbolAt(file, offset);
  if (!symbol) return [];
  return file.model.symbols
    .definitionsOf(symbol.kind, symbol.name)
    .map((d) => toLocation(file.model, d.file, d.span))
    .filter(defined);
}

export function references(file: AnalyzedFile, offset: number, includeDeclaration: boolean): Location[] {
  const symbol = symbolAt(file, offset);
  if (!symbol) return [];
  const { symbols } = file.model;
  const spans = [
    ...(includeDeclaration ? symbols.definitionsOf(symbol.kind, symbol.name) : []),
    ...symbols.referencesOf(symbol.kind, symbol.name),
    // Template expressions that may render this name: places that can refer to it.
    ...patternReferences(file.model, symbol.kind, symbol.name),
  ];
  return spans.map((s) => toLocation(file.model, s.file, s.span)).filter(defined);
}

export function highlights(file: AnalyzedFile, offset: number): DocumentHighlight[] {
  const symbol = symbolAt(file, offset);
  if (!symbol) return [];
  const { symbols } = file.model;
  const range = (span: Span): Range => file.lines.range(span.start, span.end);
  return [
    ...symbols
      .definitionsOf(symbol.kind, symbol.name)
      .filter((d) => d.file === file.path)
      .map((d) => ({ range: range(d.span), kind: DocumentHighlightKind.Write })),
    ...symbols
      .referencesOf(symbol.kind, symbol.name)
      .filter((r) => r.file === file.path)
      .map((r) => ({ range: range(r.span), kind: DocumentHighlightKind.Read })),
  ];
}

export function prepareRename(
  file: AnalyzedFile,
  offset: number,
): { range: Range; placeholder: string } | undefined {
  // A name built by a template expression is the template's to change, not ours.
  if (patternAt(file, offset)) return undefined;
  const symbol = symbolAt(file, offset);
  if (!symbol) return undefined;
  const { symbols } = file.model;
  const here = [
    ...symbols.definitionsOf(symbol.kind, symbol.name),
    ...symbols.referencesOf(symbol.kind, symbol.name),
  ].find((s) => s.file === file.path && offset >= s.span.start && offset <= s.span.end);
  if (!here) return undefined;
  return { range: file.lines.range(here.span.start, here.span.end), placeholder: symbol.name };
}

/**
 * Longest name rename accepts, in UTF-8 bytes. keepalived itself reads a line in a 1,024-byte buffer
 * before 2.4.0, and a name is one word of such a line; a longer one is a mistake (or an attack on the
 * editor), not a name.
 */
export const MAX_NAME_BYTES = 255;

/** C0 and C1 control characters and DEL: nothing a name can hold (NUL ends the string in keepalived). */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** Why keepalived would not accept `name` for this kind of symbol, or undefined when it is fine. */
export function invalidName(kind: SymbolKind, name: unknown): string | undefined {
  if (typeof name !== 'string') return 'A name must be a string.';
  // Checked first and for every kind, so a long input is never handed to the other tests.
  if (name.length > MAX_NAME_BYTES || new TextEncoder().encode(name).length > MAX_NAME_BYTES)
    return `A name can be at most ${MAX_NAME_BYTES} bytes long.`;
  if (CONTROL.test(name))
    return 'A name cannot contain control characters (NUL, tabs, line breaks, escapes).';
  if (kind === 'param') {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
      return 'A parameter name must start with a letter or _ and contain only letters, digits and _.';
    if (name.startsWith('_'))
      return 'Names starting with _ are reserved for keepalived’s predefined parameters.';
    return undefined;
  }
  if (name === '') return 'A name cannot be empty.';
  if (/[\s{}"'#!]/.test(name)) return 'A name cannot contain blanks, braces, quotes, # or !.';
  if (/^[@$~]/.test(name))
    return 'A name cannot start with @, $ or ~ (keepalived reads those as conditions, parameters or loops).';
  const max = symbolKind(kind).maxNameLength;
  if (max !== undefined && name.length > max)
    return `${KIND_LABEL[kind]} names are limited to ${max} characters.`;
  return undefined;
}

export type RenameResult = { edit: WorkspaceEdit } | { error: string };

export function rename(file: AnalyzedFile, offset: number, newName: unknown): RenameResult | undefined {
  if (patternAt(file, offset))
    return { error: 'This name is built by a template expression: change it in the template variables.' };
  const symbol = symbolAt(file, offset);
  if (!symbol) return undefined;
  const problem = invalidName(symbol.kind, newName);
  if (problem || typeof newName !== 'string') return { error: problem ?? 'A name must be a string.' };
  const { symbols } = file.model;
  if (newName !== symbol.name && symbols.definitionsOf(symbol.kind, newName).length > 0) {
    return { error: `A ${KIND_LABEL[symbol.kind]} named '${newName}' already exists.` };
  }
  const changes: Record<string, TextEdit[]> = {};
  for (const s of [
    ...symbols.definitionsOf(symbol.kind, symbol.name),
    ...symbols.referencesOf(symbol.kind, symbol.name),
  ]) {
    const f = file.model.files.get(s.file);
    if (!f) continue;
    const uri = pathToUri(s.file);
    (changes[uri] ??= []).push({ range: f.lines.range(s.span.start, s.span.end), newText: newName });
  }
  return { edit: { changes } };
}
