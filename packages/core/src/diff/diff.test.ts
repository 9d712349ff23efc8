import { describe, expect, it } from 'vitest';
import { buildModel } from '../model/replay.js';
import type { Schema } from '../model/schema.js';
import { parseSql } from '../syntax/parser.js';
import { diffSchemas } from './diff.js';

/** A schema from migration files, in order. */
function schema(...files: string[]): Schema {
  const parsed = files.map((text, i) => {
    const result = parseSql(text, { file: `${i + 1}.sql` });
    expect(result.diagnostics).toEqual([]);
    return { file: `${i + 1}.sql`, statements: result.statements };
  });
  const model = buildModel(parsed);
  expect(model.diagnostics).toEqual([]);
  return model;
}

const summary = (diff: ReturnType<typeof diffSchemas>) =>
  diff.changes.map((c) => (c.kind === 'drop' ? `drop ${c.live.id}` : c.kind === 'create' ? `create ${c.desired.id}` : `alter ${c.desired.id}`));

describe('diffSchemas', () => {
  it('finds nothing between the repository and what ClickHouse stores for it', () => {
    const desired = schema('create database app; create table app.t (a UInt8 default 1, b String) engine=MergeTree order by a');
    const live = schema(
      'CREATE DATABASE app ENGINE = Atomic',
      'CREATE TABLE app.t (`a` UInt8 DEFAULT 1, `b` String) ENGINE = MergeTree ORDER BY a SETTINGS index_granularity = 8192',
    );
    const diff = diffSchemas({ desired, live });
    expect(diff.changes).toEqual([]);
    expect(diff.unchanged).toEqual(['app', 'app.t']);
  });

  it('explains an alter part by part', () => {
    const desired = schema("create table t (a UInt8, b String comment 'x', c Date) engine=MergeTree order by a ttl c + interval 1 day");
    const live = schema('create table t (a UInt8, b String, old UInt8) engine=MergeTree order by a');
    const [change] = diffSchemas({ desired, live }).changes;
    expect(change.kind).toBe('alter');
    if (change.kind !== 'alter') return;
    expect(change.differences.map((d) => [d.key, d.live === undefined ? 'added' : d.desired === undefined ? 'removed' : 'changed'])).toEqual([
      ['column:b', 'changed'],
      ['column:c', 'added'],
      ['ttl', 'added'],
      ['column:old', 'removed'],
    ]);
  });

  it('creates what is missing and drops only what the repository manages or dropped', () => {
    const desired = schema(
      'create database app; create table app.kept (a UInt8) engine=Memory; create table default.gone (a UInt8) engine=Memory',
      'drop table default.gone',
      'create table app.fresh (a UInt8) engine=Memory',
    );
    const live = schema(
      'create database app; create table app.kept (a UInt8) engine=Memory; create table app.stray (a UInt8) engine=Memory',
      'create table default.gone (a UInt8) engine=Memory; create table default.unmanaged (a UInt8) engine=Memory',
    );
    const diff = diffSchemas({ desired, live });
    expect(summary(diff)).toEqual(['create app.fresh', 'drop app.stray', 'drop default.gone']);
    const drops = diff.changes.filter((c) => c.kind === 'drop');
    expect(drops.map((c) => c.kind === 'drop' && c.because)).toEqual(['not in the repository, which manages database `app`', 'dropped in 2.sql']);
  });

  it('follows renames of tables and columns instead of dropping and re-creating', () => {
    const desired = schema(
      'create table t (a UInt8, b UInt8) engine=MergeTree order by a',
      'rename table t to u',
      'alter table u rename column b to c',
      'alter table u rename column c to d',
    );
    const live = schema('create table t (a UInt8, b UInt8) engine=MergeTree order by a');
    const [change] = diffSchemas({ desired, live }).changes;
    expect(change).toMatchObject({ kind: 'alter', renamedFrom: 'default.t', columnRenames: [{ from: 'b', to: 'd' }], differences: [] });
  });

  it('reports live changes the repository did not make as drift, not as changes', () => {
    const base = schema('create database app; create table app.t (a UInt8) engine=Memory; create table app.v (a UInt8) engine=Memory');
    const desired = schema('create database app; create table app.t (a UInt8) engine=Memory; create table app.v (a UInt8, b UInt8) engine=Memory');
    const live = schema(
      'create database app; create table app.t (a UInt16) engine=Memory; create table app.v (a UInt8) engine=Memory; create table app.x (a UInt8) engine=Memory',
    );
    const diff = diffSchemas({ desired, live, base });
    expect(summary(diff)).toEqual(['alter app.v']);
    expect(diff.drift.map((d) => [d.id, d.state])).toEqual([
      ['app.t', 'different'],
      ['app.x', 'unexpected'],
    ]);
  });
});
