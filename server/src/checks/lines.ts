// Lines too long for keepalived's line buffer. Every keepalived version reads the config with
// fgets(buf, MAXBUF, stream), MAXBUF = 1024 (schema/limits.ts; read_line() in lib/parser.c), so one read takes
// at most 1023 bytes; what happens to a longer line depends on the version:
// - before 2.4.0 each 1023-byte piece is simply the next line: the first 1023 bytes are read as this line
//   (a value is cut there) and byte 1024 onwards as a line of its own, parsed as configuration even when
//   the line is a '#' comment. A line of 1023 bytes (line break not counted) is read whole.
// - from 2.4.0 (commit f220eaa8) a read that fills the buffer without reaching the line break is reported
//   ("line too long - ignoring", a config error) and dropped; what follows it is still read as a line. So
//   the line *with* its line break must fit in 1023 bytes: 1022 bytes with LF, 1021 with CRLF.
import type { Rule } from './rules';
import type { RuleFamily } from './family';
import type { AnalyzedFile } from '../analysis/document';
import { MAXBUF } from '../schema/limits';
import { compareVersions } from '../schema/version';
import type { Finding } from './finding';

/** fgets(buf, MAXBUF) reads at most MAXBUF - 1 bytes. */
export const READ_BYTES = MAXBUF - 1;

/** The version that rejects over-long lines ("line too long - ignoring"). */
const REJECTS_SINCE = '2.4.0';

export function checkLineLengths(
  file: AnalyzedFile,
  keepalivedVersion: string | undefined,
): (Finding & { severity?: 'warning' })[] {
  const out: (Finding & { severity?: 'warning' })[] = [];
  const rejects = !keepalivedVersion || compareVersions(keepalivedVersion, REJECTS_SINCE) >= 0;
  for (let line = 0; line < file.lines.lineCount; line++) {
    // Measured before the line is cut out: almost every line is far too short to matter.
    const start = file.lines.lineStart(line);
    const breakAt = file.lines.lineEnd(line);
    if (breakAt - start < (READ_BYTES - 1) / 4) continue; // at most 4 bytes per character
    const text = file.text.slice(start, breakAt);
    const content = Buffer.from(text, 'utf8');
    if (content.length < READ_BYTES - 1) continue;
    const eol = file.text.startsWith('\r\n', breakAt) ? '\r\n' : breakAt < file.text.length ? '\n' : '';
    const raw = Buffer.concat([content, Buffer.from(eol)]);
    const pieces = fgetsPieces(raw);
    if (rejects) {
      // 2.4.0+: every piece that fills the buffer without its '\n' is dropped with an error.
      const dropped = pieces.filter((p) => p.length === READ_BYTES && p[p.length - 1] !== 0x0a).length;
      if (dropped === 0) continue;
      const restAt = dropped * READ_BYTES;
      const rest = stripEol(raw.subarray(restAt)).toString('utf8');
      const max = READ_BYTES - Math.max(1, eol.length);
      const withBreak = eol ? ` with its line break (${eol === '\r\n' ? 'CRLF' : 'LF'})` : '';
      const drops =
        dropped > 1
          ? `logs "line too long - ignoring" ${dropped} times and drops the first ${restAt} bytes`
          : `logs "line too long - ignoring" and drops the first ${READ_BYTES} bytes`;
      const remainder = rest.trim()
        ? `; the rest, from byte ${restAt + 1} ('${preview(rest)}'), is still read as a line of its own`
        : '';
      const older = keepalivedVersion
        ? ''
        : ` (Before ${REJECTS_SINCE}, keepalived reads the first ${READ_BYTES} bytes as the line and the rest as a new line.)`;
      out.push({
        rule: 'line-too-long',
        message: `This line is ${raw.length} bytes long${withBreak}; keepalived ${keepalivedVersion ? `${keepalivedVersion} reads` : `${REJECTS_SINCE} and later read`} a line with fgets() into a ${MAXBUF}-byte buffer (MAXBUF), which holds ${READ_BYTES} bytes including the line break, so it ${drops}${remainder}. Keep lines to ${max} bytes${eol === '\r\n' ? ' with CRLF line breaks' : ''}.${older}`,
        start,
        end: breakAt,
      });
      continue;
    }
    // Before 2.4.0: each piece after the first is read as a new line.
    if (pieces.length === 1) continue;
    const later = pieces.slice(1).map((p) => stripEol(p).toString('utf8'));
    const rest = later.join('');
    if (!rest.trim() && later.every((p) => !p.trim())) continue; // only the line break was left over
    const first = pieces[0]!.toString('utf8');
    const harmless = later.every((p) => /^\s*([#!]|$)/.test(p)) && !openQuote(first);
    const cutAt = start + charIndexOfByte(text, READ_BYTES);
    const word = /^\s*(\S+)/.exec(later[0]!)?.[1];
    const comment = /^\s*[#!]/.test(first);
    const newLines = later.length > 1 ? `${later.length} more lines` : 'a line of its own';
    const splitsWord = /\S$/.test(first) && /^\S/.test(later[0]!);
    const keyword = (word ?? rest).trim();
    const unknown = keyword.length > 40 ? '"Unknown keyword"' : `"Unknown keyword '${keyword}'"`;
    const cut = openQuote(first)
      ? 'the quoted string is cut there (keepalived: "Unmatched quote") and '
      : comment
        ? "the '#' comment does not carry over, so "
        : splitsWord
          ? 'a word is cut there and '
          : '';
    const read = openQuote(later[0]!)
      ? `'${preview(keyword)}' is read as a line with an unmatched quote`
      : `'${preview(keyword)}' is read as a keyword (keepalived: ${unknown} unless it is one)`;
    const effect = harmless
      ? `here that part is only a comment, so nothing is lost, but anything written there would be read as configuration`
      : cut + read;
    out.push({
      rule: 'line-too-long',
      severity: harmless ? 'warning' : undefined,
      message: `This line is ${content.length} bytes long; keepalived ${keepalivedVersion} reads a line with fgets() into a ${MAXBUF}-byte buffer (MAXBUF), so it reads the first ${READ_BYTES} bytes as this line and the rest, from byte ${READ_BYTES + 1}, as ${newLines}: ${effect}. Keep lines to ${READ_BYTES} bytes.`,
      start: harmless ? start : cutAt,
      end: breakAt,
    });
  }
  return out;
}

/** What successive fgets(buf, MAXBUF) calls return for one line (its bytes with the line break). */
function fgetsPieces(raw: Buffer): Buffer[] {
  const pieces: Buffer[] = [];
  for (let at = 0; at < raw.length; at += READ_BYTES) pieces.push(raw.subarray(at, at + READ_BYTES));
  return pieces;
}

/** read_line() strips trailing '\n' and '\r'. */
function stripEol(piece: Buffer): Buffer {
  let end = piece.length;
  while (end > 0 && (piece[end - 1] === 0x0a || piece[end - 1] === 0x0d)) end--;
  return piece.subarray(0, end);
}

/** An odd number of '"' before any comment: a quoted string is cut. */
function openQuote(text: string): boolean {
  let open = false;
  for (const c of text) {
    if (c === '"') open = !open;
    else if (!open && (c === '#' || c === '!')) break;
  }
  return open;
}

/** The UTF-16 index of the character holding byte `byte` of `text` (UTF-8). */
function charIndexOfByte(text: string, byte: number): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.codePointAt(i)!;
    const size = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    if (bytes + size > byte) return i;
    bytes += size;
    if (code >= 0x10000) i++;
  }
  return text.length;
}

function preview(text: string): string {
  const t = text.trim();
  return t.length > 40 ? `${t.slice(0, 40)}...` : t;
}

/** What this family reports: the rule records `--help`, SARIF and docs/rules.md read (checks/families.ts). */
const rules = [
  {
    id: 'line-too-long',
    severity: 'error',
    category: 'syntax',
    scope: 'line',
    description:
      'A line keepalived cannot read whole: fgets() into its 1024-byte buffer takes 1023 bytes; before 2.4.0 the rest is read as a new line, from 2.4.0 a line that does not fit with its line break is dropped ("line too long - ignoring").',
  },
] as const satisfies readonly Rule[];

// Adds these ids to RuleId (./rules.ts), so a finding of any family names a rule that exists.
declare module './rules' {
  interface FamilyRules {
    lines: typeof rules;
  }
}

export const family: RuleFamily = {
  name: 'lines',
  rules,
  // No check of its own: structure.ts calls checkLineLengths in its file check.
  checks: [],
};
