// A release: `npm run release -- <version> [--dry-run]`.
//
// Sets the version in every workspace's package.json (and their pins on each other) and in the lock
// file, so `npm ci` still accepts it; moves CHANGELOG.md's Unreleased section under the version;
// rebuilds what is shipped from the sources (the Action's committed dist/, the VS Code .vsix, the two
// npm packages); and prints the commands that publish them, which it does not run. `--dry-run` prints
// every change and command without writing or running anything. test/release.test.ts runs both.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

export interface FileChange {
  /** Relative to the repository. */
  path: string;
  before: string;
  after: string;
}

export interface ReleasePlan {
  from: string;
  to: string;
  changes: FileChange[];
  /** Rebuilds, in order, each `[command, ...args]` run in the repository. */
  builds: string[][];
  /** What publishes the release; printed, never run. */
  publish: string[];
}

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?$/;

interface Manifest {
  name: string;
  version?: string;
  workspaces?: string[];
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

/** What releasing `version` on `date` (YYYY-MM-DD) changes in the repository at `repository`. */
export function planRelease(version: string, date: string, repository = root): ReleasePlan {
  if (!SEMVER.test(version)) throw new Error(`${version} is not a version (MAJOR.MINOR.PATCH, e.g. 0.2.0)`);
  const read = (path: string) => readFileSync(join(repository, path), 'utf8');
  const rootManifest = JSON.parse(read('package.json')) as Manifest;
  const workspaces = rootManifest.workspaces ?? [];
  const manifests = new Map(workspaces.map((w) => [w, JSON.parse(read(`${w}/package.json`)) as Manifest]));
  const names = new Set([...manifests.values()].map((m) => m.name));
  const from = manifests.get('packages/cli')?.version ?? [...manifests.values()][0].version ?? '0.0.0';
  if (compareVersions(version, from) <= 0) throw new Error(`${version} is not after the current version ${from}`);

  /** The manifest (or lock entry) with its version and its pins on workspace packages set. */
  const bumped = <T extends Partial<Manifest>>(manifest: T): T => {
    const pins = (deps?: Record<string, string>) => deps && Object.fromEntries(Object.entries(deps).map(([n, v]) => [n, names.has(n) ? version : v]));
    return {
      ...manifest,
      ...(manifest.version !== undefined ? { version } : {}),
      ...(manifest.dependencies ? { dependencies: pins(manifest.dependencies) } : {}),
      ...(manifest.devDependencies ? { devDependencies: pins(manifest.devDependencies) } : {}),
    };
  };
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

  const changes: FileChange[] = workspaces.map((w) => ({
    path: `${w}/package.json`,
    before: read(`${w}/package.json`),
    after: json(bumped(manifests.get(w) as Manifest)),
  }));
  const lock = JSON.parse(read('package-lock.json')) as { packages: Record<string, Partial<Manifest>> };
  for (const w of workspaces) lock.packages[w] = bumped(lock.packages[w]);
  changes.push({ path: 'package-lock.json', before: read('package-lock.json'), after: json(lock) });
  const changelog = read('CHANGELOG.md');
  changes.push({ path: 'CHANGELOG.md', before: changelog, after: releaseChangelog(changelog, from, version, date) });

  return {
    from,
    to: version,
    changes: changes.filter((c) => c.before !== c.after),
    builds: [
      ['npm', 'run', 'build:action', '-w', 'packages/action'],
      ['npm', 'run', 'package', '-w', 'packages/vscode'],
      ['npm', 'run', 'build', '-w', 'packages/core'],
      ['npm', 'run', 'build', '-w', 'packages/cli'],
    ],
    publish: [
      `git commit -am "Release ${version}" && git tag v${version}`,
      'npm publish packages/core/dist --access public',
      'npm publish packages/cli/dist',
      'npx vsce publish --packagePath packages/vscode/dist/clickplan.vsix',
      `git push origin HEAD v${version}   # the Action: users pin clickplan/clickplan@v${version}`,
    ],
  };
}

/** The Unreleased section becomes the version's; a new empty Unreleased section and the compare links follow. */
export function releaseChangelog(text: string, from: string, version: string, date: string): string {
  const heading = '## [Unreleased]';
  if (!text.includes(heading)) throw new Error(`CHANGELOG.md has no "${heading}" section`);
  if (text.includes(`## [${version}]`)) throw new Error(`CHANGELOG.md already has a section for ${version}`);
  const repository = /^\[Unreleased\]: (https:\/\/\S+)\/compare\/v\S+\.\.\.HEAD$/m.exec(text)?.[1];
  if (!repository) throw new Error('CHANGELOG.md has no "[Unreleased]: <repository>/compare/v<version>...HEAD" link');
  return text
    .replace(heading, `${heading}\n\n## [${version}] - ${date}`)
    .replace(/^\[Unreleased\]: .*$/m, `[Unreleased]: ${repository}/compare/v${version}...HEAD\n[${version}]: ${repository}/compare/v${from}...v${version}`);
}

function compareVersions(a: string, b: string): number {
  const parts = (v: string) => v.split('-')[0].split('.').map(Number);
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return a === b ? 0 : a.includes('-') ? -1 : 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const dryRun = args.includes('--dry-run');
  const [version] = args.filter((a) => !a.startsWith('--'));
  if (!version) {
    console.error('usage: npm run release -- <version> [--dry-run]');
    process.exit(2);
  }
  let plan: ReleasePlan;
  try {
    plan = planRelease(version, new Date().toISOString().slice(0, 10));
  } catch (error) {
    console.error(`release: ${(error as Error).message}`);
    process.exit(2);
  }
  console.log(`${dryRun ? 'Would release' : 'Releasing'} ${plan.from} → ${plan.to}`);
  for (const change of plan.changes) {
    console.log(`${dryRun ? 'would write' : 'write'} ${change.path}`);
    if (!dryRun) writeFileSync(join(root, change.path), change.after);
  }
  for (const build of plan.builds) {
    console.log(`${dryRun ? 'would run' : 'run'} ${build.join(' ')}`);
    if (dryRun) continue;
    const result = spawnSync(build[0], build.slice(1), { cwd: root, stdio: 'inherit' });
    if (result.status !== 0) {
      console.error(`release: ${build.join(' ')} failed; the versions are set, fix and run the builds again`);
      process.exit(1);
    }
  }
  console.log(`\nThen publish (not run by this script):\n${plan.publish.map((c) => `  ${c}`).join('\n')}`);
}
