import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { columnChangesFile } from './columnChanges.generate.js';
import { enginesFile } from './engines.generate.js';
import { functionTypesFile } from './functionTypes.generate.js';

// Generates the ClickHouse facts in this folder from a real engine (chDB), so the canonical form and
// the planner never type a fact that the engine can list. Run `npm run semantics:generate`; the test
// `generate.test.ts` regenerates and fails when a checked-in file is stale.
//
// Each file is a TypeScript module holding template literals (one entry per line), which is compact
// to import from the core, the editor and the bundled Action, and stable under the formatter.

/** What the generator needs from an engine: one statement, text result; throws on error. */
export interface SemanticsEngine {
  query(sql: string, format?: string): string;
}

/** File name → content. */
export type SemanticsFiles = Record<string, string>;

/**
 * Engines probed for the query-level settings they keep in `CREATE TABLE ... SETTINGS` (the server
 * applies the others to the CREATE and does not store them). Each is created as chDB can create it
 * without external services; `settings` are the engine's own required settings.
 */
export const ENGINE_PROBES: { engine: string; clause: string; settings?: string }[] = [
  { engine: 'MergeTree', clause: 'MergeTree ORDER BY a' },
  { engine: 'ReplacingMergeTree', clause: 'ReplacingMergeTree ORDER BY a' },
  { engine: 'SummingMergeTree', clause: 'SummingMergeTree ORDER BY a' },
  { engine: 'AggregatingMergeTree', clause: 'AggregatingMergeTree ORDER BY a' },
  { engine: 'CoalescingMergeTree', clause: 'CoalescingMergeTree ORDER BY a' },
  { engine: 'CollapsingMergeTree', clause: 'CollapsingMergeTree(sign) ORDER BY a' },
  { engine: 'VersionedCollapsingMergeTree', clause: 'VersionedCollapsingMergeTree(sign, a) ORDER BY a' },
  { engine: 'Memory', clause: 'Memory' },
  { engine: 'Log', clause: 'Log' },
  { engine: 'TinyLog', clause: 'TinyLog' },
  { engine: 'StripeLog', clause: 'StripeLog' },
  { engine: 'Set', clause: 'Set' },
  { engine: 'Join', clause: 'Join(ANY, LEFT, a)' },
  { engine: 'EmbeddedRocksDB', clause: 'EmbeddedRocksDB PRIMARY KEY a' },
  { engine: 'File', clause: 'File(CSV)' },
  { engine: 'URL', clause: "URL('http://localhost:1/x.csv', CSV)" },
  { engine: 'S3', clause: "S3('http://localhost:1/bucket/x.csv', CSV)" },
  {
    engine: 'Kafka',
    clause: 'Kafka',
    settings: "kafka_broker_list = 'localhost:9092', kafka_topic_list = 't', kafka_group_name = 'g', kafka_format = 'JSONEachRow'",
  },
  { engine: 'Null', clause: 'Null' },
  { engine: 'Buffer', clause: 'Buffer(default, probe_target, 1, 10, 100, 10000, 1000000, 10000000, 100000000)' },
  { engine: 'Merge', clause: "Merge(default, '^probe_target$')" },
  { engine: 'GenerateRandom', clause: 'GenerateRandom' },
  { engine: 'TimeSeries', clause: 'TimeSeries', settings: 'allow_experimental_time_series_table = 1' },
];

/**
 * An index of each type, on a column it accepts: the engine lists the type names (in its error for an
 * unknown type) but not their arguments. A type missing here makes the generator fail, so a new
 * ClickHouse version cannot add one silently.
 */
const INDEX_PROBES: Record<string, { column: string; type: string }> = {
  minmax: { column: 'n', type: 'minmax' },
  set: { column: 'n', type: 'set(0)' },
  bloom_filter: { column: 's', type: 'bloom_filter' },
  ngrambf_v1: { column: 's', type: 'ngrambf_v1(3, 256, 2, 0)' },
  tokenbf_v1: { column: 's', type: 'tokenbf_v1(256, 2, 0)' },
  sparse_grams: { column: 's', type: 'sparse_grams(3, 10, 256, 2, 0)' },
  text: { column: 's', type: "text(tokenizer = 'splitByNonAlpha')" },
  vector_similarity: { column: 'v', type: "vector_similarity('hnsw', 'L2Distance', 1)" },
};

/** Argument types tried, in order, to create `AggregateFunction(f, ...)` for each aggregate function. */
const AGGREGATE_ARGUMENT_SHAPES = [
  'UInt64',
  'Float64',
  'String',
  'UInt64, UInt64',
  'Float64, Float64',
  'Array(UInt8), Array(UInt64)',
  'Map(UInt8, UInt64)',
  'Array(UInt64)',
  'UInt8',
  'DateTime, UInt8',
  'UInt64, UInt8',
  'Float64, UInt64',
  'String, UInt64',
  'UInt64, String',
  'Array(Float64), Array(Float64)',
  'Float64, Float64, Float64',
  'Array(UInt64), UInt64',
  'Tuple(Float64, Float64)',
  'Array(Float64)',
  'DateTime64(3), Float64',
  'UInt64, UInt64, UInt64',
  'Array(String)',
  'Tuple(Array(UInt8), Array(UInt64))',
  'DateTime, UInt8, UInt8',
  'AggregateFunction(groupBitmap, UInt64)',
  'JSON',
];

const rowsOf = <T>(engine: SemanticsEngine, sql: string): T[] => JSON.parse(engine.query(sql, 'JSON')).data as T[];
const quote = (text: string) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** The stored `create_table_query` of one table of the probe database. */
function storedTable(engine: SemanticsEngine, name: string): string {
  return engine.query(`SELECT create_table_query FROM system.tables WHERE database = 'semantics_probe' AND name = ${quote(name)}`, 'TSVRaw').trim();
}

function attempt(engine: SemanticsEngine, sql: string): boolean {
  try {
    engine.query(sql);
    return true;
  } catch {
    return false;
  }
}

/** Every fact file, generated from the engine. Creates and drops the database `semantics_probe`. */
export function generateSemantics(engine: SemanticsEngine): SemanticsFiles {
  const version = engine.query('SELECT version()', 'TSVRaw').trim();
  engine.query('DROP DATABASE IF EXISTS semantics_probe');
  engine.query('CREATE DATABASE semantics_probe');
  try {
    return {
      'settings.generated.ts': settingsFile(engine, version),
      'functions.generated.ts': functionsFile(engine, version),
      'types.generated.ts': typesFile(engine, version),
      'indexes.generated.ts': indexesFile(engine, version),
      'settingDocs.generated.ts': settingDocsFile(engine, version),
    };
  } finally {
    engine.query('DROP DATABASE IF EXISTS semantics_probe');
  }
}

export function header(version: string, what: string): string {
  return `// Generated by packages/core/src/semantics/generate.ts from ClickHouse ${version} (chDB): ${what}\n// Do not edit: run \`npm run semantics:generate\`.\n\n`;
}

/** A template literal of lines (no backquotes or `${` in ClickHouse names and defaults, checked). */
export function lines(name: string, doc: string, entries: string[]): string {
  const body = entries.join('\n');
  if (/[`\\]|\$\{/.test(body)) throw new Error(`${name}: an entry needs escaping, which the generator does not do`);
  return `/** ${doc} */\nexport const ${name} = \`\n${body}\n\`;\n`;
}

function settingsFile(engine: SemanticsEngine, version: string): string {
  const query = rowsOf<{ name: string; default: string }>(engine, "SELECT name, default FROM system.settings WHERE alias_for = '' ORDER BY name");
  const aliases = rowsOf<{ name: string }>(engine, "SELECT name FROM system.settings WHERE alias_for != '' ORDER BY name");
  const mergeTree = rowsOf<{ name: string; default: string; readonly: number }>(
    engine,
    'SELECT name, default, readonly FROM system.merge_tree_settings ORDER BY name',
  );
  const queryNames = new Set([...query.map((s) => s.name), ...aliases.map((s) => s.name)]);
  // Which query-level settings each engine keeps: one CREATE with every setting at its default value.
  engine.query('CREATE TABLE semantics_probe.probe_target (a UInt64) ENGINE = Memory');
  const keptBy = new Map<string, string[]>();
  for (const [i, probe] of ENGINE_PROBES.entries()) {
    const table = `settings_${i}`;
    const assignments = query
      .filter((s) => !probe.settings?.includes(`${s.name} =`))
      .map((s) => `${s.name} = ${quote(s.default)}`)
      .join(', ');
    const columns = probe.engine === 'TimeSeries' ? '' : '(a UInt64, sign Int8)';
    engine.query(
      `CREATE TABLE semantics_probe.${table} ${columns} ENGINE = ${probe.clause} SETTINGS ${probe.settings ? `${probe.settings}, ` : ''}${assignments}`,
    );
    // The table's own SETTINGS: the first clause, before a TimeSeries' inner tables.
    const stored = storedTable(engine, table);
    const settingsText = stored.slice(stored.indexOf(' SETTINGS ') + 1).split(/ (?:SAMPLES|TAGS|METRICS) INNER /)[0];
    const kept = [...settingsText.matchAll(/(?:SETTINGS |, )(\w+) = /g)].map((m) => m[1]).filter((name) => queryNames.has(name));
    keptBy.set(probe.engine, [...new Set(kept)].sort());
  }
  // Which engines change settings in place: ALTER ... MODIFY SETTING / RESET SETTING of an unknown
  // setting fails with 115/36 where the ALTER is supported, with 48 or "doesn't support" where not.
  const alters = ENGINE_PROBES.map((probe, i) => {
    const table = `semantics_probe.settings_${i}`;
    const supported = (alter: string) => {
      try {
        engine.query(`ALTER TABLE ${table} ${alter}`);
        return true;
      } catch (error) {
        return !/Code: 48\b|doesn't support settings changes/.test((error as Error).message);
      }
    };
    const kinds = [supported('MODIFY SETTING semantics_probe_unknown = 1') ? 'modify' : '', supported('RESET SETTING semantics_probe_unknown') ? 'reset' : ''];
    return [probe.engine, ...kinds.filter(Boolean)].join(' ');
  });
  // Engines keeping the same settings share one group, named by the first of them.
  const groups = new Map<string, { name: string; settings: string[] }>();
  const engineGroups: string[] = [];
  for (const [engineName, kept] of keptBy) {
    const key = kept.join(' ');
    let group = kept.length === queryNames.size - aliases.length ? 'all' : kept.length === 0 ? 'none' : groups.get(key)?.name;
    if (!group) {
      group = engineName;
      groups.set(key, { name: group, settings: kept });
    }
    engineGroups.push(`${engineName} ${group}`);
  }
  let text = header(version, 'system.settings, system.merge_tree_settings, and probes of CREATE TABLE ... SETTINGS per engine.');
  text += lines('QUERY_SETTINGS', 'Query-level settings (`system.settings`, aliases included), one name per line.', [...queryNames].sort());
  text += '\n';
  text += lines(
    'MERGE_TREE_SETTINGS',
    'MergeTree table settings (`system.merge_tree_settings`): `name<TAB>default`, then `<TAB>readonly` for the settings ClickHouse fixes at CREATE (ALTER refuses them, code 472).',
    mergeTree.map((s) => `${s.name}\t${s.default}${s.readonly ? '\treadonly' : ''}`),
  );
  text += '\n';
  text += lines(
    'ENGINE_KEPT_QUERY_SETTINGS',
    'Per engine probed: `engine group`, where group is `all`, `none` or a group of KEPT_QUERY_SETTING_GROUPS: the query-level settings the engine stores when given in CREATE TABLE ... SETTINGS. The others are applied to the CREATE and dropped.',
    engineGroups,
  );
  text += '\n';
  text += lines(
    'ENGINE_SETTING_ALTERS',
    'Per engine probed: `engine`, then `modify` and `reset` when ALTER ... MODIFY SETTING / RESET SETTING can change its settings in place.',
    alters,
  );
  text += '\n';
  text += lines(
    'KEPT_QUERY_SETTING_GROUPS',
    'Groups of query-level settings some engines keep: `group setting`.',
    [...groups.values()].flatMap((g) => g.settings.map((s) => `${g.name} ${s}`)),
  );
  return text;
}

/**
 * The first sentence of a setting's description, as one plain line for completion: the first
 * paragraph, links reduced to their text, no code quotes, cut after the first sentence when long.
 */
export function firstSentence(description: string): string {
  const paragraph = (description.trim().split(/\n\s*\n/)[0] ?? '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[`\\]|\$\{/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  const end = paragraph.search(/[.:;](\s|$)/);
  let sentence = paragraph.length > 200 && end > 0 ? paragraph.slice(0, end) : paragraph;
  if (sentence.length > 240) sentence = `${sentence.slice(0, 237).trimEnd()}...`;
  sentence = sentence.replace(/[.:;,]$/, '');
  return sentence ? `${sentence}.` : '';
}

function settingDocsFile(engine: SemanticsEngine, version: string): string {
  const docs = (table: string) =>
    rowsOf<{ name: string; description: string }>(engine, `SELECT name, description FROM ${table} WHERE NOT is_obsolete ORDER BY name`)
      .map((s) => ({ name: s.name, doc: firstSentence(s.description) }))
      .filter((s) => s.doc)
      .map((s) => `${s.name}\t${s.doc}`);
  let text = header(version, 'system.settings and system.merge_tree_settings (not obsolete), for completion.');
  text += lines('QUERY_SETTING_DOCS', 'Query and session settings: `name<TAB>first sentence of the description`.', docs('system.settings'));
  text += '\n';
  text += lines('MERGE_TREE_SETTING_DOCS', 'MergeTree table settings: `name<TAB>first sentence of the description`.', docs('system.merge_tree_settings'));
  return text;
}

function functionsFile(engine: SemanticsEngine, version: string): string {
  const aliases = rowsOf<{ name: string; alias_to: string; case_insensitive: number }>(
    engine,
    "SELECT name, alias_to, case_insensitive FROM system.functions WHERE alias_to != '' ORDER BY name",
  );
  const caseInsensitive = rowsOf<{ name: string }>(engine, "SELECT name FROM system.functions WHERE alias_to = '' AND case_insensitive ORDER BY name");
  const combinators = rowsOf<{ name: string }>(engine, 'SELECT name FROM system.aggregate_function_combinators ORDER BY length(name) DESC, name');
  let text = header(version, 'system.functions, system.aggregate_function_combinators, system.formats, and probes of AggregateFunction types.');
  text += lines(
    'FUNCTION_ALIASES',
    'Function aliases (`system.functions.alias_to`): `alias canonical`, then `ci` when the alias is case-insensitive. ClickHouse stores the canonical name.',
    aliases.map((a) => `${a.name} ${a.alias_to}${a.case_insensitive ? ' ci' : ''}`),
  );
  text += '\n';
  text += lines(
    'CASE_INSENSITIVE_FUNCTIONS',
    'Functions (not aliases) callable in any case, stored in this spelling.',
    caseInsensitive.map((f) => f.name),
  );
  text += '\n';
  text += lines(
    'AGGREGATE_COMBINATORS',
    'Aggregate function combinators (`system.aggregate_function_combinators`), longest first.',
    combinators.map((c) => c.name),
  );
  text += '\n';
  const versions = aggregateVersions(engine);
  text += lines(
    'AGGREGATE_FUNCTION_VERSIONS',
    `Aggregate functions whose state has a version: \`AggregateFunction(sumMap, ...)\` is stored as \`AggregateFunction(1, sumMap, ...)\`. \`name version\`, then \`unversioned-with-map\` when a Map argument makes it the -Map combinator, stored without a version. Probed ${versions.probed} of ${versions.total} aggregate functions (the others need arguments the probe does not try).`,
    versions.versioned,
  );
  text += '\n';
  text += lines(
    'FORMATS',
    'Input and output format names (`system.formats`): `s3(url, X, ...)` holds a format, not a key id, when X is one (how ClickHouse tells which argument is the secret key).',
    rowsOf<{ name: string }>(engine, 'SELECT name FROM system.formats ORDER BY name').map((f) => f.name),
  );
  return text;
}

/**
 * Creates `AggregateFunction(f, ...)` for every aggregate function (bare, then with a parameter) and
 * reads the name and version it is stored with: `sumMappedArrays` is stored as `AggregateFunction(1,
 * sumMap, ...)`. A versioned function is tried with a Map argument too: `sumMap(Map(...))` is the -Map
 * combinator, stored without a version.
 */
function aggregateVersions(engine: SemanticsEngine): { versioned: string[]; probed: number; total: number } {
  const names = rowsOf<{ name: string }>(engine, "SELECT name FROM system.functions WHERE is_aggregate AND alias_to = '' ORDER BY name").map((f) => f.name);
  const versioned = new Map<string, string>();
  let probed = 0;
  let tables = 0;
  const create = (type: string): string | undefined => {
    const table = `aggregate_${tables++}`;
    if (!attempt(engine, `CREATE TABLE semantics_probe.${table} (x ${type}) ENGINE = Memory`)) return undefined;
    return storedTable(engine, table);
  };
  for (const name of names) {
    let stored: string | undefined;
    for (const call of [`\`${name}\``, `\`${name}\`([1])`, `\`${name}\`(0.5)`, `\`${name}\`(10)`]) {
      for (const shape of AGGREGATE_ARGUMENT_SHAPES) if ((stored ??= create(`AggregateFunction(${call}, ${shape})`))) break;
      if (stored) break;
    }
    if (!stored) continue;
    probed++;
    const match = /AggregateFunction\((\d+), `?(\w+)`?[(,]/.exec(stored);
    if (!match) continue;
    const [, version, storedName] = match;
    const withMap = create(`AggregateFunction(${storedName}, Map(UInt8, UInt64))`);
    versioned.set(storedName, `${storedName} ${version}${withMap && !/AggregateFunction\(\d/.test(withMap) ? ' unversioned-with-map' : ''}`);
  }
  return { versioned: [...versioned.keys()].sort().map((k) => versioned.get(k) as string), probed, total: names.length };
}

function typesFile(engine: SemanticsEngine, version: string): string {
  const families = rowsOf<{ name: string; case_insensitive: number; alias_to: string }>(
    engine,
    'SELECT name, case_insensitive, alias_to FROM system.data_type_families ORDER BY name',
  );
  let tables = 0;
  const storedType = (type: string): string | undefined => {
    const table = `type_${tables++}`;
    if (!attempt(engine, `CREATE TABLE semantics_probe.${table} (x ${type}) ENGINE = Memory`)) return undefined;
    return /\(`x` (.*)\) ENGINE/.exec(storedTable(engine, table))?.[1];
  };
  const entries = families.map((f) => {
    const flags = [f.case_insensitive ? 'ci' : ''];
    // `INT(11)` is `Int32` and `VARCHAR(255)` is `String`: these families accept arguments and drop them.
    const withArgument = storedType(`${f.name}(1)`);
    if (withArgument !== undefined && !withArgument.includes('(')) flags.push('drops-arguments');
    // `DateTime32` is stored as `DateTime`, `Decimal` as `Decimal(10, 0)`, `Time64` as `Time64(3)`.
    const bare = storedType(f.name);
    const target = f.alias_to || f.name;
    return [f.name, f.alias_to, flags.filter(Boolean).join(' '), bare !== undefined && bare !== target ? bare : ''].join('\t').trimEnd();
  });
  const codecs = rowsOf<{ name: string }>(engine, 'SELECT name FROM system.codecs ORDER BY name').map(({ name }) => name);
  let text = header(version, 'system.data_type_families and system.codecs, and probes of each family written bare and with an argument.');
  text += lines(
    'DATA_TYPE_FAMILIES',
    'Data type families, tab-separated: name (may contain spaces), canonical name for aliases, flags (`ci`: case-insensitive; `drops-arguments`: `name(1)` is stored without arguments), and the stored form of the bare name when it is not the canonical name.',
    entries,
  );
  text += '\n';
  text += lines('CODECS', 'Compression codecs (`system.codecs`).', codecs);
  return text;
}

function indexesFile(engine: SemanticsEngine, version: string): string {
  engine.query('CREATE TABLE semantics_probe.index_types (n UInt64, s String, v Array(Float32)) ENGINE = MergeTree ORDER BY n');
  let types: string[];
  try {
    engine.query('ALTER TABLE semantics_probe.index_types ADD INDEX probe n TYPE semantics_unknown_index_type');
    throw new Error('ClickHouse accepted an unknown index type');
  } catch (error) {
    const listed = /Available index types: ([\w, ]+)/.exec((error as Error).message);
    if (!listed) throw error;
    types = listed[1].split(', ').sort();
  }
  const entries: string[] = [];
  for (const type of types) {
    const probe = INDEX_PROBES[type];
    // `hypothesis` is listed but refused ("no longer supported"): nothing to store.
    if (!probe && !attempt(engine, `ALTER TABLE semantics_probe.index_types ADD INDEX probe_${type} n > 0 TYPE ${type}`)) continue;
    if (!probe) throw new Error(`index type ${type} has no probe in INDEX_PROBES`);
    const granularity = (table: string, clause: string) => {
      engine.query(
        `CREATE TABLE semantics_probe.${table} (n UInt64, s String, v Array(Float32), INDEX i ${probe.column} TYPE ${probe.type}${clause}) ENGINE = MergeTree ORDER BY n`,
      );
      return Number(/ GRANULARITY (\d+)\)/.exec(storedTable(engine, table))?.[1]);
    };
    const byDefault = granularity(`index_${type}_default`, '');
    const written = granularity(`index_${type}_three`, ' GRANULARITY 3');
    entries.push(`${type} ${byDefault}${written === 3 ? '' : ' fixed'}`);
  }
  let text = header(version, 'skipping index types and the GRANULARITY each is stored with.');
  text += lines(
    'INDEX_GRANULARITY',
    'Skipping index types: `type default`, then `fixed` when ClickHouse stores the default whatever GRANULARITY is written.',
    entries,
  );
  return text;
}

const outputDirectory = fileURLToPath(new URL('.', import.meta.url));

/** Generates the files with a fresh chDB and writes them beside this script. */
async function main(): Promise<void> {
  const { Session } = await import('chdb');
  const dataDirectory = mkdtempSync(join(tmpdir(), 'clickplan-semantics-'));
  const session = new Session(dataDirectory);
  try {
    const files = {
      ...generateSemantics(session),
      'columnChanges.generated.ts': columnChangesFile(session),
      'functionTypes.generated.ts': functionTypesFile(session),
      'engines.generated.ts': enginesFile(session),
    };
    for (const [name, content] of Object.entries(files)) {
      writeFileSync(join(outputDirectory, name), content);
      console.log(`wrote ${name} (${content.length} bytes)`);
    }
  } finally {
    session.cleanup?.();
    rmSync(dataDirectory, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
