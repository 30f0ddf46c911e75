// Brace problems: the parser and the reader record what happened to each brace (analysis/types.ts
// BraceEvent, syntax/ast.ts SyntaxProblem), and this check alone words them, as keepalived's consequence.
import type { AnalyzedFile, BraceEvent } from '../analysis/document';
import type { RatedFinding, RuleFamily } from './family';
import type { Rule } from './rules';

/** Runs before the other file checks (checks/families.ts), where brace findings have always come. */
export function checkBraces(file: AnalyzedFile): RatedFinding[] {
  const out: RatedFinding[] = [];
  // Brace structure is judged as keepalived reads it (analysis/reader.ts), not by the generic tree; only
  // the braces the parser itself drops are the tree's to report.
  for (const p of file.tree.problems) {
    if (p.kind === 'too-deep')
      out.push({
        rule: 'syntax-error',
        message: `Blocks are nested more than ${p.depth} levels deep; deeper braces are ignored.`,
        start: p.start,
        end: p.end,
      });
  }
  for (const e of file.braces) out.push(braceFinding(e));
  return out;
}

function braceFinding(e: BraceEvent): RatedFinding {
  switch (e.kind) {
    case 'never-closed': {
      const name = e.owner !== undefined ? `'${e.owner}'` : 'this block';
      return {
        rule: 'unclosed-block',
        message: `The block of ${name} opened here is never closed: add '}' (keepalived: "missing '}'s or extra '{'s").`,
        start: e.start,
        end: e.end,
      };
    }
    case 'extra-close':
      return {
        rule: 'extra-closing-brace',
        message:
          "Extra '}': no block is open here, so keepalived reports it (often a '{' earlier was ignored, see the findings above).",
        start: e.start,
        end: e.end,
      };
    case 'missing-open':
      return {
        rule: 'missing-block',
        message: `'${e.keyword}' opens a block, so keepalived expects '{' before this (Missing '{' at beginning of configuration block); without it, '${e.keyword}' is ignored.`,
        start: e.start,
        end: e.end,
      };
    case 'values-missing-open':
      // keepalived only logs it, and reads on.
      return {
        rule: 'missing-block',
        severity: 'warning',
        message: `'${e.keyword}' is a block of values: write '${e.keyword} {'. Without the '{' keepalived logs "'{' missing" and reads the next lines as its values, but the '}' that should end them closes the enclosing block instead.`,
        start: e.start,
        end: e.end,
      };
    case 'open-among-values':
      return {
        rule: 'unexpected-block',
        severity: 'warning',
        message: `keepalived reads this '{' as one more value of '${e.keyword}' (which has no '{' of its own), and the '}' that matches it ends '${e.keyword}'. Put the '{' right after '${e.keyword}'.`,
        start: e.start,
        end: e.end,
      };
    case 'ignored-open':
      return { rule: 'unexpected-block', message: ignoredOpenMessage(e), start: e.start, end: e.end };
  }
}

function ignoredOpenMessage(e: Extract<BraceEvent, { kind: 'ignored-open' }>): string {
  if (e.keyword === undefined)
    return "Unexpected '{' - keepalived ignores it; the lines inside are read at the current level.";
  const closes = e.closes !== undefined ? `'${e.closes}'` : 'nothing (an extra brace)';
  const why = e.known ? `'${e.keyword}' takes no block` : `'${e.keyword}' is not a keyword here`;
  return `Unexpected '{': ${why}, so keepalived ignores this brace, reads the lines inside at the current level, and the matching '}' closes ${closes}.`;
}

/** What this family reports: the rule records `--help`, SARIF and docs/rules.md read (checks/families.ts). */
const rules = [
  {
    id: 'unclosed-block',
    severity: 'error',
    category: 'syntax',
    scope: 'file',
    description: "A block opened with '{' is never closed with '}'.",
  },
  {
    id: 'extra-closing-brace',
    severity: 'error',
    category: 'syntax',
    scope: 'file',
    description: "A '}' that closes no block.",
  },
  {
    id: 'unexpected-block',
    severity: 'error',
    category: 'syntax',
    scope: 'line',
    description:
      "A '{' block after a keyword that takes none, or after nothing; keepalived ignores the brace.",
  },
  {
    id: 'missing-block',
    severity: 'error',
    category: 'syntax',
    scope: 'line',
    description: "A block keyword without its '{ ... }'.",
  },
] as const satisfies readonly Rule[];

// Adds these ids to RuleId (./rules.ts), so a finding of any family names a rule that exists.
declare module './rules' {
  interface FamilyRules {
    braces: typeof rules;
  }
}

export const family: RuleFamily = {
  name: 'braces',
  rules,
  checks: [{ over: 'file', check: checkBraces }],
};
