// Parity with keepalived's own checker on real configs: run Debian's `keepalived -t` (2.2.7) and our
// engine targeting 2.2.7 over ../shared/corpus, and compare line by line.
// - No false alarms: every error we report is on a line keepalived also reports something on.
// - No misses: every unknown keyword, bad value or brace error keepalived reports, we report on that line.
// keepalived runs through scripts/oracle.mjs: in a network namespace that has every interface the config
// names (so no "interface doesn't exist" on any line), and with a shim that keeps 2.2.7's -t from killing
// itself (SIGTERM, exit 143, no message) at the first script that runs as a non-root user. A killed run
// said nothing about the rest of the file, so it is never counted as agreement.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeFileSystem } from '../../server/src/node/fs';
import { Workspace } from '../../server/src/analysis/workspace';
import { lintFile } from '../../server/src/checks';
import {
  keepalivedAvailable,
  MUST_FIND,
  oracleIsolation,
  oracleShim,
  runOracle,
  // @ts-expect-error plain ES module without types
} from '../../scripts/oracle.mjs';
// @ts-expect-error plain ES module without types
import { reportedWithoutLine } from '../../scripts/parity.mjs';

const corpus = join(__dirname, '../../../shared/corpus');
const folders = ['keepalived-samples', 'real'];
/** keepalived stops at a fatal error, so the lines after it say nothing about the rest of the file. */
const FATAL = /is missing a parameter after keyword/;
/**
 * What keepalived says about this machine rather than the config: interfaces it lacks. The oracle's
 * namespace has every interface the config names, so these only appear when it could not isolate the
 * run (not root); they never count as keepalived reporting something on the line.
 */
const MACHINE = /^WARNING - interface .* doesn't exist|^\(.*\) tracked interface .* doesn't exist/;

interface OracleMessage {
  line?: number;
  text: string;
}
interface OracleResult {
  timedOut: boolean;
  killed: boolean;
  messages: OracleMessage[];
  /** What keepalived logged (the shim's capture), null when nothing. */
  log: string[] | null;
}

describe('parity with keepalived -t on ../shared/corpus', () => {
  it('needs the corpus and keepalived (installed by .ci/run)', () => {
    expect(existsSync(corpus), `${corpus} is missing`).toBe(true);
    expect(keepalivedAvailable(), 'keepalived is not installed: apt-get install -y keepalived').toBe(true);
  });

  it('reports no error keepalived does not, and finds every keyword/value/brace error it reports', () => {
    const shim = oracleShim() as { path: string | null; error?: string };
    const isolation = oracleIsolation() as { isolated: boolean; error?: string };
    const falseAlarms: string[] = [];
    const misses: string[] = [];
    const killed: string[] = [];
    const stats = { files: 0, timedOut: 0, killed: 0, fatal: 0, oracleFindings: 0, matched: 0, ourErrors: 0 };
    for (const folder of folders) {
      for (const name of readdirSync(join(corpus, folder)).sort()) {
        if (name.endsWith('.NOTKEEPALIVED')) continue;
        const path = join(corpus, folder, name);
        stats.files++;
        const oracle = runOracle(path) as OracleResult;
        if (oracle.timedOut) {
          stats.timedOut++;
          continue;
        }
        if (oracle.killed) {
          stats.killed++;
          killed.push(`${folder}/${name}`);
          continue;
        }
        // Read as the CLI does: from disk, includes followed.
        const file = new Workspace(nodeFileSystem, { keepalivedVersion: '2.2.7' }).analysis(path)!;
        const ours = lintFile(file, { keepalivedVersion: '2.2.7', security: { fs: nodeFileSystem } });
        const ourLines = new Set(ours.map((d) => d.range.start.line + 1));
        const theirLines = new Set(
          oracle.messages.flatMap((m) => (m.line && !MACHINE.test(m.text) ? [m.line] : [])),
        );
        const fatal = oracle.messages.some((m) => FATAL.test(m.text));
        if (fatal) {
          stats.fatal++;
          if (!ours.some((d) => d.rule === 'missing-argument'))
            misses.push(`${folder}/${name}: fatal missing parameter not found`);
          continue;
        }
        // What keepalived decides once the config is read it says without a line (or only logs).
        const unlined = oracle.messages.filter((m) => !m.line).map((m) => m.text);
        for (const d of ours.filter((x) => x.severity === 'error')) {
          stats.ourErrors++;
          if (
            !theirLines.has(d.range.start.line + 1) &&
            !reportedWithoutLine(d.rule, d.message, unlined, oracle.log ?? [])
          )
            falseAlarms.push(`${folder}/${name}:${d.range.start.line + 1} ${d.rule}: ${d.message}`);
        }
        for (const m of oracle.messages) {
          if (!m.line || !MUST_FIND.some((r: RegExp) => r.test(m.text))) continue;
          stats.oracleFindings++;
          if (ourLines.has(m.line)) stats.matched++;
          else misses.push(`${folder}/${name}:${m.line} keepalived: ${m.text}`);
        }
      }
    }
    const compared = stats.files - stats.timedOut - stats.killed;
    console.log(
      `parity: ${stats.files} files, ${compared} compared (${stats.timedOut} timed out, ${stats.killed} killed, ${stats.fatal} fatal; ` +
        `${isolation.isolated ? 'isolated' : `not isolated: ${isolation.error}`}, ${shim.path ? 'shim' : `no shim: ${shim.error}`}); ` +
        `keepalived findings on lines: ${stats.oracleFindings}, found by us: ${stats.matched}; our errors: ${stats.ourErrors}, false alarms: ${falseAlarms.length}`,
    );
    // Without the shim a killed run is expected (and reported above); with it, it means the shim failed.
    if (shim.path) expect(killed, 'keepalived -t killed itself although the shim was loaded').toEqual([]);
    expect(falseAlarms).toEqual([]);
    expect(misses).toEqual([]);
  });
});
