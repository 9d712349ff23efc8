import { queryBind } from 'chdb';

// Test support: ClickHouse's parser (chDB, in-process) judging one statement. Not used by the product;
// free of vitest so that command-line runners (test/conformance/run.ts) can use it too.

/** Whether ClickHouse's parser accepts a statement; when not, its message and the error's offset in `sql` (when it says). */
export type ClickHouseVerdict = { accepted: true } | { accepted: false; message: string; offset?: number };

/** ClickHouse's verdict through `formatQuerySingleLine`, with `settings` (e.g. `SETTINGS implicit_select = 0`) after the query. */
export function clickhouseVerdict(sql: string, settings = ''): ClickHouseVerdict {
  try {
    queryBind(`SELECT formatQuerySingleLine({q:String}) ${settings}`, { q: sql }, 'TSVRaw');
    return { accepted: true };
  } catch (error) {
    const message = String((error as Error).message);
    const position = /failed at position (\d+)/.exec(message);
    // ClickHouse counts UTF-8 bytes from 1; our offsets are UTF-16 code units from 0.
    const offset = position
      ? Buffer.from(sql, 'utf8')
          .subarray(0, Number(position[1]) - 1)
          .toString('utf8').length
      : undefined;
    return { accepted: false, message, offset };
  }
}
