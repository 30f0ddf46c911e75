// Our diagnostics as LSP diagnostics: severity, rule id as code with a link to its documentation,
// source "keepalived", tags, and the fixes carried as data for code actions.
import {
  DiagnosticSeverity,
  DiagnosticTag,
  type Diagnostic as LspDiagnostic,
} from 'vscode-languageserver-types';
import type { Diagnostic } from '../checks';
import type { Fix } from '../checks/finding';
import { ruleDocUrl, type Severity } from '../checks/rules';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export interface DiagnosticData {
  rule: string;
  fixes?: Fix[];
}

export function toLspDiagnostic(d: Diagnostic): LspDiagnostic {
  const tags = d.tags?.map((t) =>
    t === 'unnecessary' ? DiagnosticTag.Unnecessary : DiagnosticTag.Deprecated,
  );
  const data: DiagnosticData = { rule: d.rule, fixes: d.fixes };
  return {
    range: d.range,
    severity: SEVERITY[d.severity],
    code: d.rule,
    codeDescription: { href: ruleDocUrl(d.rule) },
    source: 'keepalived',
    message: d.message,
    ...(tags?.length ? { tags } : {}),
    data,
  };
}
