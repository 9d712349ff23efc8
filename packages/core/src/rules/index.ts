import destructiveStatement from './destructive-statement.js';
import mutationInMigration from './mutation-in-migration.js';
import mvImplicitInnerTable from './mv-implicit-inner-table.js';
import mvPopulate from './mv-populate.js';
import mvTargetColumns from './mv-target-columns.js';
import nullableSortingKey from './nullable-sorting-key.js';
import referenceMissing from './reference-missing.js';
import type { Rule } from './rule.js';
import secretInSql from './secret-in-sql.js';

/** Every rule, sorted by id: a new rule adds one line here. */
export const RULES: readonly Rule<string, unknown>[] = [
  destructiveStatement,
  mutationInMigration,
  mvImplicitInnerTable,
  mvPopulate,
  mvTargetColumns,
  nullableSortingKey,
  referenceMissing,
  secretInSql,
] as Rule<string, unknown>[];
