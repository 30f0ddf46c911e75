// One-value instance settings written more than once: keepalived's handler runs for every line, so the
// stored value is the last line's (or the first's, for `state MASTER` and `version`), and the other lines
// do nothing. A reader of the file, and a peer's administrator comparing files, sees the first. The
// stored value comes from analysis/stored-settings.ts, the same one the cluster analysis uses.
import type { ConfigModel } from '../analysis/model';
import { objectsOf } from '../analysis/objects';
import type { FileFinding } from './references';

export function checkSettings(model: ConfigModel): FileFinding[] {
  const out: FileFinding[] = [];
  for (const i of objectsOf(model).instances) {
    for (const o of i.overridden) {
      out.push({
        file: o.file,
        rule: 'setting-overridden',
        message: `'${o.keyword}' in ${i.name} has no effect: ${o.why}. Keep one '${o.keyword}' line so the file says what keepalived uses.`,
        start: o.statement.keyword.start,
        end: o.statement.end,
      });
    }
  }
  return out;
}
