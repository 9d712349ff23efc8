import type { Diagnostic, Range } from '../diagnostics.js';
import { RULES } from '../rules/index.js';
import type { TextEdit } from '../rules/rule.js';
import { addIfExists, addIfNotExists, insertAt } from '../rules/statementEdits.js';
import type { Statement } from '../syntax/ast.js';
import { quoteIdentifier } from '../syntax/printer/text.js';
import type { EditorModel } from './model.js';
import { occurrencesAt } from './navigation.js';

// Code actions: the fixes findings offer (a rule's live in its file, `report({ fix, suggest })`; the
// analysis's own diagnostics get IF [NOT] EXISTS here), refactors that make a migration safer to run
// twice, and suppression comments with a reason to fill in.

export type { TextEdit } from '../rules/rule.js';

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

/**
 * The fixes of a diagnostic: a rule finding's come with it (`report({ fix, suggest })` in the rule's
 * file); the analysis's own diagnostics about objects and columns that exist or not get IF [NOT] EXISTS.
 */
function fixesFor(model: EditorModel, diagnostic: Diagnostic, statement: Statement, text: string): EditorAction[] {
  const offered = model.fixes.get(diagnostic);
  if (offered) {
    return offered.flatMap((fix) => {
      const edits = fix.edits(text);
      return edits ? [{ title: fix.title, kind: 'quickfix' as const, diagnostic, edits, preferred: fix.preferred }] : [];
    });
  }
  const fix = (title: string, edits: TextEdit[]): EditorAction[] => [{ title, kind: 'quickfix', diagnostic, edits, preferred: false }];
  switch (diagnostic.code) {
    case 'object-exists':
      return addIfNotExists(statement) ? fix('Add IF NOT EXISTS', [addIfNotExists(statement) as TextEdit]) : [];
    case 'object-missing':
      return addIfExists(statement) ? fix('Add IF EXISTS', [addIfExists(statement) as TextEdit]) : [];
    case 'column-missing':
    case 'column-exists': {
      const edit = columnGuard(statement, diagnostic.range);
      return edit ? fix(edit.newText.includes('NOT') ? 'Add IF NOT EXISTS' : 'Add IF EXISTS', [edit]) : [];
    }
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
      edits: [insertAt(start, `${indent}-- clickplan-ignore ${diagnostic.code}: ${REASON_PLACEHOLDER}${eol}`)],
      placeholder: REASON_PLACEHOLDER,
    },
    {
      title: `Suppress ${diagnostic.code} in this file`,
      kind: 'quickfix',
      diagnostic,
      edits: [insertAt(0, `-- clickplan-ignore-file ${diagnostic.code}: ${REASON_PLACEHOLDER}${eol}`)],
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

function unquote(name: string): string {
  return /^[`"]/.test(name) ? name.slice(1, -1) : name;
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
      return action.ifNotExists ? undefined : insertAt(action.column.name[0]?.start ?? action.column.start, 'IF NOT EXISTS ');
    case 'DropColumn':
    case 'ClearColumn':
    case 'CommentColumn':
    case 'ModifyColumnRemove':
      return action.ifExists || !action.column[0] ? undefined : insertAt(action.column[0].start, 'IF EXISTS ');
    case 'ModifyColumn':
      return action.ifExists || !action.column.name[0] ? undefined : insertAt(action.column.name[0].start, 'IF EXISTS ');
    case 'RenameColumn':
      return action.ifExists || !action.from[0] ? undefined : insertAt(action.from[0].start, 'IF EXISTS ');
    default:
      return undefined;
  }
}
