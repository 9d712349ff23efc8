import type { IntervalExpression } from './ast.js';
import { INTERVAL_UNITS } from './keywords.js';
import type { Parser } from './parser.js';

// The intervals of `REFRESH EVERY|AFTER ... [OFFSET ...] [RANDOMIZE FOR ...]`, with the checks
// ClickHouse makes when it reads them (its CalendarTimeInterval): whole seconds or longer, a
// positive period, and an offset shorter than the shortest the period can be.

/** Length of each unit: months for the calendar units, seconds for the others; none for sub-second units. */
const UNIT_LENGTHS = new Map<string, { months: number } | { seconds: number }>([
  ...['SECOND', 'SECONDS', 'SS', 'S'].map((u) => [u, { seconds: 1 }] as const),
  ...['MINUTE', 'MINUTES', 'MI', 'N'].map((u) => [u, { seconds: 60 }] as const),
  ...['HOUR', 'HOURS', 'HH', 'H'].map((u) => [u, { seconds: 3600 }] as const),
  ...['DAY', 'DAYS', 'DD', 'D'].map((u) => [u, { seconds: 86400 }] as const),
  ...['WEEK', 'WEEKS', 'WK', 'WW'].map((u) => [u, { seconds: 7 * 86400 }] as const),
  ...['MONTH', 'MONTHS', 'MM', 'M'].map((u) => [u, { months: 1 }] as const),
  ...['QUARTER', 'QUARTERS', 'QQ', 'Q'].map((u) => [u, { months: 3 }] as const),
  ...['YEAR', 'YEARS', 'YYYY', 'YY'].map((u) => [u, { months: 12 }] as const),
]);

/** `n UNIT`, or a sum such as `1 DAY 2 HOUR` (one part per unit); ClickHouse takes no unit shorter than a second here. */
export function parseRefreshInterval(p: Parser): IntervalExpression[] {
  const parts: IntervalExpression[] = [];
  do {
    const start = p.tokenStart;
    const value = p.numberLiteral('a number of time units');
    if (!INTERVAL_UNITS.has(p.word())) p.fail('Expected a time unit such as `MINUTE` or `HOUR`');
    const unit = p.word();
    if (!UNIT_LENGTHS.has(unit)) p.fail('Expected a unit of a second or longer: a refresh interval takes no sub-second unit');
    p.next();
    parts.push({ kind: 'IntervalExpression', value, unit, start, end: p.lastEnd });
  } while (p.at('Number') && INTERVAL_UNITS.has(p.word(1)));
  return parts;
}

/** A refresh period must be positive, as ClickHouse checks; fails at the period otherwise. */
export function checkRefreshPeriod(p: Parser, period: IntervalExpression[]): void {
  const { months, seconds } = lengthOf(period);
  if (months === 0 && seconds === 0) p.fail('Expected a positive refresh period', undefined, p.indexAt(period[0].start));
}

/**
 * The offset must be shorter than the period however long the months are: ClickHouse compares the
 * offset at its longest (months of 31 days, years of 366) with the period at its shortest (28, 365).
 */
export function checkRefreshOffset(p: Parser, period: IntervalExpression[], offset: IntervalExpression[]): void {
  if (maxSeconds(lengthOf(offset)) >= minSeconds(lengthOf(period)))
    p.fail(
      'Expected an OFFSET shorter than the refresh period',
      'Make the offset shorter than the period, as ClickHouse requires.',
      p.indexAt(offset[0].start),
    );
}

function lengthOf(parts: IntervalExpression[]): { months: number; seconds: number } {
  let months = 0;
  let seconds = 0;
  for (const part of parts) {
    // parseRefreshInterval makes every part a number literal and a unit.
    const length = UNIT_LENGTHS.get(part.unit ?? '');
    const value = part.value.kind === 'Literal' ? Number(part.value.value) : 0;
    if (length && 'months' in length) months += value * length.months;
    else if (length) seconds += value * length.seconds;
  }
  return { months, seconds };
}

const DAY = 86400;

function minSeconds({ months, seconds }: { months: number; seconds: number }): number {
  return DAY * (Math.floor(months / 12) * 365 + (months % 12) * 28) + seconds;
}

function maxSeconds({ months, seconds }: { months: number; seconds: number }): number {
  return DAY * (Math.floor(months / 12) * 366 + (months % 12) * 31) + seconds;
}
