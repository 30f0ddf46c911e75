// Every placed line of a configuration in the order keepalived reads them (PlacedStatement.seq, which the
// reader gives every line it places), for the checks that replay keepalived's reading (parameter cycles,
// the vrrp_instance handlers): checks/index.ts sorts once and hands the order to both. Not kept with the
// model: a line's entry would stay alive as long as the model does, for two passes.
import type { ConfigModel, PlacedStatement } from './types';

export interface ReadLine {
  /** The file the line is in. */
  path: string;
  placed: PlacedStatement;
}

export function readingOrder(model: ConfigModel): ReadLine[] {
  const lines: ReadLine[] = [];
  let sorted = true;
  let last = -Infinity;
  for (const [path, file] of model.files)
    for (const placed of file.placed) {
      const seq = placed.seq ?? 0;
      if (seq < last) sorted = false;
      last = seq;
      lines.push({ path, placed });
    }
  // One file without includes is read in the order it was placed: no sort (a tenth of the pass). The
  // reader numbers every line it places, so no two lines tie.
  return sorted ? lines : lines.sort((a, b) => (a.placed.seq ?? 0) - (b.placed.seq ?? 0));
}
