import { readFileSync, rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { createBenchWorkspace } from './support/lspBench.js';
import { TestClient } from './support/lspClient.js';

// Benchmark with a client over stdio: after an edit in a 5,000-line migration of a 200-file
// workspace, the time until the new diagnostics arrive, median and p95 over 60 edits of each of two
// kinds, spaced as a person types them (each the first edit after a pause, so the debounce does not
// delay it).
// Target (issue 7): p95 under 25 ms. The figures are printed; the assertion only catches regressions
// by an order of magnitude, because this machine is shared (docs/editor.md has the figures).

const EDITS = 60;
const workspace = createBenchWorkspace({ files: 200, bigLines: 5000 });
afterAll(() => rmSync(workspace.root, { recursive: true, force: true }));

describe('language server latency', () => {
  /** Sends `EDITS` edits made by `edit` (one every 120 ms), and returns the latencies until the file's new diagnostics arrived, sorted. */
  async function measure(client: TestClient, uri: string, edit: (text: string, i: number) => { start: number; end: number; text: string }): Promise<number[]> {
    const latencies: number[] = [];
    for (let i = 0; i < EDITS; i++) {
      const before = client.publications.length;
      const sent = performance.now();
      await client.change(uri, [edit(client.text(uri), i)]);
      const published = await client.until(() => client.publications.slice(before).find((p) => p.uri === uri), 10_000, `diagnostics after edit ${i}`);
      latencies.push(published.at - sent);
      await new Promise((resolve) => setTimeout(resolve, 120));
    }
    return latencies.sort((a, b) => a - b);
  }

  const figures = (latencies: number[]) => `median ${latencies[Math.floor(EDITS / 2)].toFixed(1)} ms, p95 ${latencies[Math.floor(EDITS * 0.95)].toFixed(1)} ms`;

  it('publishes new diagnostics soon after an edit in a 5,000-line file of a 200-file workspace', async () => {
    const client = await TestClient.start({ root: workspace.root });
    try {
      const uri = await client.open(workspace.big, readFileSync(workspace.big, 'utf8'));
      await client.until(() => client.notifications.some((n) => n.method === 'clickplan/status'), 60_000, 'the first analysis');
      // A type changed and changed back (a sorting-key column made Nullable, at a different place each time): a finding comes and goes, the dependencies stay.
      const typed = await measure(client, uri, (text, i) => {
        if (i % 2 === 1) {
          const at = text.indexOf('user_id Nullable(UInt64)');
          return { start: at + 'user_id '.length, end: at + 'user_id Nullable(UInt64)'.length, text: 'UInt64' };
        }
        const at = text.indexOf('user_id UInt64', Math.floor((text.length * (i % 20)) / 20));
        return { start: at + 'user_id '.length, end: at + 'user_id UInt64'.length, text: 'Nullable(UInt64)' };
      });
      // A statement broken and repaired (a stray parenthesis): a syntax error comes and goes, and a view leaves the schema and comes back.
      const broken = await measure(client, uri, (text, i) => {
        if (i % 2 === 1) {
          const at = text.indexOf(' (\nGROUP BY');
          return { start: at, end: at + 2, text: '' };
        }
        const at = text.indexOf('\nGROUP BY', Math.floor((text.length * (i % 20)) / 20));
        return { start: at, end: at, text: ' (' };
      });
      console.log(
        `lsp bench: ${workspace.lines}-line file, 200 files, ${EDITS} edits each: type changed → diagnostics ${figures(typed)}; statement broken → diagnostics ${figures(broken)}; target p95 < 25 ms`,
      );
      expect(typed[Math.floor(EDITS * 0.95)]).toBeLessThan(1000);
      expect(broken[Math.floor(EDITS * 0.95)]).toBeLessThan(1000);
    } finally {
      await client.stop();
    }
  }, 300_000);
});
