import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Diagnostic as CoreDiagnostic, docsLink, parseSql, RULES, type Rule } from '@clickplan/core';
import {
  CodeActionKind,
  type Connection,
  type Diagnostic,
  DidChangeWatchedFilesNotification,
  type InitializeResult,
  TextDocumentSyncKind,
  TextDocuments,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { lineIndexOf, retainLineIndexes, toDiagnostic, toOffset, uriOfPath } from './convert.js';
import * as features from './features.js';
import { planInChild } from './plan.js';
import { type ServerSettings, type Snapshot, Workspace, Workspaces } from './workspace.js';

export const PLAN_COMMAND = 'clickplan.plan';
export const GRAPH_COMMAND = 'clickplan.graph';
export const RELOAD_COMMAND = 'clickplan.reload';
/** Sent after each analysis: finding counts for a status bar. */
export const STATUS_NOTIFICATION = 'clickplan/status';
/** Memory and counters, for tests and for people investigating the server. */
export const STATS_REQUEST = 'clickplan/stats';

export interface ServerOptions {
  connection: Connection;
  /** Link of a diagnostic code's page (rules/<id>.md, errors/<code>.md); none when undefined. */
  docsUrl?: (code: string) => string | undefined;
  /** Change the process's directory to the workspace, as the CLI runs from it (the bin entry does; in-process tests do not). */
  chdir?: boolean;
  /**
   * Features made to throw, to prove that one failing feature leaves the others working: request
   * names (`hover`, `completion`, ...), `analysis` (the whole model), or `rule:<id>`. Also
   * `slow-rules:<ms>`: every rule's project hook takes that much longer (proof that requests answer
   * while the rules run).
   */
  faults?: ReadonlySet<string>;
  /** The environment CLICKHOUSE_URL and CLICKHOUSE_DATABASE are read from (default: the process's). */
  env?: Record<string, string | undefined>;
}

interface InitializationOptions {
  settings?: ServerSettings;
  /** `vscode` when the ClickPlan extension is the client: lenses then run its commands, which open panels. */
  client?: string;
  /** Base URL of the docs (…/docs); overrides the server's own. */
  docsBaseUrl?: string;
}

/** Starts the language server on a connection: every handler, the diagnostics loop and the commands. */
export function startServer(options: ServerOptions): void {
  const { connection } = options;
  const faults = options.faults ?? new Set<string>();
  const documents = new TextDocuments(TextDocument);
  /** The project of each workspace folder; set when the client initializes. */
  let workspaces: Workspaces | undefined;
  let initOptions: InitializationOptions = {};
  let snippetEdits = false;
  let watchDynamically = false;
  /** Whether the client tells when workspace folders are added or removed. */
  let foldersChange = false;
  const published = new Map<string, string>();
  const openUris = new Map<string, string>();

  const uriOf = (path: string) => openUris.get(path) ?? uriOfPath(path);
  const pathOf = (uri: string) => (uri.startsWith('file:') ? fileURLToPath(uri) : uri);
  const docsUrl = (code: string) => {
    if (initOptions.docsBaseUrl) return docsLink(code, initOptions.docsBaseUrl);
    return options.docsUrl?.(code) ?? docsLink(code);
  };
  const fault = (name: string) => {
    if (faults.has(name)) throw new Error(`injected fault in ${name}`);
  };

  /** Runs one feature; an exception is logged and answered with `fallback`, and nothing else is affected. */
  const guard = <T>(name: string, fallback: T, run: () => T): T => {
    try {
      fault(name);
      return run();
    } catch (error) {
      connection.console.error(`clickplan: ${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return fallback;
    }
  };

  /** What a request answers from; `complete`: with rule findings and fixes (code actions), else the rules need not have run. */
  const contextOf = (uri: string, use: 'request' | 'complete' = 'request'): features.FeatureContext | undefined => {
    const path = pathOf(uri);
    const workspace = workspaces?.forPath(path);
    if (!workspace) return undefined;
    const snapshot = workspace.snapshotFor(path, use);
    const document = documents.get(uri);
    // A file the project does not list (new, not saved yet) is answered from the project's names.
    const file = snapshot.files.get(path) ?? (document ? relative(workspace.root, path) : undefined);
    if (!file) return undefined;
    const text = document?.getText() ?? snapshot.model.analysis.files.find((f) => f.file === file)?.text ?? '';
    return { snapshot, file, text, uriOf };
  };

  connection.onInitialize((params): InitializeResult => {
    initOptions = (params.initializationOptions as InitializationOptions | undefined) ?? {};
    // Every workspace folder is a project of its own; paths are shown relative to the first, where the
    // process runs (as the CLI runs from the project).
    const roots = (params.workspaceFolders ?? []).map((f) => pathOf(f.uri));
    if (roots.length === 0) roots.push(params.rootUri ? pathOf(params.rootUri) : process.cwd());
    if (options.chdir) process.chdir(roots[0]);
    snippetEdits = Boolean((params.capabilities.workspace?.workspaceEdit as { snippetEditSupport?: boolean } | undefined)?.snippetEditSupport);
    watchDynamically = Boolean(params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration);
    foldersChange = Boolean(params.capabilities.workspace?.workspaceFolders);
    const rules = [...faults].filter((f) => f.startsWith('rule:')).map((f) => f.slice('rule:'.length));
    const slowMs = Number([...faults].find((f) => f.startsWith('slow-rules:'))?.slice('slow-rules:'.length) ?? 0);
    const only =
      rules.length || slowMs
        ? RULES.map((rule) => (rules.includes(rule.id) ? failing(rule) : rule)).map((rule) => (slowMs ? slowed(rule, slowMs) : rule))
        : undefined;
    workspaces = new Workspaces((root) => new Workspace(root, initOptions.settings ?? {}, only, options.env ?? process.env));
    for (const root of roots) workspaces.add(root);
    return {
      capabilities: {
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: false },
        hoverProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        documentSymbolProvider: true,
        workspaceSymbolProvider: true,
        completionProvider: { triggerCharacters: ['.', ' ', '(', ',', "'", ':'] },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite] },
        codeLensProvider: { resolveProvider: false },
        executeCommandProvider: { commands: [PLAN_COMMAND, GRAPH_COMMAND, RELOAD_COMMAND] },
      },
      serverInfo: { name: 'clickplan-language-server', version: '0.1.0' },
    };
  });

  connection.onInitialized(() => {
    if (foldersChange) {
      connection.workspace.onDidChangeWorkspaceFolders((event) =>
        guard('folders', undefined, () => {
          for (const folder of event.removed) workspaces?.remove(pathOf(folder.uri));
          for (const folder of event.added) workspaces?.add(pathOf(folder.uri));
          // Open documents go to the folder that now holds them.
          for (const [path, uri] of openUris) {
            for (const workspace of workspaces?.all() ?? []) workspace.close(path);
            workspaces?.forPath(path)?.open(path, documents.get(uri)?.getText() ?? '');
          }
          schedule();
        }),
      );
    }
    if (watchDynamically) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [{ globPattern: '**/*.sql' }, { globPattern: '**/clickplan.{yaml,yml}' }, { globPattern: '**/tenants.txt' }],
      });
    }
    schedule();
  });

  // ---------------------------------------------------------------- diagnostics

  /** Whether the analysis loop runs or is about to. */
  let analysing = false;
  /** Whether something changed since the loop's current pass began. */
  let changed = false;
  /** When the last pass began. */
  let lastStart = Number.NEGATIVE_INFINITY;
  /**
   * Diagnostics follow edits. A change while the server is idle is analysed at once (after the other
   * messages read with it: they are one analysis). Changes that arrive while an analysis runs are
   * coalesced into one analysis after it, which starts when it ends, but at most every `debounceMs`
   * from the start of the one before. The analysis runs in steps (editor/model.ts
   * `startEditorModel`): between steps that took more than `SLICE_MS`, the loop yields, so requests
   * (hover, completion...) answer while the rules run.
   */
  const schedule = () => {
    changed = true;
    if (analysing || !workspaces?.first) return;
    analysing = true;
    const wait = Math.max(0, (workspaces.first?.debounceMs ?? 0) - (performance.now() - lastStart));
    // setImmediate: after the messages read together (setTimeout(0) would wait a millisecond more).
    if (wait === 0) setImmediate(analyse);
    else setTimeout(analyse, wait);
  };

  const analyse = async () => {
    try {
      changed = false;
      lastStart = performance.now();
      const results = new Map<Workspace, Snapshot | unknown>();
      let slice = performance.now();
      for (const workspace of workspaces?.all() ?? []) {
        for (;;) {
          let snapshot: Snapshot | undefined;
          try {
            fault('analysis');
            snapshot = workspace.advance();
          } catch (error) {
            results.set(workspace, error);
            break;
          }
          if (snapshot) {
            results.set(workspace, snapshot);
            break;
          }
          if (performance.now() - slice >= SLICE_MS) {
            await new Promise((resolve) => setImmediate(resolve));
            slice = performance.now();
          }
        }
      }
      publishDiagnostics(results);
    } finally {
      analysing = false;
    }
    if (changed) schedule();
  };

  /** Publishes each workspace's diagnostics from its analysis (a snapshot, or the error it failed with). */
  const publishDiagnostics = (results: Map<Workspace, Snapshot | unknown>) => {
    if (!workspaces) return;
    const next = new Map<string, Diagnostic[]>();
    const counts = { errors: 0, warnings: 0, infos: 0 };
    const analyses: Snapshot[] = [];
    let failed = false;
    /** Whether a workspace has no analysis in this pass: then no file's diagnostics are cleared for missing from it. */
    let partial = false;
    /** Files whose line indexes stay. */
    const shown = new Set<string>();
    const add = (path: string, file: string, text: string, diagnostics: CoreDiagnostic[]) => {
      const uri = uriOf(path);
      const list = next.get(uri) ?? [];
      next.set(uri, list);
      // Lines are counted only in files with findings: each edit changes the text of a long file.
      if (diagnostics.length === 0) return;
      shown.add(file);
      const index = lineIndexOf(file, text);
      for (const d of diagnostics) {
        list.push(toDiagnostic(index, d, docsUrl));
        counts[d.severity === 'error' ? 'errors' : d.severity === 'warning' ? 'warnings' : 'infos']++;
      }
    };
    for (const workspace of workspaces.all()) {
      try {
        const analysis = results.get(workspace);
        // A folder added while the loop yielded: the next pass analyses it (and its files keep what they had).
        if (analysis === undefined) {
          partial = true;
          continue;
        }
        if (!isSnapshot(analysis)) throw analysis;
        analyses.push(analysis);
        const { model } = analysis;
        const byFile = groupByFile([...analysis.projectDiagnostics, ...model.diagnostics]);
        const texts = new Map([...analysis.configFiles, ...model.analysis.files].map((f) => [f.file, f.text]));
        for (const [file, path] of analysis.paths) add(path, file, texts.get(file) ?? '', byFile.get(file) ?? []);
        for (const [file, list] of byFile) if (!analysis.paths.has(file)) add(join(workspace.root, file), file, '', list);
        for (const failure of model.failures) connection.console.error(`clickplan: rule ${failure.rule} failed: ${failure.error}`);
      } catch (error) {
        // The model failed: syntax diagnostics still come from each open file's own parse.
        failed = true;
        connection.console.error(
          `clickplan: analysis failed, showing syntax errors only: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        );
        for (const path of openUris.keys()) {
          if (workspaces.forPath(path) !== workspace) continue;
          const text = documents.get(uriOf(path))?.getText() ?? '';
          add(path, path, text, parseSql(text, { file: path }).diagnostics);
        }
      }
      for (const path of workspace.looseFiles()) {
        guard('loose-analysis', undefined, () => {
          const snapshot = workspace.snapshotFor(path);
          const file = snapshot.files.get(path) ?? path;
          const text = snapshot.model.analysis.files.find((f) => f.file === file)?.text ?? '';
          add(path, file, text, snapshot.model.diagnostics);
        });
      }
    }
    for (const [uri, diagnostics] of next) {
      const json = JSON.stringify(diagnostics);
      if (published.get(uri) === json) continue;
      if (diagnostics.length === 0 && !published.has(uri)) continue;
      published.set(uri, json);
      void connection.sendDiagnostics({ uri, diagnostics });
    }
    for (const uri of partial ? [] : [...published.keys()]) {
      if (next.has(uri)) continue;
      published.delete(uri);
      void connection.sendDiagnostics({ uri, diagnostics: [] });
    }
    retainLineIndexes(shown);
    void connection.sendNotification(STATUS_NOTIFICATION, {
      ...counts,
      files: analyses.reduce((sum, a) => sum + a.model.analysis.files.length, 0),
      analysisMs: analyses.length > 0 ? Math.round(analyses.reduce((sum, a) => sum + a.elapsed, 0) * 10) / 10 : null,
      degraded: failed || analyses.some((a) => a.model.failures.length > 0),
    });
  };

  // ---------------------------------------------------------------- documents

  documents.onDidOpen((event) => {
    const path = pathOf(event.document.uri);
    openUris.set(path, event.document.uri);
    guard('open', undefined, () => workspaces?.forPath(path)?.open(path, event.document.getText()));
    schedule();
  });
  documents.onDidChangeContent((event) => {
    const path = pathOf(event.document.uri);
    guard('change', undefined, () => workspaces?.forPath(path)?.change(path, event.document.getText()));
    schedule();
  });
  documents.onDidClose((event) => {
    const path = pathOf(event.document.uri);
    openUris.delete(path);
    guard('close', undefined, () => workspaces?.forPath(path)?.close(path));
    schedule();
  });
  connection.onDidChangeWatchedFiles(() => {
    guard('reload', undefined, () => {
      for (const workspace of workspaces?.all() ?? []) workspace.reload();
    });
    schedule();
  });
  connection.onDidChangeConfiguration((params) => {
    const settings = (params.settings as { clickplan?: ServerSettings } | undefined)?.clickplan;
    if (settings) {
      guard('configuration', undefined, () => {
        for (const workspace of workspaces?.all() ?? []) workspace.updateSettings(settings);
      });
    }
    schedule();
  });

  // ---------------------------------------------------------------- requests

  connection.onHover((params) => guard('hover', null, () => withContext(params.textDocument.uri, null, (c) => features.hover(c, params))));
  connection.onDefinition((params) => guard('definition', [], () => withContext(params.textDocument.uri, [], (c) => features.definition(c, params))));
  connection.onReferences((params) => guard('references', [], () => withContext(params.textDocument.uri, [], (c) => features.references(c, params))));
  connection.onDocumentSymbol((params) => guard('documentSymbol', [], () => withContext(params.textDocument.uri, [], (c) => features.documentSymbol(c))));
  connection.onWorkspaceSymbol((params) =>
    guard('workspaceSymbol', [], () =>
      (workspaces?.all() ?? []).flatMap((workspace) => features.workspaceSymbol(workspace.requestSnapshot(), params.query, uriOf)),
    ),
  );
  connection.onCompletion((params) =>
    guard('completion', null, () => withContext(params.textDocument.uri, null, (c) => features.completion(c, params.position))),
  );
  connection.onCodeAction((params) =>
    guard('codeAction', [], () => withContext(params.textDocument.uri, [], (c) => features.codeAction(c, params, { snippets: snippetEdits }), 'complete')),
  );
  connection.onCodeLens((params) =>
    guard('codeLens', [], () =>
      withContext(params.textDocument.uri, [], (c) =>
        features.codeLens(c, {
          target: workspaces?.forPath(pathOf(params.textDocument.uri))?.target,
          planCommand: initOptions.client === 'vscode' ? 'clickplan.showPlan' : PLAN_COMMAND,
          graphCommand: initOptions.client === 'vscode' ? 'clickplan.showGraph' : GRAPH_COMMAND,
          uri: params.textDocument.uri,
        }),
      ),
    ),
  );

  const withContext = <T>(uri: string, fallback: T, run: (context: features.FeatureContext) => T, use: 'request' | 'complete' = 'request'): T => {
    const context = contextOf(uri, use);
    return context ? run(context) : fallback;
  };

  connection.onExecuteCommand(async (params) => {
    const [argument] = (params.arguments ?? []) as [
      { uri?: string; objectId?: string; position?: { line: number; character: number }; show?: boolean } | undefined,
    ];
    switch (params.command) {
      case PLAN_COMMAND:
        return plan(argument?.uri ? workspaces?.forPath(pathOf(argument.uri)) : workspaces?.first, argument?.show === true);
      case GRAPH_COMMAND:
        return guard('graph', null, () => {
          const uri = argument?.uri;
          const context = uri ? contextOf(uri) : undefined;
          if (!context || !uri) return null;
          const offset = argument?.position ? toOffset(lineIndexOf(context.file, context.text), argument.position) : undefined;
          return features.graph(context, { ...(argument?.objectId ? { objectId: argument.objectId } : {}), ...(offset !== undefined ? { offset } : {}) });
        });
      case RELOAD_COMMAND:
        for (const workspace of workspaces?.all() ?? []) workspace.reload();
        schedule();
        return null;
      default:
        return null;
    }
  });

  /** Plans the project (with open documents' texts) against the target in a child process. */
  const plan = async (workspace: Workspace | undefined, show: boolean) => {
    if (!workspace) return { ok: false, message: 'The server has no workspace.' };
    const snapshot = guard('plan', undefined, () => workspace.snapshot());
    if (!snapshot) return { ok: false, message: 'The workspace could not be analysed.' };
    const response = await planInChild(workspace.planRequest(), { timeoutMs: 120_000 });
    if (show) {
      // Clients without a panel of their own get the plan as a Markdown document.
      const path = join(tmpdir(), `clickplan-plan-${process.pid}.md`);
      writeFileSync(path, response.ok ? response.markdown : `# Plan failed\n\n${response.message}\n`);
      void connection.window.showDocument({ uri: uriOfPath(path) }).catch(() => undefined);
    }
    return response;
  };

  connection.onRequest(STATS_REQUEST, () => {
    (globalThis as { gc?: () => void }).gc?.();
    const memory = process.memoryUsage();
    return {
      heapUsed: memory.heapUsed,
      rss: memory.rss,
      changes: (workspaces?.all() ?? []).reduce((sum, w) => sum + w.changeCount, 0),
      published: published.size,
      documents: documents.all().length,
    };
  });

  documents.listen(connection);
  connection.listen();
}

/** Milliseconds of analysis after which the loop lets requests in. */
const SLICE_MS = 3;

function isSnapshot(value: unknown): value is Snapshot {
  return typeof value === 'object' && value !== null && 'model' in value && 'paths' in value;
}

function groupByFile(diagnostics: CoreDiagnostic[]): Map<string, CoreDiagnostic[]> {
  const byFile = new Map<string, CoreDiagnostic[]>();
  for (const d of diagnostics) {
    let list = byFile.get(d.file);
    if (!list) byFile.set(d.file, (list = []));
    list.push(d);
  }
  return byFile;
}

/** A rule whose check throws: what a bug in a rule looks like to the server. */
function failing(rule: Rule): Rule {
  // Its node listeners go too: a rule may find through `create` as well as `check`.
  const { create: _listeners, ...rest } = rule;
  return {
    ...rest,
    check() {
      throw new Error(`injected fault in rule ${rule.id}`);
    },
  };
}

/** A rule whose project hook first spins for `ms` milliseconds: what a slow rule, or a loaded machine, looks like to the server. */
function slowed(rule: Rule, ms: number): Rule {
  const { check } = rule;
  if (!check) return rule;
  return {
    ...rule,
    check(context) {
      const until = performance.now() + ms;
      while (performance.now() < until) {
        // Busy, as a rule computing is.
      }
      check.call(rule, context);
    },
  };
}
