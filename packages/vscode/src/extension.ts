import * as vscode from 'vscode';
import { LanguageClient, type LanguageClientOptions, type ServerOptions, TransportKind } from 'vscode-languageclient/node';
import { showGraph, showPlan } from './panels.js';

// The thin client: it starts the bundled language server, passes the settings on, and hosts what
// an editor must draw itself (the plan and graph panels, the status bar). Everything else is the server's.

let client: LanguageClient | undefined;

/** What the server answers for `clickplan/status` after each analysis. */
interface Status {
  errors: number;
  warnings: number;
  infos: number;
  files: number;
  degraded: boolean;
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    // The server decides which SQL files are migrations (clickplan.yaml's layout); others get nothing.
    documentSelector: [{ scheme: 'file', language: 'sql' }],
    synchronize: {
      configurationSection: 'clickplan',
      fileEvents: vscode.workspace.createFileSystemWatcher('**/{*.sql,clickplan.yaml,clickplan.yml,tenants.txt}'),
    },
    initializationOptions: { client: 'vscode', settings: settings() },
  };
  client = new LanguageClient('clickplan', 'ClickPlan', serverOptions, clientOptions);

  const status = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 10);
  status.name = 'ClickPlan findings';
  status.text = '$(loading~spin) ClickPlan';
  status.command = 'workbench.actions.view.problems';
  status.show();
  context.subscriptions.push(
    status,
    vscode.commands.registerCommand('clickplan.showPlan', (argument?: { uri?: string }) => showPlan(context, requireClient(), argument?.uri)),
    vscode.commands.registerCommand('clickplan.showGraph', (argument?: { uri?: string; objectId?: string }) => showGraph(context, requireClient(), argument)),
  );
  await client.start();
  context.subscriptions.push(
    client.onNotification('clickplan/status', (s: Status) => {
      status.text = `$(error) ${s.errors} $(warning) ${s.warnings} $(info) ${s.infos} ClickPlan`;
      status.tooltip = `ClickPlan: ${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')}, ${plural(s.infos, 'note')} in ${plural(s.files, 'migration file')}${s.degraded ? ' (some checks failed: see the ClickPlan output)' : ''}`;
      status.backgroundColor = s.errors > 0 ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    }),
  );
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}

/** `1 error`, `2 errors`: the client stays free of the core, so it counts on its own. */
function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function requireClient(): LanguageClient {
  if (!client) throw new Error('The ClickPlan language server is not running.');
  return client;
}

function settings() {
  const config = vscode.workspace.getConfiguration('clickplan');
  return {
    configFile: config.get<string>('configFile') || undefined,
    target: config.get<string>('target') || undefined,
    rules: config.get<Record<string, string>>('rules') ?? {},
    debounceMs: config.get<number>('debounceMs'),
  };
}
