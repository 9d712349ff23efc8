import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// What the published packages (`clickplan`, `@clickplan/core`) share: the repository's license,
// links and supported Node versions, from the root package.json, and the LICENSE file. Each
// package's build writes its manifest into its dist/, which is what `npm pack`/`npm publish` take:
// the workspace manifests keep pointing at the TypeScript sources, so the repository runs without a
// build step.

export const repositoryRoot = fileURLToPath(new URL('..', import.meta.url));

export interface PackageJson {
  name: string;
  version: string;
  description?: string;
  dependencies?: Record<string, string>;
  [field: string]: unknown;
}

export function readPackageJson(path: string): PackageJson {
  return JSON.parse(readFileSync(path, 'utf8')) as PackageJson;
}

/** The fields every published package takes from the root package.json; `directory` is the package's folder in the repository. */
export function sharedFields(directory: string): Pick<PackageJson, 'license' | 'homepage' | 'repository' | 'bugs' | 'engines'> {
  const root = readPackageJson(join(repositoryRoot, 'package.json'));
  const repository = { ...(root.repository as Record<string, string>), directory };
  return { license: root.license, homepage: root.homepage, repository, bugs: root.bugs, engines: root.engines };
}

/** Writes `manifest` as dist/package.json and copies the LICENSE and the package's README beside it. */
export function writePublishedPackage(dist: string, manifest: PackageJson, readme: string): void {
  writeFileSync(join(dist, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  copyFileSync(join(repositoryRoot, 'LICENSE'), join(dist, 'LICENSE'));
  copyFileSync(readme, join(dist, 'README.md'));
}
