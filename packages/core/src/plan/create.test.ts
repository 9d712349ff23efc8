import { describe, expect, it } from 'vitest';
import { buildModel } from '../model/replay.js';
import { clickhouseRejection } from '../syntax/clickhouseOracle.js';
import { parseSql } from '../syntax/parser.js';
import { printStatement } from '../syntax/printer.js';
import { createStatement } from './create.js';

describe('the CREATE statements a plan writes (issue 13)', () => {
  it('qualify the tables of a view, not its CTEs, with the database in USE where it was created', () => {
    const sql = `USE app;
      CREATE VIEW v AS
        WITH e AS (SELECT a FROM src)
        SELECT e.a FROM e JOIN other ON other.a = e.a WHERE e.a IN (SELECT a FROM third) AND EXISTS (SELECT 1 FROM db2.fourth)`;
    const schema = buildModel([{ file: 'v.sql', statements: parseSql(sql).statements }]);
    const [view] = schema.objects;
    const printed = printStatement(createStatement(view, { orReplace: false, ifNotExists: true }));
    expect(printed.replace(/\s+/g, ' ')).toBe(
      'CREATE VIEW IF NOT EXISTS app.v AS WITH e AS ( SELECT a FROM app.src ) SELECT e.a FROM e JOIN app.other ON other.a = e.a WHERE e.a IN ( SELECT a FROM app.third ) AND EXISTS ( SELECT 1 FROM db2.fourth )',
    );
    expect(clickhouseRejection(printed)).toBeUndefined();
  });

  it('qualify the table a CTE of the same name reads (issue 19)', () => {
    // In ClickHouse 26.7 a CTE's query does not see itself: `WITH t AS (SELECT x + 1 AS x FROM t)`
    // reads the table `t` (a row 7 gives 8), and the outer `FROM t` reads the CTE.
    const sql = `USE app;
      CREATE VIEW v AS WITH t AS (SELECT x + 1 AS x FROM t) SELECT x FROM t`;
    const [view] = buildModel([{ file: 'v.sql', statements: parseSql(sql).statements }]).objects;
    const printed = printStatement(createStatement(view, { orReplace: false, ifNotExists: true }));
    expect(printed.replace(/\s+/g, ' ')).toBe('CREATE VIEW IF NOT EXISTS app.v AS WITH t AS ( SELECT x + 1 AS x FROM app.t ) SELECT x FROM t');
  });
});
