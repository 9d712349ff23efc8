import type { Schema, SchemaObject } from '../model/schema.js';
import type { DropStatement } from '../syntax/ast.js';
import { creatingStatement } from './migrationState.js';
import { type StoredReplication, storedReplication } from './replicationPath.js';
import { defineRule, type LocatedStatement } from './rule.js';
import { type Timeline, timelineOf } from './schemaAt.js';

/**
 * In an Atomic database (the default) DROP TABLE only marks the table dropped; the table, and its
 * replica in ZooKeeper, go away when the drop completes, `database_atomic_delay_before_drop_table_sec`
 * (480 s) later. A CREATE on the same path and replica name in the same deployment finds the old
 * replica still there: REPLICA_ALREADY_EXISTS (code 253). `DROP ... SYNC` waits for the drop.
 */
export default defineRule({
  id: 'replicated-recreate-without-sync',
  severity: 'error',
  docs: {
    description: 'A Replicated table is dropped without SYNC and created again on the same ZooKeeper path: the CREATE fails while the old replica remains.',
  },
  messages: {
    recreated: {
      message:
        '`{object}` is dropped without SYNC, and a later CREATE in {file} registers replica `{replicaName}` at the same ZooKeeper path `{zkPath}`: ClickHouse removes the old replica only when the drop completes (480 s later by default), so when both run in one deployment the CREATE fails with REPLICA_ALREADY_EXISTS (code 253).',
      help: 'Add SYNC to the DROP (`DROP TABLE ... SYNC`) so the replica is gone before the CREATE runs, or give the new table a path of its own.',
    },
  },
  fixes: { addSync: 'Add SYNC' },
  create(context) {
    const { statements } = context;
    const timeline = timelineOf(context);
    // Where each path is written: a DROP can only matter between two CREATEs of one path, so the
    // migrations are replayed up to a DROP only then.
    const written = new Map<string, number[]>();
    for (let index = 0; index < statements.length; index++) {
      const { statement } = statements[index];
      const own = storedReplication(statement, timeline.databaseAt(index));
      if (own) written.set(own.path, [...(written.get(own.path) ?? []), index]);
    }
    const isBetweenWrites = (index: number) => [...written.values()].some((at) => at[0] < index && at[at.length - 1] > index);
    return {
      Drop(statement, { file, index }) {
        if (statement.verb !== 'DROP' || statement.sync || statement.temporary) return;
        if (!['TABLE', 'VIEW', 'DATABASE'].includes(statement.objectKind) || dropsSynchronously(statements, index)) return;
        if (!isBetweenWrites(index)) return;
        const before = timeline.before(index).schema;
        for (const name of statement.names) {
          for (const dropped of droppedBy(statement, timeline.idAt(index, name), name.name.name, before)) {
            const created = creatingStatement(statements, dropped);
            const engine = dropped.definition.kind === 'CreateTable' ? dropped.definition.storage?.engine : undefined;
            const replication = created && storedReplication(created, dropped.contextDatabase, engine);
            if (!replication) continue;
            const again = findRecreation(statements, index, replication, timeline);
            if (again) {
              context.report({
                file,
                node: name,
                messageId: 'recreated',
                data: { object: dropped.id, file: again.file, zkPath: replication.path, replicaName: replication.replica },
                fix: { messageId: 'addSync', fix: (fixer) => (statement.sync ? undefined : fixer.insertAt(statement.end, ' SYNC')) },
              });
            }
          }
        }
      },
    };
  },
});

/** The tables a DROP removes: the one named, or every table of a dropped database. Ordinary databases drop at once. */
function droppedBy(statement: DropStatement, id: string, bare: string, schema: Schema): SchemaObject[] {
  const isOrdinary = (db: string | undefined) =>
    schema.objects.some(
      (o) => o.kind === 'database' && o.name === db && o.definition.kind === 'CreateDatabase' && o.definition.engine?.name.name === 'Ordinary',
    );
  const tables = (o: SchemaObject) => o.kind === 'table' || o.kind === 'materialized-view';
  const found =
    statement.objectKind === 'DATABASE'
      ? schema.objects.filter((o) => tables(o) && o.database === bare)
      : schema.objects.filter((o) => tables(o) && o.id === id);
  return found.filter((o) => !isOrdinary(o.database));
}

/** The first later CREATE on the same path and replica name, unless SYSTEM DROP REPLICA may have removed the old replica first. */
function findRecreation(
  statements: readonly LocatedStatement[],
  from: number,
  replication: StoredReplication,
  timeline: Timeline,
): LocatedStatement | undefined {
  for (let j = from + 1; j < statements.length; j++) {
    const { statement } = statements[j];
    if (statement.kind === 'Other' && statement.keyword.startsWith('SYSTEM DROP REPLICA')) return undefined;
    if (statement.kind !== 'CreateTable' && statement.kind !== 'CreateView') continue;
    if (!statement.storage?.engine?.name.name.startsWith('Replicated')) continue;
    const again = storedReplication(statement, timeline.databaseAt(j));
    if (again && again.path === replication.path && again.replica === replication.replica) return statements[j];
  }
  return undefined;
}

/** `SET database_atomic_wait_for_drop_and_detach_synchronously = 1` earlier in the file adds SYNC to every DROP after it. */
function dropsSynchronously(statements: readonly LocatedStatement[], index: number): boolean {
  const { file } = statements[index];
  for (let i = index - 1; i >= 0 && statements[i].file === file; i--) {
    const statement = statements[i].statement;
    if (statement.kind !== 'Set') continue;
    const setting = statement.settings.find((s) => s.name.name === 'database_atomic_wait_for_drop_and_detach_synchronously');
    if (setting?.value?.kind === 'Literal') return !['0', 'false'].includes(setting.value.value.toLowerCase());
  }
  return false;
}
