import { castFamily, typeChangeVerdict } from './columnChanges.js';
import { parseDataType } from './dataTypes.js';
import { header, lines, type SemanticsEngine } from './generate.js';

// Asks chDB what MODIFY COLUMN does for every ordered pair of PROBE_TYPES, on a plain column and on a
// key column, and writes the answers (the evidence columnChanges.test.ts compares the module with)
// and the CASTs ClickHouse does not have (the one fact columnChanges.ts cannot derive from type shapes).

/** Types written as ClickHouse stores them; each family the rules and the plan reason about, with the argument changes that matter. */
export const PROBE_TYPES = [
  'UInt8',
  'UInt16',
  'UInt32',
  'UInt64',
  'Int8',
  'Int16',
  'Int32',
  'Float32',
  'Float64',
  'Decimal(18, 2)',
  'Decimal(18, 4)',
  'Bool',
  'String',
  'FixedString(8)',
  'LowCardinality(String)',
  'LowCardinality(Nullable(String))',
  'Nullable(String)',
  'Nullable(UInt32)',
  'Nullable(DateTime)',
  'Date',
  'Date32',
  'DateTime',
  "DateTime('UTC')",
  'DateTime64(3)',
  "DateTime64(3, 'UTC')",
  'DateTime64(6)',
  "Enum8('a' = 1)",
  "Enum8('a' = 1, 'b' = 2)",
  "Enum8('a' = 2)",
  "Enum8('b' = 1)",
  "Enum16('a' = 1)",
  'UUID',
  'IPv4',
  'Array(UInt8)',
  'Array(UInt16)',
  'Array(String)',
  'Array(Nullable(DateTime))',
  'Array(Nullable(UInt32))',
  'Map(String, UInt64)',
  'Tuple(a UInt8)',
];

/** One probed change: the verdict on a plain column and on a sorting-key column. */
export interface ProbedChange {
  from: string;
  to: string;
  column: string;
  keyColumn: string;
}

/** `metadata-only`, `rewrite` or `refused <code>`, as the probes file writes a verdict. */
export function verdictText(verdict: ReturnType<typeof typeChangeVerdict>): string {
  return verdict.kind === 'refused' ? `refused ${verdict.code}` : verdict.kind;
}

/**
 * The verdict of one ALTER: accepted with `allow_non_metadata_alters = 0` means metadata-only (the
 * setting refuses exactly the ALTERs that would modify data on disk), accepted without it a rewrite,
 * otherwise refused with ClickHouse's error code.
 */
function probe(engine: SemanticsEngine, table: string, to: string): string {
  const alter = `ALTER TABLE semantics_alter.${table} MODIFY COLUMN c ${to}`;
  if (errorCode(engine, `${alter} SETTINGS allow_non_metadata_alters = 0`) === undefined) return 'metadata-only';
  const code = errorCode(engine, alter);
  return code === undefined ? 'rewrite' : `refused ${code}`;
}

function errorCode(engine: SemanticsEngine, sql: string): number | undefined {
  try {
    engine.query(sql);
    return undefined;
  } catch (error) {
    const code = /Code: (\d+)/.exec(String(error));
    if (!code) throw error;
    return Number(code[1]);
  }
}

/** Runs the probes (each on fresh empty tables: an ALTER that is accepted changes the column). */
export function probeColumnChanges(engine: SemanticsEngine): ProbedChange[] {
  engine.query('DROP DATABASE IF EXISTS semantics_alter');
  engine.query('CREATE DATABASE semantics_alter');
  const changes: ProbedChange[] = [];
  try {
    for (const from of PROBE_TYPES) {
      for (const to of PROBE_TYPES) {
        if (from === to) continue;
        const n = changes.length;
        engine.query(`CREATE TABLE semantics_alter.plain_${n} (id UInt8, c ${from}) ENGINE = MergeTree ORDER BY id`);
        engine.query(`CREATE TABLE semantics_alter.key_${n} (c ${from}) ENGINE = MergeTree ORDER BY c SETTINGS allow_nullable_key = 1`);
        changes.push({ from, to, column: probe(engine, `plain_${n}`, to), keyColumn: probe(engine, `key_${n}`, to) });
      }
    }
  } finally {
    engine.query('DROP DATABASE IF EXISTS semantics_alter');
  }
  return changes;
}

/**
 * CASTs ClickHouse lacks, by family (castFamily), grouped as `from <tab> code <tab> to to ...`: the
 * refusals the module's own rules (key, Nullable, Enum) do not explain. Throws when one family pair
 * is refused for one probe and accepted for another: then families do not decide, and the module is wrong.
 */
export function refusedCastsOf(changes: ProbedChange[]): string[] {
  const verdicts = new Map<string, string>();
  for (const { from, to, column } of changes) {
    const own = verdictText(typeChangeVerdict(from, to, {}, { casts: new Map() }));
    const pair = `${castFamily(parseDataType(from))}>${castFamily(parseDataType(to))}`;
    if (own.startsWith('refused')) continue;
    const cast = column.startsWith('refused') ? column.slice('refused '.length) : 'accepted';
    const earlier = verdicts.get(pair);
    if (earlier !== undefined && earlier !== cast) throw new Error(`CAST ${pair} is ${earlier} for one probe and ${cast} for another (${from} → ${to})`);
    verdicts.set(pair, cast);
  }
  const groups = new Map<string, string[]>();
  for (const [pair, cast] of verdicts) {
    if (cast === 'accepted') continue;
    const [from, to] = pair.split('>');
    const group = `${from}\t${cast}`;
    groups.set(group, [...(groups.get(group) ?? []), to]);
  }
  return [...groups].map(([group, targets]) => `${group}\t${targets.sort().join(' ')}`).sort();
}

/** The content of columnChanges.generated.ts. */
export function columnChangesFile(engine: SemanticsEngine): string {
  const version = engine.query('SELECT version()', 'TSVRaw').trim();
  const changes = probeColumnChanges(engine);
  let text = header(version, 'MODIFY COLUMN between every two probe types of columnChanges.generate.ts, on a plain and on a key column.');
  text += lines(
    'TYPE_CHANGE_PROBES',
    'Probed changes, tab-separated: from, to, verdict on a plain column, verdict on a sorting-key column (`metadata-only`, `rewrite` or `refused <code>`).',
    changes.map((c) => [c.from, c.to, c.column, c.keyColumn].join('\t')),
  );
  text += '\n';
  text += lines(
    'REFUSED_CASTS',
    'Families with no CAST between them, tab-separated: from, error code, the families it has no CAST to.',
    refusedCastsOf(changes),
  );
  return text;
}
