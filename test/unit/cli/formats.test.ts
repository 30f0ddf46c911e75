// The CI output formats: GitHub workflow commands, GitLab Code Quality and reviewdog rdjson, each against
// the fixture test/fixtures/formats/keepalived.conf (expected outputs beside it, regenerated with
// `npx vitest run test/unit/cli/formats -u` when a message changes), plus the escaping and position rules
// each format has.
import { join, resolve } from 'node:path';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../../server/src/analysis/document';
import { lintFile } from '../../../server/src/checks';
import type { Diagnostic } from '../../../server/src/checks';
import type { FileReport } from '../../../server/src/cli/format';
import { escapeData, escapeProperty, formatGithub } from '../../../server/src/cli/github';
import { formatGitlab } from '../../../server/src/cli/gitlab';
import { formatRdjson } from '../../../server/src/cli/rdjson';
import { parseArgs } from '../../../server/src/cli/options';
import { LineIndex } from '../../../server/src/syntax/position';
import { runCli } from '../../cli/run-cli';
import { conf, requiredLines } from '../../helpers';

const fixtures = join(__dirname, '../../fixtures/formats');
const fixture = 'test/fixtures/formats/keepalived.conf';
const repo = resolve(__dirname, '../../..');

function report(file: string, text: string): FileReport {
  const analyzed = analyzeText(file, text);
  return { file, lines: analyzed.lines, diagnostics: lintFile(analyzed) };
}

/** A report with one hand-made diagnostic, to put awkward text where the formats must escape it. */
function crafted(file: string, text: string, message: string, start: number, end: number): FileReport {
  const lines = new LineIndex(text);
  const d: Diagnostic = {
    file,
    rule: 'unknown-keyword',
    severity: 'error',
    message,
    range: lines.range(start, end),
    offsets: { start, end },
    fixes: [{ title: 'replace', edits: [{ start, end, newText: 'x' }] }],
  };
  return { file, lines, diagnostics: [d] };
}

describe('--format github', () => {
  it('writes the fixture as workflow-command annotations', async () => {
    const r = runCli('--format', 'github', fixture);
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')[0]).toMatch(
      /^::error file=test\/fixtures\/formats\/keepalived\.conf,line=6,col=5,endLine=6,endColumn=12,title=keepalived-lint unknown-keyword::Unknown keyword/,
    );
    expect(r.stdout).toMatch(/^::warning file=[^\n]*title=keepalived-lint cleartext-auth::/m);
    await expect(r.stdout).toMatchFileSnapshot(join(fixtures, 'expected.github.txt'));
  });

  it('escapes as the Actions runner unescapes: no config text can end a command or start another', () => {
    expect(escapeData('100% done\r\nnext')).toBe('100%25 done%0D%0Anext');
    expect(escapeProperty('a:b,c%\n')).toBe('a%3Ab%2Cc%25%0A');
    expect(escapeData('\x1b[2J')).toBe('\\x1b[2J');
    const out = formatGithub(
      [crafted('dir,x/we:ird.conf', 'bogus\n', "Unknown 'x'\n::warning file=evil::owned", 0, 5)],
      '/repo',
    );
    expect(out.trimEnd().split('\n')).toEqual([
      "::error file=dir%2Cx/we%3Aird.conf,line=1,col=1,endLine=1,endColumn=6,title=keepalived-lint unknown-keyword::Unknown 'x'%0A::warning file=evil::owned",
    ]);
    // Hints and infos are notices; no finding, no output at all.
    expect(formatGithub([], '/repo')).toBe('');
  });
});

describe('--format gitlab', () => {
  // The fields GitLab's Code Quality report reads (its documentation's required ones and our extras).
  const schema = {
    type: 'array',
    items: {
      type: 'object',
      required: ['description', 'check_name', 'fingerprint', 'severity', 'location'],
      properties: {
        type: { const: 'issue' },
        description: { type: 'string', minLength: 1 },
        check_name: { type: 'string', minLength: 1 },
        fingerprint: { type: 'string', pattern: '^[0-9a-f]{32}$' },
        severity: { enum: ['info', 'minor', 'major', 'critical', 'blocker'] },
        categories: { type: 'array', items: { enum: ['Bug Risk', 'Security'] } },
        location: {
          type: 'object',
          required: ['path', 'positions'],
          properties: {
            path: { type: 'string', pattern: '^[^/]' },
            positions: {
              type: 'object',
              required: ['begin'],
              properties: {
                begin: {
                  type: 'object',
                  required: ['line'],
                  properties: { line: { type: 'integer', minimum: 1 } },
                },
              },
            },
          },
        },
      },
    },
  };
  const validate = new Ajv({ allErrors: true }).compile(schema);

  it('writes the fixture as a Code Quality report', async () => {
    const r = runCli('--format', 'gitlab', fixture);
    expect(r.code).toBe(1);
    const issues = JSON.parse(r.stdout);
    expect(validate(issues), JSON.stringify(validate.errors)).toBe(true);
    expect(
      issues.map((i: { check_name: string; severity: string }) => `${i.check_name}:${i.severity}`),
    ).toEqual(['unknown-keyword:major', 'cleartext-auth:minor']);
    expect(issues[1].categories).toEqual(['Security']);
    expect(issues[0].location).toEqual({
      path: fixture,
      positions: { begin: { line: 6, column: 5 }, end: { line: 6, column: 12 } },
    });
    await expect(r.stdout).toMatchFileSnapshot(join(fixtures, 'expected.gitlab.json'));
  });

  it('keeps fingerprints when lines move, and tells identical lines apart', () => {
    const text = conf(
      'vrrp_instance VI_1 {',
      '  prority 100',
      ...requiredLines(51, '192.0.2.10'),
      '}',
      'vrrp_instance VI_2 {',
      '  prority 100',
      ...requiredLines(52, '192.0.2.11'),
      '}',
    );
    const prints = (t: string) =>
      JSON.parse(formatGitlab([report('/repo/k.conf', t)], '/repo')).map(
        (i: { fingerprint: string }) => i.fingerprint,
      );
    const before = prints(text);
    expect(new Set(before).size).toBe(2);
    expect(prints('# moved down\n\n' + text.replace(/  prority/g, '\tprority'))).toEqual(before);
    expect(JSON.parse(formatGitlab([report('/repo/other.conf', text)], '/repo'))[0].fingerprint).not.toBe(
      before[0],
    );
  });
});

describe('--format rdjson', () => {
  it('writes the fixture as a reviewdog DiagnosticResult, fixes as suggestions', async () => {
    const r = runCli('--format', 'rdjson', fixture);
    expect(r.code).toBe(1);
    const result = JSON.parse(r.stdout);
    expect(result.source.name).toBe('keepalived-lint');
    const [typo, auth] = result.diagnostics;
    expect(typo).toMatchObject({
      location: { path: fixture, range: { start: { line: 6, column: 5 }, end: { line: 6, column: 12 } } },
      severity: 'ERROR',
      code: { value: 'unknown-keyword' },
      suggestions: [
        { range: { start: { line: 6, column: 5 }, end: { line: 6, column: 12 } }, text: 'priority' },
      ],
    });
    expect(auth).toMatchObject({ severity: 'WARNING', code: { value: 'cleartext-auth' } });
    await expect(r.stdout).toMatchFileSnapshot(join(fixtures, 'expected.rdjson.json'));
  });

  it('counts columns in UTF-8 bytes, as the format defines them', () => {
    // 'é' is one UTF-16 unit and two UTF-8 bytes; '𐐀' two units and four bytes.
    const text = '# é 𐐀\nfoo é𐐀 bad\n';
    const start = text.indexOf('bad');
    const out = JSON.parse(formatRdjson([crafted('/repo/k.conf', text, 'm', start, start + 3)], '/repo'));
    const d = out.diagnostics[0];
    expect(d.location).toEqual({
      path: 'k.conf',
      range: { start: { line: 2, column: 12 }, end: { line: 2, column: 15 } },
    });
    expect(d.suggestions).toEqual([{ range: d.location.range, text: 'x' }]);
  });
});

describe('the format option', () => {
  it('accepts the CI formats and names them all when given another', () => {
    for (const f of ['github', 'gitlab', 'rdjson']) expect(parseArgs(['--format', f, 'x']).format).toBe(f);
    const r = runCli('--format', 'checkstyle', 'x.conf');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown format 'checkstyle': use text, json, sarif, github, gitlab, rdjson");
  });

  it('names files relative to the working folder (the checkout), even when given absolute', () => {
    const r = runCli('--format', 'github', join(repo, fixture));
    expect(r.stdout).toContain(`file=${fixture},`);
    const outside = formatGithub([crafted('/elsewhere/k.conf', 'bogus\n', 'm', 0, 5)], repo);
    expect(outside).toContain('file=/elsewhere/k.conf,');
  });
});
