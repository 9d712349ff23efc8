import type { Diagnostic, Range } from '../diagnostics.js';
import { RULES } from '../rules/index.js';
import type { Identifier, Literal, QualifiedName, Statement } from '../syntax/ast.js';
import { lexSql } from '../syntax/lexer.js';
import { printNameOrString, quoteIdentifier } from '../syntax/printer/text.js';
import type { EditorModel } from './model.js';
import { occurrencesAt } from './navigation.js';

// Code actions: the fixes a finding suggests in its help, made into edits (the rules report facts;
// the edits that follow from them are computed here, from the statement's syntax tree), refactors that
// make a migration safer to run twice, and suppression comments with a reason to fill in.

/** A replacement of a range of the file (an insertion when the range is empty). */
export interface TextEdit {
  range: Range;
  newText: string;
}

export interface EditorAction {
  title: string;
  kind: 'quickfix' | 'refactor';
  /** The diagnostic it fixes or suppresses. */
  diagnostic?: Diagnostic;
  edits: TextEdit[];
  preferred?: boolean;
  /** The words in the first edit's text a person must replace (a suppression's reason): editors that take snippets select them. */
  placeholder?: string;
}

/** The placeholder a suppression comment is inserted with. */
export const REASON_PLACEHOLDER = 'reason';

/**
 * Code actions for a range of a file: fixes and suppressions for the diagnostics that touch it, then
 * refactors of the statement at its start.
 */
export function codeActionsAt(model: EditorModel, file: string, text: string, range: Range): EditorAction[] {
  const statements = model.names.statements.filter((s) => s.file === file);
  const statementAt = (offset: number) => statements.find((s) => s.statement.start <= offset && offset <= s.statement.end)?.statement;
  const actions: EditorAction[] = [];
  const diagnostics = model.diagnostics.filter((d) => d.file === file && d.range.start <= range.end && range.start <= d.range.end);
  for (const diagnostic of diagnostics) {
    const statement = statementAt(diagnostic.range.start);
    if (statement) actions.push(...fixesFor(model, diagnostic, statement, text));
    if (RULES.some((r) => r.id === diagnostic.code)) actions.push(...suppressionsFor(diagnostic, statement, text));
  }
  const statement = statementAt(range.start);
  if (statement) {
    for (const refactor of refactorsOf(model, file, statement, text, range.start)) {
      if (!actions.some((a) => a.title === refactor.title)) actions.push(refactor);
    }
  }
  return actions;
}

function fixesFor(model: EditorModel, diagnostic: Diagnostic, statement: Statement, text: string): EditorAction[] {
  const fix = (title: string, edits: TextEdit[], preferred = true): EditorAction[] => [{ title, kind: 'quickfix', diagnostic, edits, preferred }];
  switch (diagnostic.code) {
    case 'on-cluster-missing': {
      const cluster = clusterOf(model);
      const at = onClusterPosition(statement);
      return cluster && at !== undefined ? fix(`Add ON CLUSTER ${cluster}`, [insert(at, ` ON CLUSTER ${cluster}`)]) : [];
    }
    case 'on-cluster-in-replicated-database': {
      const removal = onClusterRange(statement, text);
      return removal ? fix('Remove ON CLUSTER: the Replicated database sends the DDL to every replica', [{ range: removal, newText: '' }]) : [];
    }
    case 'object-exists':
      return addIfNotExists(statement) ? fix('Add IF NOT EXISTS', [addIfNotExists(statement) as TextEdit], false) : [];
    case 'object-missing':
      return addIfExists(statement) ? fix('Add IF EXISTS', [addIfExists(statement) as TextEdit], false) : [];
    case 'column-missing':
    case 'column-exists': {
      const edit = columnGuard(statement, diagnostic.range);
      return edit ? fix(edit.newText.includes('NOT') ? 'Add IF NOT EXISTS' : 'Add IF EXISTS', [edit], false) : [];
    }
    case 'ddl-not-idempotent': {
      const edit = addIfNotExists(statement) ?? addIfExists(statement);
      return edit ? fix(edit.newText.includes('NOT') ? 'Add IF NOT EXISTS' : 'Add IF EXISTS', [edit]) : [];
    }
    case 'unqualified-name': {
      const written = text.slice(diagnostic.range.start, diagnostic.range.end);
      const database = model.names.statements.find((s) => s.statement === statement)?.database;
      if (!database || !/^(?:[A-Za-z_][A-Za-z0-9_]*|`[^`]+`)$/.test(written)) return [];
      const qualified = `${quoteIdentifier(database)}.${written}`;
      return fix(`Qualify as ${qualified}`, [{ range: diagnostic.range, newText: qualified }]);
    }
    case 'reference-missing':
      return qualifications(model, diagnostic.range, text).map((q) => ({ ...q, kind: 'quickfix' as const, diagnostic, preferred: true }));
    case 'mv-populate': {
      const populate = keywordRange(statement, text, 'POPULATE');
      return populate ? fix('Remove POPULATE (backfill with INSERT ... SELECT after creating the view)', [{ range: populate, newText: '' }]) : [];
    }
    case 'replicated-recreate-without-sync':
      return statement.kind === 'Drop' && !statement.sync ? fix('Add SYNC', [insert(statement.end, ' SYNC')]) : [];
    default:
      return [];
  }
}

function suppressionsFor(diagnostic: Diagnostic, statement: Statement | undefined, text: string): EditorAction[] {
  const lineStart = (offset: number) => {
    let i = offset;
    while (i > 0 && text[i - 1] !== '\n' && text[i - 1] !== '\r') i--;
    return i;
  };
  const start = lineStart(statement?.start ?? diagnostic.range.start);
  const indent = /^[ \t]*/.exec(text.slice(start))?.[0] ?? '';
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return [
    {
      title: `Suppress ${diagnostic.code} here`,
      kind: 'quickfix',
      diagnostic,
      edits: [insert(start, `${indent}-- clickplan-ignore ${diagnostic.code}: ${REASON_PLACEHOLDER}${eol}`)],
      placeholder: REASON_PLACEHOLDER,
    },
    {
      title: `Suppress ${diagnostic.code} in this file`,
      kind: 'quickfix',
      diagnostic,
      edits: [insert(0, `-- clickplan-ignore-file ${diagnostic.code}: ${REASON_PLACEHOLDER}${eol}`)],
      placeholder: REASON_PLACEHOLDER,
    },
  ];
}

/** Refactors that need no finding: migrations that can run twice, and names that say their database. */
function refactorsOf(model: EditorModel, file: string, statement: Statement, text: string, offset: number): EditorAction[] {
  const actions: EditorAction[] = [];
  const ifNotExists = addIfNotExists(statement);
  if (ifNotExists) actions.push({ title: 'Add IF NOT EXISTS', kind: 'refactor', edits: [ifNotExists] });
  const ifExists = addIfExists(statement);
  if (ifExists) actions.push({ title: 'Add IF EXISTS', kind: 'refactor', edits: [ifExists] });
  for (const occurrence of occurrencesAt(model, file, offset)) {
    if (!occurrence.key.startsWith('table:')) continue;
    const written = text.slice(occurrence.range.start, occurrence.range.end);
    if (text[occurrence.range.start - 1] === '.') continue; // already qualified
    const id = occurrence.key.slice('table:'.length);
    const database = id.slice(0, id.length - unquote(written).length - 1);
    if (!database || `${database}.${unquote(written)}` !== id) continue;
    actions.push({
      title: `Qualify as ${quoteIdentifier(database)}.${written}`,
      kind: 'refactor',
      edits: [{ range: occurrence.range, newText: `${quoteIdentifier(database)}.${written}` }],
    });
  }
  return actions;
}

function insert(offset: number, newText: string): TextEdit {
  return { range: { start: offset, end: offset }, newText };
}

function unquote(name: string): string {
  return /^[`"]/.test(name) ? name.slice(1, -1) : name;
}

/** The configured cluster, else the one the migrations already use. */
function clusterOf(model: EditorModel): string | undefined {
  const configured = model.options.project?.cluster;
  if (configured) return quoteIdentifier(configured);
  for (const { statement } of model.names.statements) {
    const onCluster = (statement as { onCluster?: Identifier | Literal }).onCluster;
    if (onCluster) return printNameOrString(onCluster);
  }
  return undefined;
}

/** Where `ON CLUSTER` goes: after the name (and UUID) of a CREATE, the table of an ALTER, the last name of a DROP or RENAME. */
function onClusterPosition(statement: Statement): number | undefined {
  switch (statement.kind) {
    case 'CreateTable':
    case 'CreateView':
    case 'CreateDictionary':
    case 'CreateDatabase':
      return statement.uuid?.end ?? statement.name.end;
    case 'AlterTable':
      return statement.table.end;
    case 'AlterDatabase':
      return statement.name.end;
    case 'Drop':
      return statement.names.at(-1)?.end;
    case 'Truncate':
      return statement.name.end;
    case 'Rename':
    case 'Exchange':
      return statement.pairs.at(-1)?.to.end;
    default:
      return undefined;
  }
}

/** `ON CLUSTER name` with the space before it. */
function onClusterRange(statement: Statement, text: string): Range | undefined {
  const onCluster = (statement as { onCluster?: Identifier | Literal }).onCluster;
  if (!onCluster) return undefined;
  const head = text.slice(statement.start, onCluster.start);
  const match = /\s+ON\s+CLUSTER\s+$/i.exec(head);
  return match ? { start: statement.start + match.index, end: onCluster.end } : undefined;
}

/** A keyword of the statement, with the whitespace before it. */
function keywordRange(statement: Statement, text: string, keyword: string): Range | undefined {
  const tokens = lexSql(text.slice(statement.start, statement.end));
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind !== 'BareWord' || text.slice(statement.start + t.start, statement.start + t.end).toUpperCase() !== keyword) continue;
    const start = i > 0 && tokens[i - 1].kind === 'Whitespace' ? tokens[i - 1].start : t.start;
    return { start: statement.start + start, end: statement.start + t.end };
  }
  return undefined;
}

/** `IF NOT EXISTS` before the name of a CREATE that has none (not for OR REPLACE, which replaces). */
function addIfNotExists(statement: Statement): TextEdit | undefined {
  switch (statement.kind) {
    case 'CreateTable':
    case 'CreateView':
    case 'CreateDictionary':
    case 'CreateDatabase':
    case 'CreateFunction':
      if (statement.ifNotExists || statement.orReplace || statement.verb !== 'CREATE' || statement.name.end <= statement.name.start) return undefined;
      return insert(statement.name.start, 'IF NOT EXISTS ');
    default:
      return undefined;
  }
}

/** `IF EXISTS` before the names of a DROP that has none. */
function addIfExists(statement: Statement): TextEdit | undefined {
  if (statement.kind !== 'Drop' || statement.ifExists || statement.verb === 'UNDROP' || !statement.names[0]) return undefined;
  const first: QualifiedName = statement.names[0];
  if (first.end <= first.start) return undefined;
  return insert(first.start, 'IF EXISTS ');
}

/** IF EXISTS / IF NOT EXISTS before the column of an ALTER action the diagnostic is about. */
function columnGuard(statement: Statement, range: Range): TextEdit | undefined {
  if (statement.kind !== 'AlterTable') return undefined;
  const action =
    statement.actions.find((a) => a.start <= range.start && range.end <= a.end) ??
    statement.actions.find((a) => a.start <= range.start && range.start <= a.end);
  if (!action) return undefined;
  switch (action.kind) {
    case 'AddColumn':
      return action.ifNotExists ? undefined : insert(action.column.name[0]?.start ?? action.column.start, 'IF NOT EXISTS ');
    case 'DropColumn':
    case 'ClearColumn':
    case 'CommentColumn':
    case 'ModifyColumnRemove':
      return action.ifExists || !action.column[0] ? undefined : insert(action.column[0].start, 'IF EXISTS ');
    case 'ModifyColumn':
      return action.ifExists || !action.column.name[0] ? undefined : insert(action.column.name[0].start, 'IF EXISTS ');
    case 'RenameColumn':
      return action.ifExists || !action.from[0] ? undefined : insert(action.from[0].start, 'IF EXISTS ');
    default:
      return undefined;
  }
}

/** An unqualified name that exists in another database: one fix per database that has it. */
function qualifications(model: EditorModel, range: Range, text: string): Omit<EditorAction, 'kind'>[] {
  const written = text.slice(range.start, range.end);
  if (!/^(?:[A-Za-z_][A-Za-z0-9_]*|`[^`]+`)$/.test(written) || text[range.start - 1] === '.') return [];
  const name = unquote(written);
  return model.analysis.schema.objects
    .filter((o) => o.name === name && o.database !== undefined && ['table', 'view', 'materialized-view', 'dictionary'].includes(o.kind))
    .map((o) => ({
      title: `Qualify as ${quoteIdentifier(o.database as string)}.${written}`,
      edits: [{ range, newText: `${quoteIdentifier(o.database as string)}.${written}` }],
    }));
}
