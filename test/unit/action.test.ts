// The GitHub Action's script (scripts/action/run.sh), run as the composite action runs it but without
// GitHub: inputs as INPUT_* variables, outputs in the file GITHUB_OUTPUT names. Needs the built CLI.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const repo = join(__dirname, '../..');
const script = join(repo, 'scripts/action/run.sh');

function runAction(inputs: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'kl-action-'));
  writeFileSync(
    join(dir, 'keepalived.conf'),
    'vrrp_instance VI_1 {\n    prority 100\n    interface eth0\n    virtual_router_id 51\n    virtual_ipaddress {\n        192.0.2.10\n    }\n}\n',
  );
  writeFileSync(
    join(dir, 'clean.conf'),
    'vrrp_instance VI_1 {\n    priority 100\n    interface eth0\n    virtual_router_id 52\n    virtual_ipaddress {\n        192.0.2.11\n    }\n}\n',
  );
  const output = join(dir, 'github-output');
  writeFileSync(output, '');
  const env: Record<string, string> = { PATH: process.env['PATH'] ?? '', GITHUB_OUTPUT: output };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name}`] = value;
  const r = spawnSync('bash', [script], { cwd: dir, env, encoding: 'utf8' });
  return { ...r, dir, output: readFileSync(output, 'utf8') };
}

describe('the GitHub Action script', () => {
  it('annotates findings and hands exit code 1 to the next steps (the step itself passes)', () => {
    const r = runAction({ PATHS: 'keepalived.conf clean.conf' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('::error file=keepalived.conf,line=2,col=5,');
    expect(r.output).toBe('exit-code=1\n');
  });

  it('passes the version and fail-on inputs, and extra args', () => {
    const clean = runAction({
      PATHS: 'clean.conf',
      FAIL_ON: 'hint',
      VERSION: '2.2.7',
      ARGS: '--rule unknown-keyword=off',
    });
    expect(clean.output).toBe('exit-code=0\n');
    const bad = runAction({ PATHS: 'clean.conf', VERSION: 'latest' });
    expect(bad.stderr).toContain("'latest' is not a keepalived version");
    expect(bad.output).toBe('exit-code=2\n');
  });

  it('writes a SARIF log for the upload step when asked', () => {
    const r = runAction({ PATHS: '.', SARIF: 'true', SARIF_FILE: 'out.sarif', FORMAT: 'text' });
    expect(r.stdout).toContain('keepalived.conf:2:5: error unknown-keyword');
    const log = JSON.parse(readFileSync(join(r.dir, 'out.sarif'), 'utf8'));
    expect(log.runs[0].results.map((x: { ruleId: string }) => x.ruleId)).toEqual(['unknown-keyword']);
    expect(r.output).toBe('exit-code=1\n');
  });

  it('is wired in action.yml with every input the script reads', () => {
    const yml = readFileSync(join(repo, 'action.yml'), 'utf8');
    const read = new Set([...readFileSync(script, 'utf8').matchAll(/INPUT_([A-Z_]+)/g)].map((m) => m[1]!));
    for (const name of read) {
      const input = name.toLowerCase().replace(/_/g, '-');
      expect(yml, input).toContain(`\n  ${input}:\n`);
      expect(yml, input).toContain(`INPUT_${name}: \${{ inputs.${input} }}`);
    }
    expect(yml).toContain('run: bash "$GITHUB_ACTION_PATH/scripts/action/run.sh"');
  });
});
