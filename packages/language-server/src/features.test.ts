import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CodeActionParams } from 'vscode-languageserver';
import * as features from './features.js';
import { Workspace } from './workspace.js';

// The handlers as plain functions, without a transport: what a request's parameters give.

const root = resolve(new URL('../../../fixtures/workspace', import.meta.url).pathname);
const V3 = join(root, 'migrations/V3__sessions.sql');
const workspace = new Workspace(root, {});
const uriOf = (path: string) => pathToFileURL(path).href;
// biome-ignore lint/suspicious/noTemplateCurlyInString: an LSP snippet with a tab stop, not a template
const SNIPPET = '-- clickplan-ignore mv-populate: ${1:reason}\n';

function contextOf(path: string, text = readFileSync(path, 'utf8')): features.FeatureContext {
  workspace.change(path, text);
  const snapshot = workspace.snapshot();
  return { snapshot, file: snapshot.files.get(path) as string, text, uriOf };
}

describe('language server features', () => {
  it('hovers and completes from a snapshot', () => {
    const context = contextOf(V3);
    const hover = features.hover(context, { textDocument: { uri: uriOf(V3) }, position: { line: 9, character: 7 } });
    expect((hover?.contents as { value: string } | undefined)?.value.split('\n')[0]).toBe('**table** `analytics.events`');
    const typed = contextOf(V3, `${readFileSync(V3, 'utf8')}\nSELECT * FROM `);
    const list = features.completion(typed, { line: 12, character: 14 });
    expect(list.items.map((i) => i.label)).toEqual(['events', 'events_daily', 'events_daily_mv', 'sessions_mv', 'analytics']);
  });

  it('gives suppressions as snippet edits to clients that take them, the reason selected', () => {
    const context = contextOf(V3);
    const finding = context.snapshot.model.diagnostics.find((d) => d.code === 'mv-populate');
    expect(finding).toBeDefined();
    const params: CodeActionParams = {
      textDocument: { uri: uriOf(V3) },
      range: { start: { line: 1, character: 40 }, end: { line: 1, character: 40 } },
      context: { diagnostics: [] },
    };
    const here = features.codeAction(context, params, { snippets: true }).find((a) => a.title === 'Suppress mv-populate here');
    expect(here?.edit).toEqual({
      documentChanges: [
        {
          textDocument: { uri: uriOf(V3), version: null },
          edits: [
            {
              range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } },
              snippet: { kind: 'snippet', value: SNIPPET },
            },
          ],
        },
      ],
    });
    const plain = features.codeAction(context, params, { snippets: false }).find((a) => a.title === 'Suppress mv-populate here');
    expect(plain?.edit?.changes?.[uriOf(V3)]).toEqual([
      { range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, newText: '-- clickplan-ignore mv-populate: reason\n' },
    ]);
  });

  it('lenses run the server commands for clients other than the extension', () => {
    const lenses = features.codeLens(contextOf(V3), {
      target: 'production.json',
      planCommand: 'clickplan.plan',
      graphCommand: 'clickplan.graph',
      uri: uriOf(V3),
    });
    expect(lenses.map((l) => [l.range.start.line, l.command?.title, l.command?.command])).toEqual([
      [0, 'Plan against production.json', 'clickplan.plan'],
      [1, 'nothing downstream', 'clickplan.graph'],
    ]);
  });
});
