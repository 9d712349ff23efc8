import type { AlterAction, AlterDatabaseStatement, AlterTableStatement, ColumnPosition, PartitionSpec } from '../ast.js';
import { printColumnDefinition, printIndexDefinition, printProjectionDefinition, printRefresh, printSqlSecurity, printTtl } from './create.js';
import { expression, printList, TOP } from './expressions.js';
import { printSelect } from './select.js';
import { printSettings } from './settings.js';
import { indent, printCompoundName, printIdentifier, printOnCluster, printParts, printQualifiedName, quoteString, unprintable } from './text.js';

// ALTER TABLE and ALTER DATABASE: one command on the header line, several one per line below it.

export function printAlterTable(statement: AlterTableStatement): string {
  const head = `ALTER ${statement.temporary ? 'TEMPORARY ' : ''}TABLE ${printQualifiedName(statement.table)}${printOnCluster(statement.onCluster)}`;
  return commandList(head, statement.actions.map(printAlterAction));
}

export function printAlterDatabase(statement: AlterDatabaseStatement): string {
  const head = `ALTER DATABASE ${printIdentifier(statement.name)}${printOnCluster(statement.onCluster)}`;
  const commands: string[] = [];
  // The comment first: after `MODIFY SETTING a = 1,` the parser reads another setting, not a command.
  if (statement.comment) commands.push(`MODIFY COMMENT ${quoteString(statement.comment.value)}`);
  if (statement.settings) commands.push(`MODIFY SETTING ${printSettings(statement.settings)}`);
  if (commands.length === 0) return unprintable('ALTER DATABASE', 'it has no command');
  return commandList(head, commands);
}

/** `head command`, or `head` and then the commands one per line, indented and separated by commas. */
function commandList(head: string, commands: string[]): string {
  if (commands.length === 1 && !commands[0].includes('\n')) return `${head} ${commands[0]}`;
  return `${head}\n${commands.map(indent).join(',\n')}`;
}

function ifExists(flag: boolean): string {
  return flag ? ' IF EXISTS' : '';
}

function ifNotExists(flag: boolean): string {
  return flag ? ' IF NOT EXISTS' : '';
}

function position(where: ColumnPosition): string {
  if (!where) return '';
  return 'first' in where ? ' FIRST' : ` AFTER ${printCompoundName(where.after)}`;
}

/** `PARTITION 202401`, `PARTITION ID 'x'`, `PARTITION ALL`, `PART 'name'`. */
export function printPartition(spec: PartitionSpec): string {
  switch (spec.kind) {
    case 'Partition':
      return `PARTITION ${expression(spec.expression, TOP)}`;
    case 'PartitionId':
      return `PARTITION ID ${expression(spec.id, TOP)}`;
    case 'PartitionAll':
      return 'PARTITION ALL';
    case 'Part':
      return `PART ${expression(spec.name, TOP)}`;
  }
}

function inPartition(spec: PartitionSpec | undefined): string {
  return spec ? ` IN ${printPartition(spec)}` : '';
}

export function printAlterAction(action: AlterAction): string {
  switch (action.kind) {
    case 'AddColumn':
      return `ADD COLUMN${ifNotExists(action.ifNotExists)} ${printColumnDefinition(action.column)}${position(action.position)}`;
    case 'DropColumn':
      return `DROP COLUMN${ifExists(action.ifExists)} ${printParts(action.column)}`;
    case 'ModifyColumn':
      return `MODIFY COLUMN${ifExists(action.ifExists)} ${printColumnDefinition(action.column)}${position(action.position)}`;
    case 'ModifyColumnRemove':
      return `MODIFY COLUMN${ifExists(action.ifExists)} ${printParts(action.column)} REMOVE ${action.property}`;
    case 'ModifyColumnSettings': {
      const settings = action.reset ? `RESET SETTING ${printSettings(action.settings)}` : `MODIFY SETTING ${printSettings(action.settings)}`;
      return `MODIFY COLUMN${ifExists(action.ifExists)} ${printParts(action.column)} ${settings}`;
    }
    case 'ModifyColumnAddEnumValues':
      return `MODIFY COLUMN${ifExists(action.ifExists)} ${printParts(action.column)} ADD ENUM VALUES (${printList(action.values)})`;
    case 'RenameColumn':
      return `RENAME COLUMN${ifExists(action.ifExists)} ${printParts(action.from)} TO ${printParts(action.to)}`;
    case 'ClearColumn':
      return `CLEAR COLUMN${ifExists(action.ifExists)} ${printParts(action.column)}${inPartition(action.partition)}`;
    case 'CommentColumn':
      return `COMMENT COLUMN${ifExists(action.ifExists)} ${printParts(action.column)} ${quoteString(action.comment.value)}`;
    case 'MaterializeColumn':
      return `MATERIALIZE COLUMN ${printParts(action.column)}${inPartition(action.partition)}`;
    case 'AddIndex':
      return `ADD INDEX${ifNotExists(action.ifNotExists)} ${printIndexDefinition(action.index)}${position(action.position)}`;
    case 'DropIndex':
    case 'MaterializeIndex':
    case 'ClearIndex':
    case 'DropProjection':
    case 'MaterializeProjection':
    case 'ClearProjection': {
      const [, verb, object] = /^([A-Z][a-z]+)([A-Z][a-z]+)$/.exec(action.kind) ?? [];
      return `${verb.toUpperCase()} ${object.toUpperCase()}${ifExists(action.ifExists)} ${printCompoundName(action.name)}${inPartition(action.partition)}`;
    }
    case 'AddProjection':
      return `ADD PROJECTION${ifNotExists(action.ifNotExists)} ${printProjectionDefinition(action.projection)}${position(action.position)}`;
    case 'AddConstraint':
    case 'ModifyConstraint': {
      const { name, constraintType, expression: check } = action.constraint;
      const condition = action.kind === 'AddConstraint' ? ifNotExists(action.ifNotExists) : ifExists(action.ifExists);
      const verb = action.kind === 'AddConstraint' ? 'ADD' : 'MODIFY';
      return `${verb} CONSTRAINT${condition} ${printCompoundName(name)} ${constraintType} ${expression(check, TOP)}`;
    }
    case 'DropConstraint':
      return `DROP CONSTRAINT${ifExists(action.ifExists)} ${printCompoundName(action.name)}`;
    case 'Statistics': {
      if (action.all) return `${action.verb} STATISTICS ALL${inPartition(action.partition)}`;
      const condition = ifNotExists(action.ifNotExists) + ifExists(action.ifExists);
      const types = action.types.length > 0 ? ` TYPE ${printList(action.types)}` : '';
      return `${action.verb} STATISTICS${condition} ${action.columns.map(printIdentifier).join(', ')}${types}${inPartition(action.partition)}`;
    }
    case 'ModifyOrderBy':
      return `MODIFY ORDER BY ${expression(action.expression, TOP)}`;
    case 'ModifySampleBy':
      return `MODIFY SAMPLE BY ${expression(action.expression, TOP)}`;
    case 'RemoveSampleBy':
      return 'REMOVE SAMPLE BY';
    case 'ModifyTtl':
      return `MODIFY TTL ${printTtl(action.ttl)}`;
    case 'RemoveTtl':
      return 'REMOVE TTL';
    case 'MaterializeTtl':
      return `MATERIALIZE TTL${inPartition(action.partition)}`;
    case 'ModifySetting':
      return `MODIFY SETTING ${printSettings(action.settings)}`;
    case 'ResetSetting':
      return `RESET SETTING ${printSettings(action.settings)}`;
    case 'ModifyQuery':
      return `MODIFY QUERY\n${printSelect(action.query)}`;
    case 'ModifyRefresh':
      return `MODIFY ${printRefresh(action.refresh)}`;
    case 'ModifySqlSecurity':
      return `MODIFY ${printSqlSecurity(action.sqlSecurity)}`;
    case 'ModifyComment':
      return `MODIFY COMMENT ${quoteString(action.comment.value)}`;
    case 'ModifyEngine':
      // The parser never makes this node; ClickHouse changes an engine by re-creating the table.
      return unprintable('ALTER TABLE ... MODIFY ENGINE', 'ClickHouse has no such command');
    case 'Update': {
      const assignments = action.assignments.map((a) => `${printParts(a.column)} = ${expression(a.value, TOP)}`).join(', ');
      return `UPDATE ${assignments}${inPartition(action.partition)} WHERE ${expression(action.where, TOP)}`;
    }
    case 'Delete':
      return `DELETE${inPartition(action.partition)} WHERE ${expression(action.where, TOP)}`;
    case 'PartitionOperation':
      return printPartitionOperation(action);
    case 'ApplyDeletedMask':
      return `APPLY DELETED MASK${inPartition(action.partition)}`;
    case 'OtherAction':
      if (action.keyword === 'APPLY PATCHES' || action.keyword === 'REWRITE PARTS') return `${action.keyword}${inPartition(action.partition)}`;
      return unprintable(`ALTER TABLE ... ${action.keyword}`, 'the syntax tree keeps only its keyword');
  }
}

/**
 * `DROP PARTITION p`, `ATTACH PART 'n' FROM '/path'`, `REPLACE PARTITION p FROM t`, `MOVE PARTITION p TO TABLE t`,
 * `FETCH PART 'n' FROM '/zk'`, `FREEZE [PARTITION p] [WITH NAME 'n']`: the operation's leading words, then the partition and its target.
 */
function printPartitionOperation(action: Extract<AlterAction, { kind: 'PartitionOperation' }>): string {
  const [, verb = action.operation, target] = /^(.*?)(?: PARTITION| PART)?(?: FROM| TO (TABLE|DISK|VOLUME|SHARD))?$/.exec(action.operation) ?? [];
  let text = verb;
  if (action.partition) text += ` ${printPartition(action.partition)}`;
  if (action.fromTable) text += ` FROM ${printQualifiedName(action.fromTable)}`;
  if (action.fromPath) text += ` FROM ${quoteString(action.fromPath.value)}`;
  if (action.toTable) text += ` TO TABLE ${printQualifiedName(action.toTable)}`;
  if (action.destination) text += ` TO ${target} ${quoteString(action.destination.value)}`;
  if (action.withName) text += ` WITH NAME ${quoteString(action.withName.value)}`;
  return text;
}
