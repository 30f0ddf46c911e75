// `keepalived-lint --explain-failover`: the failover tables of the configurations given together.
import type { ConfigModel } from '../analysis/model';
import { failoverTables, tableText } from '../features/failover-table';

export function explainFailover(
  models: ConfigModel[],
  json: boolean,
  shown: (path: string) => string,
): string {
  const tables = failoverTables(models, shown);
  if (json)
    return (
      JSON.stringify({ virtualRouters: tables.map(({ members: _members, ...table }) => table) }, null, 2) +
      '\n'
    );
  if (tables.length === 0)
    return 'No virtual router is shared by the nodes given: give the configurations of every node (or a file with @id lines for each node).\n';
  return tables.map(tableText).join('\n');
}
