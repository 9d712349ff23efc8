import type { Statement } from '../syntax/ast.js';
import { parseSql } from '../syntax/parser.js';

/**
 * Whether a statement is about a database it names (CREATE DATABASE, DROP/RENAME/EXCHANGE of a
 * database): it runs whatever the session's database is, and must run without one that may not
 * exist yet (`CREATE DATABASE app` with `database: app` fails with code 81 when the request names app).
 */
export function namesItsDatabase(statement: Statement | string): boolean {
  const parsed = typeof statement === 'string' ? parseSql(statement).statements : [statement];
  if (parsed.length !== 1) return false;
  const [first] = parsed as [Statement];
  if (first.kind === 'CreateDatabase') return true;
  return (first.kind === 'Drop' || first.kind === 'Rename' || first.kind === 'Exchange') && first.objectKind === 'DATABASE';
}
