// `keepalived-lint --fix` on real configs: the fixed files must still pass `keepalived -t`, apart from
// environment noise (accounts, interfaces and script files this machine lacks), and no longer be refused
// for script security.
import { copyFileSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../server/src/cli';
// @ts-expect-error plain ES module without types
import { runOracle } from '../../scripts/oracle.mjs';

const corpus = join(__dirname, '../../../shared/corpus/real');
const examples = join(__dirname, '../../examples/nginx-failover');
/** Messages that only describe the checking machine, not the config. */
const NOISE =
  /script uid\/gid|Unable to set uid\/gid|Unable to set default user|track script .* not found|not found\/accessible|does not exist|doesn't exist|Non-existent interface|Disabling track script|No VIP specified|WARNING - interface/;

const messages = (path: string): string[] =>
  (runOracle(path) as { messages: { text: string }[] }).messages.map((m) =>
    m.text.replace(/\(Line \d+\) /, ''),
  );

describe('keepalived-lint --fix', () => {
  it('fixes scripts that run as root without breaking what keepalived accepts', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kl-fix-'));
    const sources = [
      ...readdirSync(examples).map((f) => join(examples, f)),
      ...readdirSync(corpus).map((f) => join(corpus, f)),
    ];
    const targets: string[] = [];
    for (const source of sources) {
      let out = '';
      run(
        ['--format', 'json', source],
        (s) => (out += s),
        () => {},
      );
      if (!JSON.parse(out).diagnostics.some((d: { rule: string }) => d.rule === 'script-runs-as-root'))
        continue;
      const target = join(dir, `${targets.length}-${source.split('/').pop()}`);
      copyFileSync(source, target);
      targets.push(target);
    }
    expect(targets.length).toBeGreaterThanOrEqual(10);

    const before = new Map(targets.map((t) => [t, new Set(messages(t))]));
    run(
      ['--fix', '--format', 'json', ...targets],
      () => {},
      () => {},
    );
    const problems: string[] = [];
    for (const t of targets) {
      let out = '';
      run(
        ['--format', 'json', t],
        (s) => (out += s),
        () => {},
      );
      const left = JSON.parse(out).diagnostics.filter(
        (d: { rule: string }) => d.rule === 'script-runs-as-root' || d.rule === 'script-security-disabled',
      );
      if (left.length) problems.push(`${t}: still ${left.map((d: { rule: string }) => d.rule).join(', ')}`);
      for (const m of messages(t)) {
        if (before.get(t)!.has(m) || NOISE.test(m)) continue;
        problems.push(`${t}: keepalived -t now says: ${m}`);
      }
    }
    console.log(
      `--fix: ${targets.length} configs that ran scripts as root fixed and re-checked with keepalived -t`,
    );
    expect(problems).toEqual([]);
  });
});
