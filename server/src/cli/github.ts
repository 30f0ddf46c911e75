// `--format github`: GitHub Actions workflow commands, one annotation per finding
// (`::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`), shown on the pull request's
// changed lines. Escaped as the Actions runner unescapes them: in the message `%`, CR and LF; in a
// property also `:` and `,`. A config's text can thus never end the command early or start another one
// (a message with a line break and `::warning::` inside stays one annotation). Other control characters
// are shown as escapes, as in the text format, so the job log cannot be driven either.
import type { Severity } from '../checks/rules';
import { escapeControls, type FileReport } from './format';
import { pathUnder } from './fingerprint';

const COMMAND: Record<Severity, string> = {
  error: 'error',
  warning: 'warning',
  info: 'notice',
  hint: 'notice',
};

/** The message part of a workflow command. */
export function escapeData(text: string): string {
  return escapeControls(text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A'));
}

/** A property value of a workflow command. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** Paths are relative to `baseDir` (the checkout, where the workflow runs), as annotations need. */
export function formatGithub(reports: FileReport[], baseDir: string): string {
  const out: string[] = [];
  for (const report of reports) {
    const file = pathUnder(baseDir, report);
    for (const d of report.diagnostics) {
      const { start, end } = d.range;
      const properties = [
        `file=${escapeProperty(file)}`,
        `line=${start.line + 1}`,
        `col=${start.character + 1}`,
        `endLine=${end.line + 1}`,
        `endColumn=${end.character + 1}`,
        `title=${escapeProperty(`keepalived-lint ${d.rule}`)}`,
      ];
      out.push(`::${COMMAND[d.severity]} ${properties.join(',')}::${escapeData(d.message)}`);
    }
  }
  return out.length ? out.join('\n') + '\n' : '';
}
