// `@id` / `@^id` conditional lines.
import type { Word } from '../syntax/ast';

/** `@id` keeps a line when id is the config id; `@^id` when it is not. Without a config id, all are kept. */
export function conditionHolds(condition: Word | undefined, configId: string | undefined): boolean {
  if (!condition || configId === undefined) return true;
  const negated = condition.value.startsWith('@^');
  const id = condition.value.slice(negated ? 2 : 1);
  return negated ? id !== configId : id === configId;
}

/** Two lines can never both be active, whatever the config id (`@a`/`@b`, `@a`/`@^a`). */
export function mutuallyExclusive(a: Word | undefined, b: Word | undefined): boolean {
  if (!a || !b) return false;
  const na = a.value.startsWith('@^');
  const nb = b.value.startsWith('@^');
  const ida = a.value.slice(na ? 2 : 1);
  const idb = b.value.slice(nb ? 2 : 1);
  if (!na && !nb) return ida !== idb;
  if (na !== nb) return ida === idb;
  return false;
}
