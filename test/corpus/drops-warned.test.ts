// Every script keepalived drops, the linter warned about first. keepalived -t (Debian's 2.2.7, through
// scripts/oracle.mjs: its own messages and, with the shim, what it only logs) names each script it
// removes or disables; checked with --this-host (this CI machine is the node), the linter must report a
// finding that explains the drop on the script's own lines. Run on the corpus as it is and after
// `keepalived-lint --fix`, whose account (keepalived_script) this machine does not have: the linter must
// then say so too, instead of reporting the fixed file clean.
import { chmodSync, copyFileSync, existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../server/src/cli';
// @ts-expect-error plain ES module without types
import { keepalivedAvailable, runOracle, scriptDrops } from '../../scripts/oracle.mjs';

const corpus = join(__dirname, '../../../shared/corpus');
const folders = ['real', 'keepalived-samples'];
const examples = join(__dirname, '../../examples');

/** Findings that tell the user keepalived will not run a script, or that its run can never work. */
const DROP_RULES = new Set([
  'script-disabled',
  'script-account-missing',
  'script-user-numeric',
  'script-args-as-user',
  'script-bare-command',
  'script-not-found',
  'script-not-executable',
  'unsafe-script-path',
  'missing-argument',
  'script-missing',
]);

interface Drop {
  kind: string;
  name: string;
  text: string;
}
interface Finding {
  rule: string;
  file: string;
  range: { start: { line: number } };
}

function lintThisHost(path: string): Finding[] {
  let out = '';
  run(
    ['--format', 'json', '--this-host', '--keepalived-version', '2.2.7', path],
    (s) => (out += s),
    () => {},
  );
  return (JSON.parse(out) as { diagnostics: Finding[] }).diagnostics;
}

/** Lines (1-based) of the file that name the dropped script: its vrrp_script block or its command. */
function linesNaming(text: string, name: string): Set<number> {
  const lines = text.split('\n');
  const found = new Set<number>();
  if (!name) return found;
  lines.forEach((line, i) => {
    const code = line.replace(/#.*$/, '');
    const block = new RegExp(
      `^\\s*vrrp_script\\s+"?${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"?\\s*(\\{|$)`,
    );
    if (block.test(code)) {
      // The whole block: a finding on its `script` or `user` line explains it.
      for (let j = i; j < lines.length; j++) {
        found.add(j + 1);
        if (/^\s*}/.test(lines[j]!)) break;
      }
    } else if (code.includes(name)) {
      found.add(i + 1);
      // A command inside a vrrp_script or MISC_CHECK: its block's `user` line explains an account drop.
      for (let j = i; j >= 0; j--) {
        if (j < i && /^\s*}/.test(lines[j]!)) break;
        if (/^\s*(vrrp_script|MISC_CHECK)\b/.test(lines[j]!)) {
          for (let k = j; k < lines.length; k++) {
            found.add(k + 1);
            if (k > j && /^\s*}/.test(lines[k]!)) break;
          }
          break;
        }
      }
    }
  });
  return found;
}

let dropsSeen = 0;

function unexplained(path: string, text: string): string[] {
  const oracle = runOracle(path) as { killed: boolean; messages: { text: string }[]; log: string[] | null };
  if (oracle.killed) return [`${path}: keepalived -t was killed, so it said nothing about the scripts`];
  const drops = scriptDrops([...oracle.messages, ...(oracle.log ?? [])]) as Drop[];
  if (drops.length === 0) return [];
  const ours = lintThisHost(path).filter((d) => DROP_RULES.has(d.rule));
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const drop of drops) {
    const key = `${drop.kind}:${drop.name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    dropsSeen++;
    const lines = linesNaming(text, drop.name);
    if (!ours.some((d) => lines.has(d.range.start.line + 1)))
      problems.push(
        `${path}: keepalived drops '${drop.name}' (${drop.text}); the linter said nothing on its lines`,
      );
  }
  return problems;
}

describe('every script keepalived drops, the linter warned about (keepalived -t 2.2.7, --this-host)', () => {
  it('needs the corpus and keepalived (installed by .ci/run)', () => {
    expect(existsSync(corpus), `${corpus} is missing`).toBe(true);
    expect(keepalivedAvailable(), 'keepalived is not installed: apt-get install -y keepalived').toBe(true);
  });

  const sources = (): string[] => [
    ...['nginx-failover', 'secure'].flatMap((d) =>
      readdirSync(join(examples, d)).map((f) => join(examples, d, f)),
    ),
    ...folders.flatMap((folder) =>
      readdirSync(join(corpus, folder))
        .filter((n) => !n.endsWith('.NOTKEEPALIVED'))
        .map((n) => join(corpus, folder, n)),
    ),
  ];

  it('on the corpus as it is', async () => {
    const { readFileSync } = await import('node:fs');
    dropsSeen = 0;
    const problems = sources().flatMap((p) => unexplained(p, readFileSync(p, 'utf8')));
    console.log(
      `drops-warned: ${sources().length} configs as they are, ${dropsSeen} scripts keepalived drops`,
    );
    // Not vacuous: the corpus has scripts keepalived drops on this machine (missing accounts and files).
    expect(dropsSeen).toBeGreaterThan(10);
    expect(problems).toEqual([]);
  });

  it('after --fix (which names keepalived_script, an account this machine lacks)', async () => {
    const { readFileSync } = await import('node:fs');
    const dir = mkdtempSync(join(tmpdir(), 'kl-drops-'));
    const targets = sources().map((source, i) => {
      const target = join(dir, `${i}-${source.split('/').pop()}`);
      copyFileSync(source, target);
      // The corpus is read-only, and --fix rightly leaves read-only files alone: make the copies writable.
      chmodSync(target, 0o644);
      return target;
    });
    const before = targets.map((t) => readFileSync(t, 'utf8'));
    run(
      ['--fix', ...targets],
      () => {},
      () => {},
    );
    // Not vacuous: --fix changed many of them (most put keepalived_script on root scripts).
    expect(targets.filter((t, i) => readFileSync(t, 'utf8') !== before[i]).length).toBeGreaterThan(10);
    dropsSeen = 0;
    const problems = targets.flatMap((p) => unexplained(p, readFileSync(p, 'utf8')));
    console.log(`drops-warned: ${targets.length} configs after --fix, ${dropsSeen} scripts keepalived drops`);
    expect(dropsSeen).toBeGreaterThan(10);
    expect(problems).toEqual([]);
  });
});
