// An exception in the analysis is an internal error, never a verdict: exit 2, a message on stderr, and
// nothing on stdout (a CI step that reads exit 1 as "findings" must not take a crash for a result).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { runCli } from './run-cli';

vi.mock('../../server/src/checks', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../server/src/checks')>();
  return {
    ...original,
    lintFile: (...args: Parameters<typeof original.lintFile>) => {
      if (args[0].text.includes('# boom')) throw new RangeError('Maximum call stack size exceeded');
      return original.lintFile(...args);
    },
  };
});

const dir = mkdtempSync(join(tmpdir(), 'kl-cli-internal-'));

describe('keepalived-lint internal errors', () => {
  it.each(['text', 'json', 'sarif'])(
    'exits 2 with the error on stderr and nothing on stdout (%s)',
    (format) => {
      const path = join(dir, 'boom.conf');
      writeFileSync(
        path,
        'vrrp_instance VI_1 {\n    prority 100\n    interface eth0\n    virtual_router_id 51\n    virtual_ipaddress {\n        192.0.2.10\n    }\n}\n# boom\n',
      );
      const r = runCli('--format', format, path);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('keepalived-lint: internal error');
      expect(r.stderr).toContain('RangeError: Maximum call stack size exceeded');
      expect(r.stderr).toContain('not a finding');
    },
  );

  it('still exits 1 for findings and 0 for a clean file', () => {
    const bad = join(dir, 'bad.conf');
    writeFileSync(
      bad,
      'vrrp_instance VI_1 {\n    prority 100\n    interface eth0\n    virtual_router_id 51\n    virtual_ipaddress {\n        192.0.2.10\n    }\n}\n',
    );
    expect(runCli(bad).code).toBe(1);
    const good = join(dir, 'good.conf');
    writeFileSync(
      good,
      'vrrp_instance VI_1 {\n    priority 100\n    interface eth0\n    virtual_router_id 51\n    virtual_ipaddress {\n        192.0.2.10\n    }\n}\n',
    );
    expect(runCli(good).code).toBe(0);
  });
});
