import { existsSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import {
  AnalysisCache,
  CONNECTION_ENV,
  credentialUsers,
  type Diagnostic,
  type EditorModel,
  type GivenTarget,
  layoutNamed,
  lintOptionsOf,
  loadProject,
  type Project,
  projectServerConfig,
  type ResolvedTarget,
  type Rule,
  type RuleSeverity,
  resolveTarget,
  type ServerFacts,
  type SourceFile,
  startEditorModel,
} from '@clickplan/core';
import type { PlanRequest } from './planWorker.js';

/** What a person sets in the editor: they win over clickplan.yaml. */
export interface ServerSettings {
  /** A configuration file to read instead of clickplan.yaml in the workspace folder. */
  configFile?: string;
  /** The target "plan against" uses: http(s)://…, a .json snapshot, embedded[:dir]. Default: the config's. */
  target?: string;
  /** Severity per rule id, over the config's `rules:`. */
  rules?: Record<string, RuleSeverity>;
  /** Least time between the starts of two analyses while edits keep coming, in ms (the first edit after a pause runs at once). */
  debounceMs?: number;
}

/** One analysed state: the model, and the project files (with their display names) it was built from. */
export interface Snapshot {
  model: EditorModel;
  /** Absolute path by file name as the analysis shows it. */
  paths: Map<string, string>;
  /** File name as the analysis shows it by absolute path. */
  files: Map<string, string>;
  /** Diagnostics of the project itself (configuration, layout, file names). */
  projectDiagnostics: Diagnostic[];
  /** Texts of files diagnostics point into that are not SQL (clickplan.yaml, tenants.txt). */
  configFiles: SourceFile[];
  /** Milliseconds the analysis took (its steps' time, not the pauses between them). */
  elapsed: number;
}

/** An analysis in progress (`Workspace.advance`): its steps, and the snapshot around each model. */
interface AnalysisRun {
  /** The workspace version it analyses. */
  version: number;
  steps: ReturnType<typeof startEditorModel>;
  snapshotOf: (model: EditorModel, elapsed: number) => Snapshot;
  /** Milliseconds its steps took so far. */
  elapsed: number;
  /** The snapshot without rule findings, once the first step is done. */
  partial?: Snapshot;
}

/**
 * The workspace as the server knows it: the project as clickplan.yaml lays it out, with the text of
 * every open document in place of what is on disk. Analyses are cached per file, so an edit
 * re-parses only the file that changed. Open SQL files outside the project are analysed alone.
 */
export class Workspace {
  private project: Project;
  /** Open documents' texts by absolute path. */
  private readonly overlays = new Map<string, string>();
  private readonly cache = new AnalysisCache();
  private readonly looseCaches = new Map<string, AnalysisCache>();
  /** Bumped by every change; a snapshot is current when built at the same version. */
  private version = 0;
  private current?: { version: number; snapshot: Snapshot };
  /** The analysis in progress: its steps run between the server's other work (`advance`). */
  private running?: AnalysisRun;
  private readonly loose = new Map<string, { version: number; snapshot: Snapshot }>();
  /** Absolute paths of project files by their names: each analysis needs every one. */
  private readonly absolute = new Map<string, string>();

  constructor(
    readonly root: string,
    private settings: ServerSettings,
    /** Rules to run instead of the registry (tests inject a failing one). */
    private readonly rules?: readonly Rule[],
    /** The environment: CLICKHOUSE_URL and CLICKHOUSE_DATABASE come after the settings and before clickplan.yaml. */
    private readonly env: Record<string, string | undefined> = process.env,
  ) {
    this.project = this.load();
  }

  get changeCount(): number {
    return this.version;
  }

  get config(): Project['config'] {
    return this.project.config;
  }

  /** The target and database, as every front end resolves them: the settings, then CLICKHOUSE_*, then clickplan.yaml. */
  get resolved(): ResolvedTarget {
    return resolveTarget({ given: this.given(), env: this.env, config: this.project.config });
  }

  /** What "Plan against" uses; undefined: the embedded engine. */
  get target(): string | undefined {
    return this.resolved.spec;
  }

  private given(): GivenTarget {
    return this.settings.target ? { target: this.settings.target } : {};
  }

  /** What the plan worker needs to read the project as it is in the editor and plan it. */
  planRequest(): PlanRequest {
    const env = Object.fromEntries(Object.values(CONNECTION_ENV).map((name) => [name, this.env[name]]));
    return {
      root: this.root,
      projectRoot: this.projectRoot,
      cwd: process.cwd(),
      ...(this.settings.configFile ? { configFile: resolve(this.root, this.settings.configFile) } : {}),
      unsaved: [...this.overlays].filter(([path]) => path.endsWith('.sql')),
      given: this.given(),
      env,
    };
  }

  /** Users whose password and hosts generate-credentials sets: plans leave their credentials alone. */
  get credentials(): string[] {
    return credentialUsers(this.project);
  }

  get debounceMs(): number {
    return this.settings.debounceMs ?? 100;
  }

  updateSettings(settings: ServerSettings): void {
    const reload = settings.configFile !== this.settings.configFile;
    this.settings = settings;
    if (reload) this.reload();
    else this.version++;
  }

  /** Reads the configuration and lists the files again (a file was created, deleted or renamed; clickplan.yaml changed). */
  reload(): void {
    this.project = this.load();
    this.version++;
  }

  private load(): Project {
    const configFile = this.settings.configFile ? resolve(this.root, this.settings.configFile) : undefined;
    // An open SQL file that is not saved yet joins the project where the layout would list it.
    const unsaved = new Map([...this.overlays].filter(([path]) => path.endsWith('.sql') && !existsSync(path)));
    return loadProject(this.root, { ...(configFile ? { configFile } : {}), ...(unsaved.size > 0 ? { unsaved } : {}) });
  }

  /** Whether a path is one of the project's migration or schema files. */
  isProjectFile(path: string): boolean {
    return this.project.files.some((f) => this.absolutePath(f.file) === path);
  }

  private absolutePath(file: string): string {
    let path = this.absolute.get(file);
    if (path === undefined) this.absolute.set(file, (path = resolve(file)));
    return path;
  }

  /** Whether a path lies where the project's layout reads files (a new file there joins the project, saved or not). */
  isUnderLayout(path: string): boolean {
    const rel = relative(this.project.layout.directory, path);
    return !rel.startsWith('..') && !rel.startsWith('/');
  }

  /** Absolute paths of the config files the project read (clickplan.yaml, tenants.txt). */
  configPaths(): string[] {
    return this.project.configFiles.map((f) => resolve(f.file));
  }

  open(path: string, text: string): void {
    this.overlays.set(path, text);
    if (!this.isProjectFile(path) && path.endsWith('.sql') && this.isUnderLayout(path)) this.reload();
    this.version++;
  }

  change(path: string, text: string): void {
    this.overlays.set(path, text);
    this.version++;
  }

  close(path: string): void {
    // A file never saved leaves the project with its editor.
    const unsaved = this.isProjectFile(path) && !existsSync(path);
    this.overlays.delete(path);
    if (unsaved) this.reload();
    this.loose.delete(path);
    this.looseCaches.delete(path);
    this.version++;
  }

  /**
   * The state to answer from for a file: the project's, or the file's own when it is outside the
   * project. `request`: the project's may lack rule findings (`requestSnapshot`).
   */
  snapshotFor(path: string, use: 'request' | 'complete' = 'complete'): Snapshot {
    if (this.isProjectFile(path) || !this.looseFiles().includes(path)) return use === 'request' ? this.requestSnapshot() : this.snapshot();
    const cached = this.loose.get(path);
    if (cached && cached.version === this.version) return cached.snapshot;
    let cache = this.looseCaches.get(path);
    if (!cache) this.looseCaches.set(path, (cache = new AnalysisCache()));
    const file = relative(process.cwd(), path) || path;
    const snapshot = finish(this.begin(this.version, [{ file, text: this.overlays.get(path) ?? '' }], new Map([[file, path]]), cache, [], []));
    this.loose.set(path, { version: this.version, snapshot });
    return snapshot;
  }

  /**
   * Open SQL files that are not part of the project, analysed each on its own. Only when the
   * workspace has no migrations at all: in a ClickPlan project, SQL outside the layout's directory
   * is not ClickHouse's (seed data, another database's scripts) and gets nothing.
   */
  looseFiles(): string[] {
    if (this.project.files.length > 0) return [];
    return [...this.overlays.keys()].filter((p) => p.endsWith('.sql'));
  }

  /** The project's current state, analysed now if anything changed since the last analysis. */
  snapshot(): Snapshot {
    if (this.current && this.current.version === this.version) return this.current.snapshot;
    return this.complete(this.runFor(this.version));
  }

  /**
   * What requests (hover, completion, definition...) answer from: the current state, without rule
   * findings when its rules have not run yet. They never wait for the rules; when the text changed
   * since, they wait for its parse, model and graph (a few milliseconds), never answer from an older text.
   */
  requestSnapshot(): Snapshot {
    if (this.current && this.current.version === this.version) return this.current.snapshot;
    const run = this.runFor(this.version);
    if (!run.partial) this.step(run);
    return run.partial ?? this.snapshot();
  }

  /**
   * Runs the next step of the analysis of the current state (one is started when none runs): the
   * server calls it until it returns the snapshot, answering requests between the calls. A change
   * that arrives meanwhile waits for that analysis to end (its diagnostics are published; a burst of
   * changes is one analysis after it), unless a request needed the new text first.
   */
  advance(): Snapshot | undefined {
    if (this.current && this.current.version === this.version) return this.current.snapshot;
    const run = this.running ?? this.runFor(this.version);
    if (!this.step(run)) return undefined;
    return this.complete(run);
  }

  /** The analysis in progress when it is of `version`; else a new one (dropping the older: its trees are about to move). */
  private runFor(version: number): AnalysisRun {
    if (this.running?.version === version) return this.running;
    this.running = this.beginProject(version);
    return this.running;
  }

  /** One step of a run, timed; true when the model is complete. */
  private step(run: AnalysisRun): boolean {
    const started = performance.now();
    let done: boolean;
    try {
      done = run.steps.step();
    } catch (error) {
      // A failed analysis cannot go on: the next call starts again.
      if (this.running === run) this.running = undefined;
      throw error;
    } finally {
      run.elapsed += performance.now() - started;
    }
    if (!run.partial && run.steps.partial) run.partial = run.snapshotOf(run.steps.partial, run.elapsed);
    return done;
  }

  /** Runs a run's remaining steps and makes its snapshot the current one. */
  private complete(run: AnalysisRun): Snapshot {
    while (!this.step(run)) {
      // The next part of the rules.
    }
    const snapshot = run.snapshotOf(run.steps.model as EditorModel, run.elapsed);
    if (this.running === run) this.running = undefined;
    if (!this.current || this.current.version <= run.version) this.current = { version: run.version, snapshot };
    return snapshot;
  }

  private beginProject(version: number): AnalysisRun {
    const select = layoutNamed(this.project.layout.name).select;
    const paths = new Map<string, string>();
    const files = this.project.files.map((f): SourceFile => {
      const path = this.absolutePath(f.file);
      paths.set(f.file, path);
      const overlay = this.overlays.get(path);
      if (overlay === undefined) return f;
      // An open goose/dbmate file is read as the layout reads it: down sections blanked.
      const text = select ? select(overlay, f.file).value : overlay;
      return { ...f, text };
    });
    // The server configuration (`server.config`) as the CLI reads it: its problems and server-* findings are the project's.
    const server = projectServerConfig(this.project.config);
    return this.begin(
      version,
      files,
      paths,
      this.cache,
      [...this.project.diagnostics, ...server.diagnostics],
      [...this.project.configFiles, ...server.files],
      server.facts,
    );
  }

  private begin(
    version: number,
    files: SourceFile[],
    paths: Map<string, string>,
    cache: AnalysisCache,
    projectDiagnostics: Diagnostic[],
    configFiles: SourceFile[],
    server?: ServerFacts,
  ): AnalysisRun {
    const started = performance.now();
    // The rule options the CLI and the Action use, with the editor's severities on top.
    const lint = lintOptionsOf(this.project);
    if (server) lint.project = { ...lint.project, server };
    const steps = startEditorModel(
      files,
      {
        defaultDatabase: this.resolved.database,
        rules: { ...lint.rules, ...this.settings.rules },
        project: lint.project ?? {},
        ...(this.rules ? { only: this.rules } : {}),
      },
      cache,
    );
    for (const f of configFiles) paths.set(f.file, resolve(f.file));
    const byPath = new Map([...paths].map(([file, path]) => [path, file]));
    return {
      version,
      steps,
      elapsed: performance.now() - started,
      snapshotOf: (model, elapsed) => ({ model, paths, files: byPath, projectDiagnostics, configFiles, elapsed }),
    };
  }

  /** The directory plans and relative targets are resolved from. */
  get projectRoot(): string {
    return this.project.root ?? dirname(this.root);
  }
}

/**
 * The workspace folders the editor opened, each its own project. A path belongs to the innermost
 * folder that holds it; a path outside every folder, to the first (where a lone SQL file is analysed
 * on its own, as with one folder).
 */
export class Workspaces {
  /** By root, in the order the folders were added. */
  private readonly byRoot = new Map<string, Workspace>();

  constructor(private readonly create: (root: string) => Workspace) {}

  add(root: string): void {
    if (!this.byRoot.has(root)) this.byRoot.set(root, this.create(root));
  }

  remove(root: string): void {
    this.byRoot.delete(root);
  }

  all(): Workspace[] {
    return [...this.byRoot.values()];
  }

  get first(): Workspace | undefined {
    return this.byRoot.values().next().value;
  }

  /** The workspace a file belongs to. */
  forPath(path: string): Workspace | undefined {
    let found: Workspace | undefined;
    for (const [root, workspace] of this.byRoot) {
      const rel = relative(root, path);
      const inside = rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
      if (inside && (!found || root.length > found.root.length)) found = workspace;
    }
    return found ?? this.first;
  }
}

/** A run's snapshot, its steps all run at once (a file outside the project: small, and asked for by requests). */
function finish(run: AnalysisRun): Snapshot {
  while (!run.steps.step()) {
    // The next part of the rules.
  }
  return run.snapshotOf(run.steps.model as EditorModel, run.elapsed);
}
