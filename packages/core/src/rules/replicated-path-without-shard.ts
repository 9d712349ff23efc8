import { creatingStatement } from './migrationState.js';
import { replicationArguments } from './replicationPath.js';
import { defineRule } from './rule.js';

/**
 * Every server whose table has the same ZooKeeper path is a replica of the same table. Without
 * `{shard}` in the path, the servers of all shards form one replica set: each shard holds every row,
 * and a Distributed table over it, which reads one replica of each shard, returns each row once per
 * shard. Only tables behind a Distributed table are judged: that is what says the cluster has shards.
 */
export default defineRule({
  id: 'replicated-path-without-shard',
  severity: 'warning',
  docs: { description: 'A Replicated table behind a Distributed table has no {shard} in its ZooKeeper path: every shard gets every row.' },
  messages: {
    noShard: {
      message:
        '`{object}` is sharded by the Distributed table `{distributed}`, but its ZooKeeper path `{zkPath}` has no `\\{shard}` macro: on a cluster with several shards all their servers become replicas of one table, so each shard holds every row and `{distributed}` returns each row once per shard.',
      help: 'Put `\\{shard}` in the path (e.g. `/clickhouse/tables/\\{shard}/\\{database}/\\{table}`); for a table that already exists this means a rebuild.',
    },
  },
  // Whole project: a path needs `{shard}` only when some Distributed table, in any file, reads the table: that
  // is the graph's.
  check(context) {
    const { schema, graph } = context.analysis;
    for (const object of schema.objects) {
      if (object.kind !== 'table' || object.definition.kind !== 'CreateTable') continue;
      const args = replicationArguments(object.definition.storage?.engine);
      if (!args || /\{[^}]*shard[^}]*\}/i.test(args.path.value)) continue;
      const distributed = graph.dependencies.find((d) => d.kind === 'distributed' && d.to === object.id);
      if (!distributed) continue;
      // Report where the path is written: in the CREATE of this table, not one it was copied from.
      const created = creatingStatement(context.statements, object);
      if (!created || args.path.start < created.start || args.path.end > created.end) continue;
      // The path as written (the model's has `{database}` and `{table}` written out, as stored).
      const written = created.kind === 'CreateTable' ? replicationArguments(created.storage?.engine)?.path : undefined;
      const path = written ?? args.path;
      context.report({
        file: object.created.file,
        node: path,
        messageId: 'noShard',
        data: { object: object.id, distributed: distributed.from, zkPath: path.value },
      });
    }
  },
});
