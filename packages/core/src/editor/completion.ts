import type { Range } from '../diagnostics.js';
import type { SchemaObject } from '../model/schema.js';
import type { TableElement } from '../syntax/ast.js';
import { lexSql } from '../syntax/lexer.js';
import { parseSql } from '../syntax/parser.js';
import { printDataType } from '../syntax/printer/dataTypes.js';
import type { Token } from '../syntax/tokens.js';
import { type CatalogEntry, DATA_TYPES, DATABASE_ENGINES, MERGE_TREE_SETTINGS, QUERY_SETTINGS, TABLE_ENGINES, TYPE_CONSTRUCTORS } from './catalog.js';
import { ELEMENT_KEYWORDS, inKeyClause, isTypePosition, settingsContext } from './grammarContext.js';
import type { EditorModel } from './model.js';

// Completion reads the tokens before the cursor, back to the start of the statement, and decides
// what the grammar expects there: a table, a database, a column, a type, an engine, a setting.
// Tokens, not the syntax tree: the statement being typed is incomplete by definition.

export type CompletionKind = 'database' | 'table' | 'view' | 'materialized-view' | 'dictionary' | 'column' | 'type' | 'engine' | 'setting' | 'keyword';

export interface CompletionEntry {
  label: string;
  kind: CompletionKind;
  detail?: string;
  documentation?: string;
  /** Text to insert when it differs from the label (`Nullable()`). */
  insertText?: string;
}

/** What the grammar expects at the cursor, the names that fit, and the range they replace (the word being typed). */
export interface Completion {
  expected:
    | 'table'
    | 'database'
    | 'column'
    | 'type'
    | 'table-engine'
    | 'database-engine'
    | 'merge-tree-setting'
    | 'query-setting'
    | 'dictionary'
    | 'statement'
    | 'nothing';
  items: CompletionEntry[];
  range: Range;
}

const TABLE_AFTER = new Set(['FROM', 'JOIN', 'INTO']);
const TABLE_VERBS = new Set([
  'ALTER',
  'DROP',
  'TRUNCATE',
  'OPTIMIZE',
  'EXCHANGE',
  'RENAME',
  'DETACH',
  'ATTACH',
  'DESCRIBE',
  'DESC',
  'EXISTS',
  'SHOW',
  'UNDROP',
]);
const COLUMN_ALTER = new Set(['DROP', 'MODIFY', 'RENAME', 'COMMENT', 'CLEAR', 'MATERIALIZE']);
const EXPRESSION_AFTER = new Set([
  'SELECT',
  'WHERE',
  'PREWHERE',
  'AND',
  'OR',
  'NOT',
  'ON',
  'HAVING',
  'BY',
  'USING',
  'WHEN',
  'THEN',
  'ELSE',
  'DISTINCT',
  'QUALIFY',
]);
const OPERATORS = new Set([
  'Equals',
  'NotEquals',
  'Less',
  'Greater',
  'LessOrEquals',
  'GreaterOrEquals',
  'Plus',
  'Minus',
  'Asterisk',
  'Slash',
  'Percent',
  'Concat',
  'Comma',
  'LParen',
]);
const STATEMENTS = [
  'CREATE TABLE',
  'CREATE TABLE IF NOT EXISTS',
  'CREATE MATERIALIZED VIEW',
  'CREATE VIEW',
  'CREATE DICTIONARY',
  'CREATE DATABASE',
  'ALTER TABLE',
  'DROP TABLE',
  'RENAME TABLE',
  'EXCHANGE TABLES',
  'INSERT INTO',
  'USE',
];

/** The completion at an offset of a file's current text. */
export function completeAt(model: EditorModel, file: string, text: string, offset: number): Completion {
  const comments: Token[] = [];
  const tokens = lexSql(text, { whitespace: false, comments });
  const nothing = (range: Range = { start: offset, end: offset }): Completion => ({ expected: 'nothing', items: [], range });
  if (comments.some((c) => c.start < offset && offset <= c.end && !(c.end === offset && text[c.start + 1] === '*'))) return nothing();
  const at = tokens.find((t) => t.start < offset && offset <= t.end && t.kind !== 'EndOfInput');
  if (at && (at.kind === 'String' || at.kind === 'Heredoc') && offset < at.end) {
    const before = tokens.filter((t) => t.end <= at.start);
    const call = before.at(-2);
    if (before.at(-1)?.kind === 'LParen' && call && /^dict(Get|Has)/i.test(text.slice(call.start, call.end))) {
      return {
        expected: 'dictionary',
        items: objectsOfKind(model, ['dictionary']).map((o) => entryOf(o, o.id)),
        range: { start: at.start + 1, end: at.end - 1 },
      };
    }
    return nothing();
  }
  const word = at && (at.kind === 'BareWord' || at.kind === 'QuotedIdentifier') ? at : undefined;
  const range = word ? { start: word.start, end: word.end } : { start: offset, end: offset };
  const cutoff = word ? word.start : offset;
  let begin = 0;
  for (let i = 0; i < tokens.length && tokens[i].end <= cutoff; i++) if (tokens[i].kind === 'Semicolon') begin = i + 1;
  const statementTokens = tokens.slice(begin).filter((t) => t.kind !== 'EndOfInput');
  const before = statementTokens.filter((t) => t.end <= cutoff);
  const wordOf = (t: Token | undefined) => (t && t.kind === 'BareWord' ? text.slice(t.start, t.end).toUpperCase() : '');
  const nameOf = (t: Token | undefined) => (t ? unquote(text.slice(t.start, t.end)) : '');
  const words = before.map(wordOf);
  const last = before.at(-1);
  const lastWord = wordOf(last);
  const database = databaseAt(model, file, offset);
  // The statement as the model has it; for a file the model does not have (new, unsaved), parsed here.
  const statement =
    model.names.statements.find((s) => s.file === file && s.statement.start <= cutoff && cutoff <= s.statement.end)?.statement ??
    parseSql(text.slice(statementTokens[0]?.start ?? cutoff, statementTokens.at(-1)?.end ?? cutoff)).statements[0];
  const result = (expected: Completion['expected'], items: CompletionEntry[]): Completion => ({ expected, items, range });

  if (before.length === 0)
    return result(
      'statement',
      STATEMENTS.map((label) => ({ label, kind: 'keyword' })),
    );
  const first = words[0];

  // `db.` → its tables; `t.` → the columns of a table (or alias) the statement reads.
  if (last?.kind === 'Dot') {
    const qualifier = nameOf(before.at(-2));
    const tables = model.analysis.schema.objects.filter((o) => o.database === qualifier && isTableLike(o));
    if (tables.length > 0)
      return result(
        'table',
        tables.map((o) => entryOf(o, o.name)),
      );
    const owner = tablesOfStatement(model, text, statementTokens, database).find((t) => t.qualifiers.has(qualifier));
    return owner ? result('column', columnEntries(owner.object)) : nothing(range);
  }
  if (lastWord === 'ENGINE' || (last?.kind === 'Equals' && wordOf(before.at(-2)) === 'ENGINE')) {
    return words.includes('DATABASE') && first === 'CREATE' && !words.includes('TABLE')
      ? result('database-engine', catalogEntries(DATABASE_ENGINES, 'engine'))
      : result('table-engine', catalogEntries(TABLE_ENGINES, 'engine'));
  }
  if (isTypePosition(before, wordOf, text)) return result('type', typeEntries());
  const settings = settingsContext(before, wordOf);
  if (settings) {
    const mergeTree = settings === 'SETTING' || (first === 'CREATE' && words.includes('TABLE') && settings === 'depth0');
    return mergeTree
      ? result('merge-tree-setting', catalogEntries(MERGE_TREE_SETTINGS, 'setting'))
      : result('query-setting', catalogEntries(QUERY_SETTINGS, 'setting'));
  }
  // ALTER TABLE t DROP COLUMN | MODIFY COLUMN [IF EXISTS] | ... AFTER → the columns of t.
  const columnVerb = lastWord === 'COLUMN' ? wordOf(before.at(-2)) : lastWord === 'EXISTS' && wordOf(before.at(-3)) === 'COLUMN' ? wordOf(before.at(-4)) : '';
  if (first === 'ALTER' && (COLUMN_ALTER.has(columnVerb) || lastWord === 'AFTER')) {
    const target = statement?.kind === 'AlterTable' ? statement.table : undefined;
    const object = target ? tableObject(model, `${target.database?.name ?? database}.${target.name.name}`) : alteredTable(model, text, before, database);
    return object ? result('column', columnEntries(object)) : nothing(range);
  }
  if (lastWord === 'DATABASE' || lastWord === 'USE' || (lastWord === 'EXISTS' && words.at(-3) === 'DATABASE')) {
    if (first === 'CREATE') return nothing(range);
    return result('database', databaseEntries(model));
  }
  const tableVerb = lastWord === 'EXISTS' ? words.at(-4) : words.at(-2);
  const expectsTable =
    TABLE_AFTER.has(lastWord) ||
    (['TABLE', 'VIEW', 'DICTIONARY', 'TABLES'].includes(lastWord) && TABLE_VERBS.has(tableVerb ?? '')) ||
    (lastWord === 'EXISTS' && ['TABLE', 'VIEW', 'DICTIONARY'].includes(words.at(-3) ?? '') && TABLE_VERBS.has(tableVerb ?? '')) ||
    (lastWord === 'TO' && first === 'CREATE' && words.includes('VIEW')) ||
    (lastWord === 'ON' && wordOf(before.at(-2)) === 'DEPENDS') ||
    (lastWord === 'AS' && first === 'CREATE' && words.includes('TABLE') && !words.includes('SELECT') && statementTokens.length === before.length) ||
    (lastWord === 'UPDATE' && before.length === 1);
  if (expectsTable) return result('table', tableEntries(model, database));
  // ORDER BY / PARTITION BY / PRIMARY KEY / SAMPLE BY of a CREATE TABLE → its own columns.
  if (first === 'CREATE' && words.includes('TABLE') && inKeyClause(before, wordOf)) {
    const elements = statement?.kind === 'CreateTable' ? elementEntries(statement.elements) : [];
    return result('column', elements.length > 0 ? elements : columnsFromTokens(statementTokens, text, wordOf));
  }
  if (EXPRESSION_AFTER.has(lastWord) || (last && OPERATORS.has(last.kind))) {
    const tables = tablesOfStatement(model, text, statementTokens, database);
    if (tables.length > 0)
      return result(
        'column',
        tables.flatMap((t) => columnEntries(t.object)),
      );
  }
  return nothing(range);
}

function unquote(name: string): string {
  return /^[`"]/.test(name) ? name.slice(1, -1) : name;
}

function isTableLike(object: SchemaObject): boolean {
  return ['table', 'view', 'materialized-view', 'dictionary'].includes(object.kind);
}

function objectsOfKind(model: EditorModel, kinds: string[]): SchemaObject[] {
  return model.analysis.schema.objects.filter((o) => kinds.includes(o.kind));
}

function tableObject(model: EditorModel, id: string): SchemaObject | undefined {
  return model.analysis.schema.objects.find((o) => o.id === id && isTableLike(o));
}

function entryOf(object: SchemaObject, label: string): CompletionEntry {
  const engine = object.definition.kind === 'CreateTable' ? object.definition.storage?.engine?.name.name : undefined;
  return { label, kind: object.kind as CompletionKind, detail: `${object.kind.replace('-', ' ')} ${object.id}${engine ? ` · ${engine}` : ''}` };
}

/** Tables of the current database by their bare name, the others qualified, then the databases. */
function tableEntries(model: EditorModel, database: string): CompletionEntry[] {
  const objects = model.analysis.schema.objects.filter(isTableLike);
  return [...objects.map((o) => entryOf(o, o.database === database ? o.name : o.id)), ...databaseEntries(model)];
}

function databaseEntries(model: EditorModel): CompletionEntry[] {
  const names = new Set([...model.analysis.schema.objects.filter((o) => o.kind === 'database').map((o) => o.name), ...model.analysis.schema.externalDatabases]);
  return [...names].sort().map((name) => ({ label: name, kind: 'database' as const, detail: 'database' }));
}

function columnEntries(object: SchemaObject): CompletionEntry[] {
  const definition = object.definition;
  if (definition.kind === 'CreateDictionary')
    return definition.attributes.map((a) => ({ label: a.name.name, kind: 'column', detail: `${printDataType(a.type)} · ${object.id}` }));
  if (definition.kind !== 'CreateTable' && definition.kind !== 'CreateView') return [];
  return elementEntries(definition.elements).map((e) => ({ ...e, detail: `${e.detail} · ${object.id}` }));
}

function elementEntries(elements: TableElement[] | undefined): CompletionEntry[] {
  return (elements ?? []).flatMap((e): CompletionEntry[] =>
    e.kind === 'ColumnDefinition' && e.name.length > 0
      ? [{ label: e.name.map((p) => p.name).join('.'), kind: 'column', detail: e.type ? printDataType(e.type) : '' }]
      : [],
  );
}

function catalogEntries(list: CatalogEntry[], kind: CompletionKind): CompletionEntry[] {
  return list.map((e) => ({ label: e.name, kind, documentation: e.doc }));
}

function typeEntries(): CompletionEntry[] {
  return [
    ...catalogEntries(DATA_TYPES, 'type'),
    ...TYPE_CONSTRUCTORS.map((e): CompletionEntry => ({ label: e.name, kind: 'type', documentation: e.doc, insertText: `${e.name}()` })),
  ];
}

/** The database unqualified names mean at an offset: the file's, changed by the last USE before it. */
function databaseAt(model: EditorModel, file: string, offset: number): string {
  let database = model.analysis.files.find((f) => f.file === file)?.defaultDatabase ?? model.options.defaultDatabase;
  for (const s of model.names.statements) {
    if (s.file !== file || s.statement.start > offset) continue;
    database = s.statement.kind === 'Use' && s.statement.end <= offset ? s.statement.database.name : s.database;
  }
  return database;
}

/**
 * The column names of a CREATE TABLE that does not parse yet (it is being typed): the first word
 * after each `(` or `,` of its column list.
 */
function columnsFromTokens(tokens: Token[], text: string, wordOf: (t: Token | undefined) => string): CompletionEntry[] {
  const open = tokens.findIndex((t) => t.kind === 'LParen');
  if (open < 0) return [];
  const names: CompletionEntry[] = [];
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind === 'LParen') depth++;
    else if (t.kind === 'RParen' && --depth === 0) break;
    const next = tokens[i + 1];
    if (depth === 1 && (t.kind === 'LParen' || t.kind === 'Comma') && next && (next.kind === 'BareWord' || next.kind === 'QuotedIdentifier')) {
      if (!ELEMENT_KEYWORDS.has(wordOf(next))) names.push({ label: unquote(text.slice(next.start, next.end)), kind: 'column', detail: '' });
    }
  }
  return names;
}

/** The table of `ALTER TABLE [db.]t` when the statement does not parse yet. */
function alteredTable(model: EditorModel, text: string, before: Token[], database: string): SchemaObject | undefined {
  const name = before.slice(2, 5).map((t) => text.slice(t.start, t.end));
  const id = name[1] === '.' ? `${unquote(name[0])}.${unquote(name[2])}` : `${database}.${unquote(name[0] ?? '')}`;
  return tableObject(model, id);
}

/** The tables a statement reads (FROM and JOIN, anywhere in it), with the names and aliases that qualify their columns. */
function tablesOfStatement(model: EditorModel, text: string, tokens: Token[], database: string): { object: SchemaObject; qualifiers: Set<string> }[] {
  const found: { object: SchemaObject; qualifiers: Set<string> }[] = [];
  const word = (t: Token | undefined) => (t && t.kind === 'BareWord' ? text.slice(t.start, t.end).toUpperCase() : '');
  const name = (t: Token | undefined) => (t && (t.kind === 'BareWord' || t.kind === 'QuotedIdentifier') ? unquote(text.slice(t.start, t.end)) : '');
  for (let i = 0; i < tokens.length; i++) {
    if (!['FROM', 'JOIN'].includes(word(tokens[i]))) continue;
    let j = i + 1;
    let id = name(tokens[j]);
    if (!id) continue;
    let bare = id;
    if (tokens[j + 1]?.kind === 'Dot' && name(tokens[j + 2])) {
      bare = name(tokens[j + 2]);
      id = `${id}.${bare}`;
      j += 2;
    } else id = `${database}.${id}`;
    const object = tableObject(model, id);
    if (!object) continue;
    const qualifiers = new Set([bare, id]);
    let alias = tokens[j + 1];
    if (word(alias) === 'AS') alias = tokens[j + 2];
    const aliasName = name(alias);
    if (
      aliasName &&
      ![
        'WHERE',
        'PREWHERE',
        'GROUP',
        'ORDER',
        'LIMIT',
        'JOIN',
        'LEFT',
        'RIGHT',
        'INNER',
        'FULL',
        'CROSS',
        'ANY',
        'ALL',
        'ASOF',
        'GLOBAL',
        'ARRAY',
        'FINAL',
        'SAMPLE',
        'ON',
        'USING',
        'SETTINGS',
        'FORMAT',
        'UNION',
        'HAVING',
        'WINDOW',
        'QUALIFY',
        'PASTE',
        'SEMI',
        'ANTI',
        'OUTER',
      ].includes(aliasName.toUpperCase())
    )
      qualifiers.add(aliasName);
    found.push({ object, qualifiers });
  }
  return found;
}
