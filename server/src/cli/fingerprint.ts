// Fingerprints of findings, stable under line moves: the rule, the file, the text of the line the
// finding starts on (whitespace normalised) and which occurrence of that triple it is. Inserting or
// removing lines elsewhere, or re-indenting, keeps a finding's fingerprint; editing its line, or moving
// it to another file, makes it a new finding. SARIF, GitLab Code Quality and baselines all use these.
import type { Hash } from 'node:crypto';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { FileReport } from './format';

/**
 * node:crypto is loaded when a fingerprint is first needed (SARIF, GitLab, baselines): loading it costs a
 * few milliseconds of every CLI start, and most runs print no fingerprint.
 */
function sha256(): Hash {
  return process.getBuiltinModule('node:crypto').createHash('sha256');
}

/** One fingerprint per diagnostic of the report, in order. `fileKey` names the file in the key. */
export function fingerprints(report: FileReport, fileKey: string): string[] {
  const occurrences = new Map<string, number>();
  return report.diagnostics.map((d) => {
    const line = report.lines?.lineText(d.range.start.line) ?? '';
    const key = [d.rule, fileKey, line.trim().replace(/\s+/g, ' ')].join('\0');
    const occurrence = occurrences.get(key) ?? 0;
    occurrences.set(key, occurrence + 1);
    return sha256().update(`${key}\0${occurrence}`).digest('hex').slice(0, 32);
  });
}

/**
 * A report's file relative to `baseDir` with forward slashes (how CI systems name files in a
 * repository), or absolute when it is outside `baseDir`.
 */
export function pathUnder(baseDir: string, report: FileReport): string {
  const absolute = resolve(baseDir, report.path ?? report.file);
  const rel = relative(baseDir, absolute);
  if (rel === '' || isAbsolute(rel) || rel === '..' || rel.startsWith('..' + sep)) return absolute;
  return rel.split(sep).join('/');
}
