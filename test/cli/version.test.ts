// The version lives in package.json alone: the CLI, the built bundles and SARIF all report it.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli';

const root = join(__dirname, '../..');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };

describe('the version string', () => {
  it('is the package version, for keepalived-lint --version', () => {
    expect(version).toMatch(/^\d+\.\d+\.\d+/);
    expect(runCli('--version')).toEqual({ code: 0, stdout: version + '\n', stderr: '' });
  });

  it('is the package version in the built CLI and language server', () => {
    for (const bundle of ['dist/cli.js', 'dist/server.js']) {
      expect(execFileSync(process.execPath, [join(root, bundle), '--version'], { encoding: 'utf8' })).toBe(
        version + '\n',
      );
    }
  });

  it('is the package version in SARIF output', () => {
    const log = JSON.parse(runCli('--format', 'sarif', join(root, 'examples')).stdout) as {
      runs: { tool: { driver: { version: string } } }[];
    };
    expect(log.runs[0]!.tool.driver.version).toBe(version);
  });
});
