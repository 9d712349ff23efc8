import type { QueryOutput, Statement } from './ast.js';
import { printCreateAccessEntity, printGrant } from './printer/access.js';
import { printAlterDatabase, printAlterTable } from './printer/alter.js';
import {
  printAlterNamedCollection,
  printCreateDatabase,
  printCreateDictionary,
  printCreateFunction,
  printCreateNamedCollection,
  printCreateTable,
  printCreateView,
} from './printer/create.js';
import { printSelect } from './printer/select.js';
import { printSettings } from './printer/settings.js';
import { printAttach, printDelete, printDrop, printInsert, printOptimize, printRename, printTruncate, printUpdate } from './printer/statements.js';
import { printIdentifier, unprintable } from './printer/text.js';

// The one SQL printer: syntax tree → ClickHouse SQL that a person reads in a plan and that
// ClickHouse executes. It reads only the tree, never `start`/`end`: nodes copied from another file
// or built by the planner print the same. Layout follows ClickHouse's `formatQuery`; expressions
// keep the operators as written (`a + b`, `x::T`, `INTERVAL 1 DAY`) with the fewest parentheses
// that read back as the same tree.

export { printColumnDefinition } from './printer/create.js';
export { printDataType } from './printer/dataTypes.js';
export { printExpression } from './printer/expressions.js';
export { printSelect } from './printer/select.js';
export { printSettings } from './printer/settings.js';
export { printQualifiedName, quoteIdentifier, quoteString } from './printer/text.js';

/**
 * Prints a statement, without a trailing semicolon. Throws for what the tree cannot reproduce: an
 * `Other` or `Invalid` statement (kept as source text only), the rows of INSERT ... VALUES/FORMAT,
 * and clauses the parser keeps only as source ranges (most CREATE USER/ROLE/... clauses).
 */
export function printStatement(statement: Statement): string {
  const body = printStatementBody(statement);
  // An INSERT's `format` is its data's, printed with it.
  if (statement.kind === 'Insert' || !('querySettings' in statement || 'format' in statement)) return body;
  const { format, querySettings } = statement as QueryOutput;
  return `${body}${format ? `\nFORMAT ${printIdentifier(format)}` : ''}${querySettings ? `\nSETTINGS ${printSettings(querySettings)}` : ''}`;
}

function printStatementBody(statement: Statement): string {
  switch (statement.kind) {
    case 'CreateTable':
      return printCreateTable(statement);
    case 'CreateView':
      return printCreateView(statement);
    case 'CreateDictionary':
      return printCreateDictionary(statement);
    case 'CreateDatabase':
      return printCreateDatabase(statement);
    case 'CreateFunction':
      return printCreateFunction(statement);
    case 'CreateNamedCollection':
      return printCreateNamedCollection(statement);
    case 'AlterNamedCollection':
      return printAlterNamedCollection(statement);
    case 'CreateAccessEntity':
      return printCreateAccessEntity(statement);
    case 'Grant':
    case 'Revoke':
      return printGrant(statement);
    case 'AlterTable':
      return printAlterTable(statement);
    case 'AlterDatabase':
      return printAlterDatabase(statement);
    case 'Drop':
      return printDrop(statement);
    case 'Truncate':
      return printTruncate(statement);
    case 'Rename':
    case 'Exchange':
      return printRename(statement);
    case 'Attach':
      return printAttach(statement);
    case 'Use':
      return `USE ${printIdentifier(statement.database)}`;
    case 'Set':
      return `SET ${printSettings(statement.settings)}`;
    case 'Optimize':
      return printOptimize(statement);
    case 'Insert':
      return printInsert(statement);
    case 'Delete':
      return printDelete(statement);
    case 'Update':
      return printUpdate(statement);
    case 'SelectStatement':
      return printSelect(statement.query);
    case 'Other':
      // ALTER USER|ROLE|... without IDENTIFIED (whose text holds the password): its clauses, kept as
      // their text, printed as CREATE's are (the plan ALTERs users and roles in place).
      if (statement.alteration && statement.keyword.startsWith('ALTER ') && !statement.alteration.clauses.some((c) => c.keyword.endsWith('IDENTIFIED')))
        return printCreateAccessEntity({ ...statement.alteration, verb: 'CREATE', ifNotExists: false, orReplace: false }).replace(/^CREATE/, 'ALTER');
      return unprintable(`a ${statement.keyword} statement`, 'ClickPlan keeps this kind of statement as source text, not as a syntax tree');
    case 'Invalid':
      return unprintable(`an invalid ${statement.keyword} statement`, 'it did not parse');
  }
}
