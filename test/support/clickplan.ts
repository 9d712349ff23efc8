import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { type CliIo, run } from '../../packages/cli/src/cli.js';

// The CLI as tests run it, one way for every test: in a process of its own as a user runs it (the
// TypeScript entry under tsx, or the published bin), or in process through the same `run` the
// entry calls, with its output collected.

export const repositoryRoot = new URL('../..', import.meta.url).pathname;

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface SpawnOptions {
  /** Working directory (default: the repository). */
  cwd?: string;
  /** Variables over the test's environment; CLICKHOUSE_URL and CLICKHOUSE_PASSWORD are emptied unless given, so the developer's never leak in. */
  env?: Record<string, string>;
  /** `source`: packages/cli/src/main.ts under tsx (default); `bin`: packages/cli/bin/clickplan.js, as npm installs it. */
  entry?: 'source' | 'bin';
}

function command(args: string[], entry: SpawnOptions['entry']): string[] {
  if (entry === 'bin') return [join(repositoryRoot, 'packages/cli/bin/clickplan.js'), ...args];
  return ['--import', 'tsx', join(repositoryRoot, 'packages/cli/src/main.ts'), ...args];
}

function environment(options: SpawnOptions): NodeJS.ProcessEnv {
  return { ...process.env, CLICKHOUSE_URL: '', CLICKHOUSE_PASSWORD: '', ...options.env };
}

/** Runs `clickplan <args>` in a child process and waits for it. */
export function clickplan(args: string[], options: SpawnOptions = {}): CliResult {
  const result = spawnSync(process.execPath, command(args, options.entry), {
    cwd: options.cwd ?? repositoryRoot,
    encoding: 'utf8',
    env: environment(options),
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** `clickplan` in a child process without blocking the test's event loop (a server the test runs must answer it meanwhile). */
export function clickplanAsync(args: string[], options: SpawnOptions = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, command(args, options.entry), { cwd: options.cwd ?? repositoryRoot, env: environment(options) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs `clickplan <argv>` in this process (`run` from packages/cli/src/cli.ts); the environment is only what `io.env` gives (none by default). */
export async function clickplanInProcess(argv: string[], io: Partial<Omit<CliIo, 'stdout' | 'stderr'>> = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    ...io,
    env: io.env ?? {},
  });
  return { code, stdout, stderr };
}
