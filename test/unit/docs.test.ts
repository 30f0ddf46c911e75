// The user documentation must keep up with the rule table: every rule has its section in docs/rules.md
// (diagnostics link to `rules.md#<rule-id>`), and docs/editors.md covers the documented editors.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATEGORIES, SCOPES } from '../../server/src/checks/rules';
import { RULES } from '../../server/src/checks/families';

const docsDir = join(__dirname, '../../docs');
const rulesMd = readFileSync(join(docsDir, 'rules.md'), 'utf8');
const editorsMd = readFileSync(join(docsDir, 'editors.md'), 'utf8');

const SUBHEADINGS = ['What it detects', 'Why it matters', 'Example', 'How to fix', 'How to silence'];

/** The lines of a Markdown text that are outside fenced code blocks. */
function proseLines(markdown: string): string[] {
  const out: string[] = [];
  let fence: string | undefined;
  for (const line of markdown.split(/\r?\n/)) {
    const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (marker && (fence === undefined || marker.startsWith(fence))) {
      fence = fence === undefined ? marker : undefined;
      continue;
    }
    if (fence === undefined) out.push(line);
  }
  return out;
}

/** `## <title>` sections: title -> the prose lines up to the next `## ` heading. */
function sections(markdown: string): { title: string; lines: string[] }[] {
  const result: { title: string; lines: string[] }[] = [];
  for (const line of proseLines(markdown)) {
    const heading = /^## (.+?)\s*$/.exec(line);
    if (heading) result.push({ title: heading[1]!, lines: [] });
    else result[result.length - 1]?.lines.push(line);
  }
  return result;
}

const ruleSections = sections(rulesMd);

describe('docs/rules.md', () => {
  it('has one section per rule, headed `## <rule-id>`', () => {
    const titles = ruleSections.map((s) => s.title);
    for (const id of RULES.keys()) {
      expect(
        titles.filter((t) => t === id),
        `section '## ${id}'`,
      ).toHaveLength(1);
    }
  });

  it('has no `## ` section for an unknown rule id', () => {
    const unknown = ruleSections.map((s) => s.title).filter((t) => !RULES.has(t));
    expect(unknown).toEqual([]);
  });

  it.each([...RULES.keys()])('section %s has the five sub-headings, in order', (id) => {
    const section = ruleSections.find((s) => s.title === id);
    expect(section, `section '## ${id}'`).toBeDefined();
    const headings = section!.lines
      .map((line) => /^### (.+?)\s*$/.exec(line)?.[1])
      .filter((h): h is string => h !== undefined);
    expect(headings).toEqual(SUBHEADINGS);
  });

  it.each([...RULES.keys()])('section %s shows a keepalived example and its inline suppression', (id) => {
    const start = rulesMd.indexOf(`\n## ${id}\n`);
    const next = rulesMd.indexOf('\n## ', start + 1);
    const body = rulesMd.slice(start, next === -1 ? undefined : next);
    expect(body).toContain('```keepalived\n');
    expect(body).toMatch(new RegExp(`keepalived-lint: ignore(-file)?=([\\w,-]*,)?${id}\\b`));
    expect(body).toContain(`--rule ${id}=off`);
    expect(body).toContain(`"keepalived.rules": { "${id}": "off" }`);
  });

  it('lists every rule in the table, linked to its section, with its severity, category and scope', () => {
    for (const rule of RULES.values()) {
      expect(rulesMd).toContain(
        `| [${rule.id}](#${rule.id}) | ${rule.severity} | ${rule.category} | ${rule.scope} |`,
      );
    }
  });

  it('explains every category and scope in the words of the rule table', () => {
    for (const [category, text] of Object.entries(CATEGORIES)) {
      expect(rulesMd).toContain(`| \`${category}\` | ${text} |`);
    }
    for (const [scope, text] of Object.entries(SCOPES)) {
      expect(rulesMd).toContain(`| \`${scope}\` | ${text} |`);
    }
  });
});

describe('docs/editors.md', () => {
  it('shows how to start the server over stdio', () => {
    expect(editorsMd).toContain('--stdio');
  });

  it.each(['Neovim', 'Emacs', 'Helix', 'Zed', 'Sublime'])('covers %s', (editor) => {
    expect(editorsMd).toContain(editor);
  });
});
