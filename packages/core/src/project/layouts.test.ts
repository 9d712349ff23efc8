import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeFiles } from '../inspect/analyze.js';
import { loadProject } from './project.js';
import { fixture, renderDiagnostics, under, writeTree } from './projectTestSupport.js';

/** A project's migrations as `version kind file` lines, files relative to the project. */
function order(root: string) {
  const project = loadProject(root);
  return project.migrations.map((m) => `${m.version ?? '-'} ${m.kind} ${under(root, m.file)}`);
}

/** Diagnostics of loading a project and of analysing its files, as people read them. */
function problems(root: string, options: Parameters<typeof loadProject>[1] = {}) {
  const project = loadProject(root, options);
  const analysis = analyzeFiles(project.files);
  return renderDiagnostics(root, [...project.diagnostics, ...analysis.diagnostics], [...project.files, ...project.configFiles]);
}

describe('layout detection', () => {
  it.each([
    ['declarative', 'declarative', 'schema/ is a schema directory: its 3 .sql files are the desired state', 'schema'],
    ['flyway', 'flyway', 'found db/migration/V1__create_database.sql', 'db/migration'],
    ['environment', 'environment', 'found migrations/prod/global/ and migrations/prod/tenants.txt', 'migrations'],
    ['golang-migrate', 'golang-migrate', 'found migrations/1_create_events.up.sql', 'migrations'],
    ['goose', 'goose', 'found `-- +goose Up` in migrations/00001_create_events.sql', 'migrations'],
    ['dbmate', 'dbmate', 'found `-- migrate:up` in db/migrations/20240105093000_create_events.sql', 'db/migrations'],
    ['numbered', 'numbered', 'every .sql file in migrations/ starts with a number (001_create_database.sql)', 'migrations'],
  ])('detects fixtures/layouts/%s as %s and says why', (name, layout, reason, directory) => {
    const project = loadProject(fixture(name));
    expect({ name: project.layout.name, reason: project.layout.reason, directory: under(fixture(name), project.layout.directory) }).toEqual({
      name: layout,
      reason,
      directory,
    });
  });

  it('reads a directory without versioned names, or without a schema/ directory, as the desired state', () => {
    const root = writeTree({
      'tables.sql': 'CREATE TABLE t (a UInt8) ENGINE = Memory;',
      'views/v.sql': 'CREATE VIEW v AS SELECT a FROM t;',
      // The embedded engine's own metadata, and dependencies, are not the repository's schema.
      '.clickplan/embedded/metadata/default/t.sql': 'ATTACH TABLE _ UUID 1 (a UInt8) ENGINE = Memory',
      'node_modules/some-package/V1__x.sql': 'SELECT 1;',
    });
    expect(loadProject(root).layout).toEqual({
      name: 'declarative',
      reason: 'no versioned migrations in the project directory: its 2 .sql files are the desired state',
      directory: root,
    });
    expect(order(root)).toEqual(['- declarative tables.sql', '- declarative views/v.sql']);
    expect(loadProject(writeTree({ 'README.md': '' })).layout.reason).toBe('no .sql files found');
  });

  it('takes the layout and directory from clickplan.yaml over detection', () => {
    const root = writeTree({
      'clickplan.yaml': 'layout: numbered\npaths:\n  migrations: sql\n',
      'sql/1_a.sql': 'CREATE TABLE t (a UInt8) ENGINE = Memory;',
      'migrations/V1__a.sql': 'CREATE TABLE t (a UInt8) ENGINE = Memory;',
    });
    const project = loadProject(root);
    expect([project.layout.name, project.layout.reason, under(root, project.layout.directory)]).toEqual([
      'numbered',
      `\`layout: numbered\` in ${project.config.file}`,
      'sql',
    ]);
    expect(order(root)).toEqual(['1 versioned sql/1_a.sql']);
  });

  it('detects in the configured directory only', () => {
    const root = writeTree({
      'clickplan.yaml': 'paths:\n  migrations: clickhouse\n',
      'clickhouse/00001_a.sql': '-- +goose Up\nCREATE TABLE t (a UInt8) ENGINE = Memory;\n',
      'migrations/V1__a.sql': '',
    });
    expect(loadProject(root).layout.reason).toBe('found `-- +goose Up` in clickhouse/00001_a.sql');
  });
});

describe('migration order', () => {
  it('flyway: versions compared as numbers (1 < 1.1 < 1.2 < 2 < 2_1 < 10), repeatables last, undo files never', () => {
    expect(order(fixture('flyway'))).toEqual([
      '1 versioned db/migration/V1__create_database.sql',
      '1.1 versioned db/migration/V1.1__create_events.sql',
      '1.2 versioned db/migration/V1.2__add_country.sql',
      '2 versioned db/migration/V2__daily_rollup.sql',
      '2.1 versioned db/migration/V2_1__events_ttl.sql',
      '10 versioned db/migration/V10__create_sessions.sql',
      '- repeatable db/migration/R__views.sql',
    ]);
  });

  it('golang-migrate: up files by version, down files never', () => {
    expect(order(fixture('golang-migrate'))).toEqual([
      '1 versioned migrations/1_create_events.up.sql',
      '2 versioned migrations/2_daily_rollup.up.sql',
      '10 versioned migrations/10_create_sessions.up.sql',
    ]);
  });

  it('goose, dbmate and numbered: by version', () => {
    expect(order(fixture('goose'))).toEqual([
      '00001 versioned migrations/00001_create_events.sql',
      '00002 versioned migrations/00002_daily_rollup.sql',
      '00003 versioned migrations/00003_add_country.sql',
    ]);
    expect(order(fixture('dbmate'))).toEqual([
      '20240105093000 versioned db/migrations/20240105093000_create_events.sql',
      '20240106120000 versioned db/migrations/20240106120000_daily_rollup.sql',
      '20240110080000 versioned db/migrations/20240110080000_add_country.sql',
    ]);
    expect(order(fixture('numbered'))).toEqual([
      '001 versioned migrations/001_create_database.sql',
      '2 versioned migrations/2-create-events.sql',
      '003 versioned migrations/003_daily_rollup.sql',
      '10 versioned migrations/10_create_sessions.sql',
    ]);
  });

  it('dbmate: by file name as strings, as dbmate sorts them', () => {
    const root = writeTree({ 'db/migrations/2_b.sql': '-- migrate:up\n', 'db/migrations/10_a.sql': '-- migrate:up\n' });
    expect(order(root)).toEqual(['10 versioned db/migrations/10_a.sql', '2 versioned db/migrations/2_b.sql']);
  });

  it('declarative: every file, subdirectories included, in natural order', () => {
    expect(order(fixture('declarative'))).toEqual([
      '- declarative schema/01_database.sql',
      '- declarative schema/02_events.sql',
      '- declarative schema/10_daily.sql',
    ]);
  });

  it('describes each migration from its name, and checksums its exact bytes', () => {
    const project = loadProject(fixture('goose'));
    const bytes = readFileSync(join(fixture('goose'), 'migrations/00003_add_country.sql'));
    expect(project.migrations[2]).toEqual({
      version: '00003',
      description: 'add country',
      file: project.files[2].file,
      kind: 'versioned',
      phase: 'global',
      checksum: createHash('sha256').update(bytes).digest('hex'),
    });
    // The down section counts in the checksum: editing it edits the migration.
    expect(project.files[2].text).not.toBe(bytes.toString('utf8'));
  });

  it('reads one file of a project with its layout', () => {
    const file = join(fixture('goose'), 'migrations/00002_daily_rollup.sql');
    const project = loadProject(file);
    expect([project.layout.name, project.migrations.map((m) => under(fixture('goose'), m.file))]).toEqual(['goose', ['migrations/00002_daily_rollup.sql']]);
    expect(project.files[0].text).not.toContain('DROP');
  });

  it('reads a named file whole when the layout of its directory would leave it out', () => {
    const root = writeTree({
      'migrations/V1__a.sql': 'CREATE TABLE a (x UInt8) ENGINE = Memory;',
      'migrations/U1__a.sql': 'DROP TABLE a;',
      'extra.sql': 'CREATE TABLE extra (x UInt8) ENGINE = Memory;',
    });
    for (const named of ['extra.sql', 'migrations/U1__a.sql']) {
      const project = loadProject(join(root, named));
      expect({
        layout: project.layout.name,
        reason: project.layout.reason.replaceAll(root, '<root>'),
        files: project.files.map((f) => under(root, f.file)),
        migrations: project.migrations.map((m) => [m.kind, m.version]),
        diagnostics: project.diagnostics,
      }).toEqual({
        layout: 'declarative',
        reason: `<root>/${named} was named, and the flyway layout of <root>/migrations does not read it: read on its own`,
        files: [named],
        migrations: [['declarative', undefined]],
        diagnostics: [],
      });
    }
    expect(analyzeFiles(loadProject(join(root, 'extra.sql')).files).schema.objects.map((o) => o.id)).toEqual(['default.extra']);
  });
});

describe('SQL the layout leaves out', () => {
  it("warns once per file or directory outside the layout's directory: a schema.sql or schema/ beside migrations/", () => {
    const root = writeTree({
      'migrations/V1__a.sql': 'CREATE TABLE a (x UInt8) ENGINE = Memory;',
      'schema.sql': 'CREATE TABLE a (x UInt8) ENGINE = Memory;',
      'schema/a.sql': 'CREATE TABLE a (x UInt8) ENGINE = Memory;',
      'schema/views/b.sql': 'CREATE VIEW b AS SELECT 1;',
      '.clickplan/embedded/metadata/default/a.sql': 'ATTACH TABLE _ (x UInt8) ENGINE = Memory',
      'node_modules/p/V1__x.sql': 'SELECT 1;',
    });
    expect(loadProject(root).layout.name).toBe('flyway');
    expect(problems(root).map((p) => p.replaceAll(root, '<root>'))).toEqual([
      'schema.sql:1:1 warning sql-file-unread: <root>/schema.sql is not read: the flyway layout reads only <root>/migrations/.',
      'schema/a.sql:1:1 warning sql-file-unread: <root>/schema/ (2 .sql files) is not read: the flyway layout reads only <root>/migrations/.',
    ]);
  });

  it('has nothing to say when the layout reads the project directory, or only its files exist', () => {
    expect(problems(writeTree({ 'a.sql': 'CREATE TABLE a (x UInt8) ENGINE = Memory;', 'sub/b.sql': 'SELECT 1;' }))).toEqual([]);
    expect(problems(fixture('flyway'))).toEqual([]);
    expect(problems(writeTree({ 'schema/a.sql': 'CREATE TABLE a (x UInt8) ENGINE = Memory;' }))).toEqual([]);
  });
});

describe('misnamed files and duplicate versions', () => {
  it('leaves out files the tool would not run, with a warning, and refuses two files with one version', () => {
    const root = writeTree({
      'db/migration/V1__a.sql': 'SELECT 1;',
      'db/migration/V1.0__b.sql': 'SELECT 1;',
      'db/migration/V2_init.sql': 'SELECT 1;',
      'db/migration/notes.sql': 'SELECT 1;',
      'db/migration/README.md': '',
    });
    expect(order(root)).toEqual(['1 versioned db/migration/V1__a.sql', '1.0 versioned db/migration/V1.0__b.sql']);
    expect(problems(root)).toEqual([
      'db/migration/notes.sql:1:1 warning migration-name-invalid: `notes.sql` is not named V<version>__<description>.sql or R__<description>.sql, so Flyway would not run it and ClickPlan leaves it out.',
      'db/migration/V2_init.sql:1:1 warning migration-name-invalid: `V2_init.sql` is not named V<version>__<description>.sql or R__<description>.sql, so Flyway would not run it and ClickPlan leaves it out.',
      'db/migration/V1.0__b.sql:1:1 error migration-version-duplicate: `V1.0__b.sql` has version 1.0, as `V1__a.sql` has: Flyway refuses to run two migrations with one version, and the deploy registry could not tell them apart.',
    ]);
  });

  it('golang-migrate: a file without .up/.down is left out', () => {
    const root = writeTree({ 'migrations/1_a.up.sql': 'SELECT 1;', 'migrations/1_a.down.sql': 'SELECT 1;', 'migrations/2_b.sql': 'SELECT 1;' });
    expect(problems(root, {})).toEqual([
      'migrations/2_b.sql:1:1 warning migration-name-invalid: `2_b.sql` is not named <version>_<title>.up.sql (or .down.sql), so golang-migrate would not run it and ClickPlan leaves it out.',
    ]);
  });
});

describe('down sections', () => {
  it('blanks everything but the up sections, keeping every offset and line', () => {
    const project = loadProject(fixture('goose'));
    const raw = readFileSync(join(fixture('goose'), 'migrations/00003_add_country.sql'), 'utf8');
    expect(project.files[2].text).toBe(
      `-- +goose Up
ALTER TABLE analytics.events ADD COLUMN country LowCardinality(String) DEFAULT 'unknown' AFTER event;

${' '.repeat('-- +goose Down'.length)}
${' '.repeat('ALTER TABLE analytics.events DROP COLUMN country;'.length)}
`,
    );
    expect(project.files[2].text.length).toBe(raw.length);
  });

  it('leaves down sections out of the desired state', () => {
    for (const name of ['goose', 'dbmate']) {
      const analysis = analyzeFiles(loadProject(fixture(name)).files);
      expect(analysis.diagnostics).toEqual([]);
      expect(analysis.schema.objects.map((o) => o.id)).toEqual(['analytics', 'analytics.events', 'analytics.events_daily', 'analytics.events_daily_mv']);
    }
  });

  it('reports a problem in an up section after a down section at its real line (dbmate, two sections)', () => {
    const root = writeTree({
      'db/migrations/20240106120000_daily.sql': `-- migrate:up
CREATE TABLE analytics.daily (day Date, n UInt64) ENGINE = SummingMergeTree ORDER BY day;

-- migrate:down
DROP TABLE analytics.daily;
this is not SQL, but it is down, so nobody parses it;

-- migrate:up transaction:false
CREATE MATERIALIZED VIEW analytics.daily_mv TO analytics.daily AS
SELECT toDate(ts) AS day, count() AS n FROM analytics.events GROUP BY day;
ALTER TABLE analytics.missing ADD COLUMN x UInt8;

-- migrate:down
DROP VIEW analytics.daily_mv;
`,
    });
    expect(problems(root)).toEqual([
      'db/migrations/20240106120000_daily.sql:11:13 error object-missing: ALTER of `analytics.missing`, which does not exist at this point of the migrations: ClickHouse refuses it.',
    ]);
  });

  it('reports a syntax error in an up section at its real line (goose, CRLF line ends)', () => {
    const root = writeTree({
      'migrations/00001_a.sql': [
        '-- +goose Up',
        '-- +goose StatementBegin',
        'CREATE TABLE t (a UInt8) ENGINE = Memory;',
        '-- +goose StatementEnd',
        'CREATE TABLE u (a UInt8 ENGINE = Memory;',
        '-- +goose Down',
        'this is not SQL, but it is down, so nobody parses it;',
        '',
      ].join('\r\n'),
    });
    expect(problems(root)).toEqual(['migrations/00001_a.sql:5:16 error syntax-error: This `(` is never closed.']);
  });

  it('reports annotations that do not pair up, and statements outside a section', () => {
    const root = writeTree({
      // 00001 has no annotation at all, so detection would not say goose.
      'clickplan.yaml': 'layout: goose\n',
      'migrations/00001_a.sql': 'CREATE TABLE t (a UInt8) ENGINE = Memory;\n',
      'migrations/00002_b.sql': '-- +goose Up\n-- +goose StatementBegin\nCREATE TABLE u (a UInt8) ENGINE = Memory;\n-- +goose Down\nDROP TABLE u;\n',
      'migrations/00003_c.sql': '-- +goose up\n-- +goose StatementEnd\nSELECT 1;\n-- +goose Up\n',
      'migrations/00004_d.sql': '-- +goose Down\nDROP TABLE v;\n-- +goose Up\nCREATE TABLE v (a UInt8) ENGINE = Memory;\n',
    });
    expect(problems(root)).toEqual([
      'migrations/00001_a.sql:1:1 error migration-annotation-invalid: This line comes before `-- +goose Up`: goose refuses statements outside a section, and ClickPlan leaves it out.',
      'migrations/00001_a.sql:1:1 error migration-annotation-invalid: The file has no `-- +goose Up` line: goose refuses it, and nothing in it is part of the desired state.',
      'migrations/00002_b.sql:2:1 error migration-annotation-invalid: This StatementBegin has no StatementEnd before the section ends.',
      'migrations/00003_c.sql:2:1 error migration-annotation-invalid: StatementEnd without a StatementBegin.',
      'migrations/00003_c.sql:4:1 error migration-annotation-invalid: A second `-- +goose Up`: goose allows one up section a file and refuses this one.',
      'migrations/00004_d.sql:1:1 error migration-annotation-invalid: `-- +goose Down` comes before `-- +goose Up`: goose refuses the file.',
    ]);
    // What follows the late Up is still read, at its own line.
    expect(loadProject(root).files[3].text).toBe(`${' '.repeat(14)}\n${' '.repeat(13)}\n-- +goose Up\nCREATE TABLE v (a UInt8) ENGINE = Memory;\n`);
  });

  it('dbmate: only comments may come before the first section', () => {
    const root = writeTree({
      'db/migrations/1_a.sql': '-- setup\nCREATE DATABASE analytics;\n-- migrate:up\nCREATE TABLE analytics.t (a UInt8) ENGINE = Memory;\n',
    });
    expect(problems(root)).toEqual([
      'db/migrations/1_a.sql:2:1 error migration-annotation-invalid: This line comes before `-- migrate:up`: dbmate refuses statements outside a section, and ClickPlan leaves it out.',
    ]);
    // The statement is left out of the desired state, as dbmate would never run it.
    expect(analyzeFiles(loadProject(root).files).schema.objects.map((o) => o.id)).toEqual(['analytics.t']);
  });
});
