import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  CodeAction,
  CodeLens,
  CompletionList,
  Diagnostic,
  DocumentSymbol,
  Hover,
  Location,
  SymbolInformation,
  TextEdit,
} from 'vscode-languageserver-protocol';
import { settle } from './support/lspBench.js';
import { fixtureWorkspace, positionOf, TestClient } from './support/lspClient.js';

// The language server driven over stdio as an editor drives it, on fixtures/workspace: a Flyway
// repository whose migrations have three findings on purpose.

const file = (name: string) => join(fixtureWorkspace, 'migrations', name);
const V1 = file('V1__create_events.sql');
const V2 = file('V2__daily_rollup.sql');
const V3 = file('V3__sessions.sql');
const V4 = file('V4__drop_referrer.sql');
const read = (path: string) => readFileSync(path, 'utf8');

/** A diagnostic as a line a person reads: `line:col-line:col severity code: first line of the message`. */
function show(d: Diagnostic): string {
  const { start, end } = d.range;
  return `${start.line + 1}:${start.character + 1}-${end.line + 1}:${end.character + 1} ${['', 'error', 'warning', 'info', 'hint'][d.severity ?? 0]} ${d.code}: ${(d.message as string).split('\n')[0]}`;
}

function applyEdits(text: string, edits: TextEdit[]): string {
  const offset = (p: { line: number; character: number }) => {
    const lines = text.split('\n');
    return lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  };
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let result = text;
  for (const e of sorted) result = result.slice(0, offset(e.range.start)) + e.newText + result.slice(offset(e.range.end));
  return result;
}

describe('language server over stdio', () => {
  let client: TestClient;
  beforeAll(async () => {
    client = await TestClient.start({ root: fixtureWorkspace });
  });
  afterAll(async () => {
    await client?.stop();
  });

  it('announces what it can do, with incremental sync', () => {
    const capabilities = client.initializeResult?.capabilities;
    expect(capabilities?.textDocumentSync).toEqual({ openClose: true, change: 2, save: false });
    expect(Object.keys(capabilities ?? {}).sort()).toEqual([
      'codeActionProvider',
      'codeLensProvider',
      'completionProvider',
      'definitionProvider',
      'documentSymbolProvider',
      'executeCommandProvider',
      'hoverProvider',
      'referencesProvider',
      'textDocumentSync',
      'workspace',
      'workspaceSymbolProvider',
    ]);
    expect(capabilities?.workspace).toEqual({ workspaceFolders: { supported: true, changeNotifications: true } });
  });

  it('publishes the findings of every migration, with rule ids as codes and links to their pages', async () => {
    await client.until(() => client.diagnostics.has(client.uriOf(V3)) && client.diagnostics.has(client.uriOf(V4)), 30_000, 'diagnostics');
    expect(client.diagnostics.get(client.uriOf(V3))?.map(show)).toEqual([
      '2:40-2:51 warning mv-implicit-inner-table: `sessions_mv` has no TO table, so its rows live in a hidden `.inner_id.<uuid>` table that ClickHouse drops with the view: DROP VIEW or CREATE OR REPLACE deletes them, and MODIFY QUERY refuses a query with a new column (code 16).',
      '2:40-2:51 error mv-populate: POPULATE fills `sessions_mv` with a copy of the rows already in its source: rows that an INSERT already running writes after the copy starts reach neither the copy nor the view, and if the copy fails the view stays created without the old rows.',
    ]);
    expect(client.diagnostics.get(client.uriOf(V4))?.map(show)).toEqual([
      '1:20-1:40 error destructive-statement: DROP COLUMN deletes `referrer` and its data from every part of `events`.',
    ]);
    // Files without findings are never published.
    expect(client.diagnostics.has(client.uriOf(V1))).toBe(false);
    const populate = client.diagnostics.get(client.uriOf(V3))?.[1] as Diagnostic;
    expect(populate.source).toBe('clickplan');
    expect((populate.message as string).split('\n')[1]).toBe(
      'Create the view without POPULATE (with TO a target table), then backfill the target with INSERT INTO ... SELECT over a closed time range.',
    );
    const href = populate.codeDescription?.href as string;
    expect(href).toMatch(/^file:\/\/.*\/docs\/rules\/mv-populate\.md$/);
    expect(existsSync(fileURLToPath(href))).toBe(true);
    const status = await client.until(() => client.notifications.filter((n) => n.method === 'clickplan/status').at(-1)?.params as Record<string, unknown>);
    expect({ ...status, analysisMs: typeof status.analysisMs }).toEqual({ errors: 2, warnings: 1, infos: 0, files: 4, analysisMs: 'number', degraded: false });
  });

  it('follows incremental edits: a fix clears its finding, broken SQL is a syntax error, undo brings both back', async () => {
    const uri = await client.open(V3);
    const text = client.text(uri);
    const populate = text.indexOf('POPULATE\n');
    await client.change(uri, [{ start: populate, end: populate + 'POPULATE\n'.length, text: '' }]);
    await client.until(() => !client.diagnostics.get(uri)?.some((d) => d.code === 'mv-populate'), 10_000, 'mv-populate to go');
    expect(client.diagnostics.get(uri)?.map((d) => d.code)).toEqual(['mv-implicit-inner-table']);
    // Two edits in one notification, the second in terms of the text after the first.
    const select = client.text(uri).indexOf('AS SELECT');
    await client.change(uri, [
      { start: select, end: select + 2, text: 'AS SELEC' },
      { start: select + 3, end: select + 9, text: ')' },
    ]);
    await client.until(() => client.diagnostics.get(uri)?.some((d) => d.code === 'syntax-error'), 10_000, 'a syntax error');
    await client.change(uri, [{ start: 0, end: client.text(uri).length, text }]);
    await client.until(
      () =>
        client.diagnostics
          .get(uri)
          ?.map((d) => d.code)
          .join() === 'mv-implicit-inner-table,mv-populate',
      10_000,
      'the findings back',
    );
  });

  it('hovers an object name with its kind, columns, engine and keys, hash, what it reads and what reads it', async () => {
    const uri = await client.open(V2);
    const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: positionOf(read(V2), 'FROM events', 6) });
    const value = (hover.contents as { value: string }).value.replace(/\*\*Hash\*\* `[0-9a-f]{12}`/, '**Hash** `<hash>`');
    expect(value).toBe(
      [
        '**table** `analytics.events`',
        '| column | type |\n| --- | --- |\n| `event_time` | `DateTime` |\n| `user_id` | `UInt64` |\n| `event_type` | `LowCardinality(String)` |\n| `country` | `FixedString(2)` |',
        '```sql\nENGINE = MergeTree\nPARTITION BY toYYYYMM(event_time)\nORDER BY (event_type, user_id, event_time)\n```',
        '**Reads** nothing  \n**Read by** `analytics.events_daily_mv`, `analytics.sessions_mv`',
        '**Downstream** 3 objects · **Upstream** 0 objects',
        '**Hash** `<hash>`',
        'Created in `migrations/V1__create_events.sql:3`, changed by 1 later statement',
      ].join('\n\n'),
    );
    expect(hover.range).toEqual({ start: positionOf(read(V2), 'FROM events', 5), end: positionOf(read(V2), 'FROM events', 11) });
  });

  it('goes to definitions across files: tables, and a materialized view column to its source and target columns', async () => {
    const uri = client.uriOf(V2);
    const table = await client.request<Location[]>('textDocument/definition', { textDocument: { uri }, position: positionOf(read(V2), 'FROM events', 7) });
    expect(table).toEqual([
      { uri: client.uriOf(V1), range: { start: positionOf(read(V1), 'analytics.events', 10), end: positionOf(read(V1), 'analytics.events', 16) } },
    ]);
    const column = await client.request<Location[]>('textDocument/definition', { textDocument: { uri }, position: positionOf(read(V2), '    event_type,', 6) });
    expect(column).toEqual([
      { uri: client.uriOf(V1), range: { start: positionOf(read(V1), 'event_type', 0), end: positionOf(read(V1), 'event_type', 10) } },
      { uri: client.uriOf(V2), range: { start: positionOf(read(V2), 'event_type', 0), end: positionOf(read(V2), 'event_type', 10) } },
    ]);
    const alias = await client.request<Location[]>('textDocument/definition', { textDocument: { uri }, position: positionOf(read(V2), 'AS events', 4) });
    expect(alias).toEqual([
      { uri: client.uriOf(V2), range: { start: positionOf(read(V2), 'events UInt64', 0), end: positionOf(read(V2), 'events UInt64', 6) } },
    ]);
  });

  it('finds every reference of a table across the migrations', async () => {
    const refs = await client.request<Location[]>('textDocument/references', {
      textDocument: { uri: client.uriOf(V1) },
      position: positionOf(read(V1), 'analytics.events', 12),
      context: { includeDeclaration: true },
    });
    const where = refs.map((r) => `${r.uri.split('/').at(-1)}:${r.range.start.line + 1}:${r.range.start.character + 1}`);
    expect(where).toEqual(['V1__create_events.sql:3:38', 'V2__daily_rollup.sql:15:6', 'V3__sessions.sql:10:6', 'V4__drop_referrer.sql:1:13']);
  });

  it('lists document and workspace symbols', async () => {
    const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: client.uriOf(V2) } });
    expect(symbols.map((s) => [s.name, s.kind, s.detail, s.children?.map((c) => `${c.name} ${c.detail}`)])).toEqual([
      ['analytics.events_daily', 5, 'SummingMergeTree', ['day Date', 'event_type LowCardinality', 'events UInt64']],
      ['analytics.events_daily_mv', 24, 'materialized view → analytics.events_daily', []],
    ]);
    const found = await client.request<SymbolInformation[]>('workspace/symbol', { query: 'daily' });
    expect(found.map((s) => [s.name, s.containerName, s.location.uri.split('/').at(-1), s.location.range.start.line])).toEqual([
      ['events_daily', 'analytics', 'V2__daily_rollup.sql', 0],
      ['events_daily_mv', 'analytics', 'V2__daily_rollup.sql', 9],
    ]);
  });

  it('analyses a new file that is not saved yet as a migration of the project, until it is closed', async () => {
    const path = file('V5__unsaved.sql');
    expect(existsSync(path)).toBe(false);
    const text = 'ALTER TABLE events DROP COLUMN referrer;\n';
    const uri = await client.open(path, text);
    // Only the project knows that V4 dropped `referrer` already.
    await client.until(() => client.diagnostics.get(uri)?.length, 10_000, 'diagnostics of the unsaved file');
    expect(client.diagnostics.get(uri)?.map(show)).toEqual([
      '1:20-1:40 error column-missing: DROP of column `referrer`, which `analytics.events` does not have at this point: ClickHouse refuses the ALTER.',
      '1:20-1:40 error destructive-statement: DROP COLUMN deletes `referrer` and its data from every part of `events`.',
    ]);
    const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: positionOf(text, 'events', 2) });
    expect((hover.contents as { value: string }).value).toContain('analytics.events');
    await client.close(uri);
    await client.until(() => client.diagnostics.get(uri)?.length === 0, 10_000, 'the file gone from the project');
  });

  it('completes tables, columns, types, engines and settings where the grammar expects them', async () => {
    const path = file('V5__draft.sql');
    const uri = await client.open(path, '');
    const complete = async (text: string) => {
      const position = positionOf(text, '|');
      await client.change(uri, [{ start: 0, end: client.text(uri).length, text: text.replace('|', '') }]);
      const list = await client.request<CompletionList>('textDocument/completion', { textDocument: { uri }, position });
      return list.items.map((i) => i.label);
    };
    expect(await complete('SELECT * FROM |')).toEqual(['events', 'events_daily', 'events_daily_mv', 'sessions_mv', 'analytics']);
    expect(await complete('SELECT * FROM analytics.|')).toEqual(['events', 'events_daily', 'events_daily_mv', 'sessions_mv']);
    expect(await complete('SELECT | FROM events_daily')).toEqual(['day', 'event_type', 'events']);
    expect(await complete('ALTER TABLE events MODIFY COLUMN |')).toEqual(['event_time', 'user_id', 'event_type', 'country']);
    expect((await complete('CREATE TABLE t (id |')).slice(0, 4)).toEqual(['UInt8', 'UInt16', 'UInt32', 'UInt64']);
    expect((await complete('CREATE TABLE t (id UInt8, tags Array(|')).slice(0, 2)).toEqual(['UInt8', 'UInt16']);
    expect((await complete('CREATE TABLE t (id UInt8) ENGINE = |')).slice(0, 3)).toEqual(['MergeTree', 'ReplacingMergeTree', 'SummingMergeTree']);
    expect((await complete('CREATE TABLE t (id UInt8) ENGINE = MergeTree ORDER BY id SETTINGS |')).slice(0, 2)).toEqual([
      'index_granularity',
      'index_granularity_bytes',
    ]);
    expect((await complete('ALTER TABLE events DELETE WHERE 1 SETTINGS |')).slice(0, 2)).toEqual(['mutations_sync', 'alter_sync']);
    expect(await complete('CREATE TABLE t (id UInt8, day Date) ENGINE = MergeTree ORDER BY (|')).toEqual(['id', 'day']);
    expect(await complete('-- FROM |')).toEqual([]);
    await client.close(uri);
  });

  it('offers the quick fixes a finding suggests and suppressions with a reason to fill in', async () => {
    const uri = client.uriOf(V3);
    const diagnostics = client.diagnostics.get(uri) ?? [];
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: diagnostics[1].range,
      context: { diagnostics },
    });
    expect(actions.map((a) => `${a.kind}: ${a.title}`)).toEqual([
      'quickfix: Suppress mv-implicit-inner-table here',
      'quickfix: Suppress mv-implicit-inner-table in this file',
      'quickfix: Remove POPULATE (backfill with INSERT ... SELECT after creating the view)',
      'quickfix: Suppress mv-populate here',
      'quickfix: Suppress mv-populate in this file',
      'refactor.rewrite: Qualify as analytics.sessions_mv',
    ]);
    const edit = (title: string) => actions.find((a) => a.title === title)?.edit?.changes?.[uri] as TextEdit[];
    expect(applyEdits(read(V3), edit('Suppress mv-populate here')).split('\n').slice(0, 3)).toEqual([
      '-- Sessions per user and day, kept by the view itself.',
      '-- clickplan-ignore mv-populate: reason',
      'CREATE MATERIALIZED VIEW IF NOT EXISTS sessions_mv',
    ]);
    // Applying a fix the way an editor does clears the finding and nothing else.
    const fixed = applyEdits(client.text(uri), edit('Remove POPULATE (backfill with INSERT ... SELECT after creating the view)'));
    await client.change(uri, [{ start: 0, end: client.text(uri).length, text: fixed }]);
    await client.until(
      () =>
        client.diagnostics
          .get(uri)
          ?.map((d) => d.code)
          .join() === 'mv-implicit-inner-table',
      10_000,
      'the fix to apply',
    );
    const suppressed = applyEdits(fixed, edit('Suppress mv-implicit-inner-table in this file')).replace(
      ': reason',
      ': the view is rebuilt from events every night',
    );
    await client.change(uri, [{ start: 0, end: client.text(uri).length, text: suppressed }]);
    await client.until(() => (client.diagnostics.get(uri) ?? []).length === 0, 10_000, 'the suppression to apply');
    await client.change(uri, [{ start: 0, end: client.text(uri).length, text: read(V3) }]);
    await client.until(() => client.diagnostics.get(uri)?.length === 2, 10_000, 'the findings back');
  });

  it('shows CodeLens: the plan against the target on each migration, objects downstream on each CREATE', async () => {
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: client.uriOf(V1) } });
    expect(lenses.map((l) => [l.range.start.line, l.command?.title, l.command?.command])).toEqual([
      [0, 'Plan against production.json', 'clickplan.plan'],
      [0, '4 downstream objects', 'clickplan.graph'],
      [2, '3 downstream objects', 'clickplan.graph'],
    ]);
  });

  it('takes the editor settings over clickplan.yaml: severity overrides and the target', async () => {
    const settings = (clickplan: Record<string, unknown>) =>
      client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { clickplan } });
    await settings({ rules: { 'mv-populate': 'off', 'destructive-statement': 'warning' }, target: 'staging.json' });
    await client.until(() => client.diagnostics.get(client.uriOf(V4))?.[0]?.severity === 2, 10_000, 'the override');
    expect(client.diagnostics.get(client.uriOf(V3))?.map((d) => d.code)).toEqual(['mv-implicit-inner-table']);
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: client.uriOf(V1) } });
    expect(lenses[0].command?.title).toBe('Plan against staging.json');
    await settings({});
    await client.until(
      () => client.diagnostics.get(client.uriOf(V3))?.length === 2 && client.diagnostics.get(client.uriOf(V4))?.[0]?.severity === 1,
      10_000,
      'the defaults back',
    );
  });

  it('plans the workspace against the configured target in a child process', async () => {
    const plan = await client.request<{ ok: boolean; markdown: string; steps: number }>('workspace/executeCommand', {
      command: 'clickplan.plan',
      arguments: [{ uri: client.uriOf(V1) }],
    });
    expect(plan.ok).toBe(true);
    expect(plan.steps).toBe(4);
    expect(plan.markdown.split('\n')[0]).toBe('**Plan for snapshot production.json: 4 steps, highest risk: data-loss.**');
  });

  it('draws the dependency graph of an object, each node with where it is defined', async () => {
    const graph = await client.request<{ focus: string[]; svg: string; nodes: { id: string; location: Location }[]; edges: unknown[] }>(
      'workspace/executeCommand',
      {
        command: 'clickplan.graph',
        arguments: [{ uri: client.uriOf(V2), objectId: 'analytics.events_daily' }],
      },
    );
    expect(graph.focus).toEqual(['analytics.events_daily']);
    expect(graph.nodes.map((n) => `${n.id} ${n.location.uri.split('/').at(-1)}:${n.location.range.start.line + 1}`)).toEqual([
      'analytics.events V1__create_events.sql:3',
      'analytics.events_daily V2__daily_rollup.sql:1',
      'analytics.events_daily_mv V2__daily_rollup.sql:10',
    ]);
    expect(graph.edges).toEqual([
      { from: 'analytics.events', to: 'analytics.events_daily_mv', kind: 'trigger' },
      { from: 'analytics.events_daily_mv', to: 'analytics.events_daily', kind: 'writes-to' },
    ]);
    expect(graph.svg.match(/data-id="[^"]+"/g)).toEqual([
      'data-id="analytics.events"',
      'data-id="analytics.events_daily"',
      'data-id="analytics.events_daily_mv"',
    ]);
  });
});

describe('language server with failing features', () => {
  it('keeps publishing diagnostics when hover, completion and one rule throw', async () => {
    const client = await TestClient.start({ root: fixtureWorkspace, env: { CLICKPLAN_LSP_FAULTS: 'hover,completion,rule:mv-populate' } });
    try {
      const uri = await client.open(V3);
      await client.until(() => client.diagnostics.get(uri) && client.diagnostics.get(client.uriOf(V4)), 30_000, 'diagnostics');
      expect(client.diagnostics.get(uri)?.map((d) => d.code)).toEqual(['mv-implicit-inner-table']);
      expect(client.diagnostics.get(client.uriOf(V4))?.map((d) => d.code)).toEqual(['destructive-statement']);
      const position = positionOf(read(V3), 'FROM events', 6);
      expect(await client.request('textDocument/hover', { textDocument: { uri }, position })).toBeNull();
      expect(await client.request('textDocument/completion', { textDocument: { uri }, position })).toBeNull();
      expect((await client.request<Location[]>('textDocument/definition', { textDocument: { uri }, position })).length).toBe(1);
      await client.until(
        () => client.notifications.some((n) => n.method === 'clickplan/status' && (n.params as { degraded: boolean }).degraded),
        5000,
        'status',
      );
      // Edits still update diagnostics after the failures.
      await client.change(uri, [{ start: 0, end: 0, text: 'CREATE TABLE broken (' }]);
      await client.until(() => client.diagnostics.get(uri)?.some((d) => d.code === 'syntax-error'), 10_000, 'a syntax error');
    } finally {
      await client.stop();
    }
  });

  it('answers hover and completion from the new text while the rules of an edit run', async () => {
    // Every rule's project hook made 60 ms slower: an edit's rules take two seconds, in steps of 60 ms.
    // Before, a request after an edit analysed it whole first (rules included), and so took as long.
    const client = await TestClient.start({ root: fixtureWorkspace, env: { CLICKPLAN_LSP_FAULTS: 'slow-rules:60' } });
    try {
      const uri = await client.open(V3);
      await settle(client);
      const before = client.publications.length;
      const added =
        'CREATE TABLE analytics.quick (id UInt64, label String) ENGINE = MergeTree ORDER BY id;\nCREATE VIEW analytics.quick_v AS SELECT id FROM analytics.quick;\n';
      const sent = performance.now();
      await client.change(uri, [{ start: 0, end: 0, text: added }]);
      const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: positionOf(added, 'FROM analytics.quick', 16) });
      const hovered = performance.now() - sent;
      const completion = await client.request<CompletionList>('textDocument/completion', {
        textDocument: { uri },
        position: positionOf(added, 'SELECT id', 7),
      });
      const completed = performance.now() - sent;
      const published = await client.until(() => client.publications.slice(before).find((p) => p.uri === uri), 60_000, 'diagnostics of the edit');
      // Both know the table the edit added, and answered long before its diagnostics came.
      expect((hover.contents as { value: string }).value.split('\n')[0]).toBe('**table** `analytics.quick`');
      expect(completion.items.slice(0, 2).map((i) => `${i.label} ${i.detail}`)).toEqual(['id UInt64 · analytics.quick', 'label String · analytics.quick']);
      const analysed = published.at - sent;
      expect(analysed).toBeGreaterThan(1500);
      expect({ hovered: hovered < analysed / 2, completed: completed < analysed / 2 }).toEqual({ hovered: true, completed: true });
    } finally {
      await client.stop();
    }
  });

  it('falls back to syntax errors of open files when the whole analysis throws', async () => {
    const client = await TestClient.start({ root: fixtureWorkspace, env: { CLICKPLAN_LSP_FAULTS: 'analysis' } });
    try {
      const uri = await client.open(V2, `${read(V2)}\nCREATE TABLE broken (`);
      await client.until(() => client.diagnostics.get(uri)?.length, 30_000, 'diagnostics');
      expect(client.diagnostics.get(uri)?.map((d) => d.code)).toEqual(['syntax-error']);
      const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
      expect(symbols.map((s) => s.name)).toEqual(['analytics.events_daily', 'analytics.events_daily_mv']);
    } finally {
      await client.stop();
    }
  });
});

describe('language server and the project configuration', () => {
  it('reports clickplan.yaml problems on the file, and reads the configuration again when it changes', async () => {
    const root = mkdtempSync(join(tmpdir(), 'clickplan-lsp-config-'));
    cpSync(fixtureWorkspace, root, { recursive: true });
    const config = join(root, 'clickplan.yaml');
    writeFileSync(config, `${read(config)}clustr: main\n`);
    const client = await TestClient.start({ root });
    try {
      const uri = client.uriOf(config);
      await client.until(() => client.diagnostics.get(uri)?.length, 30_000, 'the configuration diagnostic');
      expect(client.diagnostics.get(uri)?.map(show)).toEqual([
        '7:1-7:7 error config-invalid: Unknown key `clustr`; expected one of layout, paths, database, qualifiedNames, cluster, replication, deploy, target, registry, environment, tenants, rules, failOn, server, embedded.',
      ]);
      // Fixed on disk, and a cluster configured: the file watcher's event makes the server read it again.
      writeFileSync(config, `${read(config).replace('clustr: main', 'cluster: main')}`);
      await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri, type: 2 }] });
      await client.until(() => client.diagnostics.get(uri)?.length === 0, 10_000, 'the configuration diagnostic to go');
      const v1 = client.uriOf(join(root, 'migrations/V1__create_events.sql'));
      await client.until(() => client.diagnostics.get(v1)?.some((d) => d.code === 'on-cluster-missing'), 10_000, 'on-cluster-missing');
      expect(client.diagnostics.get(v1)?.map((d) => d.code)).toEqual(['on-cluster-missing', 'on-cluster-missing']);
    } finally {
      await client.stop();
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('keeps running when clickplan.yaml has an alias bomb or an undefined alias, and says where', async () => {
    const root = mkdtempSync(join(tmpdir(), 'clickplan-lsp-aliases-'));
    cpSync(fixtureWorkspace, root, { recursive: true });
    const config = join(root, 'clickplan.yaml');
    const original = read(config);
    const bomb = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
    for (let i = 1; i <= 9; i++) bomb.push(`a${i}: &a${i} [${Array.from({ length: 9 }, () => `*a${i - 1}`).join(', ')}]`);
    writeFileSync(config, `${bomb.join('\n')}\n`);
    const client = await TestClient.start({ root });
    try {
      const uri = client.uriOf(config);
      await client.until(() => client.diagnostics.get(uri)?.length, 30_000, 'the alias bomb diagnostic');
      expect(client.diagnostics.get(uri)?.map(show)).toEqual([
        '2:10-2:13 error config-invalid: clickplan.yaml nests YAML aliases that expand to more than 100 values (a "billion laughs" document); ClickPlan does not expand it.',
      ]);
      writeFileSync(config, `${original}registry: *nowhere\n`);
      await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri, type: 2 }] });
      await client.until(() => String(client.diagnostics.get(uri)?.[0]?.message ?? '').includes('*nowhere'), 10_000, 'the undefined alias diagnostic');
      const line = original.split('\n').length;
      expect(client.diagnostics.get(uri)?.map(show)).toEqual([
        `${line}:11-${line}:19 error config-invalid: clickplan.yaml uses the YAML alias \`*nowhere\`, but no anchor \`&nowhere\` comes before it.`,
      ]);
      // Still running: fixed, the configuration is read again and the migrations are linted.
      writeFileSync(config, original);
      await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri, type: 2 }] });
      await client.until(() => client.diagnostics.get(uri)?.length === 0, 10_000, 'the configuration diagnostic to go');
      const v1 = join(root, 'migrations/V1__create_events.sql');
      const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: await client.open(v1) } });
      expect(symbols.map((s) => s.name)).toEqual(['analytics', 'analytics.events']);
      expect(client.child.exitCode).toBe(null);
    } finally {
      await client.stop();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
