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
  it('gives what analyzeFiles gives, hashes and graph included, before and after edits', () => {
    const cache = new AnalysisCache();
    const first = analyzeCached(files, 'analytics', cache);
    const edited = files.map((f, i) => (i === 1 ? { ...f, text: f.text.replace('count()', 'sum(1)') } : f));
    const second = analyzeCached(edited, 'analytics', cache);
    // An edit that changes which objects are read: the graph is built again.
    const rewired = edited.map((f, i) => (i === 2 ? { ...f, text: f.text.replace('FROM events', 'FROM events_daily') } : f));
    const third = analyzeCached(rewired, 'analytics', cache);
    for (const [cached, input] of [
      [first, files],
      [second, edited],
      [third, rewired],
    ] as const) {
      const plain = analyzeFiles([...input], { defaultDatabase: 'analytics' });
      expect(cached.graph.dependencies).toEqual(plain.graph.dependencies);
      expect([...cached.graph.objects.values()]).toEqual([...plain.graph.objects.values()]);
      expect(cached.graph.creationOrder).toEqual(plain.graph.creationOrder);
      expect(cached.graph.dropOrder).toEqual(plain.graph.dropOrder);
      expect(cached.graph.diagnostics).toEqual(plain.graph.diagnostics);
      for (const id of plain.graph.objects.keys()) {
        expect(cached.graph.downstreamOf(id)).toEqual(plain.graph.downstreamOf(id));
        expect(cached.graph.upstreamOf(id)).toEqual(plain.graph.upstreamOf(id));
      }
      expect([...cached.hashes]).toEqual([...plain.hashes]);
      expect(cached.hashes.size).toBe(plain.hashes.size);
      expect(cached.diagnostics).toEqual(plain.diagnostics);
      expect(cached.schema.objects.map((o) => o.id)).toEqual(plain.schema.objects.map((o) => o.id));
    }
    expect(second.hashes.get('analytics.events_daily_mv')).not.toBe(first.hashes.get('analytics.events_daily_mv'));
    expect(third.graph.downstreamOf('analytics.events_daily')).toContain('analytics.sessions_mv');
    // Files that did not change are not parsed again.
    expect(second.parsed[0].statements).toBe(first.parsed[0].statements);
    expect(second.parsed[1].statements).not.toBe(first.parsed[1].statements);
  });
});
