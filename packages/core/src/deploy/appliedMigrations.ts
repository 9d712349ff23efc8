import type { Project } from '../project/project.js';
import type { AppliedMigration } from '../rules/migrationHistory.js';
import { migrationKey } from './migrations.js';
import type { RegistryState } from './registry.js';

/** The versioned migrations a target's deploy registry records as applied, named as `project` names its files. */
export function appliedMigrationsFromRegistry(registry: RegistryState, project: Project): AppliedMigration[] {
  const applied: AppliedMigration[] = [];
  for (const migration of project.migrations) {
    if (migration.kind !== 'versioned') continue;
    const recorded = registry.migrations.get(migrationKey(migration));
    if (recorded?.status !== 'applied') continue;
    applied.push({
      file: migration.file,
      checksum: recorded.checksum,
      phase: migration.phase,
      ...(migration.version === undefined ? {} : { version: migration.version }),
      ...(migration.tenant === undefined ? {} : { tenant: migration.tenant }),
    });
  }
  return applied;
}
