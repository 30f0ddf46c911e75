// `@id` / `@^id` conditional lines.
import type { Word } from '../syntax/ast';

/** `@id` keeps a line when id is the config id; `@^id` when it is not. Without a config id, all are kept. */
export function conditionHolds(condition: Word | undefined, configId: string | undefined): boolean {
  if (!condition || configId === undefined) return true;
  const negated = condition.value.startsWith('@^');
  const id = condition.value.slice(negated ? 2 : 1);
  return negated ? id !== configId : id === configId;
}
