import { clusterName, isReplicatedDatabase } from './cluster.js';
import { replicationArguments } from './replicationPath.js';
import { defineRule } from './rule.js';
import { timelineOf } from './schemaAt.js';

/**
 * A replica name without a macro is the same on every server that runs the CREATE. On a cluster, the
 * servers of a shard share the path, so the second one to register the same name fails with
 * REPLICA_ALREADY_EXISTS (code 253). Only CREATEs that run on a cluster (ON CLUSTER, or a configured
 * cluster) are judged: on a single server a literal name is harmless.
 */
export default defineRule({
  id: 'replica-name-without-macro',
  severity: 'error',
  docs: { description: 'A Replicated table created on a cluster has a literal replica name: every server registers the same replica, and all but one fail.' },
  messages: {
    literal: {
      message:
        '`{object}` names its replica `{replicaName}` on every server {where}: the servers of a shard share the path `{zkPath}`, so on a shard with more than one replica the CREATE fails with REPLICA_ALREADY_EXISTS (code 253) on all but the first.',
      help: 'Use the `\\{replica}` macro as the replica name: each server expands it from its own `<macros>` configuration.',
    },
  },
  create(context) {
    const schema = context.analysis.schema;
    return {
      Statement(statement, { file, index }) {
        if (statement.kind !== 'CreateTable' && statement.kind !== 'CreateView') return;
        const args = replicationArguments(statement.storage?.engine);
        // A macro in the replica name (or `{replica}` in the path) differs from server to server.
        if (!args || /\{[^}]+\}/.test(args.replica.value) || args.path.value.includes('{replica}')) return;
        const where = statement.onCluster
          ? `of cluster \`${clusterName(statement.onCluster)}\``
          : context.project.cluster
            ? `of the configured cluster \`${context.project.cluster}\``
            : undefined;
        if (!where) return;
        const database = statement.name.database?.name ?? timelineOf(context).databaseAt(index);
        // A Replicated database names its tables' replicas itself (and refuses explicit arguments by default).
        if (isReplicatedDatabase(schema, database)) return;
        context.report({
          file,
          node: args.replica,
          messageId: 'literal',
          data: { object: `${database}.${statement.name.name.name}`, replicaName: args.replica.value, zkPath: args.path.value, where },
        });
      },
    };
  },
});
