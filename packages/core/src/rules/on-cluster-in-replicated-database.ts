import type { Identifier, Literal, QualifiedName, SettingAssignment, Statement } from '../syntax/ast.js';
import { clusterName, isReplicatedDatabase } from './cluster.js';
import { defineRule, type LocatedStatement } from './rule.js';
import { timelineOf } from './schemaAt.js';
import { onClusterRange } from './statementEdits.js';

/**
 * A Replicated database writes the DDL of its objects to its own log in ZooKeeper, and every replica
 * runs it. With ON CLUSTER, each server of the cluster gets the statement as a secondary query and
 * hands it to the database, which refuses it: "It's not initial query. ON CLUSTER is not allowed for
 * Replicated database." (code 80, DatabaseReplicated::tryEnqueueReplicatedDDL). ClickHouse accepts
 * ON CLUSTER naming the database itself (its implicit cluster), or any cluster with
 * `ignore_on_cluster_for_replicated_database = 1`.
 */
export default defineRule({
  id: 'on-cluster-in-replicated-database',
  severity: 'error',
  docs: { description: 'ON CLUSTER on an object of a Replicated database: ClickHouse refuses the statement.' },
  messages: {
    refused: {
      message:
        'ON CLUSTER `{cluster}` on `{object}`, which is in the Replicated database `{db}`: the database already runs its DDL on every replica, and ClickHouse refuses the statement (code 80: ON CLUSTER is not allowed for Replicated database).',
      help: 'Remove ON CLUSTER: the Replicated database sends the statement to every replica.',
    },
  },
  fixes: { removeOnCluster: 'Remove ON CLUSTER: the Replicated database sends the DDL to every replica' },
  create(context) {
    const { statements } = context;
    const schema = context.analysis.schema;
    return {
      Statement(statement, { file, index }) {
        if (!('onCluster' in statement) || !statement.onCluster) return;
        const target = targetOf(statement);
        if (!target?.onCluster) return;
        const db = target.name.database?.name ?? timelineOf(context).databaseAt(index);
        const cluster = clusterName(target.onCluster);
        if (!isReplicatedDatabase(schema, db) || cluster === db || ignoresOnCluster(statements, index)) return;
        context.report({
          file,
          node: target.onCluster,
          messageId: 'refused',
          data: { cluster, object: `${db}.${target.name.name.name}`, db },
          fix: {
            messageId: 'removeOnCluster',
            fix: (fixer) => {
              const removal = onClusterRange(statement, fixer.text);
              return removal && fixer.remove(removal);
            },
          },
        });
      },
    };
  },
});

/** The object a statement on a table, view or dictionary acts on, and its ON CLUSTER. */
function targetOf(statement: Statement): { name: QualifiedName; onCluster?: Identifier | Literal } | undefined {
  switch (statement.kind) {
    case 'CreateTable':
      return statement.temporary ? undefined : { name: statement.name, onCluster: statement.onCluster };
    case 'CreateView':
    case 'CreateDictionary':
      return { name: statement.name, onCluster: statement.onCluster };
    case 'AlterTable':
      return statement.temporary ? undefined : { name: statement.table, onCluster: statement.onCluster };
    case 'Drop':
      if (statement.temporary || !['TABLE', 'VIEW', 'DICTIONARY'].includes(statement.objectKind)) return undefined;
      return { name: statement.names[0], onCluster: statement.onCluster };
    case 'Rename':
    case 'Exchange':
      return statement.objectKind === 'DATABASE' ? undefined : { name: statement.pairs[0].from, onCluster: statement.onCluster };
    case 'Truncate':
      return statement.objectKind === 'TABLE' ? { name: statement.name, onCluster: statement.onCluster } : undefined;
    case 'Optimize':
    case 'Delete':
    case 'Update':
      return { name: statement.table, onCluster: statement.onCluster };
    default:
      return undefined;
  }
}

/** `ignore_on_cluster_for_replicated_database = 1`, set for the file's session or on the statement. */
function ignoresOnCluster(statements: readonly LocatedStatement[], index: number): boolean {
  const enabled = (settings: SettingAssignment[] | undefined) => {
    const setting = settings?.find((s) => s.name.name === 'ignore_on_cluster_for_replicated_database');
    return setting?.value?.kind === 'Literal' ? !['0', 'false'].includes(setting.value.value.toLowerCase()) : undefined;
  };
  const own = statements[index].statement;
  const onStatement = own.kind === 'AlterTable' ? enabled(own.querySettings) : undefined;
  if (onStatement !== undefined) return onStatement;
  for (let i = index - 1; i >= 0 && statements[i].file === statements[index].file; i--) {
    const statement = statements[i].statement;
    const set = statement.kind === 'Set' ? enabled(statement.settings) : undefined;
    if (set !== undefined) return set;
  }
  return false;
}
