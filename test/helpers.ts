// Small helpers shared by the unit tests.
import { analyzeText, type AnalyzeOptions } from '../server/src/analysis/document';
import { lintFile, type Diagnostic, type LintOptions } from '../server/src/checks';

/** Lints an inline config; returns its diagnostics. */
export function lint(text: string, options: LintOptions & AnalyzeOptions = {}): Diagnostic[] {
  return lintFile(
    analyzeText('test.conf', text, {
      configId: options.configId,
      keepalivedVersion: options.keepalivedVersion,
      template: options.template,
    }),
    options,
  );
}

/** The rule ids reported, optionally only those of one rule, as "line:rule" (1-based lines). */
export function rulesAt(text: string, options: LintOptions & AnalyzeOptions = {}): string[] {
  return lint(text, options).map((d) => `${d.range.start.line + 1}:${d.rule}`);
}

/** Joins lines with newlines: keeps multi-line fixtures readable. */
export function conf(...lines: string[]): string {
  return lines.join('\n') + '\n';
}
