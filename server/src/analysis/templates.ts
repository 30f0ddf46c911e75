// How the reader follows a template's control structure (syntax/templates.ts masks the template layer):
// - the alternatives of one `{% if %}` are read each from the same block level, as each rendering reads
//   only one of them: `{% if %}virtual_server fwmark 1 {{% else %}virtual_server 10.0.0.1 80 {{% endif %}`
//   opens one block, not two;
// - the lines of a macro (or Go `define`) are a fragment of whatever block it is called in, so a keyword
//   that is unknown at the top level is read as the keyword of that name elsewhere.
import { keywordsIn, keywordsNamed, lookupKeyword, type KeywordSpec } from '../schema';
import type { Statement } from '../syntax/ast';
import { inFragment, templatePattern, wholly, type TemplateBranch } from '../syntax/templates';

/** Block-level stacks saved where each template group was entered, so each alternative starts from there. */
export class AlternativeLevels<T> {
  private readonly groups = new Map<string, { alternative: number; saved: T[] }>();

  /**
   * Call before each line or brace of a template file with its branch: when it starts a later alternative
   * of a group, `stack` is put back to what it was when the group was entered. Returns whether it was.
   */
  align(file: string, branch: TemplateBranch | undefined, stack: T[]): boolean {
    let reset = false;
    for (const step of branch?.path ?? []) {
      const key = `${file}\u0000${step.group}`;
      const known = this.groups.get(key);
      if (!known) this.groups.set(key, { alternative: step.alternative, saved: stack.slice() });
      else if (known.alternative !== step.alternative) {
        known.alternative = step.alternative;
        stack.splice(0, stack.length, ...known.saved);
        reset = true;
        // Groups nested in the earlier alternative are closed; later ones have ids of their own.
        break;
      }
    }
    return reset;
  }
}

/**
 * The keyword of a template line that the block it is in does not know by name:
 * - a keyword built by an expression (`{{ proto }}_CHECK {`) is the keyword of this block its pattern
 *   matches: the only one, or, for a block, the one whose block knows every keyword inside;
 * - a line of a macro at the top level is the keyword of that name wherever it is (the macro is rendered
 *   in the block it is called in).
 */
export function templateKeyword(s: Statement, parentPath: string): KeywordSpec | undefined {
  const word = s.keyword;
  if (word.template !== undefined) {
    if (wholly(word.template) && !s.block) return undefined;
    const pattern = templatePattern(word.template);
    const candidates = keywordsIn(parentPath).filter((k) => pattern.test(k.name));
    if (candidates.length === 1) return candidates[0];
    if (!s.block) return undefined;
    const inner = s.block.statements
      .filter((c) => c.kind === 'keyword' && c.keyword.template === undefined)
      .map((c) => c.keyword.value);
    return candidates.find((k) => k.block === 'keywords' && inner.every((n) => lookupKeyword(k.path, n)));
  }
  if (parentPath !== '' || !inFragment(s.branch)) return undefined;
  return keywordsNamed(word.value)[0];
}
