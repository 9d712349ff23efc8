import { describe, expect, it } from 'vitest';
import { planAgainstLive } from '../deploy/planTarget.js';
import { buildModel } from '../model/replay.js';
import { DEFAULT_REPLICATION } from '../project/config.js';
import { parseSql } from '../syntax/parser.js';
import { applyReplicationConvention, shardedTables } from './replication.js';

const REPO = `CREATE DATABASE app;
CREATE TABLE app.events_local (ts DateTime, user_id UInt64) ENGINE = ReplicatedMergeTree ORDER BY ts;
CREATE TABLE app.events AS app.events_local ENGINE = Distributed(main, app, events_local, rand());
CREATE TABLE app.countries (code String) ENGINE = ReplicatedReplacingMergeTree() ORDER BY code;
CREATE TABLE app.pinned (x UInt8) ENGINE = ReplicatedMergeTree('/custom/pinned', '{replica}') ORDER BY x;
RENAME TABLE app.countries TO app.country_names;`;

const schema = buildModel([{ file: 'schema.sql', statements: parseSql(REPO).statements }]);
const empty = {
  format: 2 as const,
  serverVersion: '26.7',
  readAt: '2026-11-21T00:00:00Z',
  databases: [],
  tables: [],
  functions: [],
  accessEntities: [],
  grants: [],
  gaps: [],
};

describe('the replication convention', () => {
  it('knows which tables a Distributed table spreads over shards', () => {
    expect([...shardedTables(schema)]).toEqual(['app.events_local']);
  });

  it('fills the path and replica of tables written without arguments, with the final names written out', () => {
    const engines = applyReplicationConvention(schema, DEFAULT_REPLICATION)
      .objects.filter((o) => o.definition.kind === 'CreateTable' && /^Replicated/.test(o.definition.storage?.engine?.name.name ?? ''))
      .map((o) => [
        o.id,
        o.definition.kind === 'CreateTable' ? o.definition.storage?.engine?.arguments?.map((a) => (a.kind === 'Literal' ? a.value : '?')) : [],
      ]);
    expect(engines).toEqual([
      ['app.events_local', ['/clickhouse/tables/{shard}/app/events_local', '{replica}']],
      ['app.pinned', ['/custom/pinned', '{replica}']],
      ['app.country_names', ['/clickhouse/tables/all/app/country_names', '{shard}-{replica}']],
    ]);
  });

  it('is what a plan creates, and nothing without the convention', () => {
    const withConvention = planAgainstLive(schema, empty, { replication: DEFAULT_REPLICATION }).plan.steps.map((s) => s.sql);
    expect(withConvention.find((sql) => sql.includes('app.events_local'))).toContain(
      "ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/app/events_local', '{replica}')",
    );
    const without = planAgainstLive(schema, empty).plan.steps.map((s) => s.sql);
    expect(without.find((sql) => sql.includes('app.events_local'))).toContain('ENGINE = ReplicatedMergeTree\n');
  });
});
