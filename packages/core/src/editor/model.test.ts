import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeFiles } from '../inspect/analyze.js';
import { AnalysisCache, analyzeCached } from './model.js';

// The editor's cached analysis is `analyzeFiles` with parses and hashes reused: the same answer.

const dir = new URL('../../../../fixtures/workspace/migrations', import.meta.url).pathname;
const files = readdirSync(dir)
  .sort()
  .map((name) => ({ file: name, text: readFileSync(join(dir, name), 'utf8') }));

describe('cached analysis', () => {
  it('gives what analyzeFiles gives, hashes included, before and after an edit', () => {
    const cache = new AnalysisCache();
    const first = analyzeCached(files, 'analytics', cache);
    const edited = files.map((f, i) => (i === 1 ? { ...f, text: f.text.replace('count()', 'sum(1)') } : f));
    const second = analyzeCached(edited, 'analytics', cache);
    for (const [cached, input] of [
      [first, files],
      [second, edited],
    ] as const) {
      const plain = analyzeFiles([...input], { defaultDatabase: 'analytics' });
      expect([...cached.hashes]).toEqual([...plain.hashes]);
      expect(cached.hashes.size).toBe(plain.hashes.size);
      expect(cached.diagnostics).toEqual(plain.diagnostics);
      expect(cached.schema.objects.map((o) => o.id)).toEqual(plain.schema.objects.map((o) => o.id));
    }
    expect(second.hashes.get('analytics.events_daily_mv')).not.toBe(first.hashes.get('analytics.events_daily_mv'));
    // Files that did not change are not parsed again.
    expect(second.parsed[0].statements).toBe(first.parsed[0].statements);
    expect(second.parsed[1].statements).not.toBe(first.parsed[1].statements);
  });
});
