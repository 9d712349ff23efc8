import { describe, expect, it } from 'vitest';
import { isStoredTableSetting, settingsEngine } from './settings.js';

// The engines chDB cannot create (Replicated*, Shared*) share the settings behaviour of the engine
// they replicate; the behaviour of each probed engine is checked on chDB by storedForms.test.ts.

describe('table settings by engine', () => {
  it('maps Replicated and Shared MergeTree engines to the probed engine', () => {
    expect(['ReplicatedMergeTree', 'SharedReplacingMergeTree', 'ReplicatedVersionedCollapsingMergeTree', 'GraphiteMergeTree'].map(settingsEngine)).toEqual([
      'MergeTree',
      'ReplacingMergeTree',
      'VersionedCollapsingMergeTree',
      'MergeTree',
    ]);
  });

  it('drops query-level settings of Replicated tables and keeps their MergeTree settings', () => {
    expect(isStoredTableSetting('ReplicatedMergeTree', 'enable_json_type')).toBe(false);
    expect(isStoredTableSetting('ReplicatedMergeTree', 'async_insert')).toBe(true);
    expect(isStoredTableSetting('ReplicatedMergeTree', 'ttl_only_drop_parts')).toBe(true);
  });

  it('keeps every setting of an engine that was not probed, as written', () => {
    expect(isStoredTableSetting('S3Queue', 'max_threads')).toBe(true);
  });
});
