import type { Diagnostic, Range } from '../diagnostics.js';
import type {
  AlterAction,
  ColumnDefinition,
  ColumnPosition,
  CreateTableStatement,
  CreateViewStatement,
  Expression,
  Identifier,
  StorageClauses,
  TableElement,
} from '../syntax/ast.js';
import { forEachDescendant } from '../syntax/nodes.js';
import type { ObjectDefinition } from './schema.js';

export interface AlterResult {
  definition: ObjectDefinition;
  diagnostics: Diagnostic[];
}

/** Dotted column name as ClickHouse stores it: `n.a` for a Nested sub-column. */
export function columnName(parts: Identifier[]): string {
  return parts.map((p) => p.name).join('.');
}

/**
 * Applies ALTER actions to a copy of a table or view definition. Actions that change data but not
 * the schema (mutations, partition operations, MATERIALIZE/CLEAR) leave it as it is.
 */
export function applyAlterActions(definition: ObjectDefinition, actions: AlterAction[], file: string): AlterResult {
  const diagnostics: Diagnostic[] = [];
  if (definition.kind !== 'CreateTable' && definition.kind !== 'CreateView') return { definition, diagnostics };
  const table = { ...definition } as CreateTableStatement | CreateViewStatement;
  let elements = [...(table.elements ?? [])];
  const storage: StorageClauses = { ...(table.storage ?? { kind: 'Storage', start: table.start, end: table.start }) };
  // Columns added by this same ALTER may be appended to ORDER BY; existing ones may not.
  const addedHere = new Set<string>();
  const report = (range: Range, code: string, message: string, help: string) => diagnostics.push({ code, severity: 'error', file, range, message, help });
  const columnIndex = (name: string) => elements.findIndex((e) => e.kind === 'ColumnDefinition' && columnName(e.name) === name);
  const namedIndex = (kind: TableElement['kind'], name: string) =>
    elements.findIndex((e) => e.kind === kind && 'name' in e && !Array.isArray(e.name) && e.name.name === name);
  const requireColumn = (parts: Identifier[], ifExists: boolean, range: Range, verb: string): number => {
    const index = columnIndex(columnName(parts));
    if (index < 0 && !ifExists) {
      report(
        range,
        'column-missing',
        `${verb} of column \`${columnName(parts)}\`, which \`${tableName(table)}\` does not have at this point: ClickHouse refuses the ALTER.`,
        'Fix the column name, or add IF EXISTS.',
      );
    }
    return index;
  };

  for (const action of actions) {
    switch (action.kind) {
      case 'AddColumn': {
        const name = columnName(action.column.name);
        if (columnIndex(name) >= 0) {
          if (!action.ifNotExists)
            report(
              action,
              'column-exists',
              `Column \`${name}\` already exists in \`${tableName(table)}\`: ClickHouse refuses the ALTER.`,
              'Remove the ADD COLUMN, or add IF NOT EXISTS.',
            );
          break;
        }
        elements = insertAt(elements, action.column, action.position, columnIndex);
        addedHere.add(name);
        break;
      }
      case 'DropColumn': {
        const index = requireColumn(action.column, action.ifExists, action, 'DROP');
        if (index >= 0) elements = elements.filter((_, i) => i !== index);
        break;
      }
      case 'ModifyColumn': {
        const index = requireColumn(action.column.name, action.ifExists, action, 'MODIFY');
        if (index < 0) break;
        const merged = mergeColumn(elements[index] as ColumnDefinition, action.column);
        elements = elements.filter((_, i) => i !== index);
        elements = action.position ? insertAt(elements, merged, action.position, columnIndex) : [...elements.slice(0, index), merged, ...elements.slice(index)];
        break;
      }
      case 'ModifyColumnRemove': {
        const index = requireColumn(action.column, action.ifExists, action, 'MODIFY ... REMOVE');
        if (index >= 0) elements[index] = removeProperty(elements[index] as ColumnDefinition, action.property);
        break;
      }
      case 'RenameColumn': {
        const index = requireColumn(action.from, action.ifExists, action, 'RENAME');
        if (index >= 0) elements[index] = { ...(elements[index] as ColumnDefinition), name: action.to };
        break;
      }
      case 'CommentColumn': {
        const index = requireColumn(action.column, action.ifExists, action, 'COMMENT');
        if (index >= 0) elements[index] = { ...(elements[index] as ColumnDefinition), comment: action.comment };
        break;
      }
      case 'AddIndex':
        if (namedIndex('IndexDefinition', action.index.name.name) < 0) elements = [...elements, action.index];
        else if (!action.ifNotExists)
          report(
            action,
            'index-exists',
            `Index \`${action.index.name.name}\` already exists: ClickHouse refuses the ALTER.`,
            'Remove the ADD INDEX, or add IF NOT EXISTS.',
          );
        break;
      case 'DropIndex':
        elements = dropNamed(elements, 'IndexDefinition', action.name.name);
        break;
      case 'AddProjection':
        if (namedIndex('ProjectionDefinition', action.projection.name.name) < 0) elements = [...elements, action.projection];
        break;
      case 'DropProjection':
        elements = dropNamed(elements, 'ProjectionDefinition', action.name.name);
        break;
      case 'AddConstraint':
        if (namedIndex('ConstraintDefinition', action.constraint.name.name) < 0) elements = [...elements, action.constraint];
        break;
      case 'DropConstraint':
        elements = dropNamed(elements, 'ConstraintDefinition', action.name.name);
        break;
      case 'ModifyOrderBy': {
        const before = new Set(identifiersIn(storage.orderBy));
        for (const name of identifiersIn(action.expression)) {
          if (!before.has(name) && !addedHere.has(name) && columnIndex(name) >= 0) {
            report(
              action,
              'order-by-existing-column',
              `MODIFY ORDER BY adds \`${name}\`, a column that already existed: ClickHouse only lets new columns, added in the same ALTER, extend the sorting key.`,
              'Create a new table with the new ORDER BY, copy the data, then EXCHANGE TABLES.',
            );
          }
        }
        // The old sorting key stays the primary key when none was given (ClickHouse then prints PRIMARY KEY old).
        if (!storage.primaryKey && storage.orderBy) storage.primaryKey = storage.orderBy;
        storage.orderBy = action.expression;
        // MODIFY ORDER BY takes no direction (and ClickHouse 26.7 fails it on a reverse key).
        delete storage.orderByDescending;
        break;
      }
      case 'ModifySampleBy':
        storage.sampleBy = action.expression;
        break;
      case 'RemoveSampleBy':
        storage.sampleBy = undefined;
        break;
      case 'ModifyTtl':
        storage.ttl = action.ttl;
        break;
      case 'RemoveTtl':
        storage.ttl = undefined;
        break;
      case 'ModifySetting': {
        const names = new Set(action.settings.map((s) => s.name.name));
        storage.settings = [...(storage.settings ?? []).filter((s) => !names.has(s.name.name)), ...action.settings];
        break;
      }
      case 'ResetSetting': {
        const names = new Set(action.settings.map((s) => s.name.name));
        storage.settings = (storage.settings ?? []).filter((s) => !names.has(s.name.name));
        break;
      }
      case 'ModifyComment':
        table.comment = action.comment;
        break;
      case 'ModifyQuery':
        if (table.kind === 'CreateView') table.query = action.query;
        break;
      case 'ModifyRefresh':
        if (table.kind === 'CreateView') table.refresh = action.refresh;
        break;
      case 'ModifySqlSecurity':
        if (table.kind === 'CreateView') table.sqlSecurity = action.sqlSecurity;
        break;
      default:
        break;
    }
  }
  // A view without a column list keeps none: `( )` is not a column list ClickHouse parses.
  if (table.elements || elements.length > 0) table.elements = elements;
  if (table.kind === 'CreateTable') table.storage = storage;
  else if (table.storage) table.storage = storage;
  return { definition: table, diagnostics };
}

function tableName(table: CreateTableStatement | CreateViewStatement): string {
  return table.name.database ? `${table.name.database.name}.${table.name.name.name}` : table.name.name.name;
}

function insertAt(elements: TableElement[], element: TableElement, position: ColumnPosition, columnIndex: (name: string) => number): TableElement[] {
  if (position && 'first' in position) return [element, ...elements];
  if (position && 'after' in position) {
    const index = columnIndex(position.after.name);
    if (index >= 0) return [...elements.slice(0, index + 1), element, ...elements.slice(index + 1)];
  }
  // New columns go after the last column, before indexes and projections.
  let last = -1;
  elements.forEach((e, i) => {
    if (e.kind === 'ColumnDefinition') last = i;
  });
  return [...elements.slice(0, last + 1), element, ...elements.slice(last + 1)];
}

/** MODIFY COLUMN replaces what it names and keeps the rest (ClickHouse keeps DEFAULT, CODEC, COMMENT, TTL unless given). */
function mergeColumn(old: ColumnDefinition, change: ColumnDefinition): ColumnDefinition {
  const merged: ColumnDefinition = { ...old, name: old.name };
  if (change.type) merged.type = change.type;
  if (change.nullable !== undefined) merged.nullable = change.nullable;
  if (change.defaultKind) {
    merged.defaultKind = change.defaultKind;
    merged.defaultExpression = change.defaultExpression;
  }
  if (change.comment) merged.comment = change.comment;
  if (change.codec) merged.codec = change.codec;
  if (change.statistics) merged.statistics = change.statistics;
  if (change.ttl) merged.ttl = change.ttl;
  if (change.settings) merged.settings = change.settings;
  return merged;
}

function removeProperty(column: ColumnDefinition, property: string): ColumnDefinition {
  const copy = { ...column };
  switch (property.toUpperCase()) {
    case 'DEFAULT':
    case 'MATERIALIZED':
    case 'ALIAS':
    case 'EPHEMERAL':
      copy.defaultKind = undefined;
      copy.defaultExpression = undefined;
      break;
    case 'CODEC':
      copy.codec = undefined;
      break;
    case 'COMMENT':
      copy.comment = undefined;
      break;
    case 'TTL':
      copy.ttl = undefined;
      break;
    case 'SETTINGS':
      copy.settings = undefined;
      break;
    case 'STATISTICS':
      copy.statistics = undefined;
      break;
  }
  return copy;
}

function dropNamed(elements: TableElement[], kind: TableElement['kind'], name: string): TableElement[] {
  return elements.filter((e) => !(e.kind === kind && 'name' in e && !Array.isArray(e.name) && e.name.name === name));
}

/** Column names an expression mentions (single-part references only). */
export function identifiersIn(expression: Expression | undefined): string[] {
  if (!expression) return [];
  const names: string[] = [];
  forEachDescendant(expression, (node) => {
    if (node.kind !== 'ColumnRef') return true;
    names.push(node.parts.map((p) => p.name).join('.'));
    return false;
  });
  return names;
}
