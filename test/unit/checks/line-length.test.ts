// line-too-long against keepalived's read_line() (lib/parser.c): fgets(buf, MAXBUF = 1024) reads at most
// 1023 bytes. Before 2.4.0 the rest of a longer line is the next line; from 2.4.0 a read that fills the
// buffer without its '\n' is "line too long - ignoring". The 2.2.7 cases were run through `keepalived -t`
// (Debian 12): 1023 bytes exit 0; 1024 bytes exit 5 with "(Line 2) Unknown keyword 'r'".
import { describe, expect, it } from 'vitest';
import { lint } from '../../helpers';

const routerId = (bytes: number) => `    router_id ${'r'.repeat(bytes - 14)}`;
const inGlobal = (line: string, eol = '\n') => ['global_defs {', line, '}', ''].join(eol);

function longLines(text: string, keepalivedVersion?: string) {
  return lint(text, { keepalivedVersion }).filter((d) => d.rule === 'line-too-long');
}

describe('line-too-long for keepalived 2.2.7 (fgets pieces of 1023 bytes, each read as a line)', () => {
  it('is quiet for a 1023-byte line: fgets reads it whole, the next read only gets its "\\n"', () => {
    expect(longLines(inGlobal(routerId(1023)), '2.2.7')).toEqual([]);
    expect(longLines(inGlobal(routerId(1023), '\r\n'), '2.2.7')).toEqual([]);
  });

  it('fires on a 1024-byte line: byte 1024 is read as a new line ("Unknown keyword \'r\'")', () => {
    const [d, ...more] = longLines(inGlobal(routerId(1024)), '2.2.7');
    expect(more).toEqual([]);
    expect(d!.severity).toBe('error');
    expect(d!.range.start).toEqual({ line: 1, character: 1023 });
    expect(d!.message).toBe(
      `This line is 1024 bytes long; keepalived 2.2.7 reads a line with fgets() into a 1024-byte buffer (MAXBUF), so it reads the first 1023 bytes as this line and the rest, from byte 1024, as a line of its own: a word is cut there and 'r' is read as a keyword (keepalived: "Unknown keyword 'r'" unless it is one). Keep lines to 1023 bytes.`,
    );
  });

  it('counts every further 1023 bytes as one more line (2048 bytes: keepalived reports two unknown keywords)', () => {
    expect(longLines(inGlobal(routerId(2048)), '2.2.7')[0]!.message).toContain('as 2 more lines');
  });

  it("reads the rest of a long '#' comment as configuration (keepalived -t accepted a hidden router_id)", () => {
    const [d] = longLines(inGlobal(`#${' '.repeat(1022)}router_id evil`), '2.2.7');
    expect(d!.severity).toBe('error');
    expect(d!.message).toContain("the '#' comment does not carry over, so 'router_id' is read as a keyword");
  });

  it('cuts a quoted string: keepalived -t reported "Unmatched quote" for both pieces (exit 5)', () => {
    const pre = '    notify "/usr/local/bin/notify --webhook https://hooks.example.com/';
    const [d] = longLines(inGlobal(`${pre}${'x'.repeat(1027 - pre.length - 1)}"`), '2.2.7');
    expect(d!.message).toContain(
      `the quoted string is cut there (keepalived: "Unmatched quote") and 'xxx"' is read as a line with an unmatched quote`,
    );
  });

  it('counts bytes, not characters (2-byte é: keepalived cut the character in two)', () => {
    expect(longLines(inGlobal(`# ${'é'.repeat(511)}`), '2.2.7')).toHaveLength(1); // 1024 bytes
    expect(longLines(inGlobal(`#${'é'.repeat(511)}`), '2.2.7')).toEqual([]); // 1023 bytes
  });

  it('is only a warning when the rest is a comment, and quiet when it is blank (nothing is read from it)', () => {
    expect(longLines(inGlobal('#'.repeat(1100)), '2.2.7').map((d) => d.severity)).toEqual(['warning']);
    expect(longLines(inGlobal(` router_id x${' '.repeat(1100)}`), '2.2.7')).toEqual([]);
  });

  it('applies to every release before 2.4.0 (2.3.4 still has no check in read_line())', () => {
    expect(longLines(inGlobal(routerId(1023)), '2.3.4')).toEqual([]);
    expect(longLines(inGlobal(routerId(1024)), '2.3')).toHaveLength(1);
  });
});

describe('line-too-long for keepalived 2.4.0 and later ("line too long - ignoring", commit f220eaa8)', () => {
  it('fires on a 1023-byte line with LF: with its "\\n" it does not fit in 1023 bytes', () => {
    const [d] = longLines(inGlobal(routerId(1023)), '2.4.0');
    expect(d!.severity).toBe('error');
    expect(d!.message).toBe(
      `This line is 1024 bytes long with its line break (LF); keepalived 2.4.0 reads a line with fgets() into a 1024-byte buffer (MAXBUF), which holds 1023 bytes including the line break, so it logs "line too long - ignoring" and drops the first 1023 bytes. Keep lines to 1022 bytes.`,
    );
  });

  it('is quiet for 1022 bytes with LF and 1021 with CRLF (the "\\n" is the 1023rd byte)', () => {
    expect(longLines(inGlobal(routerId(1022)), '2.4.3')).toEqual([]);
    expect(longLines(inGlobal(routerId(1021), '\r\n'), '2.4.3')).toEqual([]);
    expect(longLines(inGlobal(routerId(1022), '\r\n'), '2.4.3')[0]!.message).toContain(
      'Keep lines to 1021 bytes with CRLF line breaks',
    );
  });

  it('fires on a 1023-byte last line without a line break (the read fills the buffer, not at EOF)', () => {
    expect(longLines(`global_defs {\n}\n#${'x'.repeat(1022)}`, '2.4.3')).toHaveLength(1);
    expect(longLines(`global_defs {\n}\n#${'x'.repeat(1021)}`, '2.4.3')).toEqual([]);
  });

  it('says the rest after the dropped 1023 bytes is still read as a line', () => {
    expect(longLines(inGlobal(routerId(1500)), '2.4')[0]!.message).toContain(
      "the rest, from byte 1024 ('rrrr",
    );
  });

  it('uses the newest behaviour when no version is targeted, and says what older ones do', () => {
    const [d] = longLines(inGlobal(routerId(1023)));
    expect(d!.message).toContain('keepalived 2.4.0 and later read a line');
    expect(d!.message).toContain('Before 2.4.0, keepalived reads the first 1023 bytes as the line');
  });
});
