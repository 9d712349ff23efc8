import type { Expression } from '../syntax/ast.js';
import { isReplicatedMergeTree } from './replicationPath.js';
import { defineRule } from './rule.js';

/**
 * With `internal_replication` false (ClickHouse's default), a Distributed table writes every insert
 * to every replica of a shard itself. Over Replicated tables, each replica then also replicates what
 * it received: rows are stored once per replica and fetched by the others, duplicated unless
 * deduplication catches every block. Judged when the servers' configuration is known.
 */
export default defineRule({
  id: 'server-internal-replication-off',
  severity: 'error',
  docs: {
    description:
      'A Distributed table over Replicated tables uses a cluster without `internal_replication`: every insert is written to each replica and replicated again.',
  },
  messages: {
    off: {
      message:
        '`{distributed}` inserts through cluster `{cluster}`, whose shards do not set `internal_replication`, into the Replicated table `{local}`: each insert is written to every replica, which then replicate it to each other, so rows are stored and fetched several times.',
      help: 'Set `<internal_replication>true</internal_replication>` in every `<shard>` of `{cluster}` in the server configuration: the Distributed table then writes to one replica, and replication does the rest.',
    },
  },
  check(context) {
    const server = context.project.server;
    if (!server) return;
    const { graph } = context.analysis;
    for (const d of graph.dependencies) {
      if (d.kind !== 'distributed') continue;
      const distributed = graph.objects.get(d.from);
      const local = graph.objects.get(d.to);
      if (distributed?.definition.kind !== 'CreateTable' || local?.definition.kind !== 'CreateTable') continue;
      if (!isReplicatedMergeTree(local.definition.storage?.engine)) continue;
      const argument = distributed.definition.storage?.engine?.arguments?.[0];
      const written = argument && nameOf(argument);
      if (!argument || written === undefined) continue;
      // `{cluster}` names the cluster the macro holds on the servers.
      const cluster = written.replace(/\{(\w+)\}/g, (whole, macro: string) => server.macros[macro] || whole);
      if (server.clusters[cluster]?.internalReplication !== false) continue;
      context.report({ file: distributed.created.file, node: argument, messageId: 'off', data: { distributed: distributed.id, local: local.id, cluster } });
    }
  },
});

function nameOf(node: Expression): string | undefined {
  if (node.kind === 'Literal' && node.type === 'string') return node.value;
  if (node.kind === 'ColumnRef' && node.parts.length === 1) return node.parts[0]?.name;
  return undefined;
}
