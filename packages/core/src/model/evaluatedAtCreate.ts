import { SessionCache, sessionStore } from '../session.js';
import type { CreateTableStatement, CreateViewStatement, EngineClause, Expression, Literal, NodeBase, StorageClauses } from '../syntax/ast.js';
import { mapTree } from './mapTree.js';

// What ClickHouse evaluates when it runs a CREATE, so that the stored definition holds the result,
// not what was written (chDB 26.7, `system.tables.create_table_query`):
// - some engines evaluate their arguments to constants: `Merge(currentDatabase(), '^logs$')` is
//   stored as `Merge('default', '^logs$')`, `File(CSV)` as `File('CSV')`, `GenerateRandom(1 + 1)` as
//   `GenerateRandom(2)`, `URL('http://h/' || 'x', CSV)` as `URL('http://h/x', 'CSV')`;
// - a call of a parameterized view in another database, `FROM db.v(p = 1)`, is stored as a call of
//   the function named `db.v`: `` FROM `db.v`(p = 1) `` (an unqualified `v(p = 1)` stays as written).
// - a Replicated*MergeTree path and replica name have `{database}` and `{table}` written out
//   (registerStorageMergeTree.cpp: so that a renamed table keeps its replica; other macros stay);
// SQL UDF calls are inlined too (userFunctions.ts).

/**
 * The engine arguments each engine evaluates at CREATE, by position. Not listed: engines that keep
 * expressions as written (MergeTree family parameters, Join, MySQL, PostgreSQL), or that take
 * only literals anyway (Buffer's numbers, HDFS, EmbeddedRocksDB). Distributed keeps its sharding
 * key (3) as an expression; a Merge database given as `REGEXP(...)` stays as written.
 */
const EVALUATED_ARGUMENTS: Record<string, (index: number, argument: Expression) => boolean> = {
  Merge: (i, arg) => i === 1 || (i === 0 && !(arg.kind === 'FunctionCall' && arg.name.name.toUpperCase() === 'REGEXP')),
  Buffer: (i) => i <= 1,
  Distributed: (i) => i <= 2 || i === 4,
  Dictionary: (i) => i === 0,
  File: () => true,
  URL: () => true,
  S3: () => true,
  SQLite: () => true,
  GenerateRandom: () => true,
};

/** A CREATE TABLE or VIEW as ClickHouse stores it, for what it evaluates at CREATE; `database` is the current one. Same object when nothing changes. */
export function evaluatedAtCreate<T extends CreateTableStatement | CreateViewStatement>(statement: T, database: string): T {
  const evaluated = sessionStore(EVALUATED);
  const last = evaluated.get(statement);
  if (last?.database === database && last.start === statement.start) return last.result as T;
  let result: T = withParameterizedViewCalls(statement);
  let storage = result.storage && withEvaluatedEngine(result.storage, database);
  if (storage) storage = withReplicationNamesWrittenOut(result, storage, database);
  if (storage && storage !== result.storage) result = { ...result, storage };
  evaluated.set(statement, { database, start: statement.start, result });
  return result;
}

/**
 * The last result per statement: the same definition object on every replay of an unchanged statement
 * (editor caches key on it). Only while the statement has not moved: the editor's incremental parse
 * shifts the ranges of a moved statement's nodes in place, and the copies made here are not among them.
 */
const EVALUATED = new SessionCache<object, { database: string; start: number; result: object }>('model: statements with what CREATE evaluates evaluated');

function withEvaluatedEngine(storage: StorageClauses, database: string): StorageClauses {
  const engine = storage.engine;
  const isEvaluated = engine && EVALUATED_ARGUMENTS[engine.name.name];
  if (!engine?.arguments || !isEvaluated) return storage;
  let changed = false;
  const args = engine.arguments.map((arg, i) => {
    if (!isEvaluated(i, arg)) return arg;
    const value = constantValue(arg, database);
    if (value === undefined || (arg.kind === 'Literal' && arg.type === value.type && arg.value === value.value)) return arg;
    changed = true;
    return literal(value, arg);
  });
  if (!changed) return storage;
  const evaluatedEngine: EngineClause = { ...engine, arguments: args };
  return { ...storage, engine: evaluatedEngine };
}

/**
 * A Replicated engine's path and replica name as stored: `{database}` and `{table}` replaced by the
 * table's names (test/replicated-names.test.ts compares with chDB). Left as written where `{table}`
 * stands for a name the repository cannot know: CREATE OR REPLACE creates a temporary table first,
 * and a materialized view's engine is its `.inner_id.<uuid>` table's.
 */
function withReplicationNamesWrittenOut(statement: CreateTableStatement | CreateViewStatement, storage: StorageClauses, database: string): StorageClauses {
  const engine = storage.engine;
  const name = engine?.name.name ?? '';
  if (!engine?.arguments || !name.startsWith('Replicated') || !name.endsWith('MergeTree')) return storage;
  const [path, replica] = engine.arguments;
  if (path?.kind !== 'Literal' || path.type !== 'string' || replica?.kind !== 'Literal' || replica.type !== 'string') return storage;
  const isOwnTable = statement.kind === 'CreateTable' && !statement.temporary && !statement.orReplace && statement.verb !== 'REPLACE';
  const names = { database: statement.name.database?.name ?? database, table: isOwnTable ? statement.name.name.name : undefined };
  if (names.table === undefined && (path.value.includes('{table}') || replica.value.includes('{table}'))) return storage;
  const written = (text: string) => text.replaceAll('{database}', names.database).replaceAll('{table}', names.table ?? '{table}');
  if (written(path.value) === path.value && written(replica.value) === replica.value) return storage;
  const args = [{ ...path, value: written(path.value) }, { ...replica, value: written(replica.value) }, ...engine.arguments.slice(2)];
  return { ...storage, engine: { ...engine, arguments: args } };
}

type Constant = { type: 'string' | 'number'; value: string };

/**
 * The constant an engine argument evaluates to, when it can be known without a server: literals,
 * identifiers (read as strings), `currentDatabase()`, `concat` and `||` of constants, and integer
 * `+ - *`. Undefined for anything else, which then stays as written.
 */
function constantValue(expression: Expression, database: string): Constant | undefined {
  switch (expression.kind) {
    case 'Literal':
      return expression.type === 'string' || expression.type === 'number' ? { type: expression.type, value: expression.value } : undefined;
    case 'ColumnRef':
      return { type: 'string', value: expression.parts.map((p) => p.name).join('.') };
    case 'FunctionCall': {
      const name = expression.name.name.toLowerCase();
      if ((name === 'currentdatabase' || name === 'database') && expression.arguments.length === 0) return { type: 'string', value: database };
      if (name === 'concat' && !expression.parameters) return concatenated(expression.arguments, database);
      return undefined;
    }
    case 'BinaryExpression': {
      if (expression.operator === '||') return concatenated([expression.left, expression.right], database);
      const [left, right] = [constantValue(expression.left, database), constantValue(expression.right, database)];
      const isInteger = (c: Constant | undefined): c is Constant => c?.type === 'number' && /^\d+$/.test(c.value);
      if (!isInteger(left) || !isInteger(right)) return undefined;
      const [a, b] = [BigInt(left.value), BigInt(right.value)];
      const result = expression.operator === '+' ? a + b : expression.operator === '-' ? a - b : expression.operator === '*' ? a * b : undefined;
      // A negative result is an Int64, which the engines that take numbers here refuse: leave it to the server.
      return result === undefined || result < 0n ? undefined : { type: 'number', value: result.toString() };
    }
    default:
      return undefined;
  }
}

function concatenated(parts: Expression[], database: string): Constant | undefined {
  // Inside an expression a bare name is a column, not a name read as a string.
  if (parts.some((p) => p.kind === 'ColumnRef')) return undefined;
  const values = parts.map((p) => constantValue(p, database));
  if (values.some((v) => v === undefined)) return undefined;
  return { type: 'string', value: values.map((v) => v?.value ?? '').join('') };
}

function literal(value: Constant, at: NodeBase): Literal {
  return { kind: 'Literal', type: value.type, value: value.value, start: at.start, end: at.end };
}

/** `FROM db.v(p = 1)` as stored: a call of the function named `db.v`. */
function withParameterizedViewCalls<T extends CreateTableStatement | CreateViewStatement>(statement: T): T {
  return mapTree(statement, (node) => {
    if (node.kind !== 'TableFunction') return undefined;
    const { database, ...call } = node;
    if (!database) return node;
    const name = { ...call.call.name, name: `${database.name}.${call.call.name.name}`, quoted: true, start: database.start };
    return { ...call, call: { ...call.call, name } };
  }) as T;
}
