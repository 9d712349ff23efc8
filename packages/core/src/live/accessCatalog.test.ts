import { queryBind } from 'chdb';
import { describe, expect, it } from 'vitest';
import { parseSql } from '../syntax/parser.js';
import { type AccessCatalog, emptyAccessCatalog, runAccessStatement, showCreate } from './accessCatalog.js';

// Row policies in the emulated catalog, against ClickHouse's own test 01295_create_row_policy
// (tests/queries/0_stateless/01295_create_row_policy.{sql,reference} of the ClickHouse repository):
// its statements run in order, and each SHOW CREATE prints the reference's line. Both sides go
// through chDB's formatQuery (ClickHouse 26.7's formatter), as a 26.7 server's SHOW CREATE does,
// since the reference was written by an older server (`db.table` unquoted, `AS restrictive`).

const format = (sql: string) => String(queryBind('SELECT formatQuery({q:String})', { q: sql }, 'TSVRaw')).trim();

/** Statements to run, `[policy names, reference lines]` for a SHOW CREATE, or the policies `system.row_policies` lists. */
type Step = string | [string[], string[]] | { policies: string[] };

const STEPS: Step[] = [
  'CREATE ROW POLICY p1_01295 ON db.table',
  [['p1_01295 ON db.table'], ['CREATE ROW POLICY p1_01295 ON db.table']],
  // same as default
  'CREATE ROW POLICY p2_01295 ON db.table USING NONE TO NONE',
  'CREATE POLICY p3_01295 ON db.table',
  [
    ['p2_01295 ON db.table', 'p3_01295 ON db.table'],
    ['CREATE ROW POLICY p2_01295 ON db.table', 'CREATE ROW POLICY p3_01295 ON db.table'],
  ],
  "ALTER ROW POLICY p2_01295 ON db.table RENAME TO 'p2_01295_renamed'",
  [['p2_01295_renamed ON db.table'], ['CREATE ROW POLICY p2_01295_renamed ON db.table']],
  'DROP ROW POLICY p1_01295, p2_01295_renamed, p3_01295 ON db.table',
  // filter
  'CREATE ROW POLICY p1_01295 ON db.table USING a<b AND c>d',
  'CREATE ROW POLICY p2_01295 ON db.table USING id=currentUser() AS RESTRICTIVE',
  'CREATE ROW POLICY p3_01295 ON db.table USING 1 AS PERMISSIVE',
  [
    ['p1_01295 ON db.table', 'p2_01295 ON db.table', 'p3_01295 ON db.table'],
    [
      'CREATE ROW POLICY p1_01295 ON db.table FOR SELECT USING (a < b) AND (c > d)',
      'CREATE ROW POLICY p2_01295 ON db.table AS restrictive FOR SELECT USING id = currentUser()',
      'CREATE ROW POLICY p3_01295 ON db.table FOR SELECT USING 1',
    ],
  ],
  'ALTER ROW POLICY p1_01295 ON db.table FOR SELECT USING 0 AS RESTRICTIVE',
  [['p1_01295 ON db.table'], ['CREATE ROW POLICY p1_01295 ON db.table AS restrictive FOR SELECT USING 0']],
  'DROP ROW POLICY p1_01295, p2_01295, p3_01295 ON db.table',
  // to roles
  'CREATE ROLE r1_01295',
  'CREATE USER u1_01295',
  'CREATE POLICY p1_01295 ON db.table TO NONE',
  'CREATE POLICY p2_01295 ON db.table TO ALL',
  'CREATE POLICY p3_01295 ON db.table TO r1_01295',
  'CREATE POLICY p4_01295 ON db.table TO u1_01295',
  'CREATE POLICY p5_01295 ON db.table TO r1_01295, u1_01295',
  'CREATE POLICY p6_01295 ON db.table TO ALL EXCEPT r1_01295',
  'CREATE POLICY p7_01295 ON db.table TO ALL EXCEPT r1_01295, u1_01295',
  [
    ['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7'].map((p) => `${p}_01295 ON db.table`),
    [
      'CREATE ROW POLICY p1_01295 ON db.table',
      'CREATE ROW POLICY p2_01295 ON db.table TO ALL',
      'CREATE ROW POLICY p3_01295 ON db.table TO r1_01295',
      'CREATE ROW POLICY p4_01295 ON db.table TO u1_01295',
      'CREATE ROW POLICY p5_01295 ON db.table TO r1_01295, u1_01295',
      'CREATE ROW POLICY p6_01295 ON db.table TO ALL EXCEPT r1_01295',
      'CREATE ROW POLICY p7_01295 ON db.table TO ALL EXCEPT r1_01295, u1_01295',
    ],
  ],
  'ALTER POLICY p1_01295 ON db.table TO u1_01295',
  'ALTER POLICY p2_01295 ON db.table TO NONE',
  [
    ['p1_01295 ON db.table', 'p2_01295 ON db.table'],
    ['CREATE ROW POLICY p1_01295 ON db.table TO u1_01295', 'CREATE ROW POLICY p2_01295 ON db.table'],
  ],
  'DROP POLICY p1_01295, p2_01295, p3_01295, p4_01295, p5_01295, p6_01295, p7_01295 ON db.table',
  // multiple policies in one command
  'CREATE ROW POLICY p1_01295, p2_01295 ON db.table USING 1',
  'CREATE ROW POLICY p3_01295 ON db.table, db2.table2 TO u1_01295',
  'CREATE ROW POLICY p4_01295 ON db.table, p5_01295 ON db2.table2 USING a=b',
  // `p4 ON t1, p5 ON t2` is two policies, not each name on each table.
  {
    policies: [
      'p1_01295 ON db.table',
      'p2_01295 ON db.table',
      'p3_01295 ON db.table',
      'p3_01295 ON db2.table2',
      'p4_01295 ON db.table',
      'p5_01295 ON db2.table2',
    ],
  },
  [
    ['p1_01295 ON db.table', 'p2_01295 ON db.table', 'p3_01295 ON db.table', 'p3_01295 ON db2.table2', 'p4_01295 ON db.table', 'p5_01295 ON db2.table2'],
    [
      'CREATE ROW POLICY p1_01295 ON db.table FOR SELECT USING 1',
      'CREATE ROW POLICY p2_01295 ON db.table FOR SELECT USING 1',
      'CREATE ROW POLICY p3_01295 ON db.table TO u1_01295',
      'CREATE ROW POLICY p3_01295 ON db2.table2 TO u1_01295',
      'CREATE ROW POLICY p4_01295 ON db.table FOR SELECT USING a = b',
      'CREATE ROW POLICY p5_01295 ON db2.table2 FOR SELECT USING a = b',
    ],
  ],
  'ALTER POLICY p1_01295, p2_01295 ON db.table TO ALL',
  [
    ['p1_01295 ON db.table', 'p2_01295 ON db.table'],
    ['CREATE ROW POLICY p1_01295 ON db.table FOR SELECT USING 1 TO ALL', 'CREATE ROW POLICY p2_01295 ON db.table FOR SELECT USING 1 TO ALL'],
  ],
  'DROP POLICY p1_01295, p2_01295 ON db.table',
  'DROP POLICY p3_01295 ON db.table, db2.table2',
  'DROP POLICY p4_01295 ON db.table, p5_01295 ON db2.table2',
];

describe('row policies in the emulated catalog (ClickHouse test 01295_create_row_policy)', () => {
  it('runs its statements and shows each policy as its reference does', () => {
    let catalog: AccessCatalog = emptyAccessCatalog();
    const shown: string[] = [];
    const expected: string[] = [];
    for (const step of STEPS) {
      if (typeof step === 'string') {
        const [statement] = parseSql(step).statements;
        if (!statement) throw new Error(`no statement: ${step}`);
        catalog = runAccessStatement(catalog, statement, 'default');
        continue;
      }
      if (!Array.isArray(step)) {
        expect(catalog.entities.filter((e) => e.kind === 'row-policy').map((e) => e.name)).toEqual(step.policies);
        continue;
      }
      const [names, lines] = step;
      for (const name of names) {
        const entity = catalog.entities.find((e) => e.kind === 'row-policy' && e.name === name);
        shown.push(entity ? showCreate(entity, format) : `missing ${name}`);
      }
      expected.push(...lines.map(format));
    }
    expect(shown).toEqual(expected);
    expect(catalog.entities.filter((e) => e.kind === 'row-policy')).toEqual([]);
  });
});
