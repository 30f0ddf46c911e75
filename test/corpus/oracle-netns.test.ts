// The oracle gives a config's `net_namespace NAME` a namespace of that name (bound to the run's own, which
// holds the bridges), so keepalived -t reads past it instead of exiting at start-up (core/namespaces.c
// opens /run/netns/NAME; without it -t exits before reading the rest of the config).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ES module without types
import { keepalivedAvailable, namespaceNames, oracleIsolation, runOracle } from '../../scripts/oracle.mjs';

const config = (first: string) =>
  [
    '@lb1 $NAME=one',
    first,
    'vrrp_instance VI_1 {',
    '  interface kl-test0',
    '  virtual_router_id 5',
    '  priority 300',
    '  virtual_ipaddress {',
    '    192.0.2.1',
    '  }',
    '}',
    '',
  ].join('\n');

describe('net_namespace under the oracle', () => {
  it('names every namespace the config can enter: expanded, as written, and ${_INSTANCE}', () => {
    const dir = mkdtempSync(join(tmpdir(), 'oracle-netns-'));
    const file = join(dir, 'keepalived.conf');
    writeFileSync(file, config('net_namespace $NAME\n@lb2 net_namespace blue'));
    expect(new Set(namespaceNames(file))).toEqual(new Set(['one', '$NAME', 'blue']));
    writeFileSync(file, config('net_namespace ${_INSTANCE}'));
    expect(namespaceNames(file)).toHaveLength(1);
    expect(namespaceNames(file)[0]).not.toContain('$');
  });

  it('keepalived -t reads past net_namespace and reports the lines after it', () => {
    expect(keepalivedAvailable(), 'keepalived is not installed: apt-get install -y keepalived').toBe(true);
    const isolation = oracleIsolation() as { isolated: boolean; error?: string };
    expect(isolation.isolated, `the oracle cannot isolate runs: ${isolation.error}`).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'oracle-netns-'));
    const file = join(dir, 'keepalived.conf');
    writeFileSync(file, config('net_namespace kl-oracle-test'));
    const run = runOracle(file) as { messages: { line?: number; text: string }[] };
    // priority 300 is out of range: keepalived only says so if it got past the namespace.
    expect(run.messages.some((m) => m.line === 6)).toBe(true);
    expect(run.messages.some((m) => /Unable to set network namespace/.test(m.text))).toBe(false);
  });
});
