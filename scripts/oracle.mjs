// Runs keepalived's own checker (`keepalived -t -l -D -f FILE`, from Debian's package) on a config and
// returns what it said, per line. It only reads the config; it starts nothing. Used by the parity suite.
import { spawnSync } from 'node:child_process';
import { basename, dirname, resolve } from 'node:path';

export function keepalivedAvailable() {
  const r = spawnSync('keepalived', ['--version'], { encoding: 'utf8' });
  return r.status === 0 || /Keepalived v/.test((r.stderr ?? '') + (r.stdout ?? ''));
}

/**
 * @returns {{ exitCode: number | null, timedOut: boolean, messages: { line?: number, text: string }[] }}
 */
export function runOracle(file, timeoutMs = 15000) {
  const abs = resolve(file);
  const r = spawnSync('keepalived', ['-t', '-l', '-D', '-f', abs], {
    cwd: dirname(abs),
    encoding: 'utf8',
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
  });
  const timedOut = r.error?.code === 'ETIMEDOUT' || r.signal === 'SIGKILL';
  return { exitCode: r.status, timedOut, messages: parseOracle(r.stderr ?? '', basename(abs)) };
}

/** Splits keepalived's stderr into messages with the 1-based line they name (if any). */
export function parseOracle(stderr, fileName) {
  const messages = [];
  for (const raw of stderr.split('\n')) {
    const text = raw.trim();
    if (!text) continue;
    const m = /^\((?:(.+?): )?Line (\d+)\) (.*)$/.exec(text);
    if (m && (!m[1] || basename(m[1]) === fileName)) messages.push({ line: Number(m[2]), text: m[3] });
    else if (!m) messages.push({ text });
  }
  return messages;
}

/** Messages that say the config itself is wrong in a way a linter must find on the same line. */
export const MUST_FIND = [
  /^Unknown keyword '/,
  /^invalid number '/,
  /^number '.*' outside (integer )?range/,
  /^negative number '/,
  /has too many decimal places/,
  /^Extra '}' found/,
  /^Missing '\{' at beginning/,
  /^Unexpected '\{'/,
  /unknown state '/,
  /VRRP parsed invalid IP/,
  /malformed unicast peer address/,
  /unknown authentication type/,
  /^Unmatched quote/,
  /^Unterminated quote/,
  /Truncating auth_pass/,
  /Interface name '.*' too long/,
  /is missing a parameter after keyword/,
  /Invalid lvs_scheduler/,
];
