// Scheduler flags as check_parser.c lbflags_handler (2.0.7-2.3) reads them: each case below was run
// through keepalived -t 2.2.7, which reports "FLAG only applies to sh scheduler - ignoring" on exactly
// the lines that get an error here, and nothing on those that get a warning or nothing.
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../server/src/analysis/document';
import { lintFile } from '../../../server/src/checks';

function flagFindings(lines: string[], keepalivedVersion?: string, before: string[] = []) {
  const text = [
    ...before,
    'virtual_server 192.0.2.1 80 {',
    ...lines.map((l) => `  ${l}`),
    '  protocol TCP',
    '}',
    '',
  ].join('\n');
  return lintFile(analyzeText('/k.conf', text, { keepalivedVersion }), { keepalivedVersion })
    .filter((d) => d.rule === 'scheduler-flag-ignored')
    .map((d) => ({ line: d.range.start.line + 1, severity: d.severity, message: d.message }));
}

describe('scheduler-flag-ignored', () => {
  it('is quiet where keepalived sets the flag', () => {
    expect(flagFindings(['lvs_sched sh', 'sh-port', 'sh-fallback'])).toEqual([]);
    expect(flagFindings(['lb_algo mh', 'mh-port', 'mh-fallback', 'ops', 'flag-1'])).toEqual([]);
    expect(flagFindings(['lvs_sched rr', 'flag-2', 'flag-3'])).toEqual([]);
  });

  it('is an error where keepalived reports the flag and drops it', () => {
    const early = flagFindings(['sh-port', 'lvs_sched sh']);
    expect(early).toEqual([
      { line: 2, severity: 'error', message: expect.stringContaining('Move the lvs_sched line above it') },
    ]);
    expect(early[0]!.message).toContain(
      'keepalived reports "sh-port only applies to sh scheduler - ignoring"',
    );
    const wrong = flagFindings(['lvs_sched rr', 'mh-fallback']);
    expect(wrong).toEqual([
      { line: 3, severity: 'error', message: expect.stringContaining("Set 'lvs_sched mh' above it") },
    ]);
    expect(flagFindings(['lvs_sched wlc', 'hashed'])).toMatchObject([{ line: 3, severity: 'error' }]);
  });

  it('warns where keepalived drops the flag without a word', () => {
    expect(flagFindings(['lvs_sched mh', 'sh-port'])).toEqual([
      { line: 3, severity: 'warning', message: expect.stringContaining("Write 'mh-port'") },
    ]);
    expect(flagFindings(['lvs_sched sh', 'hashed'])).toMatchObject([{ line: 3, severity: 'warning' }]);
  });

  it('follows the scheduler read so far, not the last one of the block', () => {
    expect(flagFindings(['lvs_sched sh', 'sh-port', 'lvs_sched rr'])).toEqual([]);
    expect(flagFindings(['lvs_sched rr', 'lvs_sched sh', 'sh-port'])).toEqual([]);
    // An invalid scheduler is ignored ("Invalid lvs_scheduler"): the one before it stays.
    expect(flagFindings(['lvs_sched sh', 'lvs_sched nosuch', 'sh-port'])).toEqual([]);
  });

  it('says nothing when the scheduler cannot be known, and is a warning for keepalived before 2.0.7', () => {
    expect(flagFindings(['lvs_sched {{ sched }}', 'sh-port'])).toEqual([]);
    // A parameter's value counts; an undefined one stays as written, which names no scheduler.
    expect(flagFindings(['lvs_sched $SCHED', 'sh-port'], undefined, ['$SCHED=sh'])).toEqual([]);
    expect(flagFindings(['lvs_sched $SCHED', 'sh-port'])).toMatchObject([{ severity: 'error' }]);
    expect(flagFindings(['lvs_sched rr', 'sh-port'], '2.0.6')).toMatchObject([{ severity: 'warning' }]);
  });

  it('reads each config id on its own', () => {
    const found = flagFindings(['@a lvs_sched sh', '@b lvs_sched rr', 'sh-port']);
    expect(found).toEqual([
      { line: 4, severity: 'error', message: expect.stringMatching(/\(config id b\)$/) },
    ]);
  });
});
