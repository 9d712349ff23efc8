import { decorateColumn, generateTable } from './generate.js';
import type { Random } from './random.js';
import { type ColumnSpec, type EditSpec, type ObjectSpec, renderColumn, renderObject, type SceneSpec, type TableSpec } from './spec.js';
import { pickType, TYPES, WIDER } from './types.js';

// Schema changes: one edit of a scene, written two ways. Declarative: the scene as it is after the
// edit (`applyEdit`). Versioned: the ALTER (or CREATE OR REPLACE) statement a person would write
// (`alterStatement`). `isLossless` says whether the change keeps every row and value, so a plan step
// marked data-loss for it is a false alarm.

// A declarative repository that renames a column says nothing of the old name: the plan drops the
// old column and adds the new one (only a versioned RENAME COLUMN keeps its values).
const LOSSY = new Set(['drop-column', 'drop-object', 'modify-ttl', 'column-ttl', 'rename-column', 'rename-column-declarative', 'rename-table']);

// A Set table keeps rows no SELECT reads: a change its engine cannot ALTER in place (all but comments)
// rebuilds it, and the rows are lost for real (the plan says so with a data-loss step).
const IN_PLACE_ON_SET = new Set(['comment-column', 'table-comment']);

export function isLossless(edit: EditSpec, scene: SceneSpec): boolean {
  const object = scene.objects.find((o) => o.name === edit.object);
  if (object?.kind === 'table' && /^Set\b/.test(object.engine) && !IN_PLACE_ON_SET.has(edit.op)) return false;
  return !LOSSY.has(edit.op);
}

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/**
 * The tables an edit may change. Not the TO table of a refreshable view without APPEND: each refresh
 * replaces that table with a new one of the structure the refresh started with, so an ALTER racing the
 * first refresh (run at CREATE) is undone by the server.
 */
function tables(scene: SceneSpec): TableSpec[] {
  const replaced = new Set(
    scene.objects.flatMap((o) => (o.kind === 'mv' && o.refresh && !o.refresh.includes('APPEND') && o.to ? [o.to.replace(/^@db\./, '')] : [])),
  );
  return scene.objects.filter((o): o is TableSpec => o.kind === 'table' && !o.asTable && o.columns.length > 0 && !replaced.has(o.name));
}

function isMergeTree(table: TableSpec): boolean {
  return /MergeTree/.test(table.engine) && !table.engine.startsWith('Replicated');
}

/** Columns no key, index, projection, TTL, view or other column mentions (safe to drop or rename). */
function freeColumns(scene: SceneSpec, table: TableSpec): ColumnSpec[] {
  const others = JSON.stringify(scene.objects.filter((o) => o !== table)) + JSON.stringify({ ...table, columns: [] });
  return table.columns.filter(
    (c) =>
      c.name !== 'id' &&
      c.name !== 'ts' &&
      !new RegExp(`\\b${c.name}\\b`).test(others) &&
      !table.columns.some((o) => o !== c && (o.defaultExpr ?? '').includes(c.name)),
  );
}

export function generateEdit(random: Random, scene: SceneSpec): EditSpec | undefined {
  const candidates = tables(scene);
  const table = candidates.length ? random.pick(candidates) : undefined;
  const options: (() => EditSpec | undefined)[] = [];
  if (table) {
    const t = table.name;
    options.push(() => {
      const type = pickType(random, (x) => !x.sql.startsWith('Nested') || isMergeTree(table));
      const column: ColumnSpec = { name: 'added', type: type.sql };
      decorateColumn(random, column, type, table.columns, [], false);
      const after = random.chance(0.4) ? (random.pick(table.columns) as ColumnSpec).name : '';
      return { op: 'add-column', object: t, args: { column: JSON.stringify(column), after } };
    });
    const free = freeColumns(scene, table);
    if (free.length) {
      options.push(() => ({ op: 'drop-column', object: t, args: { column: random.pick(free).name } }));
      options.push(() => ({ op: random.pick(['rename-column', 'rename-column-declarative']), object: t, args: { column: random.pick(free).name } }));
      options.push(() => {
        const column = random.pick(free);
        const wider = WIDER[column.type];
        return wider ? { op: 'modify-type', object: t, args: { column: column.name, type: random.pick(wider) } } : undefined;
      });
      options.push(() => {
        const column = random.pick(free);
        const type = TYPES.find((x) => x.sql === column.type);
        return type?.codecs.length ? { op: 'set-codec', object: t, args: { column: column.name, codec: random.pick(type.codecs) } } : undefined;
      });
      options.push(() => {
        const column = random.pick(free);
        const type = TYPES.find((x) => x.sql === column.type);
        const literal = type?.defaults.find((d) => !d.includes('$'));
        return literal ? { op: 'set-default', object: t, args: { column: column.name, expr: literal } } : undefined;
      });
    }
    const removable = free.filter((c) => (c.defaultKind === 'DEFAULT' || c.defaultKind === 'MATERIALIZED') && c.defaultExpr);
    if (removable.length) options.push(() => ({ op: 'remove-default', object: t, args: { column: random.pick(removable).name } }));
    const withCodec = free.filter((c) => c.codec);
    if (withCodec.length) options.push(() => ({ op: 'remove-codec', object: t, args: { column: random.pick(withCodec).name } }));
    const withComment = table.columns.filter((c) => c.comment !== undefined);
    if (withComment.length) options.push(() => ({ op: 'remove-comment', object: t, args: { column: random.pick(withComment).name } }));
    // RENAME TABLE of a table nothing else names (a view naming it would read a missing table).
    if (!new RegExp(`\\b${t}\\b`).test(JSON.stringify(scene.objects.filter((o) => o !== table))))
      options.push(() => ({ op: 'rename-table', object: t, args: {} }));
    options.push(() => ({
      op: 'comment-column',
      object: t,
      args: { column: random.pick(table.columns).name, comment: random.pick(['changed', 'new comment', '']) },
    }));
    options.push(() => ({ op: 'table-comment', object: t, args: { comment: random.pick(['edited', 'v2', '']) } }));
    if (isMergeTree(table)) {
      const plain = table.columns.filter((c) => TYPES.find((x) => x.sql === c.type)?.sortable && c.defaultKind !== 'EPHEMERAL' && c.defaultKind !== 'ALIAS');
      options.push(() => {
        const column = random.pick(plain.length ? plain : table.columns);
        return {
          op: 'add-index',
          object: t,
          args: { text: `INDEX ix9 ${column.name} TYPE ${random.pick(['minmax', 'bloom_filter', 'set(10)'])} GRANULARITY ${random.pick(['1', '3'])}` },
        };
      });
      if (table.indexes?.length)
        options.push(() => ({ op: 'drop-index', object: t, args: { name: /INDEX (\w+)/.exec(random.pick(table.indexes ?? []))?.[1] ?? '' } }));
      options.push(() => ({ op: 'add-projection', object: t, args: { text: 'PROJECTION p9 (SELECT id, count() GROUP BY id)' } }));
      if (table.projections?.length) options.push(() => ({ op: 'drop-projection', object: t, args: { name: 'p1' } }));
      options.push(() => ({ op: 'add-constraint', object: t, args: { text: 'CONSTRAINT k9 CHECK id = id' } }));
      if (table.constraints?.length) options.push(() => ({ op: 'drop-constraint', object: t, args: { name: 'k1' } }));
      options.push(() => ({
        op: 'modify-ttl',
        object: t,
        args: { ttl: random.pick(['toDateTime(ts) + INTERVAL 5 YEAR', 'toDateTime(ts) + INTERVAL 3 MONTH']) },
      }));
      if (table.ttl) options.push(() => ({ op: 'remove-ttl', object: t, args: {} }));
      options.push(() => ({
        op: 'modify-setting',
        object: t,
        args: { setting: random.pick(['merge_with_ttl_timeout = 7200', 'max_parts_in_total = 40000', 'min_bytes_for_wide_part = 0']) },
      }));
      if (table.settings?.length)
        options.push(() => ({ op: 'reset-setting', object: t, args: { name: (random.pick(table.settings ?? []).split('=')[0] ?? '').trim() } }));
      if (table.orderBy)
        options.push(() => ({ op: 'extend-order-by', object: t, args: { type: random.pick(['UInt32', 'String', 'LowCardinality(String)']) } }));
      const ttlColumns = free.filter((c) => c.defaultKind !== 'ALIAS' && c.defaultKind !== 'EPHEMERAL' && !c.type.startsWith('Nested'));
      if (ttlColumns.length)
        options.push(() => ({
          op: 'column-ttl',
          object: t,
          args: { column: random.pick(ttlColumns).name, ttl: random.pick(['toDateTime(ts) + INTERVAL 2 YEAR', 'toDate(ts) + toIntervalDay(90)']) },
        }));
      if (table.sampleBy) options.push(() => ({ op: 'remove-sample-by', object: t, args: {} }));
      else if (/\bid\b/.test(table.orderBy ?? '') && /^UInt/.test(table.columns.find((c) => c.name === 'id')?.type ?? ''))
        options.push(() => ({ op: 'sample-by', object: t, args: {} }));
    }
    options.push(() => ({ op: 'drop-object', object: t, args: {} }));
  }
  for (const object of scene.objects) {
    if (object.kind === 'view') options.push(() => ({ op: 'view-query', object: object.name, args: {} }));
    if (object.kind === 'mv' && object.to && !object.refresh && !/GROUP BY|WHERE/.test(object.query))
      options.push(() => ({ op: 'mv-query', object: object.name, args: {} }));
    if (object.kind === 'mv' && object.refresh)
      options.push(() => ({
        op: 'mv-refresh',
        object: object.name,
        args: { refresh: random.pick(['REFRESH EVERY 2 HOUR', 'REFRESH AFTER 1 HOUR', 'REFRESH EVERY 1 DAY OFFSET 1 HOUR']) },
      }));
    if (object.kind === 'dictionary' && object.layout !== 'DIRECT()')
      options.push(() => ({ op: 'dictionary-lifetime', object: object.name, args: { lifetime: random.pick(['MIN 0 MAX 900', '1000']) } }));
    if (object.kind === 'function')
      options.push(() => ({ op: 'function-body', object: object.name, args: { lambda: object.lambda.replace('->', '-> identity(').concat(')') } }));
    if (object.kind !== 'table') options.push(() => ({ op: 'drop-object', object: object.name, args: {} }));
  }
  options.push(() => ({ op: 'add-table', object: 'n1', args: { table: JSON.stringify(generateTable(random, 'n1', [])) } }));
  for (let attempt = 0; attempt < 5; attempt++) {
    const edit = random.pick(options)();
    if (edit) return edit;
  }
  return undefined;
}

/** The scene after the edit (declarative: the repository as edited). */
export function applyEdit(scene: SceneSpec, edit: EditSpec): SceneSpec {
  const next = clone(scene);
  const object = next.objects.find((o) => o.name === edit.object);
  const table = object?.kind === 'table' ? object : undefined;
  const column = table?.columns.find((c) => c.name === edit.args.column);
  const a = edit.args;
  switch (edit.op) {
    case 'add-column': {
      if (!table) break;
      const added = JSON.parse(a.column ?? '{}') as ColumnSpec;
      const at = a.after ? table.columns.findIndex((c) => c.name === a.after) + 1 : table.columns.length;
      table.columns.splice(at, 0, added);
      break;
    }
    case 'drop-column':
      if (table) table.columns = table.columns.filter((c) => c.name !== a.column);
      break;
    case 'rename-column':
    case 'rename-column-declarative':
      if (column) column.name = `${column.name}_renamed`;
      break;
    case 'modify-type':
      if (column) column.type = a.type ?? column.type;
      break;
    case 'set-codec':
      if (column) column.codec = a.codec;
      break;
    case 'set-default':
      if (column) {
        column.defaultKind = 'DEFAULT';
        column.defaultExpr = a.expr;
      }
      break;
    case 'comment-column':
      if (column) column.comment = a.comment;
      break;
    case 'remove-default':
      if (column) {
        delete column.defaultKind;
        delete column.defaultExpr;
      }
      break;
    case 'remove-codec':
      if (column) delete column.codec;
      break;
    case 'remove-comment':
      if (column) delete column.comment;
      break;
    case 'column-ttl':
      if (column) column.ttl = a.ttl;
      break;
    case 'sample-by':
      if (table) table.sampleBy = 'id';
      break;
    case 'remove-sample-by':
      if (table) delete table.sampleBy;
      break;
    case 'rename-table':
      if (table) table.name = `${table.name}_renamed`;
      break;
    case 'mv-refresh':
      if (object?.kind === 'mv') object.refresh = `${a.refresh}${object.refresh?.endsWith(' APPEND') ? ' APPEND' : ''}`;
      break;
    case 'table-comment':
      if (table) table.comment = a.comment;
      break;
    case 'add-index':
      if (table) table.indexes = [...(table.indexes ?? []), a.text ?? ''];
      break;
    case 'drop-index':
      if (table) table.indexes = table.indexes?.filter((i) => !i.startsWith(`INDEX ${a.name} `));
      break;
    case 'add-projection':
      if (table) table.projections = [...(table.projections ?? []), a.text ?? ''];
      break;
    case 'drop-projection':
      if (table) table.projections = table.projections?.filter((p) => !p.startsWith(`PROJECTION ${a.name} `));
      break;
    case 'add-constraint':
      if (table) table.constraints = [...(table.constraints ?? []), a.text ?? ''];
      break;
    case 'drop-constraint':
      if (table) table.constraints = table.constraints?.filter((p) => !p.startsWith(`CONSTRAINT ${a.name} `));
      break;
    case 'modify-ttl':
      if (table) table.ttl = a.ttl;
      break;
    case 'remove-ttl':
      if (table) delete table.ttl;
      break;
    case 'modify-setting': {
      if (!table) break;
      const name = (a.setting ?? '').split('=')[0]?.trim() ?? '';
      table.settings = [...(table.settings ?? []).filter((s) => s.split('=')[0]?.trim() !== name), a.setting ?? ''];
      break;
    }
    case 'reset-setting':
      if (table) table.settings = table.settings?.filter((s) => s.split('=')[0]?.trim() !== a.name);
      break;
    case 'extend-order-by': {
      if (!table?.orderBy) break;
      table.columns.push({ name: 'sort_added', type: a.type ?? 'UInt32' });
      const keys = table.orderBy === 'tuple()' ? [] : table.orderBy.replace(/^\((.*)\)$/, '$1').split(', ');
      table.orderBy = `(${[...keys, 'sort_added'].join(', ')})`;
      break;
    }
    case 'view-query':
      if (object?.kind === 'view') object.query = `SELECT * FROM (${object.query}) WHERE 1 = 1`;
      break;
    case 'mv-query':
      if (object?.kind === 'mv') object.query = `${object.query} WHERE 1 = 1`;
      break;
    case 'dictionary-lifetime':
      if (object?.kind === 'dictionary') object.lifetime = a.lifetime ?? object.lifetime;
      break;
    case 'function-body':
      if (object?.kind === 'function') object.lambda = a.lambda ?? object.lambda;
      break;
    case 'drop-object':
      next.objects = next.objects.filter((o) => o.name !== edit.object);
      break;
    case 'add-table':
      next.objects.push(JSON.parse(a.table ?? '{}') as ObjectSpec);
      break;
  }
  return next;
}

/** The statement a versioned migration would hold for the edit (placeholders unsubstituted), if there is one. */
export function alterStatement(scene: SceneSpec, edit: EditSpec): string | undefined {
  const a = edit.args;
  const t = edit.object;
  const after = applyEdit(scene, edit).objects.find((o) => o.name === edit.object);
  const object = scene.objects.find((o) => o.name === edit.object);
  const column = object?.kind === 'table' ? object.columns.find((c) => c.name === a.column) : undefined;
  switch (edit.op) {
    case 'add-column':
      return `ALTER TABLE ${t} ADD COLUMN ${renderColumn(JSON.parse(a.column ?? '{}') as ColumnSpec)}${a.after ? ` AFTER ${a.after}` : ''}`;
    case 'drop-column':
      return `ALTER TABLE ${t} DROP COLUMN ${a.column}`;
    case 'rename-column':
      return `ALTER TABLE ${t} RENAME COLUMN ${a.column} TO ${a.column}_renamed`;
    case 'modify-type':
      return `ALTER TABLE ${t} MODIFY COLUMN ${a.column} ${a.type}`;
    case 'set-codec':
      return `ALTER TABLE ${t} MODIFY COLUMN ${a.column} CODEC(${a.codec})`;
    case 'set-default':
      return `ALTER TABLE ${t} MODIFY COLUMN ${a.column} DEFAULT ${a.expr}`;
    case 'comment-column':
      return `ALTER TABLE ${t} COMMENT COLUMN ${a.column} '${a.comment}'`;
    case 'table-comment':
      return `ALTER TABLE ${t} MODIFY COMMENT '${a.comment}'`;
    case 'remove-default':
      return `ALTER TABLE ${t} MODIFY COLUMN ${a.column} REMOVE ${column?.defaultKind ?? 'DEFAULT'}`;
    case 'remove-codec':
      return `ALTER TABLE ${t} MODIFY COLUMN ${a.column} REMOVE CODEC`;
    case 'remove-comment':
      return `ALTER TABLE ${t} MODIFY COLUMN ${a.column} REMOVE COMMENT`;
    case 'column-ttl':
      return `ALTER TABLE ${t} MODIFY COLUMN ${a.column} TTL ${a.ttl}`;
    case 'sample-by':
      return `ALTER TABLE ${t} MODIFY SAMPLE BY id`;
    case 'remove-sample-by':
      return `ALTER TABLE ${t} REMOVE SAMPLE BY`;
    case 'rename-table':
      return `RENAME TABLE ${t} TO ${t}_renamed`;
    case 'mv-refresh':
      return after?.kind === 'mv' && after.refresh ? `ALTER TABLE ${t} MODIFY ${after.refresh.replace(/ APPEND$/, '')}` : undefined;
    case 'add-index':
      return `ALTER TABLE ${t} ADD ${a.text}`;
    case 'drop-index':
      return `ALTER TABLE ${t} DROP INDEX ${a.name}`;
    case 'add-projection':
      return `ALTER TABLE ${t} ADD ${a.text}`;
    case 'drop-projection':
      return `ALTER TABLE ${t} DROP PROJECTION ${a.name}`;
    case 'add-constraint':
      return `ALTER TABLE ${t} ADD ${a.text}`;
    case 'drop-constraint':
      return `ALTER TABLE ${t} DROP CONSTRAINT ${a.name}`;
    case 'modify-ttl':
      return `ALTER TABLE ${t} MODIFY TTL ${a.ttl}`;
    case 'remove-ttl':
      return `ALTER TABLE ${t} REMOVE TTL`;
    case 'modify-setting':
      return `ALTER TABLE ${t} MODIFY SETTING ${a.setting}`;
    case 'reset-setting':
      return `ALTER TABLE ${t} RESET SETTING ${a.name}`;
    case 'extend-order-by':
      return after?.kind === 'table' ? `ALTER TABLE ${t} ADD COLUMN sort_added ${a.type}, MODIFY ORDER BY ${after.orderBy}` : undefined;
    case 'view-query':
      return after ? renderObjectRaw(after).replace(/^CREATE VIEW/, 'CREATE OR REPLACE VIEW') : undefined;
    case 'mv-query':
      return after?.kind === 'mv' ? `ALTER TABLE ${t} MODIFY QUERY ${after.query}` : undefined;
    case 'dictionary-lifetime':
      return after ? renderObjectRaw(after).replace(/^CREATE DICTIONARY/, 'CREATE OR REPLACE DICTIONARY') : undefined;
    case 'function-body':
      return after ? renderObjectRaw(after).replace(/^CREATE FUNCTION/, 'CREATE OR REPLACE FUNCTION') : undefined;
    case 'drop-object':
      if (!object) return undefined;
      return object.kind === 'function'
        ? `DROP FUNCTION @fn${t}`
        : object.kind === 'dictionary'
          ? `DROP DICTIONARY ${t}`
          : object.kind === 'table'
            ? `DROP TABLE ${t}`
            : `DROP VIEW ${t}`;
    case 'add-table':
      return after ? renderObjectRaw(after) : undefined;
  }
  return undefined;
}

function renderObjectRaw(object: ObjectSpec): string {
  return renderObject(object, { database: '@db', functionPrefix: '@fn' });
}
