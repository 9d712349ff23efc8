import type { AlterAction, ColumnDefinition, ColumnPosition, Identifier, SettingAssignment } from './ast.js';
import { parseColumnDefinition } from './create.js';
import { parseDataType } from './dataTypes.js';
import { parseExpressionList } from './expressions.js';
import { parseString } from './literals.js';
import type { Parser } from './parser.js';
import { withInPartition } from './partition.js';
import { parseSettingList } from './settings.js';
import { parseWithoutToken } from './tokenWindows.js';

// The column commands of ALTER TABLE: ADD, MODIFY (and ALTER ... TYPE), DROP, RENAME, CLEAR,
// COMMENT and MATERIALIZE COLUMN, after their keywords.

// ---------------------------------------------------------------- names

/** A compound name `a` or `n.a`, as its parts. */
export function parseNameParts(p: Parser, what: string): Identifier[] {
  const parts = [p.identifier(what)];
  while (p.at('Dot') && p.atIdentifier(1)) {
    p.next();
    parts.push(p.identifier(what));
  }
  return parts;
}

/** A compound name as one identifier (`DROP INDEX db.i` is accepted; the parts are joined by dots). */
export function parseCompoundName(p: Parser, what: string): Identifier {
  const parts = parseNameParts(p, what);
  if (parts.length === 1) return parts[0];
  const name = parts.map((part) => part.name).join('.');
  return { kind: 'Identifier', name, quoted: parts.some((part) => part.quoted), start: parts[0].start, end: parts[parts.length - 1].end };
}

/** Number of tokens of the compound name at the current token. */
function compoundNameLength(p: Parser): number {
  let length = 1;
  while (p.at('Dot', length) && p.atIdentifier(length + 1)) length += 2;
  return length;
}

export function parsePosition(p: Parser): ColumnPosition {
  if (p.acceptWord('FIRST')) return { first: true };
  if (p.acceptWord('AFTER')) return { after: parseCompoundName(p, 'a column name') };
  return undefined;
}

// ---------------------------------------------------------------- columns

export function parseAddColumn(p: Parser, start: number): AlterAction {
  const ifNotExists = p.ifNotExists();
  const column = parseColumnAfterName(p, { typeRequired: true });
  checkEphemeral(p, column);
  const action: AlterAction = { kind: 'AddColumn', ifNotExists, column, start, end: start };
  const position = parsePosition(p);
  if (position) action.position = position;
  action.end = p.lastEnd;
  return action;
}

/**
 * A column definition where a type may follow the name. ClickHouse's `ParserDataType` takes any
 * word as a type name, so `x FIRST` declares a column of type `FIRST` and `MODIFY COLUMN x AFTER y`
 * fails at `y` (`AFTER` became the type). Both are kept that way here, so we accept and reject
 * exactly what ClickHouse does.
 */
function parseColumnAfterName(p: Parser, options: { typeRequired: boolean }): ColumnDefinition {
  const length = compoundNameLength(p);
  const next = p.word(length);
  if (next !== 'FIRST' && next !== 'AFTER') return parseColumnDefinition(p, options);
  const start = p.tokenStart;
  const name = parseNameParts(p, 'a column name');
  const type = parseDataType(p);
  return { kind: 'ColumnDefinition', name, type, primaryKey: false, start, end: p.lastEnd };
}

/** `MODIFY COLUMN` and its PostgreSQL-style twin `ALTER COLUMN x TYPE T`, after the keywords. */
export function parseModifyColumn(p: Parser, start: number, options: { typeKeyword: boolean }): AlterAction {
  const ifExists = p.ifExists();
  const length = compoundNameLength(p);
  const next = (offset = 0): string => p.word(length + offset);
  if (next() === 'REMOVE') return parseRemoveProperty(p, start, ifExists);
  if ((next() === 'MODIFY' || next() === 'RESET') && next(1) === 'SETTING') return parseColumnSettings(p, start, ifExists);
  if (next() === 'ADD' && next(1) === 'ENUM' && next(2) === 'VALUES') return parseAddEnumValues(p, start, ifExists);
  const column = options.typeKeyword ? parseAlterColumnDefinition(p, length) : parseModifiedColumn(p, length);
  checkModifiedColumn(p, column);
  const action: AlterAction = { kind: 'ModifyColumn', ifExists, column, start, end: start };
  const position = parsePosition(p);
  if (position) action.position = position;
  action.end = p.lastEnd;
  return action;
}

function parseModifiedColumn(p: Parser, nameLength: number): ColumnDefinition {
  if (p.word(nameLength) === 'SETTINGS') {
    return p.fail(
      'Expected a column type or property; ClickHouse reads `SETTINGS` right after the column name as a type',
      'Write `MODIFY COLUMN x MODIFY SETTING name = value`, or give the column type before SETTINGS.',
      p.index + nameLength,
    );
  }
  return parseColumnAfterName(p, { typeRequired: false });
}

/** Words that start a column property, so `ALTER COLUMN x` needs no `TYPE` before them. */
const COLUMN_PROPERTY_WORDS = new Set([
  'NULL',
  'NOT',
  'DEFAULT',
  'MATERIALIZED',
  'EPHEMERAL',
  'ALIAS',
  'AUTO_INCREMENT',
  'PRIMARY',
  'COMMENT',
  'CODEC',
  'TTL',
  'STATISTICS',
]);

/** `ALTER COLUMN x TYPE T [properties]` or `ALTER COLUMN x properties`. */
function parseAlterColumnDefinition(p: Parser, nameLength: number): ColumnDefinition {
  const next = p.word(nameLength);
  if (next === 'TYPE') return parseWithoutToken(p, p.index + nameLength, (sub) => parseColumnDefinition(sub, { typeRequired: true }));
  if (!COLUMN_PROPERTY_WORDS.has(next)) {
    return p.fail('Expected `TYPE` and the new column type', 'ALTER COLUMN writes the type after TYPE: `ALTER COLUMN x TYPE UInt64`.', p.index + nameLength);
  }
  return parseColumnDefinition(p, { typeRequired: false });
}

/** `EPHEMERAL` needs a type or a default expression: ClickHouse has nothing to derive the column from otherwise. */
function checkEphemeral(p: Parser, column: ColumnDefinition): void {
  if (column.defaultKind === 'EPHEMERAL' && !column.type && !column.defaultExpression) {
    p.fail('Expected a default expression after EPHEMERAL, or a column type');
  }
}

/** ClickHouse's checks on a MODIFY COLUMN declaration that has no type. */
function checkModifiedColumn(p: Parser, column: ColumnDefinition): void {
  checkEphemeral(p, column);
  const at = p.indexAt(column.start);
  if (!column.type && column.nullable !== undefined) {
    p.fail('Expected an explicit column type: NULL / NOT NULL modifies a type', 'Write the type: `MODIFY COLUMN x Nullable(T)` or `x T NOT NULL`.', at);
  }
  const properties = [column.type, column.defaultKind, column.comment, column.codec, column.statistics, column.ttl, column.settings];
  if (!column.primaryKey && properties.every((property) => property === undefined)) {
    p.fail('Expected a column type, a property such as DEFAULT or COMMENT, or REMOVE');
  }
}

const REMOVABLE_PROPERTIES = new Set(['DEFAULT', 'MATERIALIZED', 'ALIAS', 'COMMENT', 'CODEC', 'TTL', 'SETTINGS']);

/** `MODIFY COLUMN x REMOVE DEFAULT|MATERIALIZED|ALIAS|COMMENT|CODEC|TTL|SETTINGS`. */
function parseRemoveProperty(p: Parser, start: number, ifExists: boolean): AlterAction {
  const column = parseNameParts(p, 'a column name');
  p.expectWord('REMOVE');
  const property = p.word();
  if (!REMOVABLE_PROPERTIES.has(property)) return p.fail('Expected DEFAULT, MATERIALIZED, ALIAS, COMMENT, CODEC, TTL or SETTINGS after REMOVE');
  p.next();
  return { kind: 'ModifyColumnRemove', ifExists, column, property, start, end: p.lastEnd };
}

/** `MODIFY COLUMN x MODIFY SETTING a = 1, ...` or `MODIFY COLUMN x RESET SETTING a, ...`. */
function parseColumnSettings(p: Parser, start: number, ifExists: boolean): AlterAction {
  const column = parseNameParts(p, 'a column name');
  const reset = p.word() === 'RESET';
  p.index += 2;
  // Unlike the table's MODIFY SETTING, a column's needs a value for every setting.
  const settings = reset ? parseResetList(p) : parseSettingList(p, { valueRequired: true });
  return { kind: 'ModifyColumnSettings', ifExists, column, reset, settings, start, end: p.lastEnd };
}

/** `MODIFY COLUMN x ADD ENUM VALUES ('a' = 1, ...)`. */
function parseAddEnumValues(p: Parser, start: number, ifExists: boolean): AlterAction {
  const column = parseNameParts(p, 'a column name');
  p.expectWord('ADD', 'ENUM', 'VALUES');
  p.expect('LParen');
  const values = parseExpressionList(p);
  p.expect('RParen');
  return { kind: 'ModifyColumnAddEnumValues', ifExists, column, values, start, end: p.lastEnd };
}

/** `RESET SETTING a, b`: names only. */
export function parseResetList(p: Parser): SettingAssignment[] {
  const settings: SettingAssignment[] = [];
  do {
    const name = p.identifier('a setting name');
    settings.push({ kind: 'SettingAssignment', name, start: name.start, end: name.end });
  } while (p.accept('Comma'));
  return settings;
}

export function parseDropColumn(p: Parser, start: number): AlterAction {
  const ifExists = p.ifExists();
  return { kind: 'DropColumn', ifExists, column: parseNameParts(p, 'a column name'), start, end: p.lastEnd };
}

export function parseRenameColumn(p: Parser, start: number): AlterAction {
  const ifExists = p.ifExists();
  const from = parseNameParts(p, 'a column name');
  p.expectWord('TO');
  return { kind: 'RenameColumn', ifExists, from, to: parseNameParts(p, 'the new column name'), start, end: p.lastEnd };
}

export function parseClearColumn(p: Parser, start: number): AlterAction {
  const ifExists = p.ifExists();
  return withInPartition({ kind: 'ClearColumn', ifExists, column: parseNameParts(p, 'a column name'), start, end: start }, p);
}

export function parseCommentColumn(p: Parser, start: number): AlterAction {
  const ifExists = p.ifExists();
  const column = parseNameParts(p, 'a column name');
  return { kind: 'CommentColumn', ifExists, column, comment: parseString(p, 'a comment string'), start, end: p.lastEnd };
}

export function parseMaterializeColumn(p: Parser, start: number): AlterAction {
  return withInPartition({ kind: 'MaterializeColumn', column: parseNameParts(p, 'a column name'), start, end: start }, p);
}
