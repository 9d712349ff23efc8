import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, type MessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import type { Diagnostic, InitializeParams, InitializeResult, PublishDiagnosticsParams, TextDocumentContentChangeEvent } from 'vscode-languageserver-protocol';

// A language client for tests: it starts the server as an editor does (a child process speaking
// JSON-RPC over stdio), and does what a client does: initialize, open and change documents, keep the
// latest diagnostics per document, send requests. Every process it starts is killed by its PID.

export const repositoryRoot = resolve(new URL('../..', import.meta.url).pathname);
export const fixtureWorkspace = join(repositoryRoot, 'fixtures/workspace');

/** How to start the server: the TypeScript entry under tsx (default), or a bundle. */
export function serverCommand(options: { bundle?: string; exposeGc?: boolean } = {}): string[] {
  const node = [process.execPath, ...(options.exposeGc ? ['--expose-gc'] : [])];
  if (options.bundle) return [...node, options.bundle, '--stdio'];
  return [...node, '--import', 'tsx', join(repositoryRoot, 'packages/language-server/src/main.ts'), '--stdio'];
}

export interface ClientOptions {
  root: string;
  /** Workspace folders; default: `root` alone. */
  folders?: string[];
  initializationOptions?: unknown;
  env?: Record<string, string>;
  bundle?: string;
  exposeGc?: boolean;
  capabilities?: InitializeParams['capabilities'];
}

export class TestClient {
  readonly connection: MessageConnection;
  readonly diagnostics = new Map<string, Diagnostic[]>();
  /** Every publishDiagnostics, in order, with when it arrived. */
  readonly publications: { uri: string; diagnostics: Diagnostic[]; at: number }[] = [];
  readonly notifications: { method: string; params: unknown }[] = [];
  readonly stderr: string[] = [];
  readonly logs: string[] = [];
  private readonly versions = new Map<string, number>();
  private readonly texts = new Map<string, string>();
  private waiters: (() => void)[] = [];
  initializeResult?: InitializeResult;

  private constructor(readonly child: ChildProcess) {
    this.connection = createMessageConnection(
      new StreamMessageReader(child.stdout as NodeJS.ReadableStream),
      new StreamMessageWriter(child.stdin as NodeJS.WritableStream),
    );
    this.connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      this.diagnostics.set(params.uri, params.diagnostics);
      this.publications.push({ uri: params.uri, diagnostics: params.diagnostics, at: performance.now() });
      this.wake();
    });
    this.connection.onNotification('window/logMessage', (params: { message: string }) => {
      this.logs.push(params.message);
    });
    this.connection.onNotification((method, params) => {
      this.notifications.push({ method, params });
      this.wake();
    });
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('window/showDocument', () => ({ success: true }));
    this.connection.onRequest('workspace/configuration', () => []);
    child.stderr?.on('data', (chunk: Buffer) => this.stderr.push(chunk.toString()));
    this.connection.listen();
  }

  static async start(options: ClientOptions): Promise<TestClient> {
    const [command, ...args] = serverCommand(options);
    const child = spawn(command, args, { cwd: repositoryRoot, env: { ...process.env, ...options.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    const client = new TestClient(child);
    client.initializeResult = await client.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(options.root).href,
      workspaceFolders: (options.folders ?? [options.root]).map((folder) => ({ uri: pathToFileURL(folder).href, name: folder })),
      capabilities: options.capabilities ?? {
        textDocument: { publishDiagnostics: { relatedInformation: false }, synchronization: { dynamicRegistration: false } },
        workspace: { didChangeWatchedFiles: { dynamicRegistration: true } },
      },
      initializationOptions: options.initializationOptions ?? {},
    } satisfies InitializeParams);
    await client.connection.sendNotification('initialized', {});
    return client;
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /** Resolves when `check` holds (checked after every notification), or fails after `timeoutMs`. */
  async until<T>(check: () => T | undefined | false, timeoutMs = 20_000, what = 'condition'): Promise<T> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const value = check();
      if (value) return value;
      const left = deadline - performance.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; stderr: ${this.stderr.join('').slice(-2000)}`);
      await new Promise<void>((done) => {
        const timer = setTimeout(done, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(timer);
          done();
        });
      });
    }
  }

  uriOf(path: string): string {
    return pathToFileURL(path).href;
  }

  text(uri: string): string {
    return this.texts.get(uri) ?? '';
  }

  async open(path: string, text = readFileSync(path, 'utf8')): Promise<string> {
    const uri = this.uriOf(path);
    this.versions.set(uri, 1);
    this.texts.set(uri, text);
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'sql', version: 1, text } });
    return uri;
  }

  /** Sends incremental changes, applying them to the client's copy as an editor does. */
  async change(uri: string, changes: { start: number; end: number; text: string }[]): Promise<void> {
    let text = this.texts.get(uri) ?? '';
    const events: TextDocumentContentChangeEvent[] = [];
    for (const c of changes) {
      events.push({ range: { start: positionAt(text, c.start), end: positionAt(text, c.end) }, text: c.text });
      text = text.slice(0, c.start) + c.text + text.slice(c.end);
    }
    this.texts.set(uri, text);
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: events });
  }

  async close(uri: string): Promise<void> {
    this.texts.delete(uri);
    await this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.connection.sendRequest(method, params) as Promise<R>;
  }

  /** Shuts the server down as a client does, then makes sure its process is gone. */
  async stop(): Promise<void> {
    const exited = new Promise<void>((done) => {
      if (this.child.exitCode !== null || this.child.signalCode !== null) done();
      else this.child.once('exit', () => done());
    });
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), new Promise((done) => setTimeout(done, 2000))]);
      await this.connection.sendNotification('exit');
    } catch {
      // the server is already gone
    }
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
    this.connection.dispose();
  }
}

/** LSP position (line, UTF-16 column) of an offset; `\r\n`, `\r` and `\n` end lines, as in LSP. */
export function positionAt(text: string, offset: number): { line: number; character: number } {
  let line = 0;
  let lineStart = 0;
  if (!text.includes('\r')) {
    // indexOf searches natively: the benchmark sends edits to a 5,000-line file and times them.
    for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
      line++;
      lineStart = i + 1;
    }
    return { line, character: offset - lineStart };
  }
  for (let i = 0; i < offset && i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, character: offset - lineStart };
}

/** The position of the `n`th occurrence of `needle` in `text`, plus `delta` characters. */
export function positionOf(text: string, needle: string, delta = 0, n = 0): { line: number; character: number } {
  let index = -1;
  for (let i = 0; i <= n; i++) {
    index = text.indexOf(needle, index + 1);
    if (index < 0) throw new Error(`${needle} not found`);
  }
  return positionAt(text, index + delta);
}
