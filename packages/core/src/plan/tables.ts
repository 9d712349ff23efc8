import { canonicalColumnFacets, serverDerivesColumns } from '../canon/canonical.js';
import { type CanonContext, canonicalExpression } from '../canon/expressions.js';
import { type ObjectChange, SECRETS_DIFFERENCE } from '../diff/diff.js';
import { columnName, identifiersIn } from '../model/alterTable.js';
import { keyColumnsOf, keyElements } from '../model/keyColumns.js';
import { storedColumns } from '../model/nested.js';
import type { SchemaObject } from '../model/schema.js';
import { plural } from '../plural.js';
import { type TypeChangeVerdict, typeChangeVerdict } from '../semantics/columnChanges.js';
import { alterDropsConstraints, canAlterInPlace, rowsOfEngine } from '../semantics/engines.js';
import { canAlterSettings, isDefaultWrittenLater, isStoredTableSetting, mergeTreeSettingDefault, readonlyMergeTreeSettings } from '../semantics/settings.js';
import type { AlterAction, ColumnDefinition, CreateTableStatement, FunctionCall, Statement, TableElement } from '../syntax/ast.js';
import { printDataType } from '../syntax/printer.js';
import { createStatement } from './create.js';
import { alterTable, columnPath, copyRows, dropStatement, identifier, qualifiedName, renameStatement, stringLiteral } from './nodes.js';
import type { Risk, StepAction } from './types.js';

// How a table gets from its live definition to the desired one: ALTERs where ClickHouse can change
// the table in place, a rebuild (new table, copy, EXCHANGE) where it cannot.

/** A step before ON CLUSTER, printing and ordering are applied. */
export interface DraftStep {
  action: StepAction;
  statement: Statement;
  reason: string;
  risk: Risk;
  riskReason?: string;
  /** Whether the step reads or writes the table's existing rows (for the impact estimate). */
  touchesRows?: boolean;
}

type AlterChange = Extract<ObjectChange, { kind: 'alter' }>;

/** MergeTree settings fixed at creation: ClickHouse refuses to MODIFY them (error 472). */
const READONLY_SETTINGS = readonlyMergeTreeSettings();

/** Parts whose change ClickHouse cannot apply in place. */
const REBUILD_PARTS: Record<string, string> = {
  engine: 'the engine',
  'partition-by': 'PARTITION BY',
  'primary-key': 'the primary key',
  'sample-by': 'SAMPLE BY',
  'as-table': 'the table it copies',
  'as-table-function': 'the table function',
};

/**
 * Engines whose rows are not in the table's own storage: in another system (MySQL, S3, a Kafka
 * topic...), in other tables (Distributed, Merge, Dictionary), or nowhere (Null, GenerateRandom).
 * Such a table is recreated, never rebuilt by copying: INSERT ... SELECT from it would read the
 * external data and write it back there, or into the shards a second time. Each name is checked
 * against chDB's system.table_engines by deploy-secrets.test.ts.
 */
export const ENGINES_WITHOUT_LOCAL_ROWS: ReadonlySet<string> = new Set([
  'AzureBlobStorage',
  'AzureQueue',
  'COSN',
  'DeltaLake',
  'Dictionary',
  'Distributed',
  'Executable',
  'ExecutablePool',
  'ExternalDistributed',
  'GenerateRandom',
  'HDFS',
  'Hive',
  'Hudi',
  'Iceberg',
  'IcebergS3',
  'JDBC',
  'Kafka',
  'Merge',
  'MongoDB',
  'MySQL',
  'NATS',
  'Null',
  'ODBC',
  'OSS',
  'PostgreSQL',
  'RabbitMQ',
  'Redis',
  'S3',
  'S3Queue',
  'SQLite',
  'URL',
]);

/** Whether the table keeps no rows of its own (an engine above, or `AS table_function(...)`). */
export function holdsNoLocalRows(table: CreateTableStatement): boolean {
  if (table.asTableFunction) return true;
  const engine = table.storage?.engine?.name.name;
  return engine !== undefined && ENGINES_WITHOUT_LOCAL_ROWS.has(engine);
}

export function tableSteps(change: AlterChange): DraftStep[] {
  const { desired, live } = change;
  if (desired.definition.kind !== 'CreateTable' || live.definition.kind !== 'CreateTable') return [];
  const name = qualifiedName(desired.database, desired.name);
  const steps: DraftStep[] = [];
  const secretsChanged = change.differences.some((d) => d.key === SECRETS_DIFFERENCE.key);
  const external = holdsNoLocalRows(desired.definition) && holdsNoLocalRows(live.definition);
  if (change.renamedFrom) {
    steps.push({
      action: 'rename',
      statement: renameStatement('Rename', 'TABLE', qualifiedName(live.database, live.name), name),
      reason: `renamed from \`${change.renamedFrom}\` in the repository`,
      risk: 'safe',
    });
  }
  const engine = live.definition.storage?.engine?.name.name;
  // An engine that cannot rename columns in place (Log, code 48) gets them renamed by its rebuild's copy.
  const renamesInPlace = !engine || canAlterInPlace(engine, 'RenameColumn');
  const rebuildBecause =
    rebuildReason(change, desired.definition, live.definition) ??
    (secretsChanged ? 'the secrets (passwords, keys) changed in the repository since the last deploy, and only a new definition sets them' : undefined);
  // Nothing to copy: the new definition replaces the old one atomically (CREATE OR REPLACE, an Atomic database).
  if (rebuildBecause && external) return [...steps, recreateStep(desired, rebuildBecause)];
  for (const rename of renamesInPlace ? change.columnRenames : []) {
    steps.push({
      action: 'alter',
      statement: alterTable(name, [{ kind: 'RenameColumn', ifExists: false, from: columnPath(rename.from), to: columnPath(rename.to), start: 0, end: 0 }]),
      reason: `column \`${rename.from}\` renamed to \`${rename.to}\` in the repository`,
      risk: 'safe',
    });
  }
  if (rebuildBecause) return [...steps, ...rebuildSteps(desired, live, rebuildBecause, change.columnRenames, renamesInPlace)];
  const alters = alterSteps(change, desired.definition, live.definition);
  const refused = !engine ? undefined : renamesInPlace || change.columnRenames.length === 0 ? refusedAlter(engine, alters) : ALTER_WORDS.RenameColumn;
  // GenerateRandom and Merge tables lose their constraints on any ALTER (the server writes its metadata without them).
  const losesConstraints =
    !refused && engine && alters.length > 0 && alterDropsConstraints(engine) && desired.definition.elements?.some((e) => e.kind === 'ConstraintDefinition');
  if (!refused && !losesConstraints) return [...steps, ...alters];
  const because = refused ? `a ${engine} table cannot ${refused} in place (code 48)` : `an ALTER of a ${engine} table drops its constraints`;
  return [...steps, ...(external ? [recreateStep(desired, because)] : rebuildSteps(desired, live, because, change.columnRenames, renamesInPlace))];
}

/**
 * `x T EPHEMERAL` with its default written out: ClickHouse reads `EPHEMERAL AFTER y` as the default
 * expression `AFTER` (code 62), and stores an added EPHEMERAL column with this default anyway.
 */
function withEphemeralDefault(column: ColumnDefinition): ColumnDefinition {
  if (column.defaultKind !== 'EPHEMERAL' || column.defaultExpression || !column.type) return column;
  const call: FunctionCall = {
    kind: 'FunctionCall',
    name: identifier('defaultValueOfTypeName'),
    arguments: [stringLiteral(printDataType(column.type))],
    distinct: false,
    start: 0,
    end: 0,
  };
  return { ...column, defaultExpression: call };
}

/** What the engine refuses to ALTER in place among the steps (`AddColumn` → "add a column"), if anything. */
function refusedAlter(engine: string, steps: DraftStep[]): string | undefined {
  for (const step of steps) {
    if (step.statement.kind !== 'AlterTable') continue;
    const kind = step.statement.actions.find((a) => !canAlterInPlace(engine, a.kind))?.kind;
    if (kind) return ALTER_WORDS[kind] ?? kind;
  }
  return undefined;
}

const ALTER_WORDS: Record<string, string> = {
  AddColumn: 'add a column',
  DropColumn: 'drop a column',
  ModifyColumn: 'modify a column',
  ModifyColumnRemove: 'remove a column property',
  CommentColumn: 'comment a column',
  RenameColumn: 'rename a column',
  ModifyComment: 'change its comment',
  AddIndex: 'add an index',
  DropIndex: 'drop an index',
  AddProjection: 'add a projection',
  DropProjection: 'drop a projection',
  AddConstraint: 'add a constraint',
  DropConstraint: 'drop a constraint',
};

/** Why the table must be rebuilt, or undefined when ALTERs suffice. */
function rebuildReason(change: AlterChange, desired: CreateTableStatement, live: CreateTableStatement): string | undefined {
  const samePrimaryKey = primaryKeyOf(live, contextOf(change.live)) === primaryKeyOf(desired, contextOf(change.desired));
  for (const difference of change.differences) {
    const what = REBUILD_PARTS[difference.key];
    // PRIMARY KEY written out or implied by ORDER BY is the same key.
    if (difference.key === 'primary-key' && samePrimaryKey) continue;
    if (what)
      return `${what} differs (live: ${difference.live ?? 'none'}; repository: ${difference.desired ?? 'none'}), which ClickHouse cannot change in place`;
  }
  const liveSettings = settingsOf(live, contextOf(change.live));
  const desiredSettings = settingsOf(desired, contextOf(change.desired));
  for (const setting of READONLY_SETTINGS) {
    if (liveSettings.get(setting) !== desiredSettings.get(setting)) return `setting \`${setting}\` differs, and ClickHouse fixes it when the table is created`;
  }
  const engine = desired.storage?.engine?.name.name;
  if (engine) {
    const changed = [...desiredSettings].filter(([name, value]) => liveSettings.get(name) !== value).map(([name]) => name);
    const removed = [...liveSettings.keys()].filter((name) => !desiredSettings.has(name));
    if (changed.length && !canAlterSettings(engine, 'modify'))
      return `settings differ (${changed.join(', ')}), and ClickHouse cannot modify the settings of a ${engine} table in place`;
    if (removed.length && !canAlterSettings(engine, 'reset'))
      return `settings are removed (${removed.join(', ')}), and ClickHouse cannot reset the settings of a ${engine} table in place`;
  }
  if (change.differences.some((d) => d.key === 'order-by') && !appendsToSortingKey(change, desired, live))
    return 'ORDER BY differs beyond appending new columns, which ClickHouse cannot change in place';
  const keyColumns = keyColumnsOf(live);
  const liveColumns = columnsByName(live);
  const desiredColumns = columnsByName(desired);
  for (const column of keyColumns) {
    const before = liveColumns.get(renamedTo(column, change.columnRenames));
    const after = desiredColumns.get(renamedTo(column, change.columnRenames));
    if (!before) continue;
    if (!after) return `key column \`${column}\` is removed, and ClickHouse cannot drop a column of the sorting, primary or partition key`;
    const from = canonicalColumnFacets(before, contextOf(change.live)).type;
    const to = canonicalColumnFacets(after, contextOf(change.desired)).type;
    const verdict = from && to && from !== to ? typeChangeVerdict(from, to, { key: true }) : undefined;
    if (verdict?.kind === 'refused')
      return `the type of key column \`${column}\` changes from ${from} to ${to}, which ClickHouse refuses in place (code ${verdict.code})`;
  }
  for (const difference of change.differences) {
    const column = difference.key.startsWith('column:') ? difference.key.slice('column:'.length) : undefined;
    if (column && !desiredColumns.has(column) && !liveColumns.has(column)) return `nested column \`${column}\` changes`;
  }
  return undefined;
}

function renamedTo(column: string, renames: { from: string; to: string }[]): string {
  return renames.find((r) => r.from === column)?.to ?? column;
}

/**
 * MODIFY ORDER BY can only append columns added in the same ALTER, and the primary key stays what it
 * was: so the repository must keep the old key as PRIMARY KEY.
 */
function appendsToSortingKey(change: AlterChange, desired: CreateTableStatement, live: CreateTableStatement): boolean {
  // MODIFY ORDER BY takes no DESC, and ClickHouse 26.7 fails it on a reverse key: the table is rebuilt.
  if (live.storage?.orderByDescending || desired.storage?.orderByDescending) return false;
  const liveContext = contextOf(change.live);
  const desiredContext = contextOf(change.desired);
  const liveKey = keyElements(live.storage?.orderBy).map((e) => canonicalExpression(e, liveContext));
  const desiredKey = keyElements(desired.storage?.orderBy);
  const desiredKeyText = desiredKey.map((e) => canonicalExpression(e, desiredContext));
  if (desiredKeyText.length <= liveKey.length || liveKey.some((k, i) => desiredKeyText[i] !== k)) return false;
  const liveColumns = columnsByName(live);
  const appendsNewColumns = desiredKey.slice(liveKey.length).every((e) => e.kind === 'ColumnRef' && !liveColumns.has(e.parts.map((p) => p.name).join('.')));
  const keepsPrimaryKey = primaryKeyOf(live, liveContext) === primaryKeyOf(desired, desiredContext);
  return appendsNewColumns && keepsPrimaryKey;
}

/** The primary key as ClickHouse uses it: PRIMARY KEY, or ORDER BY when there is none. */
function primaryKeyOf(table: CreateTableStatement, context: CanonContext): string {
  return keyElements(table.storage?.primaryKey ?? table.storage?.orderBy)
    .map((e) => canonicalExpression(e, context))
    .join(', ');
}

function columnsByName(table: CreateTableStatement): Map<string, ColumnDefinition> {
  return new Map(columnsOf(table).map((c) => [columnName(c.name), c]));
}

/** The columns as ClickHouse stores them, Nested flattened into its `n.a Array(T)` columns, as the canonical form compares them. */
function columnsOf(table: CreateTableStatement): ColumnDefinition[] {
  return (table.elements ?? []).flatMap((e) => (e.kind === 'ColumnDefinition' ? storedColumns(e) : []));
}

function contextOf(object: SchemaObject): CanonContext {
  return { database: object.contextDatabase };
}

/** The settings ClickHouse stores for the table: query-level ones (`enable_json_type`) are applied at CREATE and not kept. */
function storedSettings(table: CreateTableStatement): NonNullable<NonNullable<CreateTableStatement['storage']>['settings']> {
  const engine = table.storage?.engine?.name.name;
  return (table.storage?.settings ?? []).filter((s) => !engine || (isStoredTableSetting(engine, s.name.name) && !isDefaultWrittenLater(engine, s)));
}

function settingsOf(table: CreateTableStatement, context: CanonContext): Map<string, string> {
  const settings = new Map<string, string>();
  for (const s of storedSettings(table)) settings.set(s.name.name, s.value ? canonicalExpression(s.value, context) : '');
  // MergeTree tables are stored with the default granularity when the DDL leaves it out.
  if (/MergeTree$/.test(table.storage?.engine?.name.name ?? '') && !settings.has('index_granularity'))
    settings.set('index_granularity', mergeTreeSettingDefault('index_granularity')!);
  return settings;
}

/** A table without rows of its own, recreated in one atomic statement. */
function recreateStep(desired: SchemaObject, because: string): DraftStep {
  return {
    action: 'replace',
    statement: createStatement(desired, { orReplace: true, ifNotExists: false }),
    reason: `${because}; the table keeps no rows of its own, so it is recreated without copying`,
    risk: 'safe',
  };
}

/**
 * Settings the copy's read needs: a File table has no data file until its first insert, and reading
 * it then fails (code 107) unless told that a missing file is an empty table.
 */
function readSettings(live: CreateTableStatement): Record<string, number> {
  return live.storage?.engine?.name.name === 'File' ? { engine_file_empty_if_not_exists: 1 } : {};
}

/**
 * New table under a temporary name, copy the rows, swap the two atomically, drop the old one.
 * Dropping the old table destroys data only when the copy leaves a stored column out (data-loss);
 * otherwise it holds just the rows written while the copy ran, a window the steps name (heavy).
 * An engine that keeps no rows of its own (Null, Merge, URL) is re-created without a copy; one whose
 * rows no SELECT reads (Set) loses them. `renamed`: the column renames ran before, else the copy renames.
 */
function rebuildSteps(desired: SchemaObject, live: SchemaObject, because: string, renames: { from: string; to: string }[], renamed = true): DraftStep[] {
  const definition = desired.definition as CreateTableStatement;
  const temporaryName = `${desired.name}__clickplan_rebuild`;
  const temporary = qualifiedName(desired.database, temporaryName);
  const table = qualifiedName(desired.database, desired.name);
  const liveDefinition = live.definition as CreateTableStatement;
  const liveColumns = columnsByName(liveDefinition);
  const rows = rowsOfEngine(liveDefinition.storage?.engine?.name.name ?? '');
  const isStored = (c: ColumnDefinition) => c.defaultKind === undefined || c.defaultKind === 'DEFAULT';
  const liveNameOf = (column: string) => renames.find((r) => r.to === column)?.from ?? column;
  // Stored on both sides: a column EPHEMERAL (or MATERIALIZED, ALIAS) live has nothing to read (code 16).
  const storedLive = (column: string) => {
    const c = liveColumns.get(liveNameOf(column));
    return !!c && isStored(c);
  };
  const copied = [...columnsByName(definition).entries()].filter(([column, c]) => isStored(c) && storedLive(column)).map(([column]) => column);
  const copiedLive = new Set(copied.map(liveNameOf));
  const lost = [...liveColumns.entries()].filter(([column, c]) => isStored(c) && !copiedLive.has(column)).map(([column]) => `\`${column}\``);
  const window = `rows inserted into \`${desired.id}\` after the copy starts stay in the old table, which the last step drops: stop writers (and the materialized views writing into it) for the duration`;
  const copies = rows === 'copy';
  const count = copies ? 4 : 3;
  const drop: Pick<DraftStep, 'risk' | 'riskReason'> =
    rows === 'none'
      ? { risk: 'safe' }
      : rows === 'unreadable'
        ? { risk: 'data-loss', riskReason: `drops the rows of \`${desired.id}\`: its engine keeps rows no SELECT reads, so they cannot be copied` }
        : lost.length
          ? { risk: 'data-loss', riskReason: `drops the data of ${plural(lost.length, 'column')} the copy leaves out (${lost.join(', ')}); ${window}` }
          : { risk: 'heavy', riskReason: window };
  const steps: DraftStep[] = [
    {
      action: 'create',
      statement: createStatement(desired, { orReplace: false, ifNotExists: false, name: temporary }),
      reason: `rebuild of \`${desired.id}\` (1/${count}): ${because}; create the new definition under a temporary name`,
      risk: 'safe',
    },
  ];
  if (copies)
    steps.push({
      action: 'copy',
      statement: copyRows(temporary, table, copied, renamed ? copied : copied.map(liveNameOf), readSettings(liveDefinition)),
      reason: `rebuild of \`${desired.id}\` (2/4): copy the rows (${plural(copied.length, 'column')})`,
      risk: 'heavy',
      riskReason: `reads and rewrites every row of \`${desired.id}\`; ${window}`,
      touchesRows: true,
    });
  steps.push(
    {
      action: 'exchange',
      statement: renameStatement('Exchange', 'TABLE', table, temporary),
      reason: `rebuild of \`${desired.id}\` (${count - 1}/${count}): swap the tables atomically (needs an Atomic database)`,
      risk: 'safe',
    },
    {
      action: 'drop',
      statement: dropStatement('TABLE', temporary, { sync: true }),
      reason: `rebuild of \`${desired.id}\` (${count}/${count}): drop the old table${copies ? '' : ` (a ${rows === 'none' ? 'table that keeps no rows of its own' : 'table whose rows cannot be read'}: nothing to copy)`}`,
      ...drop,
    },
  );
  return steps;
}

/**
 * ALTERs for what differs. They name exactly what exists live, so they need no IF [NOT] EXISTS
 * (which old servers do not parse); a step that failed half way is planned again from what is there.
 */
function alterSteps(change: AlterChange, desired: CreateTableStatement, live: CreateTableStatement): DraftStep[] {
  const name = qualifiedName(change.desired.database, change.desired.name);
  const steps: DraftStep[] = [];
  const alter = (action: AlterAction, reason: string, risk: Risk = 'safe', riskReason?: string): void => {
    const step: DraftStep = { action: 'alter', statement: alterTable(name, [action]), reason, risk };
    if (riskReason) step.riskReason = riskReason;
    steps.push(step);
  };
  const at = { start: 0, end: 0 };
  const liveContext = contextOf(change.live);
  const desiredContext = contextOf(change.desired);
  const liveColumns = columnsByName(live);
  for (const rename of change.columnRenames) {
    const column = liveColumns.get(rename.from);
    if (column) {
      liveColumns.delete(rename.from);
      liveColumns.set(rename.to, column);
    }
  }
  // A TimeSeries table's columns are the server's, whatever either side lists.
  const desiredColumnList = serverDerivesColumns(desired) ? [] : columnsOf(desired);
  if (serverDerivesColumns(desired)) liveColumns.clear();
  const keyColumns = keyColumnsOf(live);

  // Columns: add in the repository's order (each after the one before it), modify, then drop.
  desiredColumnList.forEach((column, i) => {
    const columnId = columnName(column.name);
    const before = liveColumns.get(columnId);
    if (!before) {
      const previous = desiredColumnList[i - 1];
      const position = previous ? { after: identifier(columnName(previous.name)) } : { first: true as const };
      alter({ kind: 'AddColumn', ifNotExists: false, column: withEphemeralDefault(column), position, ...at }, `column \`${columnId}\` is new`);
      return;
    }
    const was = canonicalColumnFacets(before, liveContext);
    const is = canonicalColumnFacets(column, desiredContext);
    const changed = (['type', 'default', 'comment', 'codec', 'statistics', 'ttl', 'settings'] as const).filter((f) => was[f] !== is[f]);
    if (changed.length === 0) return;
    // Only the comment: COMMENT COLUMN, which ClickHouse allows on every column (MODIFY COLUMN is
    // refused on a Collapsing table's sign column, code 524); an empty comment removes it.
    if (changed.length === 1 && changed[0] === 'comment') {
      alter(
        { kind: 'CommentColumn', ifExists: false, column: column.name, comment: column.comment ?? stringLiteral(''), ...at },
        `column \`${columnId}\`: the comment ${is.comment ? 'differs' : 'is removed'}`,
      );
      return;
    }
    // A column created `EPHEMERAL` without an expression keeps that mark through MODIFY COLUMN, and the
    // server then fails to read its own altered metadata (code 62, 26.7). It holds no data: drop it and
    // add it as the repository has it, in one ALTER.
    if (changed.includes('default') && before.defaultKind === 'EPHEMERAL' && !before.defaultExpression) {
      const previous = desiredColumnList[i - 1];
      const position = previous ? { after: identifier(columnName(previous.name)) } : { first: true as const };
      steps.push({
        action: 'alter',
        statement: alterTable(name, [
          { kind: 'DropColumn', ifExists: false, column: columnPath(columnId), ...at },
          { kind: 'AddColumn', ifNotExists: false, column: withEphemeralDefault(column), position, ...at },
        ]),
        reason: `column \`${columnId}\`: ${changed.join(', ')} differ; an EPHEMERAL column without a default cannot be modified in place and holds no data, so it is dropped and added again`,
        risk: 'safe',
      });
      return;
    }
    const removed = changed.filter((f) => f !== 'type' && f !== 'statistics' && is[f] === undefined);
    if (changed.some((f) => !removed.includes(f))) {
      const typeChanges = changed.includes('type');
      const verdict = typeChanges && was.type && is.type ? columnTypeVerdict(was.type, is.type, before, column, keyColumns) : undefined;
      alter(
        { kind: 'ModifyColumn', ifExists: false, column, ...at },
        `column \`${columnId}\`: ${changed.filter((f) => !removed.includes(f)).join(', ')} ${typeChanges ? `${was.type} → ${is.type}` : 'differs'}`,
        verdict && verdict.kind !== 'metadata-only' ? 'heavy' : 'safe',
        verdict && verdict.kind !== 'metadata-only' ? typeChangeRisk(verdict, columnId, change.desired.id) : undefined,
      );
    }
    for (const facet of removed) {
      const property = facet === 'default' ? (before.defaultKind ?? 'DEFAULT') : facet.toUpperCase();
      alter({ kind: 'ModifyColumnRemove', ifExists: false, column: column.name, property, ...at }, `column \`${columnId}\`: remove ${property}`);
    }
  });
  const desiredColumnNames = new Set(desiredColumnList.map((c) => columnName(c.name)));
  for (const [columnId] of liveColumns) {
    if (desiredColumnNames.has(columnId)) continue;
    alter(
      { kind: 'DropColumn', ifExists: false, column: columnPath(columnId), ...at },
      `column \`${columnId}\` is not in the repository`,
      'data-loss',
      `drops column \`${columnId}\` and its data from every part`,
    );
  }

  const elementChanges = namedElementChanges(change);
  for (const { key, kind, element } of elementChanges.removed) {
    const elementName = key.slice(key.indexOf(':') + 1);
    const dropKind = kind === 'index' ? 'DropIndex' : kind === 'projection' ? 'DropProjection' : 'DropConstraint';
    alter(
      { kind: dropKind, ifExists: false, name: identifier(elementName), ...at } as AlterAction,
      `${kind} \`${elementName}\` ${element ? 'changes' : 'is not in the repository'}`,
    );
  }
  for (const element of elementChanges.added) {
    const reasonName = `\`${element.name.name}\``;
    if (element.kind === 'IndexDefinition')
      alter(
        { kind: 'AddIndex', ifNotExists: false, index: element, ...at },
        `index ${reasonName} is new or changed (built for new parts; MATERIALIZE INDEX builds it for existing data)`,
      );
    else if (element.kind === 'ProjectionDefinition')
      alter(
        { kind: 'AddProjection', ifNotExists: false, projection: element, ...at },
        `projection ${reasonName} is new or changed (built for new parts; MATERIALIZE PROJECTION builds it for existing data)`,
      );
    else if (element.kind === 'ConstraintDefinition')
      alter(
        { kind: 'AddConstraint', ifNotExists: false, constraint: element, ...at },
        `constraint ${reasonName} is new or changed (checked on new inserts only)`,
      );
  }

  const difference = (key: string) => change.differences.find((d) => d.key === key);
  if (difference('order-by') && desired.storage?.orderBy) {
    // ClickHouse accepts new key columns only when they are added by the same ALTER.
    const keyColumns = new Set(identifiersIn(desired.storage.orderBy));
    const adds = steps.filter(
      (s) => s.statement.kind === 'AlterTable' && s.statement.actions.some((a) => a.kind === 'AddColumn' && keyColumns.has(columnName(a.column.name))),
    );
    const actions = adds.flatMap((s) => (s.statement.kind === 'AlterTable' ? s.statement.actions : []));
    const first = adds.length ? steps.indexOf(adds[0]) : steps.length;
    for (const add of adds) steps.splice(steps.indexOf(add), 1);
    steps.splice(first, 0, {
      action: 'alter',
      statement: alterTable(name, [...actions, { kind: 'ModifyOrderBy', expression: desired.storage.orderBy, ...at }]),
      reason: `ORDER BY appends new column${adds.length === 1 ? '' : 's'} added in the same ALTER (the primary key stays as it is)`,
      risk: 'safe',
    });
  }
  const ttl = difference('ttl');
  if (ttl && desired.storage?.ttl?.length)
    alter(
      { kind: 'ModifyTtl', ttl: desired.storage.ttl, ...at },
      `TTL differs (live: ${ttl.live ?? 'none'})`,
      'heavy',
      'MODIFY TTL recalculates TTL for every existing part (materialize_ttl_after_modify), which can move or delete data',
    );
  else if (ttl) alter({ kind: 'RemoveTtl', ...at }, 'TTL is not in the repository');

  const liveSettings = settingsOf(live, liveContext);
  const desiredSettings = settingsOf(desired, desiredContext);
  // Only stored settings: MODIFY SETTING refuses a query-level one (code 115).
  const changedSettings = storedSettings(desired).filter((s) => liveSettings.get(s.name.name) !== desiredSettings.get(s.name.name));
  if (changedSettings.length)
    alter({ kind: 'ModifySetting', settings: changedSettings, ...at }, `settings differ: ${changedSettings.map((s) => s.name.name).join(', ')}`);
  const resetSettings = [...liveSettings.keys()].filter((s) => !desiredSettings.has(s));
  if (resetSettings.length)
    alter(
      { kind: 'ResetSetting', settings: resetSettings.map((s) => ({ kind: 'SettingAssignment', name: identifier(s), ...at })), ...at },
      `settings not in the repository: ${resetSettings.join(', ')}`,
    );
  if (difference('comment'))
    alter(
      { kind: 'ModifyComment', comment: desired.comment ?? stringLiteral(''), ...at },
      desired.comment ? 'the table comment differs' : 'the table comment is not in the repository',
    );
  return steps;
}

function columnTypeVerdict(from: string, to: string, before: ColumnDefinition, after: ColumnDefinition, keys: Set<string>): TypeChangeVerdict {
  return typeChangeVerdict(from, to, { key: keys.has(columnName(before.name)), hasDefault: !!before.defaultKind || !!after.defaultKind });
}

/** Why a type change is heavy: the mutation it starts, or the ALTER ClickHouse refuses. */
function typeChangeRisk(verdict: TypeChangeVerdict, column: string, table: string): string {
  if (verdict.kind === 'refused') return `ClickHouse refuses this type change of \`${column}\` in place (code ${verdict.code}): the step fails`;
  return `a type change is a mutation that rewrites \`${column}\` in every part of \`${table}\``;
}

type NamedElement = Extract<TableElement, { kind: 'IndexDefinition' | 'ProjectionDefinition' | 'ConstraintDefinition' }>;

/** Indexes, projections and constraints that differ: changed ones are dropped and added again. */
function namedElementChanges(change: AlterChange): { removed: { key: string; kind: string; element?: NamedElement }[]; added: NamedElement[] } {
  const desired = change.desired.definition as CreateTableStatement;
  const elements = new Map<string, NamedElement>();
  for (const element of desired.elements ?? []) {
    if (element.kind === 'IndexDefinition') elements.set(`index:${element.name.name}`, element);
    if (element.kind === 'ProjectionDefinition') elements.set(`projection:${element.name.name}`, element);
    if (element.kind === 'ConstraintDefinition') elements.set(`constraint:${element.name.name}`, element);
  }
  const removed: { key: string; kind: string; element?: NamedElement }[] = [];
  const added: NamedElement[] = [];
  for (const d of change.differences) {
    const kind = d.key.slice(0, d.key.indexOf(':'));
    if (!['index', 'projection', 'constraint'].includes(kind)) continue;
    const element = elements.get(d.key);
    if (d.live !== undefined) removed.push(element ? { key: d.key, kind, element } : { key: d.key, kind });
    if (element) added.push(element);
  }
  return { removed, added };
}
