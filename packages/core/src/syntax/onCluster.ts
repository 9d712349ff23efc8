import type { Identifier, Statement } from './ast.js';

/** Statement kinds ClickHouse runs ON CLUSTER: the planner and the deploy add it to these. */
export const ON_CLUSTER_KINDS: ReadonlySet<Statement['kind']> = new Set<Statement['kind']>([
  'CreateTable',
  'CreateView',
  'CreateDictionary',
  'CreateDatabase',
  'CreateFunction',
  'CreateNamedCollection',
  'AlterNamedCollection',
  'CreateAccessEntity',
  'Grant',
  'Revoke',
  'AlterTable',
  'AlterDatabase',
  'Drop',
  'Truncate',
  'Rename',
  'Exchange',
  'Optimize',
  'Delete',
  'Attach',
]);

/** A copy of the statement that runs ON CLUSTER `cluster`; statements of other kinds come back as they are. */
export function withOnCluster(statement: Statement, cluster: string): Statement {
  if (!ON_CLUSTER_KINDS.has(statement.kind)) return statement;
  const name: Identifier = { kind: 'Identifier', name: cluster, quoted: false, start: 0, end: 0 };
  return { ...statement, onCluster: name } as Statement;
}
