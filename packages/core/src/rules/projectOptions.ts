import { relative, resolve } from 'node:path';
import type { Project } from '../project/project.js';
import type { LintOptions } from './lint.js';
import type { AppliedMigration } from './migrationHistory.js';

// What lintAnalysis needs to know about a project, in one place for every front end (CLI, Action,
// language server): severities, rule options, cluster, naming policy, migration files, and what was applied.

/** The versioned migrations of `base` (a checkout that was deployed), named as `head` names its files. */
export function appliedMigrationsOf(base: Project, head: Project): AppliedMigration[] {
  // The same file has the same path below the root of either checkout.
  const here = new Map(head.migrations.map((m) => [relative(head.root, resolve(m.file)), m.file]));
  return base.migrations
    .filter((m) => m.kind === 'versioned')
    .map((m) => {
      const below = relative(base.root, resolve(m.file));
      return {
        file: here.get(below) ?? below,
        checksum: m.checksum,
        phase: m.phase,
        ...(m.version === undefined ? {} : { version: m.version }),
        ...(m.tenant === undefined ? {} : { tenant: m.tenant }),
      };
    });
}

/**
 * Lint options for a project; `cluster` overrides the configuration's. What was applied comes from
 * `base` (a checkout that was deployed) and `applied` (e.g. a target's registry), whichever are given.
 */
export function lintOptionsOf(
  project: Project,
  options: { cluster?: string | undefined; base?: Project | undefined; applied?: AppliedMigration[] | undefined } = {},
): LintOptions {
  const cluster = options.cluster ?? project.config.cluster;
  const applied = [...(options.base ? appliedMigrationsOf(options.base, project) : []), ...(options.applied ?? [])];
  return {
    rules: project.config.rules,
    ruleOptions: project.config.ruleOptions,
    project: {
      ...(cluster ? { cluster } : {}),
      qualifiedNames: project.config.qualifiedNames,
      migrations: project.migrations,
      ...(options.base || options.applied ? { applied } : {}),
    },
  };
}
