import type { EngineClause } from '../syntax/ast.js';
import { creatingStatement } from './migrationState.js';
import { storedReplication } from './replicationPath.js';
import { defineRule } from './rule.js';
import { timelineOf } from './schemaAt.js';

/**
 * A Replicated*MergeTree table registers itself as a replica under its ZooKeeper path. Two live
 * tables with the same path and replica name cannot both register: the second CREATE fails with
 * REPLICA_ALREADY_EXISTS (code 253). The paths compared are those ClickHouse stores: `{database}`
 * and `{table}` expanded with the names the table had when it was created, so the classic
 * "rename aside, create again" on a `.../{database}/{table}` path collides with the renamed table.
 */
export default defineRule({
  id: 'replicated-path-duplicate',
  severity: 'error',
  docs: { description: 'Two Replicated tables use the same ZooKeeper path: the second CREATE fails, or the two tables share their rows.' },
  messages: {
    duplicate: {
      message:
        '`{object}` registers replica `{replicaName}` at the ZooKeeper path `{zkPath}`, where `{other}` (created in {file}) already has it: ClickHouse refuses the CREATE with REPLICA_ALREADY_EXISTS (code 253).',
      help: 'Give each table its own path, e.g. `/clickhouse/tables/\\{shard}/\\{database}/\\{table}`; a renamed table keeps the path of its old name, so pick a new name or path for the new table.',
    },
    shared: {
      message:
        '`{object}` uses the ZooKeeper path `{zkPath}` of `{other}` (created in {file}) under another replica name: ClickHouse makes the two tables replicas of each other, so they share every row and every ALTER.',
      help: 'Give each table its own path, e.g. `/clickhouse/tables/\\{shard}/\\{database}/\\{table}`.',
    },
    replaced: {
      message:
        '{verb} creates the new `{object}` while the old one still holds replica `{replicaName}` at `{zkPath}`: ClickHouse refuses it with REPLICA_ALREADY_EXISTS (code 253).',
      help: 'Create the new table under another name with its own path, copy the rows, then EXCHANGE TABLES.',
    },
  },
  create(context) {
    const { statements } = context;
    const timeline = timelineOf(context);
    // How many CREATEs write each path: a path only one CREATE writes cannot collide, and needs no
    // replay of the migrations up to it (a CREATE ... AS copies a path some CREATE wrote).
    const written = new Map<string, number>();
    for (let index = 0; index < statements.length; index++) {
      const { statement } = statements[index];
      const own = storedReplication(statement, timeline.databaseAt(index));
      if (own) written.set(own.path, (written.get(own.path) ?? 0) + 1);
    }
    return {
      Statement(statement, { file, index }) {
        if (statement.kind !== 'CreateTable' && statement.kind !== 'CreateView') return;
        const copies = statement.kind === 'CreateTable' && !!statement.asTable && !statement.storage?.engine;
        if (!copies && !statement.storage?.engine?.name.name.startsWith('Replicated')) return;
        const own = copies ? undefined : storedReplication(statement, timeline.databaseAt(index));
        if (!copies && (!own || (written.get(own.path) ?? 0) < 2)) return;
        const database = timeline.databaseAt(index);
        const schema = () => timeline.before(index).schema;
        let copied: EngineClause | undefined;
        if (copies && statement.kind === 'CreateTable' && statement.asTable) {
          const source = timeline.before(index).tables.get(timeline.idAt(index, statement.asTable));
          if (source?.definition.kind === 'CreateTable') copied = source.definition.storage?.engine;
        }
        const mine = own ?? storedReplication(statement, database, copied);
        if (!mine) return;
        const id = timeline.idAt(index, statement.name);
        // CREATE ... IF NOT EXISTS of an existing table does nothing, not even register a replica.
        if (statement.ifNotExists && schema().objects.some((o) => o.id === id && o.kind !== 'database')) return;
        for (const other of schema().objects) {
          if (other.kind !== 'table' && other.kind !== 'materialized-view') continue;
          const created = creatingStatement(statements, other);
          const engine = other.definition.kind === 'CreateTable' ? other.definition.storage?.engine : undefined;
          const theirs = created && storedReplication(created, other.contextDatabase, engine);
          if (!theirs || theirs.path !== mine.path) continue;
          const node = mine.literal ?? statement.name;
          const data = { object: id, other: other.id, file: other.created.file, zkPath: mine.path, replicaName: mine.replica };
          if (other.id === id && (statement.orReplace || statement.verb === 'REPLACE')) {
            context.report({ file, node, messageId: 'replaced', data: { ...data, verb: statement.orReplace ? 'CREATE OR REPLACE' : 'REPLACE' } });
          } else {
            context.report({ file, node, messageId: theirs.replica === mine.replica ? 'duplicate' : 'shared', data });
          }
          break;
        }
      },
    };
  },
});
