// Findings of checks that read a configuration as one node reads it: with `@id` lines and no config id,
// each node the configuration names reads its own lines, so each is judged on its own, and a finding true
// for only some of them says which (a line shared by all nodes is reported once).
import type { ConfigModel } from '../analysis/model';
import { objectsOf, variantsOf, type ConfigObjects } from '../analysis/objects';
import type { FileFinding } from './finding';

export function findingsPerNode(
  model: ConfigModel,
  judge: (objects: ConfigObjects, variant: string | undefined) => FileFinding[],
): FileFinding[] {
  const variants = variantsOf(model);
  if (variants.length === 0) return judge(objectsOf(model), undefined);
  const found = new Map<string, { finding: FileFinding; ids: string[] }>();
  for (const variant of variants)
    for (const f of judge(objectsOf(model, variant), variant)) {
      const key = `${f.file}\0${f.rule}\0${f.start}\0${f.message}`;
      const known = found.get(key);
      if (known) known.ids.push(variant);
      else found.set(key, { finding: f, ids: [variant] });
    }
  const out: FileFinding[] = [];
  for (const { finding, ids } of found.values())
    out.push(
      ids.length < variants.length
        ? { ...finding, message: `${finding.message} (config id ${ids.join(', ')})` }
        : finding,
    );
  return out;
}
