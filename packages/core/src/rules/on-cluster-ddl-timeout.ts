import type { Range } from '../diagnostics.js';
import type { SchemaObject } from '../model/schema.js';
import { isMetadataOnlyChange } from '../semantics/columnChanges.js';
import type { QualifiedName, SelectQuery, SettingAssignment, Statement } from '../syntax/ast.js';
import { clusterName, isReplicatedDatabase } from './cluster.js';
import { defineRule } from './rule.js';
import { timelineOf } from './schemaAt.js';
import { typeChanges } from './typeChanges.js';

// An ON CLUSTER statement is queued for every server, and the server it was sent to waits for all
// of them for distributed_ddl_task_timeout seconds (180 by default); past that it answers
// TIMEOUT_EXCEEDED (code 159, distributed_ddl_output_mode = throw by default) while the servers go
// on working (https://clickhouse.com/docs/operations/settings/settings#distributed_ddl_task_timeout).
// Each server answers once its own statement has returned, so the statements that wait for data
// work are the risk. What waits, as ClickHouse 26.7 shows on chDB (see the test):
// - OPTIMIZE ... FINAL merges before it returns;
// - mutations (UPDATE, DELETE, MATERIALIZE INDEX/PROJECTION/COLUMN/TTL/STATISTICS) wait while
//   mutations_sync is not 0 (1 by default in 26.7), a lightweight DELETE while
//   lightweight_deletes_sync is not 0 (2 by default);
// - MODIFY COLUMN to a type stored differently and MODIFY TTL (materialize_ttl_after_modify = 1)
//   wait for their rewrite whatever mutations_sync says;
// - CREATE ... AS SELECT and POPULATE copy the rows inside the statement.

type Work = 'optimize' | 'mutation' | 'lightweightDelete' | 'rewrite' | 'ttl' | 'copy';

const waits = (work: string) =>
  `{what} ON CLUSTER \`{cluster}\` ${work} before each server answers, but the server that runs the migration waits for them only distributed_ddl_task_timeout (180 s by default): past that the statement fails with TIMEOUT_EXCEEDED (code 159) while the servers go on working, and the deploy stops on a change that is still being made.`;
const timeoutHelp = 'or put `SET distributed_ddl_task_timeout = <seconds>` before it in the file, longer than the work takes on the largest server';

export default defineRule({
  id: 'on-cluster-ddl-timeout',
  severity: 'warning',
  docs: {
    description:
      'An ON CLUSTER statement waits for data work (a merge, a mutation, a copy): past distributed_ddl_task_timeout the deploy fails while the work goes on.',
  },
  messages: {
    optimize: {
      message: waits('merges every part of `{table}`'),
      help: `Run it outside the schema migration (merges happen in the background anyway), ${timeoutHelp}.`,
    },
    mutation: {
      message: waits('rewrites the parts of `{table}` (a mutation, waited for while mutations_sync is not 0)'),
      help: `Add \`SETTINGS mutations_sync = 0\` so that each server answers once the mutation is queued (then watch system.mutations), ${timeoutHelp}.`,
    },
    lightweightDelete: {
      message: waits('marks the deleted rows in every part of `{table}` (waited for while lightweight_deletes_sync is not 0)'),
      help: `Put \`SET lightweight_deletes_sync = 0\` before it so that each server answers once the delete is queued, ${timeoutHelp}.`,
    },
    rewrite: {
      message: waits('rewrites column `{column}` in every part of `{table}` (MODIFY COLUMN waits for it whatever mutations_sync says)'),
      help: `Add a new column and backfill it outside the migration, ${timeoutHelp}.`,
    },
    ttl: {
      message: waits('applies the new TTL to every part of `{table}` (materialize_ttl_after_modify = 1 by default)'),
      help: `Add \`SETTINGS materialize_ttl_after_modify = 0\` and let merges apply the TTL, ${timeoutHelp}.`,
    },
    copy: {
      message: waits('copies the rows its SELECT reads into `{table}`'),
      help: `Create \`{table}\` empty and fill it with INSERT ... SELECT outside the migration, ${timeoutHelp}.`,
    },
  },
  create(context) {
    const timeline = timelineOf(context);
    const schema = context.analysis.schema;
    // Only MergeTree tables rewrite their parts; a Distributed table's MODIFY COLUMN changes its metadata only.
    // Computed on first use: it replays the migrations up to each type change.
    let rewrites: Set<object> | undefined;
    const isRewrite = (action: object) => {
      rewrites ??= new Set(typeChanges(context).flatMap((c) => (isMergeTree(c.table) && !isMetadataOnlyChange(c.from, c.to) ? [c.action] : [])));
      return rewrites.has(action);
    };
    let file: string | undefined;
    // Settings a SET gave for the rest of the file: migration runners (ClickPlan's deploy among them) carry them to the next statements.
    let session = new Map<string, string>();
    return {
      Statement(statement, { file: current, index }) {
        if (current !== file) [file, session] = [current, new Map()];
        if (statement.kind === 'Set') {
          session = new Map([...session, ...settingsOf(statement.settings)]);
          return;
        }
        const target = targetOf(statement);
        if (!target) return;
        const onCluster = 'onCluster' in statement ? statement.onCluster : undefined;
        const database = target.database?.name ?? timeline.databaseAt(index);
        // With `cluster:` configured, the deploy adds ON CLUSTER itself; a Replicated database replicates its DDL instead.
        const cluster = onCluster ? clusterName(onCluster) : !isReplicatedDatabase(schema, database) ? context.project.cluster : undefined;
        if (!cluster) return;
        const settings = new Map([...session, ...settingsOf(statementSettings(statement))]);
        if (settings.has('distributed_ddl_task_timeout') || NON_THROWING_MODES.has(settings.get('distributed_ddl_output_mode') ?? '')) return;
        const table = `${database}.${target.name.name}`;
        const report = (node: Range, messageId: Work, what: string, column = '') =>
          context.report({ file: current, node, messageId, data: { what, cluster, table, column } });
        const before = () => timeline.before(index).tables.get(table);
        switch (statement.kind) {
          case 'Optimize':
            if (statement.final && !(isOff(settings, 'alter_sync') && isReplicated(before()))) report(statement.table, 'optimize', 'OPTIMIZE ... FINAL');
            break;
          case 'Delete':
            if (!isOff(settings, 'lightweight_deletes_sync')) report(statement.table, 'lightweightDelete', 'DELETE FROM');
            break;
          case 'AlterTable':
            for (const action of statement.actions) {
              const mutation = mutationName(action);
              if (mutation && !isOff(settings, 'mutations_sync')) report(action, 'mutation', mutation);
              else if (action.kind === 'ModifyColumn' && isRewrite(action))
                report(action, 'rewrite', 'MODIFY COLUMN', action.column.name.map((p) => p.name).join('.'));
              else if (action.kind === 'ModifyTtl' && !isOff(settings, 'materialize_ttl_after_modify') && isMergeTree(before()))
                report(action, 'ttl', 'MODIFY TTL');
            }
            break;
          case 'CreateTable':
            if (statement.asSelect && !statement.empty) report(statement.name, 'copy', 'CREATE TABLE ... AS SELECT');
            break;
          case 'CreateView':
            if (statement.populate) report(statement.name, 'copy', 'CREATE MATERIALIZED VIEW ... POPULATE');
            break;
        }
      },
    };
  },
});

/** distributed_ddl_output_mode values that answer without TIMEOUT_EXCEEDED when servers are still working. */
const NON_THROWING_MODES = new Set(['null_status_on_timeout', 'never_throw', 'null_status_on_timeout_only_active']);

/** The mutation an ALTER action starts, by name; undefined for other actions. */
function mutationName(action: Extract<Statement, { kind: 'AlterTable' }>['actions'][number]): string | undefined {
  switch (action.kind) {
    case 'Update':
      return 'ALTER ... UPDATE';
    case 'Delete':
      return 'ALTER ... DELETE';
    case 'MaterializeIndex':
      return 'MATERIALIZE INDEX';
    case 'MaterializeProjection':
      return 'MATERIALIZE PROJECTION';
    case 'MaterializeColumn':
      return 'MATERIALIZE COLUMN';
    case 'MaterializeTtl':
      return 'MATERIALIZE TTL';
    case 'Statistics':
      return action.verb === 'MATERIALIZE' ? 'MATERIALIZE STATISTICS' : undefined;
    default:
      return undefined;
  }
}

/** Query-level settings a statement carries: an ALTER's SETTINGS, the SETTINGS of a CREATE's SELECT. */
function statementSettings(statement: Statement): SettingAssignment[] {
  const ofQuery = (query: SelectQuery | undefined): SettingAssignment[] =>
    query ? [...query.selects.flatMap((s) => (s.kind === 'SelectQuery' ? ofQuery(s) : (s.settings?.items ?? []))), ...(query.settings?.items ?? [])] : [];
  switch (statement.kind) {
    case 'AlterTable':
      return statement.querySettings ?? [];
    case 'CreateTable':
      return ofQuery(statement.asSelect);
    case 'CreateView':
      return ofQuery(statement.query);
    default:
      return [];
  }
}

function settingsOf(settings: readonly SettingAssignment[]): Map<string, string> {
  return new Map(settings.flatMap((s) => (s.value?.kind === 'Literal' ? [[s.name.name, s.value.value.toLowerCase()] as const] : [])));
}

function isOff(settings: ReadonlyMap<string, string>, name: string): boolean {
  return ['0', 'false'].includes(settings.get(name) ?? '');
}

function engineOf(table: SchemaObject | undefined): string {
  return table?.definition.kind === 'CreateTable' ? (table.definition.storage?.engine?.name.name ?? '') : '';
}

/** A table of the MergeTree family, the engines whose ALTERs rewrite parts; unknown tables count as one. */
function isMergeTree(table: SchemaObject | undefined): boolean {
  return !table || /MergeTree$/.test(engineOf(table));
}

function isReplicated(table: SchemaObject | undefined): boolean {
  return /^(Replicated|Shared)/.test(engineOf(table));
}

/** The table or view of the statements that can wait for data work. */
function targetOf(statement: Statement): QualifiedName | undefined {
  switch (statement.kind) {
    case 'Optimize':
    case 'Delete':
    case 'AlterTable':
      return statement.table;
    case 'CreateTable':
    case 'CreateView':
      return statement.name;
    default:
      return undefined;
  }
}
