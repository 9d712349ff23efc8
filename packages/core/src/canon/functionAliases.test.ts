import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'chdb';
import { afterAll, describe, expect, it } from 'vitest';
import { buildModel } from '../model/replay.js';
import { parseSql } from '../syntax/parser.js';
import { canonicalForm, hashObject } from './canonical.js';

// Issue #13, defect 7: ClickHouse stores a function alias under the function it names (`trim(x)` as
// `trimBoth(x)`, `UCASE(s)` as `upper(s)`). Differential test over every alias chDB lists: each is
// called with the first argument shape chDB accepts, in a column DEFAULT (in a view for aggregate
// functions), and the repository DDL must hash equal to the stored form.

/** Columns of every table, so the argument shapes below can refer to them. */
const COLUMNS =
  's String, n UInt64, f Float64, d DateTime, a Array(UInt64), fa Array(Float32), t Tuple(Float64, Float64), m Map(String, String), j String, b UInt8';

/** Argument lists tried in order; the first one chDB accepts is the case. */
const SHAPES = [
  '',
  's',
  'n',
  'f',
  'd',
  'a',
  'fa',
  't',
  'm',
  's, s',
  's, n',
  'n, n',
  'f, f',
  'fa, fa',
  't, t',
  'a, a',
  'a, n',
  'n, s',
  'd, n',
  "d, 'UTC'",
  "'day', d, d",
  "s, 'a', 'b'",
  's, n, n',
  's, s, s',
  'n, n, n',
  'fa, fa, 2',
  'fa, 2',
  't, 2',
  "s, '%Y'",
  "'%Y', s",
  "'a', 'b', 'c', 'd', 'e'",
  'b, n, n',
  "'day', d",
  'd, toIntervalDay(1)',
  'toFixedString(s, 16)',
  'toUInt32(n)',
  "s, 'a', 1",
  'n, n, n, n',
  'true',
  'm, s',
  'f, f, f, n',
  'f, f, f, f, f',
];

/** Aggregate function calls: bare, or with a parameter (`medianGK(100)(f)`). */
const AGGREGATE_CALLS = ['', '(10)', '(0.01)'];

/** Aliases no argument shape above can call, each with the reason. */
const SKIPPED: Record<string, string> = {
  AIClassify: 'calls an AI provider, which needs credentials',
  AIExtract: 'calls an AI provider, which needs credentials',
  AIGenerate: 'calls an AI provider, which needs credentials',
  AITranslate: 'calls an AI provider, which needs credentials',
  ST_AsMVT: 'needs a layer name parameter and geometry tuples',
  ST_AsMVTGeom: 'needs geometry and tile-extent arguments',
  distanceCosineTransposed: 'needs a QBit column',
  distanceL2Transposed: 'needs a QBit column',
  scalarProductTransposed: 'needs a QBit column',
  timeSeriesLastToGrid: 'needs four grid parameters and timestamp/value columns',
};

interface Alias {
  name: string;
  alias_to: string;
  is_aggregate: number;
}

const dataDirectory = mkdtempSync(join(tmpdir(), 'clickplan-aliases-'));
const session = new Session(dataDirectory);
afterAll(() => {
  session.cleanup?.();
  rmSync(dataDirectory, { recursive: true, force: true });
});

function accepts(sql: string): boolean {
  try {
    session.query(sql);
    return true;
  } catch {
    return false;
  }
}

function stored(database: string, name: string): string {
  return session.query(`SELECT create_table_query FROM system.tables WHERE database = '${database}' AND name = '${name}'`, 'TSVRaw').trim();
}

function modelled(sql: string) {
  const parsed = parseSql(sql, { file: 'case.sql' });
  const schema = buildModel([{ file: 'case.sql', statements: parsed.statements }], { defaultDatabase: 'aliases' });
  return { diagnostics: [...parsed.diagnostics, ...schema.diagnostics], object: schema.objects.find((o) => o.kind === 'table' || o.kind === 'view') };
}

/** The DDL of one case, or undefined when no shape is accepted. */
function caseFor(alias: Alias, i: number): string | undefined {
  const call = (shape: string) => `${alias.name}(${shape})`;
  if (alias.is_aggregate) {
    for (const parameters of AGGREGATE_CALLS)
      for (const shape of SHAPES)
        for (const over of ['', ' OVER ()']) {
          const sql = `CREATE VIEW aliases.v_${i} AS SELECT ${alias.name}${parameters}(${shape})${over} AS r FROM aliases.source`;
          if (accepts(sql)) return sql;
        }
    return undefined;
  }
  for (const shape of SHAPES) {
    // The column's type is the call's: found with an untyped column first, written out in the case.
    if (!accepts(`CREATE TABLE aliases.probe_${i} (${COLUMNS}, r DEFAULT ${call(shape)}) ENGINE = Memory`)) continue;
    const type = /`r` (.*) DEFAULT /.exec(stored('aliases', `probe_${i}`))?.[1];
    session.query(`DROP TABLE aliases.probe_${i}`);
    const sql = `CREATE TABLE aliases.t_${i} (${COLUMNS}, r ${type} DEFAULT ${call(shape)}) ENGINE = Memory`;
    session.query(sql);
    return sql;
  }
  // Not allowed in a DEFAULT (arrayJoin): in a view's query.
  for (const shape of SHAPES) {
    const sql = `CREATE VIEW aliases.v_${i} AS SELECT ${call(shape)} AS r FROM aliases.source`;
    if (accepts(sql)) return sql;
  }
  return undefined;
}

describe('function aliases (issue #13)', () => {
  it('every alias chDB lists hashes equal to its stored form', () => {
    session.query('CREATE DATABASE aliases');
    session.query(`CREATE TABLE aliases.source (${COLUMNS}) ENGINE = Memory`);
    const aliases = JSON.parse(
      session.query(
        "SELECT f.name AS name, f.alias_to AS alias_to, t.is_aggregate AS is_aggregate FROM system.functions AS f LEFT JOIN system.functions AS t ON t.name = f.alias_to WHERE f.alias_to != '' ORDER BY f.name",
        'JSON',
      ),
    ).data as Alias[];
    const uncovered: string[] = [];
    const disagreements: string[] = [];
    let covered = 0;
    aliases.forEach((alias, i) => {
      if (alias.name in SKIPPED) return;
      const sql = caseFor(alias, i);
      if (!sql) {
        uncovered.push(alias.name);
        return;
      }
      covered++;
      const name = sql.startsWith('CREATE VIEW') ? `v_${i}` : `t_${i}`;
      const storedDdl = stored('aliases', name);
      const written = modelled(sql);
      const read = modelled(storedDdl);
      if (written.diagnostics.length || read.diagnostics.length || !written.object || !read.object) {
        disagreements.push(`${alias.name}: not modelled: ${[...written.diagnostics, ...read.diagnostics].map((d) => d.message).join('; ')}`);
      } else if (hashObject(written.object) !== hashObject(read.object)) {
        disagreements.push(
          `${alias.name}\n  stored: ${storedDdl}\n  ours:   ${canonicalForm(written.object).replace(/\n/g, ' | ')}\n  theirs: ${canonicalForm(read.object).replace(/\n/g, ' | ')}`,
        );
      }
    });
    const skipped = Object.keys(SKIPPED).length;
    console.log(
      `function aliases: ${aliases.length} listed, ${covered} covered, ${covered - disagreements.length} agree, ${skipped} skipped (${Object.entries(SKIPPED)
        .map(([a, why]) => `${a}: ${why}`)
        .join('; ')})`,
    );
    expect(uncovered).toEqual([]);
    expect(disagreements).toEqual([]);
    expect(covered + skipped).toBe(aliases.length);
  }, 300_000);
});
