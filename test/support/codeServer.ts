import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repositoryRoot } from './lspClient.js';

// Real VS Code in a browser: code-server (installed by scripts/ensure-code-server.sh into a cache
// outside the repository) with the packaged .vsix, in throwaway user-data, extension and XDG
// directories. Every process is started in a process group of its own and killed by its id.

export const CHROMIUM = '/usr/bin/chromium';

export interface CodeServerInstall {
  node: string;
  entry: string;
}

/** Makes sure code-server is installed (a cold install takes minutes) and says where. Throws, loudly, when it cannot be. */
export function ensureCodeServer(): CodeServerInstall {
  const output = execFileSync('bash', [join(repositoryRoot, 'scripts/ensure-code-server.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const value = (key: string) => {
    const line = output.split('\n').find((l) => l.startsWith(`${key}=`));
    if (!line) throw new Error(`scripts/ensure-code-server.sh printed no ${key}=; output:\n${output}`);
    return line.slice(key.length + 1);
  };
  return { node: value('NODE'), entry: value('CODE_SERVER') };
}

/** Builds the extension and the server with esbuild and packs them into a .vsix, offline. */
export function packageExtension(): string {
  execFileSync('npm', ['run', '-s', '-w', 'packages/vscode', 'package'], { cwd: repositoryRoot, stdio: ['ignore', 'ignore', 'inherit'] });
  const vsix = join(repositoryRoot, 'packages/vscode/dist/clickplan.vsix');
  if (!existsSync(vsix)) throw new Error('npm run package wrote no packages/vscode/dist/clickplan.vsix');
  return vsix;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface RunningCodeServer {
  url: string;
  /** The workspace folder it opened: a copy of the fixture. */
  workspace: string;
  dirs: string;
  log: string[];
  stop(): Promise<void>;
}

/** Installs the .vsix into fresh directories and starts code-server on a free loopback port with a copy of `fixture` open. */
export async function startCodeServer(install: CodeServerInstall, vsix: string, fixture: string): Promise<RunningCodeServer> {
  const dirs = mkdtempSync(join(tmpdir(), 'clickplan-code-server-'));
  const userData = join(dirs, 'user-data');
  const extensions = join(dirs, 'extensions');
  const workspace = join(dirs, 'workspace');
  cpSync(fixture, workspace, { recursive: true });
  mkdirSync(join(userData, 'User'), { recursive: true });
  writeFileSync(
    join(userData, 'User/settings.json'),
    JSON.stringify({
      'security.workspace.trust.enabled': false,
      'workbench.startupEditor': 'none',
      'workbench.tips.enabled': false,
      'telemetry.telemetryLevel': 'off',
      'extensions.autoCheckUpdates': false,
      'extensions.autoUpdate': false,
      'update.mode': 'none',
      'editor.hover.delay': 100,
      'workbench.colorTheme': 'Default Light Modern',
      'window.commandCenter': false,
      'workbench.secondarySideBar.defaultVisibility': 'hidden',
      'chat.disableAIFeatures': true,
      'workbench.layoutControl.enabled': false,
    }),
  );
  const configFile = join(dirs, 'config.yaml');
  writeFileSync(configFile, 'auth: none\n');
  const env = { ...process.env, XDG_CONFIG_HOME: join(dirs, 'xdg-config'), XDG_DATA_HOME: join(dirs, 'xdg-data'), XDG_CACHE_HOME: join(dirs, 'xdg-cache') };
  const common = ['--user-data-dir', userData, '--extensions-dir', extensions, '--config', configFile];
  execFileSync(install.node, [install.entry, ...common, '--install-extension', vsix], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  const port = await freePort();
  const log: string[] = [];
  const child: ChildProcess = spawn(
    install.node,
    [
      install.entry,
      ...common,
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--auth',
      'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      workspace,
    ],
    { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.on('data', (c: Buffer) => log.push(c.toString()));
  child.stderr?.on('data', (c: Buffer) => log.push(c.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}:\n${log.join('')}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`code-server did not answer in 30 s:\n${log.join('')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    workspace,
    dirs,
    log,
    async stop() {
      // The group holds code-server, its VS Code server, the extension host and the language server.
      if (child.pid && child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        try {
          process.kill(-child.pid, 'SIGTERM');
        } catch {
          // already gone
        }
        await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // the whole group is gone
        }
      }
      rmSync(dirs, { recursive: true, force: true });
    },
  };
}
