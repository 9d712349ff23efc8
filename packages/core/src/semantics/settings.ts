import { entriesOf } from './lines.js';
import { ENGINE_KEPT_QUERY_SETTINGS, ENGINE_SETTING_ALTERS, KEPT_QUERY_SETTING_GROUPS, MERGE_TREE_SETTINGS, QUERY_SETTINGS } from './settings.generated.js';

// Which settings of `CREATE TABLE ... SETTINGS` ClickHouse stores. A query-level setting there
// (`enable_json_type = 1`) is applied to the CREATE and dropped, unless the engine keeps it (Kafka
// keeps format settings, File every setting); `ALTER ... MODIFY SETTING` refuses it (code 115).

const querySettings = new Set(entriesOf(QUERY_SETTINGS).map(([name]) => name));
const mergeTreeSettings = new Map(entriesOf(MERGE_TREE_SETTINGS, '\t').map(([name, value, flag]) => [name, { value, readonly: flag === 'readonly' }]));
const keptGroups = new Map<string, Set<string>>();
for (const [group, setting] of entriesOf(KEPT_QUERY_SETTING_GROUPS)) {
  const settings = keptGroups.get(group) ?? new Set<string>();
  settings.add(setting);
  keptGroups.set(group, settings);
}
const engineGroups = new Map(entriesOf(ENGINE_KEPT_QUERY_SETTINGS).map(([engine, group]) => [engine, group]));

/** The engine whose settings behaviour an engine shares: `ReplicatedReplacingMergeTree` and `SharedMergeTree` are MergeTree. */
export function settingsEngine(engine: string): string {
  const base = engine.replace(/^(Replicated|Shared)(?=\w*MergeTree$)/, '');
  return /MergeTree$/.test(base) && !engineGroups.has(base) ? 'MergeTree' : base;
}

/**
 * Whether ClickHouse stores a setting written in `CREATE TABLE ... ENGINE = engine SETTINGS`. False for
 * a query-level setting the engine does not keep; true for the engine's own settings, and for every
 * setting of an engine that was not probed (kept as written).
 */
export function isStoredTableSetting(engine: string, setting: string): boolean {
  if (!querySettings.has(setting)) return true;
  const group = engineGroups.get(settingsEngine(engine));
  if (group === undefined || group === 'all') return true;
  return keptGroups.get(group)?.has(setting) ?? false;
}

/** Whether the name is a query-level setting (`system.settings`). */
export function isQuerySetting(setting: string): boolean {
  return querySettings.has(setting);
}

/** A MergeTree setting's default value as `system.merge_tree_settings` prints it, undefined when it is not one. */
export function mergeTreeSettingDefault(setting: string): string | undefined {
  return mergeTreeSettings.get(setting)?.value;
}

/** MergeTree settings fixed at CREATE: ALTER ... MODIFY SETTING refuses them (code 472). */
export function readonlyMergeTreeSettings(): string[] {
  return [...mergeTreeSettings].filter(([, s]) => s.readonly).map(([name]) => name);
}

const settingAlters = new Map(entriesOf(ENGINE_SETTING_ALTERS).map(([engine, ...kinds]) => [engine, new Set(kinds)]));

/**
 * Whether `ALTER TABLE ... MODIFY SETTING` (or `RESET SETTING`) changes the engine's settings in place.
 * Memory refuses RESET SETTING and Log both (code 48); an engine that was not probed is assumed to.
 */
export function canAlterSettings(engine: string, alter: 'modify' | 'reset'): boolean {
  return settingAlters.get(settingsEngine(engine))?.has(alter) ?? true;
}

/**
 * Settings an engine writes at their default into a table created without settings, on its first
 * ALTER: EmbeddedRocksDB stores `optimize_for_bulk_insert = true` then (26.7; plan.engine.test.ts
 * shows it). At its default such a setting says nothing about the table.
 */
const DEFAULTS_WRITTEN_LATER: Record<string, Record<string, readonly string[]>> = {
  EmbeddedRocksDB: { optimize_for_bulk_insert: ['true', '1'] },
};

/** Whether `SETTINGS name = value` of the engine is a default the engine may write on its own. */
// Structural, not syntax/ast's SettingAssignment: semantics/ comes before syntax/ in the pipeline.
export function isDefaultWrittenLater(engine: string, setting: { name: { name: string }; value?: { kind: string; value?: unknown } }): boolean {
  const value = setting.value;
  const defaults = DEFAULTS_WRITTEN_LATER[engine]?.[setting.name.name];
  return !!defaults && value?.kind === 'Literal' && typeof value.value === 'string' && defaults.includes(value.value.toLowerCase());
}
