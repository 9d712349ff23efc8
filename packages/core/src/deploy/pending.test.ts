import { describe, expect, it } from 'vitest';
import { analyzeFiles } from '../inspect/analyze.js';
import { loadProject } from '../project/project.js';
import { writeTree } from '../project/projectTestSupport.js';
import { RULES } from '../rules/index.js';
import { pendingFromRegistry, pendingRisk, RULE_RISK, registryOfProject, riskyStepsOf } from './pending.js';
import type { RegistryState } from './registry.js';

// What a versioned deploy would run, with each statement's risk from lint (issue 18, items 7 and 11).

function load(files: Record<string, string>) {
  const project = loadProject(writeTree(files));
  return { project, analysis: analyzeFiles(project.files, { defaultDatabase: project.config.database }) };
}

const empty = (): RegistryState => ({ exists: false, migrations: new Map(), statements: new Map(), objects: new Map() });

describe('pending migrations', () => {
  it('names only rules that exist', () => {
    const ids = new Set(RULES.map((r) => r.id));
    expect(Object.keys(RULE_RISK).filter((id) => !ids.has(id))).toEqual([]);
  });

  it('give each statement the highest risk of its findings, whatever severity clickplan.yaml gives the rule; suppressed with a reason, it is reviewed', () => {
    const { project, analysis } = load({
      'clickplan.yaml': 'layout: flyway\ndatabase: shop\nrules:\n  destructive-statement: off\n  mutation-in-migration: off\n',
      'migrations/V1__orders.sql': 'CREATE TABLE shop.orders (id UInt64, a String, b String) ENGINE = MergeTree ORDER BY id;\n',
      'migrations/V2__change.sql': [
        "ALTER TABLE shop.orders UPDATE a = '' WHERE 1;",
        'ALTER TABLE shop.orders DROP COLUMN a;',
        '-- clickplan-ignore destructive-statement: b was never written',
        'ALTER TABLE shop.orders DROP COLUMN b;',
        '',
      ].join('\n'),
    });
    const pending = pendingFromRegistry(project, analysis, empty(), { database: 'shop' });
    expect(pending.refused).toEqual([]);
    expect(
      pending.migrations.map((m) => [m.migration, m.statements.map((s) => [s.ordinal, s.risk, s.reviewed ?? '-', s.riskReason?.split(':')[0] ?? '-'])]),
    ).toEqual([
      ['/global/V1', [[0, 'safe', '-', '-']]],
      [
        '/global/V2',
        [
          [0, 'heavy', '-', 'mutation-in-migration'],
          [1, 'data-loss', '-', 'destructive-statement'],
          [2, 'data-loss', 'b was never written', 'destructive-statement'],
        ],
      ],
    ]);
    expect(pendingRisk(pending.migrations)).toBe('data-loss');
    const plan = { steps: [], migrations: pending.migrations };
    expect(riskyStepsOf(plan, 'heavy').map((r) => r.where.replace(/^.*migrations\//, ''))).toEqual(['V2__change.sql statement 2']);
    expect(riskyStepsOf(plan, 'safe').map((r) => `${r.where.replace(/^.*migrations\//, '')} ${r.risk}`)).toEqual([
      'V2__change.sql statement 1 heavy',
      'V2__change.sql statement 2 data-loss',
    ]);
    expect(riskyStepsOf(plan, 'data-loss')).toEqual([]);
  });

  it('leave out what the registry applied, and refuse an applied file that changed', () => {
    const files = {
      'clickplan.yaml': 'layout: flyway\ndatabase: shop\n',
      'migrations/V1__a.sql': 'CREATE TABLE shop.a (id UInt64) ENGINE = Memory;\n',
      'migrations/V2__b.sql': 'CREATE TABLE shop.b (id UInt64) ENGINE = Memory;\n',
    };
    const base = load({ 'clickplan.yaml': files['clickplan.yaml'], 'migrations/V1__a.sql': files['migrations/V1__a.sql'] });
    const head = load(files);
    const pending = pendingFromRegistry(head.project, head.analysis, registryOfProject(base.project), { database: 'shop' });
    expect([pending.migrations.map((m) => m.migration), pending.refused]).toEqual([['/global/V2'], []]);

    const edited = load({ ...files, 'migrations/V1__a.sql': 'CREATE TABLE shop.a (id UInt64, x UInt8) ENGINE = Memory;\n' });
    const refused = pendingFromRegistry(edited.project, edited.analysis, registryOfProject(base.project), { database: 'shop' });
    expect([refused.migrations.map((m) => m.migration), refused.refused.map((d) => d.code)]).toEqual([['/global/V2'], ['migration-checksum-changed']]);
  });
});
