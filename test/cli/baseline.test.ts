// --write-baseline / --baseline: record today's findings, then report and fail on new ones only, with
// findings matched by fingerprint so that moving lines keeps them matched.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli';

/** What keepalived requires of each instance (instance-missing-required), after the lines under test. */
const required = (vrid: number): string[] => [
  '    interface eth0',
  `    virtual_router_id ${vrid}`,
  '    virtual_ipaddress {',
  `        192.0.2.${vrid}`,
  '    }',
];

const CONFIG = [
  'vrrp_instance VI_1 {',
  '    prority 100',
  '    authentication {',
  '        auth_type PASS',
  '        auth_pass secret',
  '    }',
  ...required(51),
  '}',
  'vrrp_instance VI_2 {',
  '    prority 100',
  ...required(52),
  '}',
  '',
].join('\n');

function setup(): { dir: string; config: string; baseline: string } {
  const dir = mkdtempSync(join(tmpdir(), 'kl-baseline-'));
  const config = join(dir, 'keepalived.conf');
  writeFileSync(config, CONFIG);
  return { dir, config, baseline: join(dir, 'baseline.json') };
}

const rules = (stdout: string) =>
  (
    JSON.parse(stdout) as { diagnostics: { rule: string; range: { start: { line: number } } }[] }
  ).diagnostics.map((d) => `${d.range.start.line + 1}:${d.rule}`);

describe('baselines', () => {
  it('records every finding, then reports none of them', () => {
    const { config, baseline } = setup();
    const written = runCli('--format', 'json', '--write-baseline', baseline, config);
    expect(written.code).toBe(0);
    expect(rules(written.stdout)).toEqual([]);
    const recorded = JSON.parse(readFileSync(baseline, 'utf8'));
    expect(recorded.version).toBe(1);
    expect(
      recorded.findings.map(
        (f: { rule: string; file: string; line: number }) => `${f.file}:${f.line}:${f.rule}`,
      ),
    ).toEqual([
      'keepalived.conf:2:unknown-keyword',
      'keepalived.conf:4:cleartext-auth',
      'keepalived.conf:14:unknown-keyword',
    ]);
    const again = runCli('--format', 'json', '--baseline', baseline, config);
    expect(again.code).toBe(0);
    expect(rules(again.stdout)).toEqual([]);
    expect(again.stderr).toContain('3 findings recorded in the baseline not reported');
  });

  it('keeps findings matched when lines move or are re-indented, and reports new ones only', () => {
    const { config, baseline } = setup();
    runCli('--write-baseline', baseline, config);
    const moved =
      '# a comment\n\n' +
      CONFIG.replace(/^ {4}prority/gm, '\tprority') +
      ['vrrp_instance VI_3 {', '    prority 100', ...required(53), '}', ''].join('\n');
    writeFileSync(config, moved);
    const r = runCli('--format', 'json', '--baseline', baseline, config);
    // The third identical 'prority 100' line is a new occurrence: reported, on its own line.
    expect(rules(r.stdout)).toEqual(['24:unknown-keyword']);
    expect(r.code).toBe(1);
  });

  it('reports a recorded finding again once its line is edited, and counts what was fixed', () => {
    const { config, baseline } = setup();
    runCli('--write-baseline', baseline, config);
    writeFileSync(
      config,
      // VI_1's line edited: a new finding. VI_2's identical line is now the first occurrence, so it
      // takes VI_1's recorded fingerprint, and its own recorded one is left over.
      CONFIG.replace('prority 100', 'prority 101').replace('auth_type PASS', 'auth_type AH'),
    );
    const r = runCli('--format', 'json', '--baseline', baseline, config);
    expect(rules(r.stdout)).toEqual(['2:unknown-keyword']);
    expect(r.stderr).toContain('2 findings of the baseline no longer found');
  });

  it('works from any working folder: paths are relative to the baseline file', () => {
    const { dir, config, baseline } = setup();
    runCli('--write-baseline', baseline, config);
    expect(readFileSync(baseline, 'utf8')).not.toContain(dir);
  });

  it('refuses a baseline it cannot read, with exit code 2', () => {
    const { dir, config } = setup();
    const missing = runCli('--baseline', join(dir, 'none.json'), config);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot use the baseline');
    writeFileSync(join(dir, 'bad.json'), '{"findings": 3}');
    const bad = runCli('--baseline', join(dir, 'bad.json'), config);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('not a keepalived-lint baseline');
  });

  it('never records the problems of a settings file', () => {
    const { dir, config, baseline } = setup();
    writeFileSync(join(dir, '.keepalived-lint.json'), '{ "rules": 1 }');
    const r = runCli('--format', 'json', '--write-baseline', baseline, config);
    expect(r.code).toBe(2);
    expect(rules(r.stdout)).toEqual(['1:invalid-settings']);
    expect(readFileSync(baseline, 'utf8')).not.toContain('invalid-settings');
  });
});
