import rule from './migration-out-of-order.js';
import type { AppliedMigration, MigrationFile } from './migrationHistory.js';
import { ruleTester } from './ruleTester.js';

const SQL = 'ALTER TABLE analytics.events ADD COLUMN IF NOT EXISTS country String;\n';

/** Migrations as loadProject reads them; the checksums play no part here. */
function migrations(entries: [file: string, version: string, extra?: Partial<MigrationFile>][]) {
  return {
    files: entries.map(([file]) => ({ file, text: SQL })),
    migrations: entries.map(([file, version, extra]): MigrationFile => ({ file, version, kind: 'versioned', checksum: 'c', phase: 'global', ...extra })),
  };
}

const applied = (file: string, version: string, extra: Partial<AppliedMigration> = {}): AppliedMigration => ({ file, version, checksum: 'c', ...extra });

const BASE = [applied('db/migration/V1__events.sql', '1'), applied('db/migration/V2__daily.sql', '2'), applied('db/migration/V4__sessions.sql', '4')];

ruleTester(rule, {
  // Nothing is known to be applied unless the base branch or the registry says so.
  valid: [SQL],
  invalid: [],
});

const OUT_OF_ORDER = migrations([
  ['db/migration/V1__events.sql', '1'],
  ['db/migration/V2__daily.sql', '2'],
  ['db/migration/V3__country.sql', '3'],
  ['db/migration/V4__sessions.sql', '4'],
  ['db/migration/V5__ttl.sql', '5'],
]);
const PARTS = migrations([
  ['V1.9__a.sql', '1.9'],
  ['V1.10__b.sql', '1.10'],
  ['V1.11__c.sql', '1.11'],
]);
const TENANTS = migrations([
  ['prod/global/V3__lookups.sql', '3'],
  ['prod/tenants/acme/bootstrap/V1__access.sql', '1', { tenant: 'acme', phase: 'bootstrap' }],
  ['prod/tenants/acme/schema/V2__daily.sql', '2', { tenant: 'acme', phase: 'schema' }],
  ['prod/tenants/globex/schema/V1__events.sql', '1', { tenant: 'globex', phase: 'schema' }],
]);
const REPEATABLE = migrations([
  ['db/migration/V1__create_events.sql', '1'],
  ['db/migration/R__views.sql', '0', { kind: 'repeatable' }],
]);

ruleTester(rule, {
  valid: [
    {
      name: 'leaves repeatable files, and applied migrations found by version, alone',
      files: REPEATABLE.files,
      project: { migrations: REPEATABLE.migrations, applied: BASE },
    },
  ],
  invalid: [
    {
      name: 'reports a new migration below the latest applied version, naming both',
      files: OUT_OF_ORDER.files,
      project: { migrations: OUT_OF_ORDER.migrations, applied: BASE },
      errors: [
        {
          messageId: 'outOfOrder',
          file: 'db/migration/V3__country.sql',
          line: 1,
          column: 1,
          endColumn: 70,
          message:
            '`db/migration/V3__country.sql` is new with version 3, but version 4 (`db/migration/V4__sessions.sql`) was already applied: Flyway refuses to migrate while it is pending (unless outOfOrder), goose refuses it (unless -allow-missing), golang-migrate never runs it, and dbmate runs it after 4, so servers get the changes in another order than a fresh install.',
          help: 'Rename it to a version above 4.',
        },
      ],
    },
    {
      name: 'compares versions as numbers, part by part',
      files: PARTS.files,
      project: { migrations: PARTS.migrations, applied: [applied('V1.10__b.sql', '1.10')] },
      errors: [{ messageId: 'outOfOrder', file: 'V1.9__a.sql', line: 1, column: 1 }],
    },
    {
      name: "keeps the global files and each tenant's phases apart",
      files: TENANTS.files,
      project: {
        migrations: TENANTS.migrations,
        applied: [applied('prod/global/V4__shared.sql', '4'), applied('prod/tenants/acme/schema/V3__plan.sql', '3', { tenant: 'acme', phase: 'schema' })],
      },
      errors: [
        { messageId: 'outOfOrder', file: 'prod/global/V3__lookups.sql', line: 1, column: 1 },
        { messageId: 'outOfOrder', file: 'prod/tenants/acme/schema/V2__daily.sql', line: 1, column: 1 },
      ],
    },
  ],
});
