import { posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as path from '../../../server/src/web/shims/path';
import { Buffer as WebBuffer } from '../../../server/src/web/shims/buffer';
// @ts-expect-error plain ES module without types
import { webImportProblems } from '../../../scripts/check-web-bundle.mjs';

describe('the browser node:path', () => {
  const cases: string[][] = [
    ['/etc/keepalived', 'conf.d/x.conf'],
    ['/etc/keepalived/', '../a/./b'],
    ['/', 'x'],
    ['/a/b', '/c/d'],
    ['/a/b/c', '/a'],
  ];
  it('agrees with Node on POSIX paths', () => {
    for (const [a, b] of cases) {
      expect(path.join(a!, b!)).toBe(posix.join(a!, b!));
      expect(path.resolve(a!, b!)).toBe(posix.resolve(a!, b!));
      // The browser has no working directory: relative() is only asked of absolute paths.
      if (b!.startsWith('/')) expect(path.relative(a!, b!)).toBe(posix.relative(a!, b!));
      for (const p of [a!, b!]) {
        expect(path.dirname(p)).toBe(posix.dirname(p));
        expect(path.basename(p)).toBe(posix.basename(p));
        expect(path.isAbsolute(p)).toBe(posix.isAbsolute(p));
      }
    }
    expect(path.basename('/a/b.conf', '.conf')).toBe('b');
  });
});

describe('check-web-bundle', () => {
  it('reports a Node built-in and any other run-time import, not vscode', () => {
    expect(webImportProblems({ 'dist/web/server.js': ['vscode'] })).toEqual([]);
    expect(webImportProblems({ 'dist/web/server.js': ['node:fs', 'os', 'leftpad'] })).toHaveLength(3);
  });
});

describe('the browser Buffer', () => {
  it('measures, slices, joins and compares UTF-8 as Node does', () => {
    for (const text of ['', 'abc', 'é€😀', 'x'.repeat(300)]) {
      expect(WebBuffer.byteLength(text)).toBe(Buffer.byteLength(text, 'utf8'));
      expect([...WebBuffer.from(text)]).toEqual([...Buffer.from(text, 'utf8')]);
      expect(WebBuffer.from(text).subarray(0, 3).toString()).toBe(
        Buffer.from(text).subarray(0, 3).toString(),
      );
    }
    expect([...WebBuffer.concat([WebBuffer.from('a'), WebBuffer.from('\n')])]).toEqual([0x61, 0x0a]);
    expect(WebBuffer.concat([WebBuffer.from('ab')]).equals(WebBuffer.from('ab'))).toBe(true);
    expect(WebBuffer.concat([WebBuffer.from('ab')]).equals(WebBuffer.from('ac'))).toBe(false);
    expect(WebBuffer.alloc(4).length).toBe(4);
  });
});
