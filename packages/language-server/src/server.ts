import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Diagnostic as CoreDiagnostic, parseSql, RULES, type Rule } from '@clickplan/core';
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
import { type ServerSettings, type Snapshot, Workspace } from './workspace.js';

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
   * names (`hover`, `completion`, ...), `analysis` (the whole model), or `rule:<id>`.
   */
  faults?: ReadonlySet<string>;
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
  let workspace: Workspace | undefined;
  let initOptions: InitializationOptions = {};
  let snippetEdits = false;
  let watchDynamically = false;
  const published = new Map<string, string>();
  const openUris = new Map<string, string>();

  const uriOf = (path: string) => openUris.get(path) ?? uriOfPath(path);
  const pathOf = (uri: string) => (uri.startsWith('file:') ? fileURLToPath(uri) : uri);
  const docsUrl = (code: string) => {
    if (initOptions.docsBaseUrl) return `${initOptions.docsBaseUrl.replace(/\/$/, '')}/${RULES.some((r) => r.id === code) ? 'rules' : 'errors'}/${code}.md`;
    return options.docsUrl?.(code);
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

  const contextOf = (uri: string): features.FeatureContext | undefined => {
    if (!workspace) return undefined;
    const path = pathOf(uri);
    const snapshot = workspace.snapshotFor(path);
    const document = documents.get(uri);
    // A file the project does not list (new, not saved yet) is answered from the project's names.
    const file = snapshot.files.get(path) ?? (document ? relative(workspace.root, path) : undefined);
    if (!file) return undefined;
    const text = document?.getText() ?? snapshot.model.analysis.files.find((f) => f.file === file)?.text ?? '';
    return { snapshot, file, text, uriOf };
  };

  connection.onInitialize((params): InitializeResult => {
    initOptions = (params.initializationOptions as InitializationOptions | undefined) ?? {};
    const rootUri = params.workspaceFolders?.[0]?.uri ?? params.rootUri;
    const root = rootUri ? pathOf(rootUri) : process.cwd();
    if (options.chdir) process.chdir(root);
    snippetEdits = Boolean((params.capabilities.workspace?.workspaceEdit as { snippetEditSupport?: boolean } | undefined)?.snippetEditSupport);
    watchDynamically = Boolean(params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration);
    const rules = [...faults].filter((f) => f.startsWith('rule:')).map((f) => f.slice('rule:'.length));
    const only = rules.length ? RULES.map((rule) => (rules.includes(rule.id) ? failing(rule) : rule)) : undefined;
    workspace = new Workspace(root, initOptions.settings ?? {}, only);
    return {
      capabilities: {
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
    if (watchDynamically) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [{ globPattern: '**/*.sql' }, { globPattern: '**/clickplan.{yaml,yml}' }, { globPattern: '**/tenants.txt' }],
      });
    }
    schedule();
  });

  // ---------------------------------------------------------------- diagnostics

  /** Whether an analysis is scheduled. */
  let scheduled = false;
  let lastRun = 0;
  /**
   * Diagnostics follow edits: the first change after a quiet moment is analysed at once (changes that
   * arrived together are one analysis), later ones at most every `debounceMs`, and the last change
   * always gets its own analysis.
   */
  const schedule = () => {
    if (scheduled || !workspace) return;
    scheduled = true;
    const wait = Math.max(0, workspace.debounceMs - (performance.now() - lastRun));
    const run = () => {
      scheduled = false;
      publishDiagnostics();
      lastRun = performance.now();
    };
    // After the messages read together: setTimeout(0) would wait a millisecond more.
    if (wait === 0) setImmediate(run);
    else setTimeout(run, wait);
  };

  const publishDiagnostics = () => {
    if (!workspace) return;
    const next = new Map<string, Diagnostic[]>();
    const counts = { errors: 0, warnings: 0, infos: 0 };
    let analysis: Snapshot | undefined;
    const add = (path: string, file: string, text: string, diagnostics: CoreDiagnostic[]) => {
      const uri = uriOf(path);
      const list = next.get(uri) ?? [];
      next.set(uri, list);
      // Lines are counted only in files with findings: each edit changes the text of a long file.
      if (diagnostics.length === 0) return;
      const index = lineIndexOf(file, text);
      for (const d of diagnostics) {
        list.push(toDiagnostic(index, d, docsUrl));
        counts[d.severity === 'error' ? 'errors' : d.severity === 'warning' ? 'warnings' : 'infos']++;
      }
    };
    try {
      fault('analysis');
      analysis = workspace.snapshot();
      const { model } = analysis;
      const byFile = groupByFile([...analysis.projectDiagnostics, ...model.diagnostics]);
      const texts = new Map([...analysis.configFiles, ...model.analysis.files].map((f) => [f.file, f.text]));
      for (const [file, path] of analysis.paths) add(path, file, texts.get(file) ?? '', byFile.get(file) ?? []);
      for (const [file, list] of byFile) if (!analysis.paths.has(file)) add(join(workspace.root, file), file, '', list);
      for (const failure of model.failures) connection.console.error(`clickplan: rule ${failure.rule} failed: ${failure.error}`);
    } catch (error) {
      // The model failed: syntax diagnostics still come from each file's own parse.
      connection.console.error(
        `clickplan: analysis failed, showing syntax errors only: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      for (const path of openUris.keys()) {
        const text = documents.get(uriOf(path))?.getText() ?? '';
        add(path, path, text, parseSql(text, { file: path }).diagnostics);
      }
    }
    for (const path of workspace.looseFiles()) {
      guard('loose-analysis', undefined, () => {
        const snapshot = workspace?.snapshotFor(path);
        if (!snapshot) return;
        const file = snapshot.files.get(path) ?? path;
        const text = snapshot.model.analysis.files.find((f) => f.file === file)?.text ?? '';
        add(path, file, text, snapshot.model.diagnostics);
      });
    }
    for (const [uri, diagnostics] of next) {
      const json = JSON.stringify(diagnostics);
      if (published.get(uri) === json) continue;
      if (diagnostics.length === 0 && !published.has(uri)) continue;
      published.set(uri, json);
      void connection.sendDiagnostics({ uri, diagnostics });
    }
    for (const uri of [...published.keys()]) {
      if (next.has(uri)) continue;
      published.delete(uri);
      void connection.sendDiagnostics({ uri, diagnostics: [] });
    }
    retainLineIndexes(new Set([...(analysis?.paths.keys() ?? []), ...(analysis ? [] : openUris.keys())]));
    void connection.sendNotification(STATUS_NOTIFICATION, {
      ...counts,
      files: analysis?.model.analysis.files.length ?? 0,
      analysisMs: analysis ? Math.round(analysis.elapsed * 10) / 10 : null,
      degraded: !analysis || analysis.model.failures.length > 0,
    });
  };

  // ---------------------------------------------------------------- documents

  documents.onDidOpen((event) => {
    const path = pathOf(event.document.uri);
    openUris.set(path, event.document.uri);
    guard('open', undefined, () => workspace?.open(path, event.document.getText()));
    schedule();
  });
  documents.onDidChangeContent((event) => {
    guard('change', undefined, () => workspace?.change(pathOf(event.document.uri), event.document.getText()));
    schedule();
  });
  documents.onDidClose((event) => {
    const path = pathOf(event.document.uri);
    openUris.delete(path);
    guard('close', undefined, () => workspace?.close(path));
    schedule();
  });
  connection.onDidChangeWatchedFiles(() => {
    guard('reload', undefined, () => workspace?.reload());
    schedule();
  });
  connection.onDidChangeConfiguration((params) => {
    const settings = (params.settings as { clickplan?: ServerSettings } | undefined)?.clickplan;
    if (settings && workspace) guard('configuration', undefined, () => workspace?.updateSettings(settings));
    schedule();
  });

  // ---------------------------------------------------------------- requests

  connection.onHover((params) => guard('hover', null, () => withContext(params.textDocument.uri, null, (c) => features.hover(c, params))));
  connection.onDefinition((params) => guard('definition', [], () => withContext(params.textDocument.uri, [], (c) => features.definition(c, params))));
  connection.onReferences((params) => guard('references', [], () => withContext(params.textDocument.uri, [], (c) => features.references(c, params))));
  connection.onDocumentSymbol((params) => guard('documentSymbol', [], () => withContext(params.textDocument.uri, [], (c) => features.documentSymbol(c))));
  connection.onWorkspaceSymbol((params) =>
    guard('workspaceSymbol', [], () => (workspace ? features.workspaceSymbol(workspace.snapshot(), params.query, uriOf) : [])),
  );
  connection.onCompletion((params) =>
    guard('completion', null, () => withContext(params.textDocument.uri, null, (c) => features.completion(c, params.position))),
  );
  connection.onCodeAction((params) =>
    guard('codeAction', [], () => withContext(params.textDocument.uri, [], (c) => features.codeAction(c, params, { snippets: snippetEdits }))),
  );
  connection.onCodeLens((params) =>
    guard('codeLens', [], () =>
      withContext(params.textDocument.uri, [], (c) =>
        features.codeLens(c, {
          target: workspace?.target,
          planCommand: initOptions.client === 'vscode' ? 'clickplan.showPlan' : PLAN_COMMAND,
          graphCommand: initOptions.client === 'vscode' ? 'clickplan.showGraph' : GRAPH_COMMAND,
          uri: params.textDocument.uri,
        }),
      ),
    ),
  );

  const withContext = <T>(uri: string, fallback: T, run: (context: features.FeatureContext) => T): T => {
    const context = contextOf(uri);
    return context ? run(context) : fallback;
  };

  connection.onExecuteCommand(async (params) => {
    const [argument] = (params.arguments ?? []) as [
      { uri?: string; objectId?: string; position?: { line: number; character: number }; show?: boolean } | undefined,
    ];
    switch (params.command) {
      case PLAN_COMMAND:
        return plan(argument?.show === true);
      case GRAPH_COMMAND:
        return guard('graph', null, () => {
          const uri = argument?.uri;
          const context = uri ? contextOf(uri) : undefined;
          if (!context || !uri) return null;
          const offset = argument?.position ? toOffset(lineIndexOf(context.file, context.text), argument.position) : undefined;
          return features.graph(context, { ...(argument?.objectId ? { objectId: argument.objectId } : {}), ...(offset !== undefined ? { offset } : {}) });
        });
      case RELOAD_COMMAND:
        workspace?.reload();
        schedule();
        return null;
      default:
        return null;
    }
  });

  /** Plans the project (with open documents' texts) against the target in a child process. */
  const plan = async (show: boolean) => {
    if (!workspace) return { ok: false, message: 'The server has no workspace.' };
    const snapshot = guard('plan', undefined, () => workspace?.snapshot());
    if (!snapshot) return { ok: false, message: 'The workspace could not be analysed.' };
    const config = workspace.config;
    const response = await planInChild(
      {
        root: workspace.projectRoot,
        files: snapshot.model.analysis.files,
        defaultDatabase: config.database,
        ...(config.cluster ? { cluster: config.cluster } : {}),
        ...(config.replication ? { replication: config.replication } : {}),
        ...(workspace.target ? { target: workspace.target } : {}),
      },
      { timeoutMs: 120_000 },
    );
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
    return { heapUsed: memory.heapUsed, rss: memory.rss, changes: workspace?.changeCount ?? 0, published: published.size, documents: documents.all().length };
  });

  documents.listen(connection);
  connection.listen();
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
function failing(rule: Rule<string, unknown>): Rule<string, unknown> {
  return {
    ...rule,
    check() {
      throw new Error(`injected fault in rule ${rule.id}`);
    },
  };
}
