import { query } from 'chdb';
import { describe, expect, it } from 'vitest';
import { DATA_TYPES, DATABASE_ENGINES, MERGE_TREE_SETTINGS, QUERY_SETTINGS, TABLE_ENGINES, TYPE_CONSTRUCTORS } from '../packages/core/src/editor/catalog.js';

// ClickHouse is the oracle for what completion offers: every type, engine and setting in the
// catalog exists in a real ClickHouse (chDB 26.7), so completion never suggests a name it refuses.

function names(sql: string): Set<string> {
  return new Set(query(sql, 'TSVRaw').split('\n').filter(Boolean));
}

describe('completion catalog', () => {
  it.each([
    ['data types', [...DATA_TYPES, ...TYPE_CONSTRUCTORS], 'SELECT name FROM system.data_type_families'],
    ['table engines', TABLE_ENGINES, 'SELECT name FROM system.table_engines'],
    ['database engines', DATABASE_ENGINES, 'SELECT name FROM system.database_engines'],
    ['MergeTree settings', MERGE_TREE_SETTINGS, 'SELECT name FROM system.merge_tree_settings WHERE NOT is_obsolete'],
    ['query settings', QUERY_SETTINGS, 'SELECT name FROM system.settings WHERE NOT is_obsolete'],
  ])('%s exist in ClickHouse', (_what, entries, sql) => {
    const known = names(sql);
    expect(entries.map((e) => e.name).filter((name) => !known.has(name))).toEqual([]);
    // Each has a sentence for the completion's documentation.
    expect(entries.filter((e) => !e.doc.endsWith('.')).map((e) => e.name)).toEqual([]);
  });

  it.each([
    ['MergeTree settings', MERGE_TREE_SETTINGS, 'system.merge_tree_settings'],
    ['query settings', QUERY_SETTINGS, 'system.settings'],
  ])('%s: every one ClickHouse lists is offered (generated, not hand-typed)', (_what, entries, table) => {
    const listed = names(`SELECT name FROM ${table} WHERE NOT is_obsolete AND description != ''`);
    expect([...listed].filter((name) => !entries.some((e) => e.name === name))).toEqual([]);
  });
});
