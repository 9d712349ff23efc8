import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'chdb';
import { describe, expect, it } from 'vitest';
import { enginesFile } from './engines.generate.js';
import { alterDropsConstraints, canAlterInPlace, rowsOfEngine } from './engines.js';

// The checked-in per-engine ALTER support is what chDB says today (issue 13: a plan printed
// `ALTER TABLE ... MODIFY COLUMN` for a TinyLog table, which ClickHouse refuses with code 48).

describe('engine ALTER support', () => {
  it('is what the engine says now (npm run semantics:generate)', () => {
    const dataDirectory = mkdtempSync(join(tmpdir(), 'clickplan-engines-'));
    const session = new Session(dataDirectory);
    try {
      expect(readFileSync(new URL('engines.generated.ts', import.meta.url), 'utf8')).toBe(enginesFile(session));
    } finally {
      session.cleanup?.();
      rmSync(dataDirectory, { recursive: true, force: true });
    }
  }, 120_000);

  it('answers for engine names as written, Replicated variants included, and assumes an unprobed engine can', () => {
    expect(canAlterInPlace('TinyLog', 'ModifyColumn')).toBe(false);
    expect(canAlterInPlace('TinyLog', 'CommentColumn')).toBe(true);
    expect(canAlterInPlace('ReplicatedReplacingMergeTree', 'AddProjection')).toBe(true);
    expect(canAlterInPlace('GenerateRandom', 'AddColumn')).toBe(false);
    expect(canAlterInPlace('SomeFutureEngine', 'AddColumn')).toBe(true);
    expect(canAlterInPlace('TinyLog', 'ModifyOrderBy')).toBe(true);
    expect([rowsOfEngine('Log'), rowsOfEngine('Set'), rowsOfEngine('Null'), rowsOfEngine('Buffer')]).toEqual(['copy', 'unreadable', 'none', 'none']);
    // An ALTER of a GenerateRandom or Merge table writes its metadata without the constraints (issue 13).
    expect(['GenerateRandom', 'Merge', 'MergeTree', 'Memory', 'SomeFutureEngine'].map(alterDropsConstraints)).toEqual([true, true, false, false, false]);
  });
});
