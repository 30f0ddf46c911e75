// Runs keepalived-lint in process and collects what it prints, for the CLI tests.
import { run } from '../../server/src/cli';

export function runCli(...argv: string[]): { code: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const code = run(
    argv,
    (s) => (stdout += s),
    (s) => (stderr += s),
  );
  return { code, stdout, stderr };
}
