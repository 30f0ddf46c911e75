// `--format gitlab`: GitLab Code Quality (a subset of the Code Climate issue format), shown in merge
// requests. Each finding has a fingerprint stable under line moves (fingerprint.ts), so GitLab tells new
// findings from ones the target branch already had; paths are relative to the project folder.
import { ruleDocUrl, type Category, type Severity } from '../checks/rules';
import { RULES } from '../checks/families';
import type { FileReport } from './format';
import { fingerprints, pathUnder } from './fingerprint';

/** Code Quality categories by the rule's own category. */
const CODE_QUALITY_CATEGORY: Record<Category, string> = {
  syntax: 'Bug Risk',
  correctness: 'Bug Risk',
  cluster: 'Bug Risk',
  scripts: 'Bug Risk',
  security: 'Security',
  style: 'Style',
  linter: 'Bug Risk',
};

/** Code Quality severities: info, minor, major, critical, blocker. */
const SEVERITY: Record<Severity, string> = { error: 'major', warning: 'minor', info: 'info', hint: 'info' };

export interface CodeQualityIssue {
  type: 'issue';
  check_name: string;
  description: string;
  content: { body: string };
  categories: string[];
  severity: string;
  fingerprint: string;
  location: {
    path: string;
    positions: { begin: { line: number; column: number }; end: { line: number; column: number } };
  };
}

export function formatGitlab(reports: FileReport[], baseDir: string): string {
  const issues: CodeQualityIssue[] = [];
  for (const report of reports) {
    const path = pathUnder(baseDir, report);
    const prints = fingerprints(report, path);
    report.diagnostics.forEach((d, i) => {
      issues.push({
        type: 'issue',
        check_name: d.rule,
        description: d.message,
        content: { body: `See ${ruleDocUrl(d.rule)}` },
        categories: [CODE_QUALITY_CATEGORY[RULES.get(d.rule)?.category ?? 'correctness']],
        severity: SEVERITY[d.severity],
        fingerprint: prints[i]!,
        location: {
          path,
          positions: {
            begin: { line: d.range.start.line + 1, column: d.range.start.character + 1 },
            end: { line: d.range.end.line + 1, column: d.range.end.character + 1 },
          },
        },
      });
    });
  }
  return JSON.stringify(issues, null, 2) + '\n';
}
