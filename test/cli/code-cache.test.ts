// dist/cli.js loads dist/cli.bundle.js with a V8 code cache next to it (server/src/boot.ts): written when
// there is none or V8 rejects it, read as it is otherwise, and never a reason for the CLI to do anything
// else than it does without one.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const dist = join(__dirname, '../../dist');
const dir = mkdtempSync(join(tmpdir(), 'kl-cache-'));
const config = join(dir, 'k.conf');
writeFileSync(config, 'vrrp_instance VI_1 {\n  prority 100\n}\n');

function cli(): string {
  try {
    return execFileSync(process.execPath, [join(dir, 'cli.js'), '--format', 'json', config], {
      encoding: 'utf8',
    });
  } catch (e) {
    return (e as { stdout: string }).stdout; // exit code 1: findings
  }
}
const caches = (): string[] => readdirSync(dir).filter((f) => f.endsWith('.cache'));

describe('the CLI code cache', () => {
  beforeAll(() => {
    for (const f of ['cli.js', 'cli.bundle.js']) copyFileSync(join(dist, f), join(dir, f));
  });

  it('is written by the first run, then read without being written again', () => {
    const first = cli();
    expect(JSON.parse(first).diagnostics.map((d: { rule: string }) => d.rule)).toContain('unknown-keyword');
    expect(caches()).toHaveLength(1);
    const [cache] = caches();
    expect(cache).toMatch(/^cli\.bundle\.js\.[0-9a-f]{16}-.+\.cache$/);
    const bytes = readFileSync(join(dir, cache!));
    expect(cli()).toBe(first);
    expect(readFileSync(join(dir, cache!)).equals(bytes)).toBe(true);
    // No temporary file is left behind.
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('is replaced when V8 rejects it, and the run is the same', () => {
    const expected = cli();
    const [cache] = caches();
    writeFileSync(join(dir, cache!), 'not a code cache');
    expect(cli()).toBe(expected);
    expect(readFileSync(join(dir, cache!), 'utf8')).not.toBe('not a code cache');
    expect(cli()).toBe(expected);
  });

  it('is not needed: without one (and when none can be written) the CLI runs the same', () => {
    const expected = cli();
    for (const f of caches()) rmSync(join(dir, f));
    // A folder named like the cache: the write fails, and nothing else changes.
    const name = `cli.bundle.js.${readFileSync(join(dir, 'cli.js'), 'utf8').match(/\.([0-9a-f]{16})-/)![1]}-${process.versions.v8}-${process.arch}.cache`;
    execFileSync('mkdir', [join(dir, name)]);
    expect(cli()).toBe(expected);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
