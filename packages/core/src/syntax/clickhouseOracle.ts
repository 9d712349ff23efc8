import { queryBind } from 'chdb';

// Test support: ClickHouse (chDB, in-process) as the oracle for syntax tests. Not used by the product.

/** ClickHouse's verdict on one statement: undefined when it accepts, else the line of its error (when it says). */
export function clickhouseRejection(sql: string): { line?: number } | undefined {
  try {
    queryBind('SELECT formatQuerySingleLine({q:String})', { q: sql }, 'TSVRaw');
    return undefined;
  } catch (error) {
    const position = /failed at position (\d+)/.exec(String((error as Error).message));
    if (!position) return {};
    // ClickHouse counts UTF-8 bytes from 1; our offsets are UTF-16 code units from 0.
    const offset = Buffer.from(sql, 'utf8')
      .subarray(0, Number(position[1]) - 1)
      .toString('utf8').length;
    return { line: lineOf(sql, offset) };
  }
}

/** 1-based line of an offset. */
export function lineOf(sql: string, offset: number): number {
  return sql.slice(0, offset).split('\n').length;
}
