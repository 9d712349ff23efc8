import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

// The pull request's base, read with git from the checkout the workflow made: the files as they
// were at the base commit (written to a temporary directory, the checkout is not touched), and the
// files the pull request changes. actions/checkout fetches one commit by default; the base commit is
// then fetched here (the checkout's credentials allow it).

export interface BaseTree {
  sha: string;
  /** A temporary directory holding the base commit's copy of the requested paths, at their repository-relative places. */
  root: string;
  /** The repository's top directory in the workspace. */
  top: string;
  /** Repository-relative paths (forward slashes) that differ between the base commit and the checkout. */
  changed: Set<string>;
  cleanup(): void;
}

/** The repository's top directory, or undefined outside a git checkout. */
export function repositoryRoot(cwd: string): string | undefined {
  try {
    return git(cwd, ['rev-parse', '--show-toplevel']).trim();
  } catch {
    return undefined;
  }
}

/**
 * The base commit's copy of `paths` (directories or files, relative to `cwd`), and what changed since.
 * Returns a reason instead when the commit cannot be had.
 */
export function readBaseTree(cwd: string, sha: string, paths: string[]): { value: BaseTree } | { reason: string } {
  const top = repositoryRoot(cwd);
  if (!top) return { reason: `${cwd} is not a git checkout` };
  if (!hasCommit(top, sha)) {
    try {
      git(top, ['fetch', '--no-tags', '--no-recurse-submodules', '--depth=1', 'origin', sha]);
    } catch {
      // Reported below: the commit is still missing.
    }
    if (!hasCommit(top, sha))
      return { reason: `the base commit ${sha.slice(0, 7)} is not in the checkout and could not be fetched (use actions/checkout with fetch-depth: 0)` };
  }
  const root = mkdtempSync(join(tmpdir(), 'clickplan-base-'));
  const cleanup = () => rmSync(root, { recursive: true, force: true });
  try {
    for (const path of paths) {
      const inRepository = toPosix(relative(top, resolve(cwd, path))) || '.';
      const listed = git(top, ['ls-tree', '-r', '--name-only', sha, '--', inRepository]).trim();
      if (!listed) continue; // New in this pull request: the base has nothing there.
      const tar = execFileSync('git', ['archive', '--format=tar', sha, '--', inRepository], { cwd: top, maxBuffer: 1 << 30 });
      mkdirSync(root, { recursive: true });
      execFileSync('tar', ['-x', '-C', root], { input: tar, maxBuffer: 1 << 30 });
    }
    const changed = new Set(git(top, ['diff', '--name-only', '--no-renames', '-z', sha, 'HEAD']).split('\0').filter(Boolean));
    return { value: { sha, root, top, changed, cleanup } };
  } catch (error) {
    cleanup();
    return { reason: `git could not read the base commit ${sha.slice(0, 7)}: ${firstLine(error)}` };
  }
}

function hasCommit(cwd: string, sha: string): boolean {
  try {
    git(cwd, ['cat-file', '-e', `${sha}^{commit}`]);
    return true;
  } catch {
    return false;
  }
}

function git(cwd: string, args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'pipe'] });
}

function toPosix(path: string): string {
  return path.replace(/\\/g, '/');
}

function firstLine(error: unknown): string {
  const stderr = (error as { stderr?: Buffer | string }).stderr;
  const text = stderr ? String(stderr) : error instanceof Error ? error.message : String(error);
  return text.trim().split('\n')[0] ?? '';
}
