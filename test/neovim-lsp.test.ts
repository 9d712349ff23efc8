import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixtureWorkspace, repositoryRoot, serverCommand } from './support/lspClient.js';

// A second real client: Debian's Neovim 0.7 (headless) starts the server with its built-in LSP
// client, opens a migration, reads the diagnostics back, hovers, jumps to a definition and edits
// the buffer (Neovim sends incremental changes), then writes what it saw as JSON.

const work = mkdtempSync(join(tmpdir(), 'clickplan-nvim-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function nvimVersion(): string {
  try {
    return execFileSync('nvim', ['--version'], { encoding: 'utf8' }).split('\n')[0];
  } catch {
    throw new Error('nvim is missing: run scripts/ensure-system-deps.sh (apt-get install neovim)');
  }
}

const lua = (value: unknown) => JSON.stringify(value).replace(/^\[/, '{').replace(/\]$/, '}');

function script(out: string): string {
  return `
local out = ${JSON.stringify(out)}
local root = ${JSON.stringify(fixtureWorkspace)}
local function finish(result)
  local file = io.open(out, 'w')
  file:write(vim.fn.json_encode(result))
  file:close()
  vim.cmd('qa!')
end
local client_id = vim.lsp.start_client({
  name = 'clickplan',
  cmd = ${lua(serverCommand())},
  cmd_cwd = ${JSON.stringify(repositoryRoot)},
  root_dir = root,
  workspace_folders = { { uri = vim.uri_from_fname(root), name = 'workspace' } },
})
local buf = vim.api.nvim_get_current_buf()
vim.lsp.buf_attach_client(buf, client_id)
local result = {}
local function codes()
  local list = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    table.insert(list, string.format('%d:%d-%d:%d %s %s', d.lnum + 1, d.col + 1, d.end_lnum + 1, d.end_col + 1, d.severity, d.user_data and d.user_data.lsp and d.user_data.lsp.code or d.code or '?'))
  end
  table.sort(list)
  return list
end
if not vim.wait(30000, function() return #vim.diagnostic.get(buf) >= 2 and #vim.diagnostic.get(nil) >= 3 end, 20) then
  result.error = 'no diagnostics'
  return finish(result)
end
result.diagnostics = codes()
local all = {}
for _, d in ipairs(vim.diagnostic.get(nil)) do table.insert(all, vim.fn.fnamemodify(vim.api.nvim_buf_get_name(d.bufnr), ':t') .. ' ' .. (d.user_data and d.user_data.lsp and d.user_data.lsp.code or d.code or '?')) end
table.sort(all)
result.workspace = all
local params = { textDocument = { uri = vim.uri_from_bufnr(buf) }, position = { line = 9, character = 7 } }
local hover = vim.lsp.buf_request_sync(buf, 'textDocument/hover', params, 10000)
result.hover = hover and hover[client_id] and hover[client_id].result and hover[client_id].result.contents.value or vim.NIL
local definition = vim.lsp.buf_request_sync(buf, 'textDocument/definition', params, 10000)
local location = definition and definition[client_id] and definition[client_id].result and definition[client_id].result[1]
result.definition = location and (vim.fn.fnamemodify(vim.uri_to_fname(location.uri), ':t') .. ':' .. (location.range.start.line + 1) .. ':' .. (location.range.start.character + 1)) or vim.NIL
-- Delete the POPULATE line: Neovim sends an incremental change; the finding must go.
vim.api.nvim_buf_set_lines(buf, 4, 5, false, {})
if not vim.wait(10000, function() local c = codes(); return #c == 1 end, 20) then
  result.error = 'mv-populate did not go: ' .. vim.inspect(codes())
  return finish(result)
end
result.afterEdit = codes()
finish(result)
`;
}

describe('Neovim 0.7 as an LSP client', () => {
  it('reads back the same diagnostics, hovers, jumps to a definition and follows an edit', async () => {
    expect(nvimVersion()).toMatch(/^NVIM v0\.7\./);
    const out = join(work, 'result.json');
    const check = join(work, 'check.lua');
    writeFileSync(check, script(out));
    const started = performance.now();
    const code = await new Promise<number | null>((resolve) => {
      const child = spawn('nvim', ['--headless', '--clean', '-c', `luafile ${check}`, join(fixtureWorkspace, 'migrations/V3__sessions.sql')], {
        cwd: work,
        stdio: 'ignore',
      });
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.on('exit', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    console.log(`neovim run: ${Math.round(performance.now() - started)} ms`);
    expect(code).toBe(0);
    const result = JSON.parse(readFileSync(out, 'utf8'));
    expect(result).toEqual({
      diagnostics: ['2:40-2:51 1 mv-populate', '2:40-2:51 2 mv-implicit-inner-table'],
      workspace: ['V3__sessions.sql mv-implicit-inner-table', 'V3__sessions.sql mv-populate', 'V4__drop_referrer.sql destructive-statement'],
      hover: expect.stringMatching(/^\*\*table\*\* `analytics\.events`\n\n\| column \| type \|/),
      definition: 'V1__create_events.sql:3:38',
      afterEdit: ['2:40-2:51 2 mv-implicit-inner-table'],
    });
  }, 120_000);
});
