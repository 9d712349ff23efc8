import { spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createBenchWorkspace } from './support/lspBench.js';
import { repositoryRoot, serverCommand, TestClient } from './support/lspClient.js';

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

  it('publishes new diagnostics soon after an edit typed in Neovim, a real client', async () => {
    const out = join(workspace.root, 'neovim-bench.json');
    const script = join(workspace.root, 'bench.lua');
    writeFileSync(
      script,
      `
local client_id = vim.lsp.start_client({
  name = 'clickplan', cmd = ${JSON.stringify(serverCommand()).replace(/^\[/, '{').replace(/\]$/, '}')}, cmd_cwd = ${JSON.stringify(repositoryRoot)},
  root_dir = ${JSON.stringify(workspace.root)}, flags = { debounce_text_changes = 0 },
})
local buf = vim.api.nvim_get_current_buf()
vim.lsp.buf_attach_client(buf, client_id)
local function finish(result) local f = io.open(${JSON.stringify(out)}, 'w'); f:write(vim.fn.json_encode(result)); f:close(); vim.cmd('qa!') end
-- The first analysis: the server's status notification.
local ready = false
vim.lsp.handlers['clickplan/status'] = function() ready = true end
if not vim.wait(60000, function() return ready end, 10) then return finish({ error = 'no analysis' }) end
local rows = {}
for row, line in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
  if line == '    user_id UInt64,' then table.insert(rows, row - 1) end
end
local started
local latencies = {}
vim.api.nvim_create_autocmd('DiagnosticChanged', { buffer = buf, callback = function()
  if started then table.insert(latencies, (vim.loop.hrtime() - started) / 1e6); started = nil end
end })
for i = 1, ${EDITS} do
  local row = rows[1 + (math.floor((i - 1) / 2) * 7) % #rows]
  started = vim.loop.hrtime()
  if i % 2 == 1 then vim.api.nvim_buf_set_text(buf, row, 12, row, 18, { 'Nullable(UInt64)' })
  else vim.api.nvim_buf_set_text(buf, row, 12, row, 28, { 'UInt64' }) end
  if not vim.wait(10000, function() return started == nil end, 1) then return finish({ error = 'no diagnostics after edit ' .. i }) end
  vim.wait(120, function() return false end, 10)
end
finish({ latencies = latencies })
`,
    );
    const code = await new Promise<number | null>((resolve) => {
      const child = spawn('nvim', ['--headless', '--clean', '-c', `luafile ${script}`, workspace.big], { cwd: workspace.root, stdio: 'ignore' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 240_000);
      child.on('error', () => resolve(-1));
      child.on('exit', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    if (code === -1) throw new Error('nvim is missing: run scripts/ensure-system-deps.sh (apt-get install neovim)');
    expect(code).toBe(0);
    const result = JSON.parse(readFileSync(out, 'utf8')) as { latencies?: number[]; error?: string };
    expect(result.error).toBeUndefined();
    const latencies = (result.latencies ?? []).sort((a, b) => a - b);
    expect(latencies.length).toBe(EDITS);
    console.log(
      `lsp bench (Neovim 0.7): ${workspace.lines}-line file, 200 files, ${EDITS} edits: type changed → diagnostics ${figures(latencies)}; target p95 < 25 ms`,
    );
    expect(latencies[Math.floor(EDITS * 0.95)]).toBeLessThan(1000);
  }, 300_000);
});
