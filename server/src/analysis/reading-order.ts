// Every placed line of a configuration in the order keepalived reads them (PlacedStatement.seq, which the
// reader gives every line it places): the checks that replay keepalived's reading (parameter cycles, the
// vrrp_instance handlers) share one sort per model instead of each sorting every line again.
import type { ConfigModel, PlacedStatement } from './types';

export interface ReadLine {
  /** The file the line is in. */
  path: string;
  placed: PlacedStatement;
}

const orders = new WeakMap<ConfigModel, readonly ReadLine[]>();

export function readingOrder(model: ConfigModel): readonly ReadLine[] {
  let lines = orders.get(model);
  if (!lines) {
    const all: ReadLine[] = [];
    for (const [path, file] of model.files) for (const placed of file.placed) all.push({ path, placed });
    // The reader numbers every line it places, so no two lines tie.
    orders.set(model, (lines = all.sort((a, b) => (a.placed.seq ?? 0) - (b.placed.seq ?? 0))));
  }
  return lines;
}
