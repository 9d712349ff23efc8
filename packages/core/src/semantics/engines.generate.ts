import { ENGINE_PROBES, header, lines, type SemanticsEngine } from './generate.js';

// Asks chDB, per engine, which ALTER commands change a table in place (the others fail with code 48,
// "Alter of type ... is not supported by storage"), and whether its rows can be copied into a new
// table: what a plan does when an engine refuses an ALTER (rebuild with a copy, or re-create).

/** The probe tables' columns (Kafka takes no DEFAULT). */
const COLUMNS = "(a UInt64, sign Int8, c UInt8, d UInt8 COMMENT 'probe')";
const CONSTRAINED_COLUMNS = `${COLUMNS.slice(0, -1)}, CONSTRAINT k CHECK c = c)`;

/** One ALTER command per AST kind the planner prints, on a probe table. */
const ALTER_PROBES: { kind: string; sql: string; setup?: string }[] = [
  { kind: 'AddColumn', sql: 'ADD COLUMN x UInt8' },
  { kind: 'DropColumn', sql: 'DROP COLUMN c' },
  { kind: 'ModifyColumn', sql: 'MODIFY COLUMN c UInt16' },
  { kind: 'ModifyColumnRemove', sql: 'MODIFY COLUMN d REMOVE COMMENT' },
  { kind: 'CommentColumn', sql: "COMMENT COLUMN c 'probe'" },
  { kind: 'RenameColumn', sql: 'RENAME COLUMN c TO y' },
  { kind: 'ModifyComment', sql: "MODIFY COMMENT 'probe'" },
  { kind: 'AddIndex', sql: 'ADD INDEX i c TYPE minmax' },
  { kind: 'DropIndex', sql: 'DROP INDEX i', setup: 'ADD INDEX i c TYPE minmax' },
  { kind: 'AddProjection', sql: 'ADD PROJECTION p (SELECT c ORDER BY c)' },
  { kind: 'DropProjection', sql: 'DROP PROJECTION p', setup: 'ADD PROJECTION p (SELECT c ORDER BY c)' },
  { kind: 'AddConstraint', sql: 'ADD CONSTRAINT k CHECK c = c' },
  { kind: 'DropConstraint', sql: 'DROP CONSTRAINT k', setup: 'ADD CONSTRAINT k CHECK c = c' },
];

const ROWS_ELSEWHERE = new Set(['Buffer', 'URL', 'S3', 'Kafka']);

/** Engines whose ALTERs are not probed: TimeSeries derives its columns, so the planner never alters them. */
const NOT_PROBED = new Set(['TimeSeries']);

/**
 * What a rebuild can do with the rows: `copy` (an INSERT keeps the row and a SELECT reads it back),
 * `unreadable` (the engine keeps rows that no SELECT reads: Set), `none` (it keeps none of its own).
 * A Buffer's rows belong to its destination, where they are flushed: copied, they would be written twice.
 * URL, S3 and Kafka keep theirs in a service the probe has not (an INSERT waits on its retries).
 */
function rowsOf(engine: SemanticsEngine, probeEngine: string, table: string): 'copy' | 'unreadable' | 'none' {
  if (ROWS_ELSEWHERE.has(probeEngine)) return 'none';
  try {
    engine.query(`INSERT INTO ${table} (a, sign, c) VALUES (1, 1, 1)`);
  } catch {
    return 'none';
  }
  try {
    return engine.query(`SELECT count() FROM ${table}`, 'TSVRaw').trim() === '1' ? 'copy' : 'none';
  } catch {
    return 'unreadable';
  }
}

/**
 * Whether the engine keeps a table's constraints through an ALTER: GenerateRandom and Merge tables
 * store them at CREATE and write their metadata without them on any ALTER (26.7), so an ALTER that
 * changes only a comment drops them. An engine that takes no constraint or no MODIFY COMMENT keeps them.
 */
function constraintsOf(engine: SemanticsEngine, create: (name: string) => void, table: string): 'keeps-constraints' | 'drops-constraints' {
  try {
    create(table.split('.')[1] as string);
    engine.query(`ALTER TABLE ${table} MODIFY COMMENT 'probe'`);
  } catch {
    return 'keeps-constraints';
  }
  const query = engine.query(`SELECT create_table_query FROM system.tables WHERE database = 'engines_probe' AND name = '${table.split('.')[1]}'`, 'TSVRaw');
  return query.includes('CONSTRAINT') ? 'keeps-constraints' : 'drops-constraints';
}

/** Per probed engine: its rows, whether an ALTER keeps its constraints, then the ALTER kinds it runs in place. */
export function probeEngineAlters(engine: SemanticsEngine): string[] {
  engine.query('DROP DATABASE IF EXISTS engines_probe');
  engine.query('CREATE DATABASE engines_probe');
  try {
    engine.query(`CREATE TABLE engines_probe.probe_target ${COLUMNS} ENGINE = Memory`);
    const create = (name: string, clause: string, settings: string | undefined, columns = COLUMNS) =>
      engine.query(
        `CREATE TABLE engines_probe.${name} ${columns} ENGINE = ${clause.split('(default, ').join('(engines_probe, ')}${settings ? ` SETTINGS ${settings}` : ''}`,
      );
    const entries: string[] = [];
    for (const [i, probe] of ENGINE_PROBES.entries()) {
      if (NOT_PROBED.has(probe.engine)) continue;
      create(`rows_${i}`, probe.clause, probe.settings);
      const rows = rowsOf(engine, probe.engine, `engines_probe.rows_${i}`);
      const constraints = constraintsOf(engine, (name) => create(name, probe.clause, probe.settings, CONSTRAINED_COLUMNS), `engines_probe.constrained_${i}`);
      const supported = ALTER_PROBES.filter((alter, k) => {
        const table = `engines_probe.alter_${i}_${k}`;
        create(`alter_${i}_${k}`, probe.clause, probe.settings);
        try {
          if (alter.setup) engine.query(`ALTER TABLE ${table} ${alter.setup}`);
          engine.query(`ALTER TABLE ${table} ${alter.sql}`);
          return true;
        } catch (error) {
          const message = (error as Error).message;
          if (probe.engine === 'MergeTree') throw new Error(`the probe \`${alter.sql}\` fails on MergeTree: ${message}`);
          // Only NOT_IMPLEMENTED says the engine cannot: another refusal is about this probe's table
          // (a projection on a ReplacingMergeTree needs deduplicate_merge_projection_mode, code 344).
          return !/Code: 48\b/.test(message);
        }
      });
      entries.push([probe.engine, rows, constraints, ...supported.map((a) => a.kind)].join(' '));
    }
    return entries;
  } finally {
    engine.query('DROP DATABASE IF EXISTS engines_probe');
  }
}

/** The content of engines.generated.ts. */
export function enginesFile(engine: SemanticsEngine): string {
  const version = engine.query('SELECT version()', 'TSVRaw').trim();
  return `${header(version, 'ALTER commands and a row copy, tried on a table of each engine of ENGINE_PROBES (engines.generate.ts).')}${lines(
    'ENGINE_ALTERS',
    "Per engine: `engine rows constraints kinds...`, where rows is `copy`, `unreadable` or `none` (what a rebuild can do with them), constraints says whether an ALTER keeps the table's constraints, then the AST kinds of the ALTER commands the engine runs in place (the others fail with code 48).",
    probeEngineAlters(engine),
  )}`;
}
