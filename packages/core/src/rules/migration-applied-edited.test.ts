import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import rule from './migration-applied-edited.js';
import type { AppliedMigration, MigrationFile } from './migrationHistory.js';
import { ruleTester } from './ruleTester.js';
import { findingsWith } from './ruleTestSupport.js';

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

describe('migration-applied-edited', () => {
  it('reports an applied migration whose bytes changed, at its first statement, with both checksums', () => {
    const { files, migrations } = project([
      { file: 'db/migration/V1__events.sql', text: V1_EDITED, version: '1' },
      { file: 'db/migration/V2__country.sql', text: V2, version: '2' },
    ]);
    const findings = findingsWith(rule, files, { migrations, applied: [applied('db/migration/V1__events.sql', V1, '1')] });
    expect(findings.map(({ file, line, column, endColumn }) => ({ file, line, column, endColumn }))).toEqual([
      { file: 'db/migration/V1__events.sql', line: 2, column: 1, endColumn: 122 },
    ]);
    expect([findings[0].message, findings[0].help]).toEqual([
      `\`db/migration/V1__events.sql\` was already applied with checksum ${sha256(V1).slice(0, 12)} and has been edited since (checksum ${sha256(V1_EDITED).slice(0, 12)}): servers that ran it never run it again, so they never get the edit, and a deploy stops before running anything while an applied migration differs from what was applied.`,
      'Revert the edit (restore the file as applied) and make the change in a new migration with the next version.',
    ]);
  });

  it('accepts applied migrations left as they were, and new ones', () => {
    const { files, migrations } = project([
      { file: 'db/migration/V1__events.sql', text: V1, version: '1' },
      { file: 'db/migration/V2__country.sql', text: V2, version: '2' },
    ]);
    expect(findingsWith(rule, files, { migrations, applied: [applied('db/migration/V1__events.sql', V1, '1')] })).toEqual([]);
  });

  it('counts every byte: a changed line ending is an edit, as the registry sees it', () => {
    const { files, migrations } = project([{ file: 'V1__events.sql', text: V1.replace(/\n/g, '\r\n'), version: '1' }]);
    expect(findingsWith(rule, files, { migrations, applied: [applied('V1__events.sql', V1, '1')] }).map((f) => f.line)).toEqual([2]);
  });

  it('follows a renamed file by its version', () => {
    const renamed = project([{ file: 'db/migration/V1__create_events.sql', text: V1_EDITED, version: '1.0' }]);
    const base = [applied('db/migration/V1__events.sql', V1, '1')];
    expect(findingsWith(rule, renamed.files, { migrations: renamed.migrations, applied: base }).map((f) => f.file)).toEqual([
      'db/migration/V1__create_events.sql',
    ]);
    const untouched = project([{ file: 'db/migration/V1__create_events.sql', text: V1, version: '1' }]);
    expect(findingsWith(rule, untouched.files, { migrations: untouched.migrations, applied: base })).toEqual([]);
  });

  it('leaves repeatable and declarative files alone: changing them is how they work', () => {
    const { files, migrations } = project([
      { file: 'db/migration/R__views.sql', text: V1_EDITED, kind: 'repeatable' },
      { file: 'schema/events.sql', text: V1_EDITED, kind: 'declarative' },
    ]);
    const base = [applied('db/migration/R__views.sql', V1), applied('schema/events.sql', V1)];
    expect(findingsWith(rule, files, { migrations, applied: base })).toEqual([]);
  });

  it("keeps each tenant's versions apart in the environment layout", () => {
    const { files, migrations } = project([
      { file: 'prod/tenants/acme/schema/V1__events.sql', text: V1, version: '1', tenant: 'acme', phase: 'schema' },
      { file: 'prod/tenants/globex/schema/V1__events.sql', text: V1_EDITED, version: '1', tenant: 'globex', phase: 'schema' },
    ]);
    const base = [
      applied('prod/tenants/acme/schema/V1__events.sql', V1, '1', { tenant: 'acme', phase: 'schema' }),
      applied('prod/tenants/globex/schema/V1__events.sql', V1, '1', { tenant: 'globex', phase: 'schema' }),
    ];
    expect(findingsWith(rule, files, { migrations, applied: base }).map((f) => f.file)).toEqual(['prod/tenants/globex/schema/V1__events.sql']);
  });

  it('hashes the text of each file when the project gives no checksums', () => {
    const files = [{ file: 'V1__events.sql', text: V1_EDITED }];
    expect(findingsWith(rule, files, { applied: [applied('V1__events.sql', V1)] }).map((f) => f.line)).toEqual([2]);
    expect(findingsWith(rule, [{ file: 'V1__events.sql', text: V1 }], { applied: [applied('V1__events.sql', V1)] })).toEqual([]);
  });
});
