import type { Range } from '../diagnostics.js';
import type { Identifier, Literal, QualifiedName, Statement } from '../syntax/ast.js';
import { lexSql } from '../syntax/lexer.js';
import type { TextEdit } from './rule.js';

// Edits of a statement that rule fixes and editor refactors share, made from its syntax tree when a
// fix is asked for (so from offsets that are current then).

/** An insertion at an offset. */
export function insertAt(offset: number, newText: string): TextEdit {
  return { range: { start: offset, end: offset }, newText };
}

/** The ON CLUSTER clause of a statement that has one. */
export function onClusterOf(statement: Statement): Identifier | Literal | undefined {
  return 'onCluster' in statement ? statement.onCluster : undefined;
}

/** Where `ON CLUSTER` goes: after the name (and UUID) of a CREATE, the table of an ALTER, the last name of a DROP or RENAME. */
export function onClusterPosition(statement: Statement): number | undefined {
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
export function onClusterRange(statement: Statement, text: string): Range | undefined {
  const onCluster = onClusterOf(statement);
  if (!onCluster) return undefined;
  const head = text.slice(statement.start, onCluster.start);
  const match = /\s+ON\s+CLUSTER\s+$/i.exec(head);
  return match ? { start: statement.start + match.index, end: onCluster.end } : undefined;
}

/** A keyword of the statement, with the whitespace before it. */
export function keywordRange(statement: Statement, text: string, keyword: string): Range | undefined {
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
export function addIfNotExists(statement: Statement): TextEdit | undefined {
  switch (statement.kind) {
    case 'CreateTable':
    case 'CreateView':
    case 'CreateDictionary':
    case 'CreateDatabase':
    case 'CreateFunction':
      if (statement.ifNotExists || statement.orReplace || statement.verb !== 'CREATE' || statement.name.end <= statement.name.start) return undefined;
      return insertAt(statement.name.start, 'IF NOT EXISTS ');
    default:
      return undefined;
  }
}

/** `IF EXISTS` before the names of a DROP that has none. */
export function addIfExists(statement: Statement): TextEdit | undefined {
  if (statement.kind !== 'Drop' || statement.ifExists || statement.verb === 'UNDROP' || !statement.names[0]) return undefined;
  const first: QualifiedName = statement.names[0];
  if (first.end <= first.start) return undefined;
  return insertAt(first.start, 'IF EXISTS ');
}

/** A name written bare, as a qualification can be put before it: a plain or backquoted identifier not after a dot. */
export function isBareName(text: string, range: Range): boolean {
  return /^(?:[A-Za-z_][A-Za-z0-9_]*|`[^`]+`)$/.test(text.slice(range.start, range.end)) && text[range.start - 1] !== '.';
}
