import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CANONICAL_FORMAT } from '../packages/core/src/canon/canonical.js';
import { clickplan } from './support/clickplan.js';

const root = new URL('..', import.meta.url).pathname;

/** Runs the real `clickplan` entry the way a user's shell would. */
describe('the clickplan command', () => {
  it('runs through its launcher (what npm run clickplan and the demo use)', () => {
    const result = spawnSync(process.execPath, [join(root, 'packages/cli/bin/clickplan.js'), '--help'], { cwd: root, encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Usage: clickplan \[options\] \[command\]/);
    expect(result.stdout).toContain('\n  inspect [options] [path]');
    expect(result.stdout).toContain('\n  lint [options] [path]');
  });
});

describe('clickplan inspect', () => {
  it('prints the objects, dependencies and hashes of a repository as JSON', () => {
    const { code, stdout, stderr } = clickplan(['inspect', 'fixtures/quickstart', '--format', 'json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const document = JSON.parse(stdout);
    const objects = document.objects.map((o: { hash: string }) => ({ ...o, hash: o.hash.length }));
    expect({ ...document, objects }).toEqual({
      version: 1,
      canonical: { clickhouse: '26.7', format: CANONICAL_FORMAT },
      layout: { name: 'declarative', reason: 'schema/ is a schema directory: its 2 .sql files are the desired state', directory: 'fixtures/quickstart/schema' },
      objects: [
        {
          kind: 'database',
          name: 'analytics',
          file: 'fixtures/quickstart/schema/001_events.sql',
          range: { start: { line: 2, column: 1 }, end: { line: 2, column: 68 } },
          depends_on: [],
          to: null,
          hash: 64,
        },
        {
          kind: 'table',
          name: 'analytics.events',
          file: 'fixtures/quickstart/schema/001_events.sql',
          range: { start: { line: 4, column: 1 }, end: { line: 18, column: 34 } },
          depends_on: [],
          to: null,
          hash: 64,
        },
        {
          kind: 'table',
          name: 'analytics.events_daily',
          file: 'fixtures/quickstart/schema/001_events.sql',
          range: { start: { line: 20, column: 1 }, end: { line: 28, column: 22 } },
          depends_on: [],
          to: null,
          hash: 64,
        },
        {
          kind: 'materialized-view',
          name: 'analytics.events_daily_mv',
          file: 'fixtures/quickstart/schema/001_events.sql',
          range: { start: { line: 30, column: 1 }, end: { line: 37, column: 20 } },
          depends_on: [
            { name: 'analytics.events', kind: 'trigger' },
            { name: 'analytics.events_daily', kind: 'writes-to' },
          ],
          to: 'analytics.events_daily',
          hash: 64,
        },
        {
          kind: 'table',
          name: 'analytics.countries',
          file: 'fixtures/quickstart/schema/002_countries.sql',
          range: { start: { line: 1, column: 1 }, end: { line: 7, column: 14 } },
          depends_on: [],
          to: null,
          hash: 64,
        },
        {
          kind: 'dictionary',
          name: 'analytics.country_names',
          file: 'fixtures/quickstart/schema/002_countries.sql',
          range: { start: { line: 9, column: 1 }, end: { line: 17, column: 26 } },
          depends_on: [{ name: 'analytics.countries', kind: 'dictionary-source' }],
          to: null,
          hash: 64,
        },
        {
          kind: 'view',
          name: 'analytics.events_by_country',
          file: 'fixtures/quickstart/schema/002_countries.sql',
          range: { start: { line: 19, column: 1 }, end: { line: 22, column: 22 } },
          depends_on: [
            { name: 'analytics.events', kind: 'reads' },
            { name: 'analytics.country_names', kind: 'dict-get' },
          ],
          to: null,
          hash: 64,
        },
      ],
      creation_order: [
        'analytics',
        'analytics.events',
        'analytics.events_daily',
        'analytics.events_daily_mv',
        'analytics.countries',
        'analytics.country_names',
        'analytics.events_by_country',
      ],
      // Issue #13: the view's derived column list is compared because both its columns are inferred.
      type_inference: { views: 1, views_compared: 1, columns: 2, columns_inferred: 2, not_inferable: [] },
      diagnostics: [],
    });
  });

  it('reports a syntax error with file, line and what to do, and exits 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'clickplan-cli-'));
    writeFileSync(join(dir, 'V1__bad.sql'), 'CREATE TABLE t (\n  a UInt8\n  b String\n) ENGINE = Memory;\nCREATE TABLE ok (a UInt8) ENGINE = Memory;\n');
    const { code, stdout } = clickplan(['inspect', dir]);
    expect(code).toBe(2);
    // Outside the working directory, paths are shown absolute.
    const file = `${dir}/V1__bad.sql`;
    expect(stdout).toContain(
      `${file}:3:3: error syntax-error: Expected \`,\` or \`)\` after the column definition, but found \`b\`.\n  help: Fix the statement here; ClickHouse rejects it as written.`,
    );
    // Parsing resumed: the statement after the error is still modelled.
    expect(stdout).toContain('table default.ok');
  });

  it('says how many view columns it infers and which not, and why (issue #13)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'clickplan-cli-'));
    writeFileSync(
      join(dir, 'schema.sql'),
      'CREATE TABLE t (a UInt8, s String) ENGINE = MergeTree ORDER BY a;\nCREATE VIEW v AS SELECT a, lower(s) AS l, row_number() OVER () AS r FROM t;\n',
    );
    const text = clickplan('inspect', dir);
    expect([text.code, text.stderr]).toEqual([0, '']);
    expect(text.stdout).toContain(
      '\ntype inference: 2 of 3 view columns inferred (66.7%); column lists compared for 0 of 1 view\n  not inferable: default.v.r: window functions\n',
    );
    const json = JSON.parse(clickplan('inspect', dir, '--format', 'json').stdout);
    expect(json.type_inference).toEqual({
      views: 1,
      views_compared: 0,
      columns: 3,
      columns_inferred: 2,
      not_inferable: [{ object: 'default.v', column: 'r', reason: 'window functions' }],
    });
  });

  it('says which layout it read and why, and which SQL files that layout leaves out (text and JSON)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'clickplan-cli-'));
    mkdirSync(join(dir, 'migrations'));
    mkdirSync(join(dir, 'schema'));
    writeFileSync(join(dir, 'migrations/V1__events.sql'), 'CREATE TABLE events (a UInt8) ENGINE = MergeTree ORDER BY a;\n');
    writeFileSync(join(dir, 'schema.sql'), 'CREATE TABLE baseline (a UInt8) ENGINE = MergeTree ORDER BY a;\n');
    writeFileSync(join(dir, 'schema/events.sql'), 'CREATE TABLE events (a UInt8) ENGINE = MergeTree ORDER BY a;\n');
    const text = clickplan(['inspect', dir]);
    expect([text.code, text.stderr]).toEqual([0, '']);
    const help =
      "  help: Move the SQL into the layout's directory, or set `layout:` and `paths:` in clickplan.yaml to the directory that holds the schema; a dump kept for reference can live outside the project directory.";
    expect(text.stdout.replaceAll(dir, '<dir>').replace(/[0-9a-f]{12}\n/, '<hash>\n')).toBe(
      [
        'layout: flyway (found migrations/V1__events.sql)',
        '',
        'table default.events  (<dir>/migrations/V1__events.sql:1)  <hash>',
        '',
        '<dir>/schema.sql: warning sql-file-unread: <dir>/schema.sql is not read: the flyway layout reads only <dir>/migrations/.',
        help,
        '<dir>/schema/events.sql: warning sql-file-unread: <dir>/schema/ (1 .sql file) is not read: the flyway layout reads only <dir>/migrations/.',
        help,
        '',
        '1 object, 0 dependencies, 0 errors, 2 warnings',
        '',
      ].join('\n'),
    );
    const json = JSON.parse(clickplan(['inspect', dir, '--format', 'json']).stdout);
    expect(json.layout).toEqual({ name: 'flyway', reason: 'found migrations/V1__events.sql', directory: `${dir}/migrations` });
    expect(json.diagnostics.map((d: { code: string; file: string }) => [d.code, d.file])).toEqual([
      ['sql-file-unread', `${dir}/schema.sql`],
      ['sql-file-unread', `${dir}/schema/events.sql`],
    ]);
  });

  it('inspects the file it is given, even one the layout of its directory leaves out', () => {
    const dir = mkdtempSync(join(tmpdir(), 'clickplan-cli-'));
    mkdirSync(join(dir, 'migrations'));
    writeFileSync(join(dir, 'migrations/001_events.sql'), 'CREATE TABLE events (a UInt8) ENGINE = MergeTree ORDER BY a;\n');
    writeFileSync(join(dir, 'draft.sql'), 'CREATE TABLE draft (a UInt8) ENGINE = MergeTree ORDER BY a;\n');
    const json = JSON.parse(clickplan(['inspect', join(dir, 'draft.sql'), '--format', 'json']).stdout);
    expect([json.layout, json.objects.map((o: { name: string }) => o.name), json.diagnostics]).toEqual([
      {
        name: 'declarative',
        reason: `${dir}/draft.sql was named, and the numbered layout of ${dir}/migrations does not read it: read on its own`,
        directory: dir,
      },
      ['default.draft'],
      [],
    ]);
    const inLayout = JSON.parse(clickplan(['inspect', join(dir, 'migrations/001_events.sql'), '--format', 'json']).stdout);
    expect([inLayout.layout.name, inLayout.objects.map((o: { name: string }) => o.name)]).toEqual(['numbered', ['default.events']]);
  });

  it('refuses a path that does not exist, and unknown options, with exit 2', () => {
    const missing = clickplan(['inspect', 'no/such/dir']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(
      'no/such/dir: error path-not-found: `no/such/dir` does not exist.\n  help: Pass the directory that holds the migrations, or a single .sql file.\n',
    );
    const usage = clickplan(['inspect', '--format', 'yaml']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("option '--format <format>' argument 'yaml' is invalid. Allowed choices are json, text.");
  });
});
