import { describe, expect, it } from 'vitest';
import { parseSql } from '../syntax/parser.js';
import { isRerunnable } from './statements.js';
import { rerunOf } from './uncertain.js';

/** What the deploy does with each statement when its outcome is unknown. */
function kindOf(sql: string): string {
  const [statement] = parseSql(sql).statements;
  if (!statement) throw new Error(`no statement: ${sql}`);
  const rerun = rerunOf(statement, sql, isRerunnable(statement));
  switch (rerun.kind) {
    case 'rerun':
      return 'rerun';
    case 'deduplicate':
      return `deduplicate ${rerun.table.database ?? ''}.${rerun.table.name}`;
    case 'mutation':
      return `mutation ${rerun.table.database ?? ''}.${rerun.table.name}: ${rerun.commands.join(' | ')}`;
    case 'stop':
      return `stop: ${rerun.why}`;
  }
}

describe('rerunOf', () => {
  it('runs again only what is harmless twice, deduplicates INSERTs, looks mutations up, and stops for the rest', () => {
    const cases: [string, string][] = [
      ['CREATE TABLE d.t (x UInt8) ENGINE = MergeTree ORDER BY x', 'rerun'],
      ['DROP TABLE d.t', 'rerun'],
      ['RENAME TABLE d.a TO d.b', 'rerun'],
      ['ALTER TABLE d.t DROP COLUMN x', 'rerun'],
      ['ALTER TABLE d.t MODIFY COLUMN x UInt16', 'rerun'],
      ['INSERT INTO d.t SELECT number FROM numbers(3)', 'deduplicate d.t'],
      ['INSERT INTO t VALUES (1)', 'deduplicate .t'],
      ["INSERT INTO FUNCTION file('x.csv') SELECT 1", 'stop: an INSERT INTO FUNCTION cannot be deduplicated'],
      ['ALTER TABLE d.t UPDATE x = x + 1 WHERE x < 5, DELETE WHERE x = 9', 'mutation d.t: UPDATE x = x + 1 WHERE x < 5 | DELETE WHERE x = 9'],
      ['DELETE FROM d.t WHERE x = 1', 'mutation d.t: UPDATE _row_exists = 0 WHERE x = 1'],
      ['UPDATE d.t SET x = 2 WHERE x = 1', 'stop: a lightweight UPDATE writes patch parts that leave no trace to look up'],
      ['TRUNCATE TABLE d.t', 'stop: running TRUNCATE again deletes the rows written since'],
      ['EXCHANGE TABLES d.a AND d.b', 'stop: running EXCHANGE again swaps the tables back'],
      [
        'CREATE OR REPLACE TABLE d.t (x UInt8) ENGINE = MergeTree ORDER BY x',
        'stop: running CREATE OR REPLACE / REPLACE TABLE again replaces the table with the rows written since',
      ],
      ['ALTER TABLE d.t CLEAR COLUMN x', 'stop: running CLEAR COLUMN x again may change data a second time'],
      ['ALTER TABLE d.t UPDATE x = 1 WHERE 1, DROP COLUMN y', 'stop: running UPDATE x = 1 WHERE 1 again may change data a second time'],
    ];
    expect(cases.map(([sql]) => [sql, kindOf(sql)])).toEqual(cases);
  });
});
