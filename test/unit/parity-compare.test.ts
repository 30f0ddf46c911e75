// The line-by-line comparison of scripts/parity.mjs: what keepalived says without a line number can still
// agree with an error of ours on a line.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without types
import { categorize, compareConfig, crashed } from '../../scripts/parity.mjs';

interface Compared {
  falseAlarms: { line: number; rule: string }[];
  withoutLine: { line: number; rule: string; keepalived: string }[];
}

const dir = mkdtempSync(join(tmpdir(), 'parity-compare-'));
writeFileSync(join(dir, 'a.conf'), 'global_defs {\n  router_id x\n');
const unclosed = {
  line: 1,
  rule: 'unclosed-block',
  severity: 'error',
  message: "The block of 'global_defs' opened here is never closed: add '}'.",
};
const compare = (messages: { text: string; line?: number }[]): Compared =>
  compareConfig(dir, 'a.conf', { messages }, [{ path: join(dir, 'a.conf'), diagnostics: [unclosed] }]);

describe('parity comparison', () => {
  it("puts keepalived's count of unclosed blocks in the brace category", () => {
    expect(categorize("There are 1 missing '}'s or extra '{'s")).toBe('brace');
  });

  it("takes an unclosed-block error as agreeing with keepalived's count of missing '}'s, which has no line", () => {
    const r = compare([{ text: "There are 1 missing '}'s or extra '{'s" }]);
    expect(r.falseAlarms).toEqual([]);
    expect(r.withoutLine.map((w) => w.keepalived)).toEqual(["There are 1 missing '}'s or extra '{'s"]);
  });

  it('counts it as a false alarm when keepalived says nothing of the kind', () => {
    const r = compare([{ text: 'Unknown keyword x', line: 2 }]);
    expect(r.falseAlarms.map((f) => `${f.line}:${f.rule}`)).toEqual(['1:unclosed-block']);
  });

  it("takes instance-missing-required as agreeing with keepalived's line-less message on that instance, or on one before it", () => {
    const missing = (name: string) => ({
      line: 1,
      rule: 'instance-missing-required',
      severity: 'error',
      message: `vrrp_instance '${name}' has no virtual_router_id: keepalived reports ...`,
    });
    const run = (messages: { text: string }[], name: string): Compared =>
      compareConfig(dir, 'a.conf', { messages }, [
        { path: join(dir, 'a.conf'), diagnostics: [missing(name)] },
      ]);
    const said = [{ text: '(VI_1) the virtual router id must be set' }];
    expect(run(said, 'VI_1').withoutLine.map((w) => w.keepalived)).toEqual([said[0]!.text]);
    // keepalived stops at VI_1 and never checks VI_2.
    expect(run(said, 'VI_2').falseAlarms).toEqual([]);
    // A warning keepalived gives and runs on is no reason to stop: an error of ours there is a false alarm.
    const sensible = [{ text: '(VI_1) No VIP specified; at least one is sensible' }];
    expect(run(sensible, 'VI_1').falseAlarms.map((f) => f.rule)).toEqual(['instance-missing-required']);
  });

  it('tells a crash (its answer cut short) from an exit, a time limit and the SIGTERM of 2.2.7 -t', () => {
    expect(crashed({ signal: 'SIGSEGV' })).toBe('SIGSEGV');
    expect(crashed({ signal: 'SIGABRT' })).toBe('SIGABRT');
    expect(crashed({ signal: null, exitCode: 5 })).toBeUndefined();
    expect(crashed({ signal: 'SIGKILL' })).toBeUndefined();
    expect(crashed({ signal: 'SIGTERM' })).toBeUndefined();
  });
});
