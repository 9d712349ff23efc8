import { spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createBenchWorkspace, EDITS, measureStdio, PAUSE_MS, percentiles, WARMUP } from './support/lspBench.js';
import { repositoryRoot, serverCommand, TestClient } from './support/lspClient.js';

// Benchmark with real clients (issue 7): after an edit in a 5,000-line migration of a 200-file
// workspace, the time until the file's new diagnostics arrive, median and p95 over 100 edits of each
// of two kinds, spaced as a person types them (each the first edit after a pause, so the debounce
// does not delay it). The server starts cold: the first edits after it started run before V8 has
// optimized the code they run, so 20 warm-up edits come first, and their figures are printed apart.
// Target: p95 under 25 ms. The figures are printed; the assertion only catches regressions by an
// order of magnitude, because this machine is shared (docs/editor.md has the figures, and
// `npm run bench -- lsp` checks the target).

const workspace = createBenchWorkspace({ files: 200, bigLines: 5000 });
afterAll(() => rmSync(workspace.root, { recursive: true, force: true }));

const figures = (latencies: number[]) => {
  const { median, p95 } = percentiles(latencies);
  return `median ${median.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms`;
};

describe('language server latency', () => {
  it('publishes new diagnostics soon after an edit in a 5,000-line file of a 200-file workspace', async () => {
    const client = await TestClient.start({ root: workspace.root });
    try {
      const { warmup, typed, broken } = await measureStdio(client, workspace);
      console.log(
        `lsp bench: ${workspace.lines}-line file, 200 files, ${EDITS} edits each after ${WARMUP} warm-up edits (${figures(warmup)}, slowest ${Math.max(...warmup).toFixed(1)} ms): ` +
          `type changed → diagnostics ${figures(typed)}; statement broken → diagnostics ${figures(broken)}; target p95 < 25 ms`,
      );
      expect(percentiles(typed).p95).toBeLessThan(1000);
      expect(percentiles(broken).p95).toBeLessThan(1000);
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
-- The analyses after opening: the first status notification, then a quiet 300 ms.
local last_status
vim.lsp.handlers['clickplan/status'] = function() last_status = vim.loop.hrtime() end
if not vim.wait(60000, function() return last_status ~= nil end, 10) then return finish({ error = 'no analysis' }) end
vim.wait(60000, function() return (vim.loop.hrtime() - last_status) / 1e6 > 300 end, 10)
local rows = {}
for row, line in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
  if line == '    user_id UInt64,' then table.insert(rows, row - 1) end
end
local started
local latencies = {}
vim.api.nvim_create_autocmd('DiagnosticChanged', { buffer = buf, callback = function()
  if started then table.insert(latencies, (vim.loop.hrtime() - started) / 1e6); started = nil end
end })
for i = 1, ${WARMUP + EDITS} do
  vim.wait(${PAUSE_MS}, function() return false end, 10)
  local row = rows[1 + (math.floor((i - 1) / 2) * 7) % #rows]
  started = vim.loop.hrtime()
  if i % 2 == 1 then vim.api.nvim_buf_set_text(buf, row, 12, row, 18, { 'Nullable(UInt64)' })
  else vim.api.nvim_buf_set_text(buf, row, 12, row, 28, { 'UInt64' }) end
  if not vim.wait(10000, function() return started == nil end, 1) then return finish({ error = 'no diagnostics after edit ' .. i }) end
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
    const all = result.latencies ?? [];
    expect(all.length).toBe(WARMUP + EDITS);
    const [warmup, latencies] = [all.slice(0, WARMUP), all.slice(WARMUP)];
    console.log(
      `lsp bench (Neovim 0.7): ${workspace.lines}-line file, 200 files, ${EDITS} edits after ${WARMUP} warm-up edits (${figures(warmup)}, slowest ${Math.max(...warmup).toFixed(1)} ms): type changed → diagnostics ${figures(latencies)}; target p95 < 25 ms`,
    );
    expect(percentiles(latencies).p95).toBeLessThan(1000);
  }, 300_000);
});
