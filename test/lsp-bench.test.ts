import { readFileSync, rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { createBenchWorkspace } from './support/lspBench.js';
import { TestClient } from './support/lspClient.js';

// Benchmark with a client over stdio: after an edit in a 5,000-line migration of a 200-file
// workspace, the time until the new diagnostics arrive, median and p95 over 100 edits spaced as a
// person types them apart (each the first edit after a pause, so the debounce does not delay it).
// Target (issue 7): p95 under 25 ms. The figures are printed; the assertion only catches regressions
// by an order of magnitude, because this machine is shared (docs/editor.md has the figures).

const EDITS = 100;
const workspace = createBenchWorkspace({ files: 200, bigLines: 5000 });
afterAll(() => rmSync(workspace.root, { recursive: true, force: true }));

describe('language server latency', () => {
  it('publishes new diagnostics soon after an edit in a 5,000-line file of a 200-file workspace', async () => {
    const client = await TestClient.start({ root: workspace.root });
    try {
      const uri = await client.open(workspace.big, readFileSync(workspace.big, 'utf8'));
      await client.until(() => client.notifications.some((n) => n.method === 'clickplan/status'), 60_000, 'the first analysis');
      const latencies: number[] = [];
      for (let i = 0; i < EDITS; i++) {
        const text = client.text(uri);
        // Alternately break and repair a statement at a different place each time: every edit changes the diagnostics.
        const change =
          i % 2 === 0
            ? (() => {
                const at = text.indexOf('\nGROUP BY', Math.floor((text.length * (i % 20)) / 20));
                return { start: at, end: at, text: ' (' };
              })()
            : (() => {
                const at = text.indexOf(' (\nGROUP BY');
                return { start: at, end: at + 2, text: '' };
              })();
        const before = client.publications.length;
        const sent = performance.now();
        await client.change(uri, [change]);
        const published = await client.until(() => client.publications.slice(before).find((p) => p.uri === uri), 10_000, `diagnostics after edit ${i}`);
        latencies.push(published.at - sent);
        await new Promise((resolve) => setTimeout(resolve, 120));
      }
      latencies.sort((a, b) => a - b);
      const median = latencies[Math.floor(EDITS / 2)];
      const p95 = latencies[Math.floor(EDITS * 0.95)];
      const analysis = client.notifications
        .filter((n) => n.method === 'clickplan/status')
        .slice(-EDITS)
        .map((n) => (n.params as { analysisMs: number }).analysisMs)
        .sort((a, b) => a - b);
      console.log(
        `lsp bench: ${workspace.lines}-line file, 200 files, ${EDITS} edits: edit → diagnostics median ${median.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms (analysis median ${analysis[Math.floor(analysis.length / 2)]} ms); target p95 < 25 ms`,
      );
      expect(p95).toBeLessThan(1000);
    } finally {
      await client.stop();
    }
  }, 300_000);
});
