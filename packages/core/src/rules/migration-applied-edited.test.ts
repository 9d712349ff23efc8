import { createHash } from 'node:crypto';
import rule from './migration-applied-edited.js';
import type { AppliedMigration, MigrationFile } from './migrationHistory.js';
import { ruleTester } from './ruleTester.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const V1 = `-- Raw events as the collector writes them.
CREATE TABLE IF NOT EXISTS analytics.events (ts DateTime, user_id UInt64) ENGINE = MergeTree ORDER BY ts;
`;
const V1_EDITED = `-- Raw events as the collector writes them.
CREATE TABLE IF NOT EXISTS analytics.events (ts DateTime, user_id UInt64, country String) ENGINE = MergeTree ORDER BY ts;
`;
const V2 = 'ALTER TABLE analytics.events ADD COLUMN IF NOT EXISTS country String;\n';

/** A project as loadProject reads it: each file with its kind, version and checksum. */
function project(files: { file: string; text: string; version?: string; kind?: MigrationFile['kind']; tenant?: string; phase?: MigrationFile['phase'] }[]) {
  return {
    files: files.map(({ file, text }) => ({ file, text })),
    migrations: files.map(({ file, text, version, kind = 'versioned', tenant, phase = 'global' }) => ({
      file,
      kind,
      checksum: sha256(text),
      phase,
      ...(version ? { version } : {}),
      ...(tenant ? { tenant } : {}),
    })),
  };
}

const applied = (file: string, text: string, version?: string, extra: Partial<AppliedMigration> = {}): AppliedMigration => ({
  file,
  checksum: sha256(text),
  ...(version ? { version } : {}),
  ...extra,
});

ruleTester(rule, {
  // Nothing is known to be applied unless the base branch or the registry says so.
  valid: [V1_EDITED],
  invalid: [],
});

const EDITED = project([
  { file: 'db/migration/V1__events.sql', text: V1_EDITED, version: '1' },
  { file: 'db/migration/V2__country.sql', text: V2, version: '2' },
]);
const UNCHANGED = project([
  { file: 'db/migration/V1__events.sql', text: V1, version: '1' },
  { file: 'db/migration/V2__country.sql', text: V2, version: '2' },
]);
const CRLF = project([{ file: 'V1__events.sql', text: V1.replace(/\n/g, '\r\n'), version: '1' }]);
const RENAMED = project([{ file: 'db/migration/V1__create_events.sql', text: V1_EDITED, version: '1.0' }]);
const RENAMED_UNTOUCHED = project([{ file: 'db/migration/V1__create_events.sql', text: V1, version: '1' }]);
const RENAMED_BASE = [applied('db/migration/V1__events.sql', V1, '1')];
const REPEATABLE = project([
  { file: 'db/migration/R__views.sql', text: V1_EDITED, kind: 'repeatable' },
  { file: 'schema/events.sql', text: V1_EDITED, kind: 'declarative' },
]);
const TENANTS = project([
  { file: 'prod/tenants/acme/schema/V1__events.sql', text: V1, version: '1', tenant: 'acme', phase: 'schema' },
  { file: 'prod/tenants/globex/schema/V1__events.sql', text: V1_EDITED, version: '1', tenant: 'globex', phase: 'schema' },
]);

ruleTester(rule, {
  valid: [
    {
      name: 'accepts applied migrations left as they were, and new ones',
      files: UNCHANGED.files,
      project: { migrations: UNCHANGED.migrations, applied: [applied('db/migration/V1__events.sql', V1, '1')] },
    },
    {
      name: 'follows a renamed file by its version: untouched',
      files: RENAMED_UNTOUCHED.files,
      project: { migrations: RENAMED_UNTOUCHED.migrations, applied: RENAMED_BASE },
    },
    {
      name: 'leaves repeatable and declarative files alone: changing them is how they work',
      files: REPEATABLE.files,
      project: { migrations: REPEATABLE.migrations, applied: [applied('db/migration/R__views.sql', V1), applied('schema/events.sql', V1)] },
    },
    {
      name: 'hashes the text of each file when the project gives no checksums: unchanged',
      files: [{ file: 'V1__events.sql', text: V1 }],
      project: { applied: [applied('V1__events.sql', V1)] },
    },
  ],
  invalid: [
    {
      name: 'reports an applied migration whose bytes changed, at its first statement, with both checksums',
      files: EDITED.files,
      project: { migrations: EDITED.migrations, applied: [applied('db/migration/V1__events.sql', V1, '1')] },
      errors: [
        {
          messageId: 'edited',
          file: 'db/migration/V1__events.sql',
          line: 2,
          column: 1,
          endColumn: 122,
          message: `\`db/migration/V1__events.sql\` was already applied with checksum ${sha256(V1).slice(0, 12)} and has been edited since (checksum ${sha256(V1_EDITED).slice(0, 12)}): servers that ran it never run it again, so they never get the edit, and a deploy stops before running anything while an applied migration differs from what was applied.`,
          help: 'Revert the edit (restore the file as applied) and make the change in a new migration with the next version.',
        },
      ],
    },
    {
      name: 'counts every byte: a changed line ending is an edit, as the registry sees it',
      files: CRLF.files,
      project: { migrations: CRLF.migrations, applied: [applied('V1__events.sql', V1, '1')] },
      errors: [{ messageId: 'edited', line: 2, column: 1 }],
    },
    {
      name: 'follows a renamed file by its version',
      files: RENAMED.files,
      project: { migrations: RENAMED.migrations, applied: RENAMED_BASE },
      errors: [{ messageId: 'edited', file: 'db/migration/V1__create_events.sql', line: 2, column: 1 }],
    },
    {
      name: "keeps each tenant's versions apart in the environment layout",
      files: TENANTS.files,
      project: {
        migrations: TENANTS.migrations,
        applied: [
          applied('prod/tenants/acme/schema/V1__events.sql', V1, '1', { tenant: 'acme', phase: 'schema' }),
          applied('prod/tenants/globex/schema/V1__events.sql', V1, '1', { tenant: 'globex', phase: 'schema' }),
        ],
      },
      errors: [{ messageId: 'edited', file: 'prod/tenants/globex/schema/V1__events.sql', line: 2, column: 1 }],
    },
    {
      name: 'hashes the text of each file when the project gives no checksums',
      files: [{ file: 'V1__events.sql', text: V1_EDITED }],
      project: { applied: [applied('V1__events.sql', V1)] },
      errors: [{ messageId: 'edited', line: 2, column: 1 }],
    },
  ],
});
