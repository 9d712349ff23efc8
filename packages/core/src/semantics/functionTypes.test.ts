import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'chdb';
import { afterAll, describe, expect, it } from 'vitest';
import { functionTypesFile } from './functionTypes.generate.js';
import { functionResultType, leastSupertype } from './functionTypes.js';

// The checked-in function result types are what chDB says today: regenerate and compare. When this
// fails after a chDB upgrade, run `npm run semantics:generate` and review the diff.

const dataDirectory = mkdtempSync(join(tmpdir(), 'clickplan-function-types-'));
const session = new Session(dataDirectory);
afterAll(() => {
  session.cleanup?.();
  rmSync(dataDirectory, { recursive: true, force: true });
});

describe('generated function result types', () => {
  it('are what the engine answers now (npm run semantics:generate)', () => {
    expect(readFileSync(new URL('functionTypes.generated.ts', import.meta.url), 'utf8')).toBe(functionTypesFile(session));
  }, 1_800_000);

  it('look up probed signatures, unwrap Nullable and LowCardinality, and know nothing else', () => {
    expect(functionResultType('plus', ['UInt8', 'UInt8'])).toBe('UInt16');
    expect(functionResultType('plus', ['Nullable(UInt32)', 'UInt8'])).toBe('Nullable(UInt64)');
    expect(functionResultType('lower', ['LowCardinality(String)'])).toBe('LowCardinality(String)');
    expect(functionResultType('sum', ['Int32'])).toBe('Int64');
    expect(functionResultType('count', [])).toBe('UInt64');
    // A scale given by a constant's value cannot be looked up by types.
    expect(functionResultType('toDecimal64', ['UInt64', 'UInt8'])).toBeUndefined();
    expect(functionResultType('plus', ['IPv4', 'Int128'])).toBeUndefined();
    // Every probe of divide gave Float64, but none had an array: chDB says Array(Float64) for one.
    expect(functionResultType('divide', ['Array(UInt32)', 'UInt16'])).toBeUndefined();
    expect(leastSupertype(['UInt8', 'Int8'])).toBe('Int16');
    expect(leastSupertype(['Nullable(UInt8)', 'UInt32'])).toBe('Nullable(UInt32)');
    // ClickHouse 26.7 has no common type of a string and a number, and if() makes a Variant of them.
    expect(leastSupertype(['String', 'UInt8'])).toBe('Variant(String, UInt8)');
    expect(leastSupertype(['LowCardinality(String)', 'String'])).toBeUndefined();
  });
});
