import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CodeAction, CodeLens, CompletionList, Diagnostic, DocumentSymbol, Location, Range } from 'vscode-languageserver-protocol';
import { Workspace } from '../packages/language-server/src/workspace.js';
import { fixtureWorkspace, positionAt, repositoryRoot, TestClient } from './support/lspClient.js';

// 10,000 random edits over stdio: insertions, deletions, pastes of garbage and of valid SQL, some
// several to a notification. Every 100 edits the server must have published exactly the diagnostics
// an in-process analysis of the same text gives (so incremental sync, debouncing and the cache lose
// nothing), and answer every other request at random positions without a feature failing. At the
// end the original text gives the original answers, and the heap has not grown without bound.

const EDITS = 10_000;
const CHECK_EVERY = 100;
const target = join(fixtureWorkspace, 'migrations/V2__daily_rollup.sql');
const original = readFileSync(target, 'utf8');
const seeds = readFileSync(join(repositoryRoot, 'fixtures/fuzz/seeds.sql'), 'utf8')
  .split(/^-- ====$/m)
  .map((s) => s.trim())
  .filter(Boolean);
const GARBAGE = [
  '(',
  ')',
  ',',
  ';',
  "'",
  '"',
  '`',
  '\\',
  '/*',
  '*/',
  '--',
  '\n',
  '\r\n',
  '\r',
  '\t',
  ' ',
  '{',
  '}',
  '[',
  ']',
  '::',
  '=>',
  '😀',
  '\u0000',
  'é',
  'SELECT',
  'FROM',
  'CREATE',
  'TABLE',
  'ENGINE',
  '=',
  '.',
  'x',
];

/** mulberry32: a small seeded generator, so a failure can be replayed with its seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A diagnostic as the comparison sees it: code, severity and exact range. */
const key = (d: { code?: unknown; severity?: unknown; range: Range }) =>
  `${d.code} ${d.severity} ${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`;

describe('language server under 10,000 random edits', () => {
  const seed = Number(process.env.CLICKPLAN_FUZZ_SEED ?? 20261121);
  const next = random(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)];
  let client: TestClient;
  const oracle = new Workspace(fixtureWorkspace, {});

  beforeAll(async () => {
    client = await TestClient.start({ root: fixtureWorkspace, exposeGc: true, initializationOptions: { settings: { debounceMs: 20 } } });
  });
  afterAll(async () => {
    await client?.stop();
  });

  /** The diagnostics an in-process analysis gives for the target's current text. */
  const expected = (text: string): string[] => {
    oracle.change(target, text);
    const snapshot = oracle.snapshot();
    const file = snapshot.files.get(target) as string;
    return snapshot.model.diagnostics
      .filter((d) => d.file === file)
      .map((d) =>
        key({
          code: d.code,
          severity: { error: 1, warning: 2, info: 3 }[d.severity],
          range: { start: positionAt(text, d.range.start), end: positionAt(text, d.range.end) },
        }),
      )
      .sort();
  };

  const edit = (text: string): { start: number; end: number; text: string } => {
    const change = randomEdit(text);
    // An LSP position cannot fall between the \r and \n of a line break: editors never address one.
    const settle = (offset: number) => (text[offset - 1] === '\r' && text[offset] === '\n' ? offset + 1 : offset);
    return { ...change, start: settle(change.start), end: Math.max(settle(change.start), settle(change.end)) };
  };

  const randomEdit = (text: string): { start: number; end: number; text: string } => {
    const at = Math.floor(next() * (text.length + 1));
    const kind = next();
    if (kind < 0.3) return { start: at, end: at, text: pick(GARBAGE) };
    if (kind < 0.55) return { start: at, end: Math.min(text.length, at + Math.floor(next() * 40)), text: '' };
    if (kind < 0.7) {
      let junk = '';
      for (let i = Math.floor(next() * 12); i > 0; i--) junk += pick(GARBAGE);
      return { start: at, end: Math.min(text.length, at + Math.floor(next() * 5)), text: junk };
    }
    if (kind < 0.85) return { start: at, end: at, text: `\n${pick(seeds)};\n` };
    // Replace a run with a slice of valid SQL: half statements, as a person mid-edit has them.
    const sql = pick(seeds);
    const from = Math.floor(next() * sql.length);
    return { start: at, end: Math.min(text.length, at + Math.floor(next() * 80)), text: sql.slice(from, from + Math.floor(next() * 200)) };
  };

  it('keeps its answers right and its memory bounded', async () => {
    const uri = await client.open(target, original);
    await client.until(() => client.publications.length > 0, 30_000, 'first diagnostics');
    let heapAtStart = 0;
    const failures: string[] = [];
    for (let done = 0; done < EDITS; ) {
      // A burst of edits, sometimes several in one notification (each in terms of the text after the one before).
      const burst = Math.min(CHECK_EVERY, EDITS - done);
      for (let i = 0; i < burst; ) {
        const count = next() < 0.1 ? 1 + Math.floor(next() * 3) : 1;
        const changes: { start: number; end: number; text: string }[] = [];
        let text = client.text(uri);
        for (let j = 0; j < count && i < burst; j++, i++) {
          const change = edit(text);
          changes.push(change);
          text = text.slice(0, change.start) + change.text + text.slice(change.end);
        }
        await client.change(uri, changes);
      }
      done += burst;
      // Keep documents from growing past what a migration is: a long paste sequence is cut back.
      if (client.text(uri).length > 20_000) await client.change(uri, [{ start: 10_000, end: client.text(uri).length, text: '' }]);
      const text = client.text(uri);
      const want = expected(text);
      const same = () => JSON.stringify((client.diagnostics.get(uri) ?? []).map(key).sort()) === JSON.stringify(want);
      await client.until(same, 15_000, `diagnostics after ${done} edits (seed ${seed})`).catch((error) => {
        writeFileSync(join(tmpdir(), 'clickplan-fuzz-text.sql'), text);
        throw new Error(`${error.message}\nwant ${JSON.stringify(want)}\ngot  ${JSON.stringify((client.diagnostics.get(uri) ?? []).map(key).sort())}`);
      });
      failures.push(...(await probe(uri, text)));
      if (done === 1000) heapAtStart = (await client.request<{ heapUsed: number }>('clickplan/stats', {})).heapUsed;
    }
    expect(failures).toEqual([]);
    // Features that threw are logged by the server: none may have.
    expect(client.logs.filter((l) => l.includes('failed'))).toEqual([]);

    // Back to the original text: the original answers.
    await client.change(uri, [{ start: 0, end: client.text(uri).length, text: original }]);
    await client.until(() => (client.diagnostics.get(uri) ?? []).length === 0, 15_000, 'the original diagnostics');
    const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
    expect(symbols.map((s) => s.name)).toEqual(['analytics.events_daily', 'analytics.events_daily_mv']);
    const definition = await client.request<Location[]>('textDocument/definition', {
      textDocument: { uri },
      position: positionAt(original, original.indexOf('FROM events') + 6),
    });
    expect(definition.map((l) => `${l.uri.split('/').at(-1)}:${l.range.start.line}`)).toEqual(['V1__create_events.sql:2']);

    const stats = await client.request<{ heapUsed: number; rss: number; published: number; documents: number }>('clickplan/stats', {});
    console.log(
      `fuzz seed ${seed}: heap after 1,000 edits ${(heapAtStart / 1e6).toFixed(1)} MB, after ${EDITS} ${(stats.heapUsed / 1e6).toFixed(1)} MB, rss ${(stats.rss / 1e6).toFixed(1)} MB`,
    );
    expect(stats.documents).toBe(1);
    expect(stats.heapUsed).toBeLessThan(heapAtStart * 1.5 + 10e6);
  }, 600_000);

  /** Hover, definition, references, completion, symbols, code actions and lenses at random places: each must answer, with ranges inside the text. */
  async function probe(uri: string, text: string): Promise<string[]> {
    const problems: string[] = [];
    const lines = text.split(/\r\n|\r|\n/);
    const inside = (r: Range | undefined, what: string) => {
      if (!r) return;
      for (const p of [r.start, r.end]) {
        if (p.line >= lines.length || p.character > (lines[p.line]?.length ?? 0)) problems.push(`${what} range ${JSON.stringify(r)} outside the text`);
      }
    };
    for (let i = 0; i < 3; i++) {
      const position = positionAt(text, Math.floor(next() * (text.length + 1)));
      const textDocument = { uri };
      const [hover, definition, references, completion, actions] = await Promise.all([
        client.request<{ range?: Range } | null>('textDocument/hover', { textDocument, position }),
        client.request<Location[]>('textDocument/definition', { textDocument, position }),
        client.request<Location[]>('textDocument/references', { textDocument, position, context: { includeDeclaration: true } }),
        client.request<CompletionList | null>('textDocument/completion', { textDocument, position }),
        client.request<CodeAction[]>('textDocument/codeAction', {
          textDocument,
          range: { start: position, end: position },
          context: { diagnostics: [] as Diagnostic[] },
        }),
      ]);
      inside(hover?.range, 'hover');
      if (!Array.isArray(definition) || !Array.isArray(references) || !Array.isArray(actions)) problems.push('a request answered no list');
      if (!completion || !Array.isArray(completion.items)) problems.push('completion answered no list');
      for (const item of completion?.items ?? []) inside((item.textEdit as { range?: Range } | undefined)?.range, 'completion');
      for (const action of actions ?? []) for (const e of action.edit?.changes?.[uri] ?? []) inside(e.range, 'code action');
    }
    const [symbols, lenses] = await Promise.all([
      client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } }),
      client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } }),
    ]);
    const walk = (list: DocumentSymbol[]) => {
      for (const s of list) {
        inside(s.range, 'symbol');
        inside(s.selectionRange, 'symbol');
        walk(s.children ?? []);
      }
    };
    walk(symbols);
    for (const lens of lenses) inside(lens.range, 'lens');
    return problems;
  }
});
