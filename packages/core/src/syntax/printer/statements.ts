import type {
  AttachStatement,
  DeleteStatement,
  DropStatement,
  InsertStatement,
  OptimizeStatement,
  PolicyGroup,
  QualifiedName,
  RenameStatement,
  TruncateStatement,
  UpdateStatement,
} from '../ast.js';
import { printUserName } from './access.js';
import { printPartition } from './alter.js';
import { expression, printList, TOP } from './expressions.js';
import { printSelect, printTableFunction } from './select.js';
import { printSettings } from './settings.js';
import { printIdentifier, printOnCluster, printParts, printQualifiedName, quoteName, quoteString, unprintable } from './text.js';

// DROP, TRUNCATE, RENAME/EXCHANGE, short ATTACH, OPTIMIZE, INSERT ... SELECT, DELETE and UPDATE.

/** Names that may be keywords in a role list (`CURRENT_USER`) or carry a host (`john@10.%`). */
const USERS_AND_ROLES = new Set(['USER', 'ROLE']);

export function printDrop(statement: DropStatement): string {
  let text = `${statement.verb}${statement.temporary ? ' TEMPORARY' : ''} ${statement.objectKind}`;
  if (statement.ifExists) text += ' IF EXISTS';
  if (statement.ifEmpty) text += ' IF EMPTY';
  const name = (n: QualifiedName) => (USERS_AND_ROLES.has(statement.objectKind) ? printUserName(n.name) : printQualifiedName(n));
  if (statement.policies) {
    const group = (g: PolicyGroup) => `${g.names.map(printIdentifier).join(', ')} ON ${g.on.map(printPolicyTable).join(', ')}`;
    text += ` ${statement.policies.map(group).join(', ')}`;
  } else {
    text += ` ${statement.names.map(name).join(', ')}`;
    if (statement.on) text += ` ON ${statement.on.map(printQualifiedName).join(', ')}`;
  }
  if (statement.uuid) text += ` UUID ${quoteString(statement.uuid.value)}`;
  if (statement.storage) text += ` FROM ${printIdentifier(statement.storage)}`;
  text += printOnCluster(statement.onCluster);
  if (statement.permanently) text += ' PERMANENTLY';
  if (statement.sync) text += ' SYNC';
  return text;
}

/** `db.t`, `db.*` or `*`: a row policy's table, where `*` is every table. */
function printPolicyTable(table: QualifiedName): string {
  if (table.name.name !== '*' || table.name.quoted) return printQualifiedName(table);
  return table.database ? `${printIdentifier(table.database)}.*` : '*';
}

export function printTruncate(statement: TruncateStatement): string {
  const kind = statement.objectKind === 'ALL TABLES' ? 'ALL TABLES FROM' : statement.objectKind;
  const ifExists = statement.ifExists ? ' IF EXISTS' : '';
  return `TRUNCATE ${kind}${ifExists} ${printQualifiedName(statement.name)}${printOnCluster(statement.onCluster)}${statement.sync ? ' SYNC' : ''}`;
}

/** `RENAME TABLE a TO b, c TO d`, `EXCHANGE TABLES a AND b`, and their DICTIONARY and DATABASE forms. */
export function printRename(statement: RenameStatement): string {
  const isExchange = statement.kind === 'Exchange';
  const kind = isExchange ? (statement.objectKind === 'DICTIONARY' ? 'DICTIONARIES' : 'TABLES') : statement.objectKind;
  const pairs = statement.pairs.map((pair) => `${printQualifiedName(pair.from)} ${isExchange ? 'AND' : 'TO'} ${printQualifiedName(pair.to)}`);
  return `${isExchange ? 'EXCHANGE' : 'RENAME'} ${kind}${statement.ifExists ? ' IF EXISTS' : ''} ${pairs.join(', ')}${printOnCluster(statement.onCluster)}`;
}

/** `ATTACH TABLE t [ON CLUSTER c]`: an object detached before, with its definition on the server. */
export function printAttach(statement: AttachStatement): string {
  let text = `ATTACH ${statement.objectKind}${statement.ifNotExists ? ' IF NOT EXISTS' : ''} ${printQualifiedName(statement.name)}`;
  text += printOnCluster(statement.onCluster);
  if (statement.fromPath) text += ` FROM ${quoteString(statement.fromPath.value)}`;
  return text;
}

export function printOptimize(statement: OptimizeStatement): string {
  let text = `OPTIMIZE TABLE ${printQualifiedName(statement.table)}${printOnCluster(statement.onCluster)}`;
  if (statement.partition) text += ` ${printPartition(statement.partition)}`;
  if (statement.final) text += ' FINAL';
  if (statement.deduplicate) text += statement.deduplicateBy ? ` DEDUPLICATE BY ${printList(statement.deduplicateBy)}` : ' DEDUPLICATE';
  if (statement.cleanup) text += ' CLEANUP';
  return text;
}

/**
 * `INSERT INTO t (a, b) [FROM INFILE 'f' [COMPRESSION 'c']] [SETTINGS ...]` and the SELECT or FORMAT
 * after it. Rows after VALUES or FORMAT are not in the tree, unless they come from the file.
 */
export function printInsert(statement: InsertStatement): string {
  if (!statement.infile && (statement.format !== undefined || !statement.select)) {
    const form = statement.format === 'Values' ? 'VALUES' : `FORMAT ${statement.format ?? ''}`.trimEnd();
    return unprintable(`INSERT ... ${form}`, 'its rows are data, which the syntax tree does not keep; only INSERT ... SELECT can be printed');
  }
  let head = 'INSERT INTO ';
  if (statement.tableFunction) {
    head += `FUNCTION ${printTableFunction(statement.tableFunction)}`;
    if (statement.partitionBy) head += ` PARTITION BY ${expression(statement.partitionBy, TOP)}`;
  } else if (statement.table) head += printQualifiedName(statement.table);
  else return unprintable('INSERT', 'it has neither a table nor a table function');
  if (statement.columns) head += ` (${printList(statement.columns)})`;
  if (statement.infile) {
    head += ` FROM INFILE ${quoteString(statement.infile.file.value)}`;
    if (statement.infile.compression) head += ` COMPRESSION ${quoteString(statement.infile.compression.value)}`;
  }
  if (statement.settings) head += ` SETTINGS ${printSettings(statement.settings)}`;
  if (statement.format) return `${head} FORMAT ${quoteName(statement.format)}`;
  return statement.select ? `${head}\n${printSelect(statement.select)}` : head;
}

/** Lightweight `DELETE FROM t [ON CLUSTER c] [IN PARTITION p] WHERE cond`. */
export function printDelete(statement: DeleteStatement): string {
  const partition = statement.partition ? ` IN ${printPartition(statement.partition)}` : '';
  return `DELETE FROM ${printQualifiedName(statement.table)}${printOnCluster(statement.onCluster)}${partition} WHERE ${expression(statement.where, TOP)}`;
}

/** Lightweight `UPDATE t [ON CLUSTER c] SET a = 1, ... [IN PARTITION p] WHERE cond`. */
export function printUpdate(statement: UpdateStatement): string {
  const assignments = statement.assignments.map((a) => `${printParts(a.column)} = ${expression(a.value, TOP)}`).join(', ');
  const partition = statement.partition ? ` IN ${printPartition(statement.partition)}` : '';
  const table = printQualifiedName(statement.table);
  return `UPDATE ${table}${printOnCluster(statement.onCluster)} SET ${assignments}${partition} WHERE ${expression(statement.where, TOP)}`;
}
