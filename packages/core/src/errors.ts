/**
 * Every diagnostic code that is not a rule id, with a one-line summary. Each has a page in
 * docs/errors/<code>.md; a test keeps this list, the pages and the codes used in the source in step.
 */
export const ERROR_CODES = {
  'syntax-error': 'ClickHouse would refuse the statement as written.',
  'path-not-found': 'The path given to a command does not exist.',
  'config-invalid': 'clickplan.yaml is not valid YAML, has an unknown key, or a value its schema does not allow.',
  'migration-name-invalid': "A .sql file in a migrations directory is not named the way the layout's tool runs files, so it is left out.",
  'migration-version-duplicate': 'Two migration files have the same version.',
  'migration-annotation-invalid': 'A goose or dbmate migration has no up section, or its annotations do not pair up.',
  'environment-unknown': 'The environment to read does not exist, or several exist and none was chosen.',
  'tenants-file-invalid': 'A line of tenants.txt is not a tenant slug, or lists a tenant twice.',
  'tenant-missing': 'A tenant listed in tenants.txt has no directory, or the tenant asked for is not active.',
  'tenant-inactive': "A tenant's migrations directory is not listed in tenants.txt, so it does not run.",
  'object-exists': 'A CREATE names an object that already exists at that point of the migrations.',
  'object-missing': 'A statement names an object that does not exist at that point of the migrations.',
  'column-exists': 'ALTER ... ADD COLUMN names a column the table already has.',
  'column-missing': 'ALTER names a column the table does not have.',
  'index-exists': 'ALTER ... ADD INDEX names an index the table already has.',
  'order-by-existing-column': 'MODIFY ORDER BY adds a column that already existed, which ClickHouse refuses.',
  'dependency-cycle': 'Objects depend on each other in a cycle.',
  'canonical-unreadable': 'The DDL a server stores for an object could not be read back.',
  'suppression-invalid': 'A clickplan-ignore comment names no rule, an unknown rule, or gives no reason.',
  'unused-suppression': 'A clickplan-ignore comment matches no finding.',
  'plan-unsupported': 'The plan cannot change an object in place and leaves it to a person.',
  'target-invalid': 'The target or connection settings cannot be used as given.',
  'target-unreachable': 'No ClickHouse answered at the target.',
  'target-auth-failed': 'The ClickHouse server refused the user or password.',
  'target-statement-failed': 'The target refused a statement or query.',
  'target-read-only': 'A statement was sent to a snapshot file, which cannot change.',
  'embedded-in-use': 'The embedded engine already has another data directory open in this process.',
  'snapshot-invalid': 'A snapshot file is not valid JSON or does not match the snapshot format.',
  'snapshot-format-unsupported': 'A snapshot file has another format version than this ClickPlan reads.',
  'live-object-unreadable': 'The definition of an object read from a target could not be parsed.',
  'live-gap': 'Part of the live schema could not be read from the target (old server, missing privilege).',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;
