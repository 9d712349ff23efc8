import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../packages/cli/src/cli.js';
import { clickplan } from './support/clickplan.js';

const root = new URL('..', import.meta.url).pathname;
const require = createRequire(import.meta.url);

function repository(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'clickplan-lint-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const BAD = {
  'V1__init.sql': `CREATE DATABASE app;
CREATE TABLE app.events (id UInt64, user Nullable(String)) ENGINE = MergeTree ORDER BY (user, id);
CREATE MATERIALIZED VIEW app.events_mv ENGINE = MergeTree ORDER BY id POPULATE AS SELECT id FROM app.events;
`,
  'V2__cleanup.sql': `-- clickplan-ignore destructive-statement: the table was never used
DROP TABLE app.events_mv;
-- clickplan-ignore mutation-in-migration
ALTER TABLE app.events DELETE WHERE id = 0;
`,
};

/** The official SARIF 2.1.0 schema's validator. */
function sarifValidator(): ((log: unknown) => boolean) & { errors?: unknown[] } {
  const schema = JSON.parse(readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
  // The schema is JSON Schema draft-04, and one of its patterns is not valid in Unicode regex mode.
  const Ajv = require('ajv-draft-04');
  const addFormats = require('ajv-formats');
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(schema);
}

describe('clickplan lint', () => {
  it('finds nothing in the realistic fixture repositories (false positives are the enemy)', () => {
    for (const path of ['fixtures/quickstart', 'fixtures/repos/events-pipeline', 'fixtures/repos/normalizations', 'fixtures/repos/sharded-cluster']) {
      const { code, stdout } = clickplan(['lint', path, '--fail-on', 'info']);
      expect(stdout.trim().split('\n').at(-1)).toMatch(/^0 errors, 0 warnings, 0 notes in \d+ files$/);
      expect(code).toBe(0);
    }
  });

  it('finds nothing at warning or above in the multi-tenant environment layout; with qualifiedNames, only the global file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'clickplan-lint-tenants-'));
    cpSync(join(root, 'fixtures/layouts/environment'), dir, { recursive: true });
    const findings = () => {
      const { code, stdout } = clickplan(['lint', dir, '--format', 'json', '--fail-on', 'warning']);
      const counts: Record<string, number> = {};
      for (const d of JSON.parse(stdout).diagnostics as { code: string; severity: string; file: string }[]) {
        const key = d.severity === 'info' ? `info ${d.code}` : `${d.severity} ${d.code} ${d.file.slice(dir.length + 1)}`;
        counts[key] = (counts[key] ?? 0) + 1;
      }
      return { code, counts };
    };
    // Notes only: the CREATEs have no IF NOT EXISTS.
    expect(findings()).toEqual({ code: 0, counts: { 'info ddl-not-idempotent': 9 } });
    // The tenants' files are unqualified on purpose (each runs in its tenant's database); the global file is not exempt.
    writeFileSync(join(dir, 'clickplan.yaml'), `${readFileSync(join(dir, 'clickplan.yaml'), 'utf8')}qualifiedNames: true\n`);
    expect(findings()).toEqual({
      code: 1,
      counts: { 'info ddl-not-idempotent': 9, 'warning unqualified-name migrations/prod/global/V2__countries.sql': 1 },
    });
  });

  it('reports findings with rule ids, applies suppressions, and exits 1', () => {
    const dir = repository(BAD);
    const { code, stdout } = clickplan(['lint', dir, '--format', 'json']);
    expect(code).toBe(1);
    const findings = JSON.parse(stdout).diagnostics.map(
      (d: { file: string; line: number; code: string; severity: string }) => `${d.file.split('/').pop()}:${d.line} ${d.severity} ${d.code}`,
    );
    expect(findings).toEqual([
      // CREATE and DROP without IF [NOT] EXISTS are notes: they cannot run twice.
      'V1__init.sql:1 info ddl-not-idempotent',
      'V1__init.sql:2 info ddl-not-idempotent',
      'V1__init.sql:2 error nullable-sorting-key',
      'V1__init.sql:3 info ddl-not-idempotent',
      'V1__init.sql:3 warning mv-implicit-inner-table',
      'V1__init.sql:3 error mv-populate',
      'V2__cleanup.sql:2 info ddl-not-idempotent',
      // A suppression without a reason suppresses nothing and is itself an error.
      'V2__cleanup.sql:3 error suppression-invalid',
      'V2__cleanup.sql:4 warning mutation-in-migration',
    ]);
  });

  it('the sharded cluster fixture is quiet because it is right: one statement without ON CLUSTER is found', () => {
    const dir = mkdtempSync(join(tmpdir(), 'clickplan-lint-cluster-'));
    cpSync(join(root, 'fixtures/repos/sharded-cluster'), dir, { recursive: true });
    const v3 = join(dir, 'migrations/V3__country.sql');
    writeFileSync(v3, readFileSync(v3, 'utf8').replace('ALTER TABLE analytics.events ON CLUSTER main', 'ALTER TABLE analytics.events'));
    const { code, stdout } = clickplan(['lint', dir, '--format', 'json']);
    expect(JSON.parse(stdout).diagnostics.map((d: { code: string; line: number }) => `${d.line} ${d.code}`)).toEqual(['4 on-cluster-missing']);
    expect(code).toBe(1);
  });

  it('takes rule severities and failOn from clickplan.yaml, and flags still win', () => {
    const dir = repository({
      'V1.sql': 'CREATE TABLE t (a UInt8) ENGINE = MergeTree ORDER BY a;\nALTER TABLE t UPDATE a = 1 WHERE a = 0;\n',
      'clickplan.yaml': 'rules:\n  mutation-in-migration: error\n',
    });
    const json = clickplan(['lint', dir, '--format', 'json']);
    expect(JSON.parse(json.stdout).diagnostics.map((d: { code: string; severity: string }) => `${d.severity} ${d.code}`)).toEqual([
      'error mutation-in-migration',
    ]);
    expect(json.code).toBe(1);
    writeFileSync(join(dir, 'clickplan.yaml'), 'rules:\n  mutation-in-migration: off\nfailOn: info\n');
    expect(clickplan(['lint', dir]).stdout).toMatch(/^0 errors, 0 warnings, 0 notes/);
    writeFileSync(join(dir, 'clickplan.yaml'), 'failOn: warning\n');
    expect(clickplan(['lint', dir]).code).toBe(1);
    expect(clickplan(['lint', dir, '--fail-on', 'error']).code).toBe(0);
    writeFileSync(join(dir, 'clickplan.yaml'), 'rules:\n  no-such-rule: off\n');
    const bad = clickplan(['lint', dir]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/clickplan\.yaml:2:3: error config-invalid: .*no-such-rule/);
  });

  it('takes rule options from clickplan.yaml, checked against the rule; a bad option exits 2 at its line', () => {
    const dir = repository({
      'V1.sql': 'CREATE TABLE t (a UInt8) ENGINE = MergeTree ORDER BY a;\nUPDATE t SET a = 1 WHERE a = 0;\nALTER TABLE t UPDATE a = 1 WHERE a = 0;\n',
    });
    const codes = () =>
      JSON.parse(clickplan(['lint', dir, '--format', 'json']).stdout).diagnostics.map((d: { line: number; code: string }) => `${d.line} ${d.code}`);
    expect(codes()).toEqual(['2 mutation-in-migration', '3 mutation-in-migration']);
    writeFileSync(join(dir, 'clickplan.yaml'), 'rules:\n  mutation-in-migration:\n    severity: error\n    options:\n      lightweightUpdates: false\n');
    expect(codes()).toEqual(['3 mutation-in-migration']);
    writeFileSync(join(dir, 'clickplan.yaml'), 'rules:\n  mutation-in-migration:\n    options:\n      lightweightUpdates: no thanks\n');
    const bad = clickplan(['lint', dir]);
    expect([bad.code, bad.stdout]).toEqual([2, '']);
    expect(bad.stderr).toContain('clickplan.yaml:4:7: error config-invalid: `mutation-in-migration` option `lightweightUpdates` must be true or false.');
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });

  it('colours severities on a terminal only, and never with NO_COLOR', async () => {
    const dir = repository({ 'V1.sql': 'CREATE TABLE t (a UInt8) ENGINE = MergeTree ORDER BY a;\nALTER TABLE t UPDATE a = 1 WHERE a = 0;\n' });
    const output = async (isTerminal: boolean, env: Record<string, string>) => {
      let text = '';
      await run(['lint', dir], { stdout: (t) => (text += t), stderr: () => {}, isTerminal, env });
      return text;
    };
    expect(await output(true, {})).toContain('\u001b[33mwarning\u001b[0m');
    expect(await output(true, { NO_COLOR: '1' })).not.toContain('\u001b[');
    expect(await output(false, {})).not.toContain('\u001b[');
    expect(clickplan(['lint', dir]).stdout).not.toContain('\u001b[');
  });

  it('fails on warnings with --fail-on warning, and not on them by default', () => {
    const dir = repository({ 'V1.sql': 'CREATE TABLE t (a UInt8) ENGINE = MergeTree ORDER BY a;\nALTER TABLE t UPDATE a = 1 WHERE a = 0;\n' });
    expect(clickplan(['lint', dir]).code).toBe(0);
    expect(clickplan(['lint', dir, '--fail-on', 'warning']).code).toBe(1);
  });

  it('takes the migrations of --base as applied: edits to them and new lower versions are findings', () => {
    const base = repository({
      'db/migration/V1__events.sql': 'CREATE TABLE IF NOT EXISTS app.events (ts DateTime, user_id UInt64) ENGINE = MergeTree ORDER BY ts;\n',
      'db/migration/V2__country.sql': 'ALTER TABLE app.events ADD COLUMN IF NOT EXISTS country String;\n',
      'db/migration/R__views.sql': 'CREATE OR REPLACE VIEW app.recent AS SELECT * FROM app.events;\n',
    });
    const head = mkdtempSync(join(tmpdir(), 'clickplan-lint-head-'));
    cpSync(base, head, { recursive: true });
    // An applied migration edited (one byte: a line ending), a repeatable one changed, and a new version below an applied one.
    writeFileSync(join(head, 'db/migration/V1__events.sql'), readFileSync(join(base, 'db/migration/V1__events.sql'), 'utf8').replace('\n', '\r\n'));
    writeFileSync(join(head, 'db/migration/R__views.sql'), 'CREATE OR REPLACE VIEW app.recent AS SELECT * FROM app.events WHERE ts > now() - 3600;\n');
    writeFileSync(join(head, 'db/migration/V1_5__device.sql'), 'ALTER TABLE app.events ADD COLUMN IF NOT EXISTS device String;\n');
    const { code, stdout } = clickplan(['lint', head, '--base', base, '--format', 'json']);
    const findings = JSON.parse(stdout).diagnostics.map(
      (d: { file: string; line: number; code: string; severity: string }) => `${d.file.split('/').pop()}:${d.line} ${d.severity} ${d.code}`,
    );
    expect(findings).toEqual(['V1__events.sql:1 error migration-applied-edited', 'V1_5__device.sql:1 warning migration-out-of-order']);
    expect(code).toBe(1);
    expect(JSON.parse(clickplan(['lint', head, '--format', 'json']).stdout).diagnostics).toEqual([]);
    // The base is what was deployed: it must be readable.
    const missing = clickplan(['lint', head, '--base', join(base, 'nowhere')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('the base repository');
  });

  it("takes what a target's deploy registry records as applied with --target", () => {
    const repo = repository({
      'db/migration/V1__events.sql':
        'CREATE DATABASE IF NOT EXISTS app;\nCREATE TABLE IF NOT EXISTS app.events (ts DateTime) ENGINE = MergeTree ORDER BY ts;\n',
    });
    const target = `embedded:${join(repo, '.engine')}`;
    expect(clickplan(['lint', repo, '--target', target, '--format', 'json']).code).toBe(0); // no registry yet: nothing applied
    expect(clickplan(['apply', repo, '--target', target]).code).toBe(0);
    writeFileSync(
      join(repo, 'db/migration/V1__events.sql'),
      'CREATE DATABASE IF NOT EXISTS app;\nCREATE TABLE IF NOT EXISTS app.events (ts DateTime, id UInt64) ENGINE = MergeTree ORDER BY ts;\n',
    );
    const { code, stdout } = clickplan(['lint', repo, '--target', target, '--format', 'json']);
    expect(JSON.parse(stdout).diagnostics.map((d: { line: number; code: string }) => `${d.line} ${d.code}`)).toEqual(['1 migration-applied-edited']);
    expect(code).toBe(1);
  });

  it('exempts declarative layouts from --base: editing the schema file is the change', () => {
    const base = repository({ 'schema/events.sql': 'CREATE TABLE app.events (ts DateTime) ENGINE = MergeTree ORDER BY ts;\n' });
    const head = repository({ 'schema/events.sql': 'CREATE TABLE app.events (ts DateTime, user_id UInt64) ENGINE = MergeTree ORDER BY ts;\n' });
    const { code, stdout } = clickplan(['lint', head, '--base', base, '--fail-on', 'info']);
    expect(stdout).toBe('0 errors, 0 warnings, 0 notes in 1 file\n');
    expect(code).toBe(0);
  });

  it('reports unqualified names only when clickplan.yaml sets qualifiedNames', () => {
    const files = { 'schema/events.sql': 'CREATE TABLE events (ts DateTime) ENGINE = MergeTree ORDER BY ts;\n' };
    expect(clickplan(['lint', repository(files)]).stdout).toBe('0 errors, 0 warnings, 0 notes in 1 file\n');
    const { stdout } = clickplan(['lint', repository({ ...files, 'clickplan.yaml': 'qualifiedNames: true\ndatabase: analytics\n' }), '--format', 'json']);
    expect(JSON.parse(stdout).diagnostics.map((d: { line: number; column: number; code: string; help: string }) => [d.line, d.column, d.code, d.help])).toEqual(
      [[1, 14, 'unqualified-name', 'Write `analytics.events`.']],
    );
  });

  it('writes SARIF 2.1.0 that validates against the official schema', () => {
    const dir = repository(BAD);
    const { stdout } = clickplan(['lint', dir, '--format', 'sarif']);
    const validate = sarifValidator();
    const log = JSON.parse(stdout);
    expect(validate(log), JSON.stringify(validate.errors?.slice(0, 5))).toBe(true);
    const run = log.runs[0];
    expect(run.tool.driver.name).toBe('ClickPlan');
    expect(run.results.map((r: { ruleId: string; level: string }) => `${r.ruleId} ${r.level}`)).toEqual([
      'ddl-not-idempotent note',
      'ddl-not-idempotent note',
      'nullable-sorting-key error',
      'ddl-not-idempotent note',
      'mv-implicit-inner-table warning',
      'mv-populate error',
      'ddl-not-idempotent note',
      'suppression-invalid error',
      'mutation-in-migration warning',
    ]);
    const populate = run.results[5];
    expect(populate.locations[0].physicalLocation.region).toEqual({ startLine: 3, startColumn: 26, endLine: 3, endColumn: 39 });
    expect(run.tool.driver.rules[populate.ruleIndex].id).toBe('mv-populate');
    // Every rule links its page by an absolute URL, under CLICKPLAN_DOCS_URL when it is set.
    const base = 'https://github.com/clickplan/clickplan/blob/main/docs';
    expect(run.tool.driver.rules.filter((r: { id: string; helpUri: string }) => !r.helpUri.startsWith(`${base}/`))).toEqual([]);
    expect(run.tool.driver.rules[populate.ruleIndex]).toMatchObject({
      helpUri: `${base}/rules/mv-populate.md`,
      help: { text: `See ${base}/rules/mv-populate.md.` },
    });
    const moved = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'packages/cli/src/main.ts'), 'lint', dir, '--format', 'sarif'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, CLICKPLAN_DOCS_URL: 'https://docs.example/clickplan/v0.1/' },
    });

    const movedRule = JSON.parse(moved.stdout).runs[0].tool.driver.rules.find((r: { id: string }) => r.id === 'suppression-invalid');
    expect(movedRule.helpUri).toBe('https://docs.example/clickplan/v0.1/errors/suppression-invalid.md');
  });

  it('carries the fixes findings offer in SARIF, as replacements that turn the file into the fixed text', () => {
    const dir = repository(BAD);
    const { stdout } = clickplan(['lint', dir, '--format', 'sarif']);
    const validate = sarifValidator();
    const log = JSON.parse(stdout);
    expect(validate(log), JSON.stringify(validate.errors?.slice(0, 5))).toBe(true);
    interface Region {
      startLine: number;
      startColumn: number;
      endLine: number;
      endColumn: number;
      charOffset: number;
      charLength: number;
    }
    interface SarifFix {
      description: { text: string };
      artifactChanges: { artifactLocation: { uri: string }; replacements: { deletedRegion: Region; insertedContent: { text: string } }[] }[];
    }
    const results: { ruleId: string; fixes?: SarifFix[] }[] = log.runs[0].results;
    // A fix applied by line and column, as GitHub and editors do; the offsets must say the same.
    const apply = (text: string, fix: SarifFix) => {
      const lines = text.split('\n');
      const offset = (line: number, column: number) => lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0) + column - 1;
      let fixed = text;
      for (const { deletedRegion: r, insertedContent } of [...fix.artifactChanges[0].replacements].reverse()) {
        const start = offset(r.startLine, r.startColumn);
        const end = offset(r.endLine, r.endColumn);
        expect([r.charOffset, r.charLength]).toEqual([start, end - start]);
        fixed = fixed.slice(0, start) + insertedContent.text + fixed.slice(end);
      }
      return fixed;
    };
    const fixed = results.flatMap((r) =>
      (r.fixes ?? []).map((fix) => {
        const file = decodeURI(fix.artifactChanges[0].artifactLocation.uri).split('/').pop() as string;
        const line = apply(BAD[file as keyof typeof BAD], fix)
          .split('\n')
          .find((l, i) => l !== BAD[file as keyof typeof BAD].split('\n')[i]);
        return [r.ruleId, fix.description.text, file, line];
      }),
    );
    expect(fixed).toEqual([
      ['ddl-not-idempotent', 'Add IF NOT EXISTS', 'V1__init.sql', 'CREATE DATABASE IF NOT EXISTS app;'],
      [
        'ddl-not-idempotent',
        'Add IF NOT EXISTS',
        'V1__init.sql',
        'CREATE TABLE IF NOT EXISTS app.events (id UInt64, user Nullable(String)) ENGINE = MergeTree ORDER BY (user, id);',
      ],
      [
        'ddl-not-idempotent',
        'Add IF NOT EXISTS',
        'V1__init.sql',
        'CREATE MATERIALIZED VIEW IF NOT EXISTS app.events_mv ENGINE = MergeTree ORDER BY id POPULATE AS SELECT id FROM app.events;',
      ],
      [
        'mv-populate',
        'Remove POPULATE (backfill with INSERT ... SELECT after creating the view)',
        'V1__init.sql',
        'CREATE MATERIALIZED VIEW app.events_mv ENGINE = MergeTree ORDER BY id AS SELECT id FROM app.events;',
      ],
      ['ddl-not-idempotent', 'Add IF EXISTS', 'V2__cleanup.sql', 'DROP TABLE IF EXISTS app.events_mv;'],
    ]);
    // Findings without a fix carry none.
    expect(results.filter((r) => !r.fixes).map((r) => r.ruleId)).toEqual([
      'nullable-sorting-key',
      'mv-implicit-inner-table',
      'suppression-invalid',
      'mutation-in-migration',
    ]);
  });
});
