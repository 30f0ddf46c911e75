// Text output is inert: a config's control characters (ESC [2J, OSC title sequences, C1 controls, bidi
// overrides) and a file name's are shown as visible escapes, never passed to the terminal; the caret
// still points at the escaped word. JSON and SARIF keep the exact text (JSON escapes it), for any name.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli';
import { escapeControls } from '../../server/src/cli/format';

/** Every control character but line feed (which separates lines) and tab. */
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

const dir = mkdtempSync(join(tmpdir(), 'kl-cli-escape-'));
const hostile = [
  'vrrp_instance VI_1 {',
  '    pri\u001b[2Jority 100',
  '    \u001b]0;pwned\u0007 1',
  '    state \u009bBACKUP',
  '    \u202eevil 1',
  '}',
  '',
].join('\n');

describe('escapeControls', () => {
  it('escapes C0 (but tab), DEL, C1, bidi controls and lone surrogates, and keeps everything else', () => {
    expect(escapeControls('a\u001b[2Jb')).toBe('a\\x1b[2Jb');
    expect(escapeControls('\u0000\u0007\r\n\u007f\u009b')).toBe('\\x00\\x07\\x0d\\x0a\\x7f\\x9b');
    expect(escapeControls('\u202eabc\u2066')).toBe('\\u202eabc\\u2066');
    expect(escapeControls('\ud800x')).toBe('\\ud800x');
    expect(escapeControls('tab\there é 日本 😀 \\x1b')).toBe('tab\there é 日本 😀 \\x1b');
  });
});

describe('keepalived-lint output', () => {
  it('never passes control characters of the config to the terminal, and keeps the caret on the word', () => {
    const path = join(dir, 'hostile.conf');
    writeFileSync(path, hostile);
    for (const color of [[], ['--color']]) {
      const r = runCli(...color, path);
      expect(r.code).toBe(1);
      // Colour codes are ours (ESC [ ... m); nothing else of the kind may appear.
      const withoutColour = r.stdout.replace(/\u001b\[[0-9;]*m/g, '');
      expect(withoutColour).not.toMatch(RAW_CONTROL);
      expect(withoutColour).toContain("Unknown keyword 'pri\\x1b[2Jority'");
      expect(withoutColour).toContain('\\x1b]0;pwned\\x07');
      expect(withoutColour).toContain('\\x9bBACKUP');
      expect(withoutColour).toContain('\\u202eevil');
    }
    const lines = runCli(path).stdout.split('\n');
    const source = lines.indexOf('      pri\\x1b[2Jority 100');
    expect(source).toBeGreaterThan(0);
    expect(lines[source + 1]).toBe('      ^' + '~'.repeat('pri\\x1b[2Jority'.length - 1));
  });

  it('keeps the exact text in JSON and SARIF', () => {
    const path = join(dir, 'hostile.conf');
    writeFileSync(path, hostile);
    const json = JSON.parse(runCli('--format', 'json', path).stdout) as {
      diagnostics: { message: string }[];
    };
    expect(json.diagnostics.map((d) => d.message)).toContain(
      "Unknown keyword 'pri\u001b[2Jority' in 'vrrp_instance'. Did you mean 'priority'?",
    );
    const sarif = JSON.parse(runCli('--format', 'sarif', path).stdout) as {
      runs: { results: { message: { text: string } }[] }[];
    };
    expect(sarif.runs[0]!.results.map((r) => r.message.text).join('\n')).toContain('pri\u001b[2Jority');
  });

  it('escapes hostile file names in text, and JSON and SARIF stay valid for any name', () => {
    for (const name of [
      'with space.conf',
      'unicodé 日本.conf',
      'new\nline.conf',
      'esc\u001b]0;t\u0007.conf',
    ]) {
      const path = join(dir, name);
      writeFileSync(path, 'vrrp_instance VI_1 {\n    prority 100\n}\n');
      const text = runCli(path);
      expect(text.code).toBe(1);
      expect(text.stdout).toContain(`${escapeControls(path)}:2:5: error unknown-keyword`);
      expect(text.stdout.replace(/\n/g, '')).not.toMatch(RAW_CONTROL);
      const json = JSON.parse(runCli('--format', 'json', path).stdout) as { diagnostics: { file: string }[] };
      expect(json.diagnostics[0]!.file).toBe(path);
      const sarif = JSON.parse(runCli('--format', 'sarif', path).stdout) as {
        runs: { artifacts: { location: { uri: string } }[] }[];
      };
      const location = sarif.runs[0]!.artifacts[0]!.location.uri;
      expect(decodeURIComponent(location)).toContain(name);
      expect(location).not.toMatch(/[\s\u0000-\u001f]/);
    }
  });

  it('escapes what stderr quotes: paths that cannot be read', () => {
    const r = runCli(join(dir, 'missing\u001b[2J.conf'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('missing\\x1b[2J.conf');
    expect(r.stderr).not.toMatch(RAW_CONTROL);
  });
});
