import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

// The two panels the server cannot draw: the plan (Markdown rendered by VS Code's own renderer) and
// the dependency graph (an SVG the server lays out; a click on an object opens its definition).

interface PlanResponse {
  ok: boolean;
  markdown?: string;
  message?: string;
  target?: string;
}

interface GraphResponse {
  focus: string[];
  svg: string;
  nodes: {
    id: string;
    kind: string;
    location: { uri: string; range: { start: { line: number; character: number }; end: { line: number; character: number } } } | null;
  }[];
}

let planPanel: vscode.WebviewPanel | undefined;
let graphPanel: vscode.WebviewPanel | undefined;

export async function showPlan(_context: vscode.ExtensionContext, client: LanguageClient, uri?: string): Promise<void> {
  const documentUri = uri ?? vscode.window.activeTextEditor?.document.uri.toString();
  planPanel ??= createPanel('clickplan.plan', 'ClickPlan plan', () => (planPanel = undefined));
  planPanel.webview.html = page('ClickPlan plan', '<p>Planning…</p>');
  planPanel.reveal(vscode.ViewColumn.Beside, true);
  const response = (await client.sendRequest('workspace/executeCommand', { command: 'clickplan.plan', arguments: [{ uri: documentUri }] })) as PlanResponse;
  const markdown = response.ok ? (response.markdown ?? '') : `# The plan could not be made\n\n${response.message ?? ''}`;
  const html = (await vscode.commands.executeCommand<string>('markdown.api.render', markdown)) ?? `<pre>${escapeHtml(markdown)}</pre>`;
  if (planPanel) planPanel.webview.html = page('ClickPlan plan', html);
}

export async function showGraph(_context: vscode.ExtensionContext, client: LanguageClient, argument?: { uri?: string; objectId?: string }): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  const uri = argument?.uri ?? editor?.document.uri.toString();
  if (!uri) return void vscode.window.showInformationMessage('Open a migration file to see its dependency graph.');
  const position = !argument?.objectId && editor && editor.document.uri.toString() === uri ? editor.selection.active : undefined;
  const response = (await client.sendRequest('workspace/executeCommand', {
    command: 'clickplan.graph',
    arguments: [
      {
        uri,
        ...(argument?.objectId ? { objectId: argument.objectId } : {}),
        ...(position ? { position: { line: position.line, character: position.character } } : {}),
      },
    ],
  })) as GraphResponse | null;
  if (!response) return void vscode.window.showInformationMessage('ClickPlan has no graph for this file.');
  graphPanel ??= createPanel('clickplan.graph', 'ClickPlan graph', () => (graphPanel = undefined));
  const panel = graphPanel;
  const locations = new Map(response.nodes.map((n) => [n.id, n.location]));
  panel.title = response.focus.length === 1 ? `Graph: ${response.focus[0]}` : 'ClickPlan graph';
  panel.webview.options = { enableScripts: true };
  panel.webview.html = page(
    panel.title,
    `<p class="hint">Data flows left to right. Click an object to open its definition.</p><div id="graph">${response.svg}</div>`,
    `const vscode = acquireVsCodeApi();
     for (const node of document.querySelectorAll('g.node')) node.addEventListener('click', () => vscode.postMessage({ open: node.dataset.id }));`,
  );
  panel.webview.onDidReceiveMessage(async (message: { open?: string }) => {
    const location = message.open ? locations.get(message.open) : undefined;
    if (!location) return;
    const { start, end } = location.range;
    await vscode.window.showTextDocument(vscode.Uri.parse(location.uri), {
      viewColumn: vscode.ViewColumn.One,
      selection: new vscode.Range(start.line, start.character, end.line, end.character),
    });
  });
  panel.reveal(vscode.ViewColumn.Beside, true);
}

function createPanel(type: string, title: string, onDispose: () => void): vscode.WebviewPanel {
  const panel = vscode.window.createWebviewPanel(type, title, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, { enableScripts: true });
  panel.onDidDispose(onDispose);
  return panel;
}

function page(title: string, body: string, script = ''): string {
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline';">
<style>body{font-family:var(--vscode-font-family);color:var(--vscode-foreground);padding:0 16px}
table{border-collapse:collapse}td,th{border:1px solid var(--vscode-panel-border);padding:2px 8px}
pre,code{font-family:var(--vscode-editor-font-family)} .hint{opacity:.7} #graph{overflow:auto}</style></head>
<body>${body}${script ? `<script>${script}</script>` : ''}</body></html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
