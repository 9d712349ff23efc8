import type { Target } from '../live/types.js';
import { TargetError } from '../live/types.js';
import type { AlterAction, Statement } from '../syntax/ast.js';
import { parseSql } from '../syntax/parser.js';
import { quoteString } from '../syntax/printer.js';

// A statement whose outcome is unknown: the deploy that ran it died before recording it, or its
// answer was lost. What may be done about it depends on what running it twice would do:
// - `rerun`: a second run changes nothing or fails saying its effect is there (CREATE, DROP, RENAME...);
// - `deduplicate`: an INSERT, sent with an `insert_deduplication_token` of its migration and
//   statement; a second run adds nothing when the table, and every table its materialized views
//   write into, keeps a deduplication window;
// - `mutation`: ALTER ... UPDATE/DELETE and DELETE FROM leave a row in `system.mutations`;
// - `stop`: nothing tells; the deploy stops before running it again and a person decides (`clickplan repair`).

export type Rerun =
  | { kind: 'rerun' }
  | { kind: 'deduplicate'; table: { database?: string; name: string } }
  | { kind: 'mutation'; table: { database?: string; name: string }; commands: string[] }
  | { kind: 'stop'; why: string };

/** ALTER actions that, run a second time right after they took effect, change nothing or fail with "already in effect". */
const SAFE_AGAIN = new Set<AlterAction['kind']>([
  'DropColumn',
  'DropIndex',
  'DropProjection',
  'DropConstraint',
  'RenameColumn',
  'ModifyColumn',
  'ModifyColumnRemove',
  'ModifyColumnSettings',
  'ModifyConstraint',
  'ModifyOrderBy',
  'ModifySampleBy',
  'MaterializeColumn',
  'MaterializeIndex',
  'MaterializeProjection',
]);

/** What may be done about the statement when its outcome is unknown. `text` is the file the statement's offsets point into. */
export function rerunOf(statement: Statement, text: string, rerunnable: boolean): Rerun {
  if (rerunnable) return { kind: 'rerun' };
  switch (statement.kind) {
    case 'Insert':
      return statement.table
        ? { kind: 'deduplicate', table: tableOf(statement.table) }
        : { kind: 'stop', why: 'an INSERT INTO FUNCTION cannot be deduplicated' };
    case 'Delete':
      return {
        kind: 'mutation',
        table: tableOf(statement.table),
        commands: [`UPDATE _row_exists = 0 WHERE ${text.slice(statement.where.start, statement.where.end)}`],
      };
    case 'Update':
      return { kind: 'stop', why: 'a lightweight UPDATE writes patch parts that leave no trace to look up' };
    case 'AlterTable': {
      if (statement.actions.every((a) => a.kind === 'Update' || a.kind === 'Delete'))
        return { kind: 'mutation', table: tableOf(statement.table), commands: statement.actions.map((a) => text.slice(a.start, a.end)) };
      const unsafe = statement.actions.find((a) => !SAFE_AGAIN.has(a.kind) && !('ifNotExists' in a && a.ifNotExists));
      return unsafe
        ? { kind: 'stop', why: `running ${shortened(text.slice(unsafe.start, unsafe.end))} again may change data a second time` }
        : { kind: 'rerun' };
    }
    case 'Drop':
    case 'Rename':
    case 'Optimize':
    case 'SelectStatement':
    case 'CreateView':
    case 'CreateDictionary':
    case 'CreateFunction':
    case 'CreateAccessEntity':
      return { kind: 'rerun' };
    case 'Exchange':
      return { kind: 'stop', why: 'running EXCHANGE again swaps the tables back' };
    case 'Truncate':
      return { kind: 'stop', why: 'running TRUNCATE again deletes the rows written since' };
    case 'CreateTable':
      return { kind: 'stop', why: 'running CREATE OR REPLACE / REPLACE TABLE again replaces the table with the rows written since' };
    default:
      return { kind: 'stop', why: `nothing tells whether a ${statement.kind} statement took effect` };
  }
}

/** An ALTER action for a message: one line, at most 60 characters. */
function shortened(action: string): string {
  const line = action.replace(/\s+/g, ' ').trim();
  return line.length > 60 ? `${line.slice(0, 59)}…` : line;
}

function tableOf(name: { database?: { name: string }; name: { name: string } }): { database?: string; name: string } {
  return { ...(name.database ? { database: name.database.name } : {}), name: name.name.name };
}

/** `insert_deduplication_token` of an INSERT: its migration's checksum, run and statement, so that only a re-run of this very statement is deduplicated. */
export function deduplicationToken(checksum: string, run: number, ordinal: number): string {
  return `clickplan:${checksum}:${run}:${ordinal}`;
}

/**
 * Whether an INSERT into the table sent twice with the same token adds its rows once, there and in
 * every table its materialized views write into: the server knows `insert_deduplication_token`
 * (22.2 and later; 18.16 does not) and each of those tables keeps a deduplication window
 * (`replicated_deduplication_window` of a Replicated*MergeTree, 1000 by default;
 * `non_replicated_deduplication_window` of a MergeTree, 0 — none — by default). The INSERT is sent
 * with `deduplicate_blocks_in_dependent_materialized_views = 1` (DEDUPLICATION_SETTINGS): on 26.7 a
 * view runs again even when its source drops the block, and only the target's window drops it then.
 */
export async function isDeduplicated(target: Target, database: string, table: string): Promise<{ ok: boolean; why: string }> {
  const settings = await target.query<{ name: string }>("SELECT name FROM system.settings WHERE name = 'insert_deduplication_token'");
  if (settings.length === 0) return { ok: false, why: `${target.description} has no insert_deduplication_token (ClickHouse before 22.2)` };
  const own = await windowOf(target, database, table);
  if (!own.ok) return own;
  const reasons = [own.why];
  // Every materialized view fed by the table, and by the tables those write into, breadth first.
  const seen = new Set([`${database}.${table}`]);
  const queue = [{ database, table }];
  for (let next = queue.shift(); next; next = queue.shift()) {
    for (const view of await materializedViewsOf(target, next.database, next.table)) {
      const written = await viewTarget(target, view);
      if (!written)
        return {
          ok: false,
          why: `the materialized view ${view.database}.${view.name} on ${next.database}.${next.table} writes into a table that cannot be found`,
        };
      const key = `${written.database}.${written.table}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const window = await windowOf(target, written.database, written.table);
      if (!window.ok)
        return { ok: false, why: `the materialized view ${view.database}.${view.name} on ${next.database}.${next.table} writes into ${key}: ${window.why}` };
      reasons.push(window.why);
      queue.push(written);
    }
  }
  return { ok: true, why: reasons.join('; ') };
}

/** What every INSERT of a deploy is sent with, so that the same INSERT sent again adds its rows once (see isDeduplicated). */
export function deduplicationSettings(token: string): Record<string, string | number> {
  return { insert_deduplicate: 1, insert_deduplication_token: token, deduplicate_blocks_in_dependent_materialized_views: 1 };
}

/** Whether a table drops a block it already has: a *MergeTree with a deduplication window. */
async function windowOf(target: Target, database: string, table: string): Promise<{ ok: boolean; why: string }> {
  const [row] = await target.query<{ engine: string; create_table_query: string }>(
    `SELECT engine, create_table_query FROM system.tables WHERE database = ${quoteString(database)} AND name = ${quoteString(table)}`,
  );
  if (!row) return { ok: false, why: `${database}.${table} does not exist` };
  if (!row.engine.endsWith('MergeTree')) return { ok: false, why: `${database}.${table} is a ${row.engine} table, which does not deduplicate inserts` };
  const setting = row.engine.startsWith('Replicated') ? 'replicated_deduplication_window' : 'non_replicated_deduplication_window';
  // The server's own CREATE text: a window set on the table shows in its SETTINGS clause.
  const own = new RegExp(`\\b${setting}\\s*=\\s*(\\d+)`).exec(row.create_table_query)?.[1];
  const window = own ?? (await target.query<{ value: string }>(`SELECT value FROM system.merge_tree_settings WHERE name = ${quoteString(setting)}`))[0]?.value;
  if (Number(window ?? 0) > 0) return { ok: true, why: `${database}.${table} keeps ${setting} = ${window}` };
  return { ok: false, why: `${database}.${table} has no ${setting} (set it on the table to make INSERTs into it safe to run again)` };
}

interface LiveView {
  database: string;
  name: string;
  createQuery: string;
  uuid: string;
}

/** The materialized views an INSERT into the table feeds (system.tables' dependencies). */
async function materializedViewsOf(target: Target, database: string, table: string): Promise<LiveView[]> {
  const [row] = await target.query<{ dependencies_database: string[]; dependencies_table: string[] }>(
    `SELECT dependencies_database, dependencies_table FROM system.tables WHERE database = ${quoteString(database)} AND name = ${quoteString(table)}`,
  );
  const views: LiveView[] = [];
  for (const [i, name] of (row?.dependencies_table ?? []).entries()) {
    const viewDatabase = row?.dependencies_database[i] ?? database;
    const [view] = await target.query<{ engine: string; create_table_query: string; uuid: string }>(
      `SELECT engine, create_table_query, toString(uuid) AS uuid FROM system.tables WHERE database = ${quoteString(viewDatabase)} AND name = ${quoteString(name)}`,
    );
    if (view?.engine === 'MaterializedView') views.push({ database: viewDatabase, name, createQuery: view.create_table_query, uuid: view.uuid });
  }
  return views;
}

/** The table a materialized view writes into: its TO table, or its inner table (`.inner_id.<uuid>`, `.inner.<name>` in Ordinary databases). */
async function viewTarget(target: Target, view: LiveView): Promise<{ database: string; table: string } | undefined> {
  const [statement] = parseSql(view.createQuery).statements;
  if (statement?.kind === 'CreateView' && statement.to) return { database: statement.to.database?.name ?? view.database, table: statement.to.name.name };
  for (const inner of [`.inner_id.${view.uuid}`, `.inner.${view.name}`]) {
    const found = await target.query(`SELECT 1 FROM system.tables WHERE database = ${quoteString(view.database)} AND name = ${quoteString(inner)}`);
    if (found.length > 0) return { database: view.database, table: inner };
  }
  return undefined;
}

export type MutationLookup = { state: 'none' } | { state: 'found'; mutationId: string; done: boolean } | { state: 'other'; commands: string[] };

/**
 * Looks the statement's mutations up in `system.mutations` of the table, among those created since
 * `since` (server time): none at all means the statement did not run; one whose command reads as
 * the statement's means it did; mutations that read differently leave the question open.
 */
export async function lookUpMutation(
  target: Target,
  database: string,
  table: string,
  commands: string[],
  since: string,
  /** Commands of earlier statements of the same file, which ran and are recorded: their mutations are not this one's. */
  earlier: string[][] = [],
): Promise<MutationLookup> {
  let rows: { mutation_id: string; command: string; is_done: number | string }[];
  try {
    rows = await target.query(
      `SELECT mutation_id, command, is_done FROM system.mutations WHERE database = ${quoteString(database)} AND table = ${quoteString(table)} AND create_time >= toDateTime(${quoteString(since)}) ORDER BY create_time`,
    );
  } catch (error) {
    if (error instanceof TargetError) return { state: 'other', commands: [error.message] };
    throw error;
  }
  const known = new Set(earlier.map((c) => c.map(comparable).join(',')));
  const wanted = commands.map(comparable).join(',');
  rows = rows.filter((row) => comparable(row.command) === wanted || !known.has(comparable(row.command)));
  if (rows.length === 0) return { state: 'none' };
  // 18.16 stores one row per ALTER with its commands joined by ", "; 26.7 puts each in parentheses.
  const found = rows.find((row) => comparable(row.command) === wanted);
  if (found) return { state: 'found', mutationId: found.mutation_id, done: Number(found.is_done) === 1 };
  return { state: 'other', commands: rows.map((r) => r.command) };
}

/** A mutation command as both spellings compare: without case, white space, parentheses and quoting of names. */
function comparable(command: string): string {
  return command.toLowerCase().replace(/[\s()`"]/g, '');
}
