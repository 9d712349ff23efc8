import { columnName } from '../model/alterTable.js';
import type { SchemaObject } from '../model/schema.js';
import { isMetadataOnlyChange } from '../semantics/columnChanges.js';
import type { AlterAction, AlterTableStatement } from '../syntax/ast.js';
import { columnTypeText } from './columnTypes.js';
import { defineRule, type RuleContext } from './rule.js';
import { type SchemaState, type Timeline, timelineOf } from './schemaAt.js';

/** Schema commands that ClickHouse runs together in one ALTER. RENAME COLUMN is left out: it cannot share an ALTER with changes to the same column (code 48). */
const COMBINABLE = new Set<AlterAction['kind']>([
  'AddColumn',
  'DropColumn',
  'ModifyColumn',
  'ModifyColumnRemove',
  'ModifyColumnSettings',
  'ModifyColumnAddEnumValues',
  'CommentColumn',
  'AddIndex',
  'DropIndex',
  'AddProjection',
  'DropProjection',
  'AddConstraint',
  'DropConstraint',
  'ModifyConstraint',
  'Statistics',
  'ModifyOrderBy',
  'ModifySampleBy',
  'RemoveSampleBy',
  'ModifyTtl',
  'RemoveTtl',
  'ModifySetting',
  'ResetSetting',
  'ModifyComment',
]);

/**
 * Each ALTER TABLE is one metadata change, and one mutation when a command needs one (an ALTER
 * waits for its mutation). Consecutive ALTERs of one table rewrite its parts once each; on a
 * replicated table each is its own replication-log entry, and an ALTER sent while replicas still
 * apply the previous one can fail with code 517 (CANNOT_ASSIGN_ALTER).
 */
const rule = defineRule({
  id: 'alter-not-combined',
  severity: 'warning',
  docs: { description: 'Consecutive ALTERs of one table that could be one: each rewrites the parts again, and replicated tables risk code 517.' },
  messages: {
    replicated: {
      message:
        'This is ALTER number {n} of `{table}` in a row: on a replicated table each ALTER is its own entry in the replication log, applied by every replica in turn, and an ALTER sent before the previous one is applied everywhere can fail with code 517 (CANNOT_ASSIGN_ALTER).',
      help: 'Merge the consecutive ALTERs of `{table}` into one: ALTER TABLE {table} command, command, ...',
    },
    mutations: {
      message:
        'This ALTER of `{table}` and the one before it each start a mutation, and each ALTER waits for its own: every part of `{table}` is rewritten once per ALTER, where one ALTER with all the commands rewrites it once.',
      help: 'Merge the consecutive ALTERs of `{table}` into one: ALTER TABLE {table} command, command, ...',
    },
  },
  create(context) {
    const timeline = timelineOf(context);
    /** Per table: the indexes of the ALTERs of the current run. */
    const runs = new Map<string, number[]>();
    let file: string | undefined;
    const changesQuery = (a: AlterAction) => a.kind === 'ModifyQuery' || a.kind === 'ModifyRefresh';
    return {
      Statement(statement, { file: current, index }) {
        // (Clearing a Map allocates a new table: only non-empty ones are cleared.)
        if (current !== file) {
          if (runs.size > 0) runs.clear();
          file = current;
        }
        // Anything but an ALTER of a table may depend on the ALTERs before it: it ends every run.
        if (statement.kind !== 'AlterTable' || statement.actions.some(changesQuery)) {
          if (runs.size > 0) runs.clear();
          return;
        }
        const id = timeline.idAt(index, statement.table);
        if (!isCombinable(statement)) {
          runs.delete(id);
          return;
        }
        let run = runs.get(id);
        if (!run) runs.set(id, (run = []));
        run.push(index);
        // Replaying is costly: the table is looked at only once a run has two ALTERs.
        if (run.length >= 2) judgeRun(context, timeline, current, id, run);
      },
    };
  },
});
export default rule;

type Messages = (typeof rule)['messages'];

/** A run of two or more ALTERs of table `id`, the last at `run[run.length - 1]`. */
function judgeRun(context: RuleContext<Messages>, timeline: Timeline, file: string, id: string, run: number[]): void {
  const index = run[run.length - 1];
  const statement = context.statements[index].statement as AlterTableStatement;
  const state = timeline.before(index);
  const table = state.tables.get(id);
  if (!table || !isMergeTree(table)) return;
  const alterOf = (i: number) => context.statements[i].statement as AlterTableStatement;
  if (isReplicated(table, state) || run.some((i) => alterOf(i).onCluster)) {
    context.report({ file, node: statement.table, messageId: 'replicated', data: { table: id, n: run.length } });
    return;
  }
  const mutates = (i: number) => {
    const before = timeline.before(i).tables.get(id);
    return !!before && needsMutation(alterOf(i), before);
  };
  if (mutates(index) && run.slice(0, -1).some(mutates)) context.report({ file, node: statement.table, messageId: 'mutations', data: { table: id } });
}

function isCombinable(statement: AlterTableStatement): boolean {
  return !statement.querySettings && statement.actions.every((a) => COMBINABLE.has(a.kind) && (a.kind !== 'Statistics' || a.verb !== 'MATERIALIZE'));
}

function isMergeTree(table: SchemaObject): boolean {
  return table.definition.kind === 'CreateTable' && /MergeTree$/.test(table.definition.storage?.engine?.name.name ?? '');
}

/** A Replicated or Shared engine, or any MergeTree in a Replicated database (which replicates it). */
function isReplicated(table: SchemaObject, state: SchemaState): boolean {
  const engine = table.definition.kind === 'CreateTable' ? (table.definition.storage?.engine?.name.name ?? '') : '';
  if (/^(Replicated|Shared)/.test(engine)) return true;
  const database = table.database === undefined ? undefined : state.database(table.database);
  return database?.definition.kind === 'CreateDatabase' && database.definition.engine?.name.name === 'Replicated';
}

/** Commands that rewrite parts: dropping a column, a type change that is not metadata-only, a TTL to materialize. */
function needsMutation(statement: AlterTableStatement, table: SchemaObject): boolean {
  const columns = table.definition.kind === 'CreateTable' ? (table.definition.elements ?? []) : [];
  return statement.actions.some((action) => {
    switch (action.kind) {
      // DROP INDEX and DROP PROJECTION are mutations too, but they hard-link every column file into the
      // new part (checked in the test): nothing is rewritten, so a run of them costs nothing (issue 19).
      case 'DropColumn':
      case 'ModifyTtl':
        return true;
      case 'Statistics':
        return action.verb === 'DROP';
      case 'ModifyColumn': {
        if (action.column.ttl) return true;
        const name = columnName(action.column.name);
        const old = columns.find((c) => c.kind === 'ColumnDefinition' && columnName(c.name) === name);
        const from = old?.kind === 'ColumnDefinition' ? columnTypeText(old) : undefined;
        const to = columnTypeText(action.column);
        return !!from && !!to && !isMetadataOnlyChange(from, to);
      }
      default:
        return false;
    }
  });
}
