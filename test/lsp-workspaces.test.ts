import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hover, Location } from 'vscode-languageserver-protocol';
import { fixtureWorkspace, positionOf, TestClient } from './support/lspClient.js';

// An editor window with two workspace folders, each a ClickPlan project of its own: the server
// analyses both, answers each file from its own project, and follows folders added and removed.

const root = mkdtempSync(join(tmpdir(), 'clickplan-lsp-folders-'));
const shop = join(root, 'shop');
const events = join(root, 'events');
const orders = join(shop, 'migrations', 'V1__orders.sql');
const sessions = join(events, 'migrations', 'V3__sessions.sql');

beforeAll(() => {
  cpSync(fixtureWorkspace, events, { recursive: true });
  mkdirSync(join(shop, 'migrations'), { recursive: true });
  writeFileSync(join(shop, 'clickplan.yaml'), 'layout: flyway\npaths:\n  migrations: migrations\ndatabase: shop\n');
  writeFileSync(
    orders,
    `CREATE TABLE IF NOT EXISTS shop.orders (id UInt64, coupon Nullable(String)) ENGINE = MergeTree ORDER BY (id, coupon);
CREATE VIEW IF NOT EXISTS shop.coupons AS SELECT coupon FROM shop.orders;
`,
  );
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('language server with several workspace folders', () => {
  let client: TestClient;
  beforeAll(async () => {
    client = await TestClient.start({
      root: shop,
      folders: [shop, events],
      capabilities: { workspace: { workspaceFolders: true } },
    });
  });
  afterAll(async () => {
    await client?.stop();
  });

  const codes = (path: string) => client.diagnostics.get(client.uriOf(path))?.map((d) => d.code);

  it('publishes the findings of every folder, each from its own project', async () => {
    await client.until(() => codes(orders) && codes(sessions), 30_000, 'diagnostics of both folders');
    expect(codes(orders)).toEqual(['nullable-sorting-key']);
    expect(codes(sessions)).toEqual(['mv-implicit-inner-table', 'mv-populate']);
  });

  it('answers a file from the project of its folder', async () => {
    const text = readText(orders);
    await client.open(orders, text);
    const hover = await client.request<Hover>('textDocument/hover', {
      textDocument: { uri: client.uriOf(orders) },
      position: positionOf(text, 'shop.orders', 6),
    });
    expect(JSON.stringify(hover.contents)).toContain('shop.orders');
    const definition = await client.request<Location[]>('textDocument/definition', {
      textDocument: { uri: client.uriOf(sessions) },
      position: positionOf(readText(sessions), 'FROM events', 6),
    });
    expect(definition.map((l) => l.uri)).toEqual([client.uriOf(join(events, 'migrations', 'V1__create_events.sql'))]);
  });

  it('follows an edit in the second folder', async () => {
    const text = readText(sessions);
    const uri = await client.open(sessions, text);
    const at = text.indexOf('POPULATE');
    const before = client.publications.length;
    await client.change(uri, [{ start: at, end: at + 'POPULATE'.length, text: '' }]);
    await client.until(() => client.publications.slice(before).some((p) => p.uri === uri), 10_000, 'diagnostics after the edit');
    expect(codes(sessions)).toEqual(['mv-implicit-inner-table']);
    await client.change(uri, [{ start: at, end: at, text: 'POPULATE' }]);
    await client.until(() => codes(sessions)?.length === 2, 10_000, 'the finding back');
    await client.close(uri);
  });

  it('drops the findings of a folder removed, and brings them back when it is added again', async () => {
    await client.connection.sendNotification('workspace/didChangeWorkspaceFolders', {
      event: { added: [], removed: [{ uri: client.uriOf(events), name: events }] },
    });
    await client.until(() => codes(join(events, 'migrations', 'V4__drop_referrer.sql'))?.length === 0, 10_000, 'findings cleared');
    expect(codes(orders)).toEqual(['nullable-sorting-key']);
    await client.connection.sendNotification('workspace/didChangeWorkspaceFolders', {
      event: { added: [{ uri: client.uriOf(events), name: events }], removed: [] },
    });
    await client.until(() => codes(join(events, 'migrations', 'V4__drop_referrer.sql'))?.length === 1, 10_000, 'findings back');
    expect(codes(sessions)).toEqual(['mv-implicit-inner-table', 'mv-populate']);
  });
});

function readText(path: string): string {
  return readFileSync(path, 'utf8');
}
