// Features given hostile input: client options, names and diagnostic counts. Cost is checked by counting
// the work done (reads of the diagnostics list), never by timing.
import { describe, expect, it } from 'vitest';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextEdit } from 'vscode-languageserver-types';
import { analyzeText } from '../../../server/src/analysis/document';
import { lintFile, type Diagnostic } from '../../../server/src/checks';
import { codeActions } from '../../../server/src/features/actions';
import { toLspDiagnostic } from '../../../server/src/features/diagnostics';
import {
  formatDocument,
  formatOnType,
  formatOptions,
  formatRange,
  MAX_TAB_SIZE,
} from '../../../server/src/features/format';
import { invalidName, MAX_NAME_BYTES, rename } from '../../../server/src/features/navigation';

const apply = (text: string, edits: TextEdit[]): string =>
  TextDocument.applyEdits(TextDocument.create('file:///k.conf', 'keepalived', 1, text), edits);

describe('formatting options from the client', () => {
  it('clamps tabSize to 1..32 and defaults what is not a number', () => {
    expect(formatOptions({ tabSize: 2e8, insertSpaces: true })).toEqual({
      tabSize: MAX_TAB_SIZE,
      insertSpaces: true,
    });
    expect(formatOptions({ tabSize: 0, insertSpaces: true }).tabSize).toBe(1);
    expect(formatOptions({ tabSize: -3, insertSpaces: false })).toEqual({ tabSize: 1, insertSpaces: false });
    expect(formatOptions({ tabSize: 2.7, insertSpaces: true }).tabSize).toBe(2);
    for (const tabSize of [NaN, Infinity, -Infinity, '8', null, undefined, {}])
      expect(formatOptions({ tabSize, insertSpaces: true }).tabSize).toBe(4);
    expect(formatOptions(undefined)).toEqual({ tabSize: 4, insertSpaces: true });
    expect(formatOptions({ tabSize: 2, insertSpaces: 'no' })).toEqual({ tabSize: 2, insertSpaces: true });
  });

  it('formats with a huge tabSize at the largest indentation instead of building gigabytes', () => {
    const text = 'vrrp_instance VI_1 {\nvirtual_ipaddress {\n10.0.0.1\n}\n}\n';
    const options = { tabSize: 2e8, insertSpaces: true };
    expect(apply(text, formatDocument(text, options))).toBe(
      `vrrp_instance VI_1 {\n${' '.repeat(32)}virtual_ipaddress {\n${' '.repeat(64)}10.0.0.1\n${' '.repeat(32)}}\n}\n`,
    );
    const range = formatRange(
      text,
      { start: { line: 2, character: 0 }, end: { line: 3, character: 0 } },
      options,
    );
    expect(range.map((e) => e.newText)).toEqual([' '.repeat(64) + '10.0.0.1']);
    const typed = formatOnType(text, { line: 2, character: 8 }, '\n', {
      tabSize: Number.MAX_VALUE,
      insertSpaces: true,
    });
    expect(typed.map((e) => e.newText)).toContain(' '.repeat(64) + '10.0.0.1');
  });
});

describe('rename refuses names keepalived (or an editor) cannot take', () => {
  const text =
    'vrrp_script chk {\n    script /bin/true\n}\nvrrp_instance VI_1 {\n    track_script {\n        chk\n    }\n}\n';
  const file = analyzeText('/k.conf', text);
  const at = text.lastIndexOf('chk');

  it.each([
    ['NUL', 'chk\u0000x', /control characters/],
    ['a line break', 'chk\nx', /control characters/],
    ['a tab', 'chk\tx', /control characters/],
    ['ESC', 'chk\u001b[2J', /control characters/],
    ['a C1 control', 'chk\u009bx', /control characters/],
    ['a blank', 'chk x', /blanks/],
    ['100,000 characters', 'x'.repeat(100_000), /at most 255 bytes/],
    ['256 bytes of two-byte characters', 'é'.repeat(128), /at most 255 bytes/],
    ['a non-string', 42, /string/],
  ])('refuses %s', (_, name, message) => {
    const result = rename(file, at, name);
    expect(result && 'error' in result ? result.error : '').toMatch(message);
  });

  it('accepts a name of exactly 255 bytes, and checks parameters the same way', () => {
    const result = rename(file, at, 'c'.repeat(MAX_NAME_BYTES));
    expect(result && 'edit' in result).toBe(true);
    expect(invalidName('param', 'P\u0000')).toMatch(/control characters/);
    expect(invalidName('param', 'P'.repeat(300))).toMatch(/at most 255 bytes/);
    expect(invalidName('param', 'GOOD_NAME')).toBeUndefined();
  });
});

describe('quick fixes over many diagnostics', () => {
  const n = 3000;
  const text = [
    'global_defs {',
    ...Array.from({ length: n }, () => '    vrrp_rlimit_rtime 1000'),
    '}',
    '',
  ].join('\n');
  const file = analyzeText('/k.conf', text);
  const diagnostics = lintFile(file).filter((d) => d.rule === 'deprecated-keyword');

  /** The diagnostics, counting every element read. */
  function counted(list: Diagnostic[]): { list: Diagnostic[]; reads: () => number } {
    let reads = 0;
    const proxy = new Proxy(list, {
      get(target, key, receiver) {
        if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
        return Reflect.get(target, key, receiver);
      },
    });
    return { list: proxy, reads: () => reads };
  }

  it('reads each diagnostic a bounded number of times: linear, not quadratic', () => {
    expect(diagnostics).toHaveLength(n);
    const { list, reads } = counted(diagnostics);
    const actions = codeActions(file, diagnostics.map(toLspDiagnostic), list);
    // One quick fix per diagnostic, and one "fix all" for the rule.
    expect(actions.filter((a) => a.title.startsWith('Replace with'))).toHaveLength(n);
    const all = actions.filter((a) => a.title === "Fix all 'deprecated-keyword' problems in this file");
    expect(all).toHaveLength(1);
    expect(Object.values(all[0]!.edit!.changes!)[0]).toHaveLength(n);
    // A quadratic match reads n²/2 = 4,500,000 elements; a linear one a few per diagnostic.
    expect(reads()).toBeLessThanOrEqual(4 * n);
  });

  it('binds each quick fix to the diagnostic at the same rule and range, and ignores foreign ones', () => {
    const lsp = diagnostics.slice(10, 12).map(toLspDiagnostic);
    const foreign = { ...lsp[0]!, source: 'other' };
    const moved = { ...lsp[0]!, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } } };
    const actions = codeActions(file, [...lsp, foreign, moved, null as never], diagnostics);
    const quick = actions.filter((a) => a.title.startsWith('Replace with'));
    expect(quick.map((a) => a.diagnostics?.[0]?.range.start.line)).toEqual([11, 12]);
  });
});
