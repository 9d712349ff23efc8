import type { Migration } from '../project/migration.js';
import type { Project } from '../project/project.js';
import { compareVersions } from '../project/versions.js';
import { migrationKey } from './migrations.js';
import type { MigrationRow, RegistryMigration, RegistryState, RepairRow } from './registry.js';

// The lifecycle commands around deploys (Flyway's info, baseline and repair): what the registry says
// of each migration file, adopting a database that exists without a registry, and accepting an
// applied file's new checksum. Pure: the commands read the registry and write the rows returned here.

/**
 * Where a migration file stands: `applied` (and unchanged), `pending`, `failed` (stopped half way,
 * or the deploy died while it ran), `changed` (applied, and the file's bytes differ since),
 * `out-of-order` (pending, with a version lower than one already applied), `missing` (the registry
 * records it and no file has its name any more).
 */
export type MigrationState = 'applied' | 'pending' | 'failed' | 'changed' | 'out-of-order' | 'missing';

export interface MigrationStatus {
  /** The registry's name: `<tenant>/<phase>/V<version>` or `<tenant>/<phase>/R <description>`. */
  migration: string;
  /** The file; for `missing`, the file the registry recorded. */
  file: string;
  kind: 'versioned' | 'repeatable';
  version?: string;
  description: string;
  tenant?: string;
  state: MigrationState;
  /** SHA-256 of the file as it is now (absent for `missing`). */
  checksum?: string;
  /** What the registry records, when it records the migration. */
  applied?: {
    checksum: string;
    /** Server time of the registry's latest row for it. */
    at: string;
    by: string;
    statements: number;
  };
}

/** Every versioned and repeatable migration of the project with its state in the registry, in deploy order; then the missing ones. */
export function migrationStatuses(project: Project, registry: RegistryState): MigrationStatus[] {
  const files = project.migrations.filter((m) => m.kind !== 'declarative');
  // The highest applied version of each tenant and phase: a pending version below it runs out of order.
  const highest = new Map<string, string>();
  for (const m of files) {
    const recorded = registry.migrations.get(migrationKey(m));
    if (m.kind !== 'versioned' || !m.version || recorded?.status !== 'applied') continue;
    const group = `${m.tenant ?? ''}/${m.phase}`;
    const top = highest.get(group);
    if (!top || compareVersions(m.version, top) > 0) highest.set(group, m.version);
  }
  const statuses = files.map((m): MigrationStatus => {
    const recorded = registry.migrations.get(migrationKey(m));
    const top = highest.get(`${m.tenant ?? ''}/${m.phase}`);
    const state: MigrationState = !recorded
      ? m.kind === 'versioned' && m.version && top && compareVersions(m.version, top) < 0
        ? 'out-of-order'
        : 'pending'
      : recorded.status !== 'applied'
        ? 'failed'
        : recorded.checksum === m.checksum
          ? 'applied'
          : m.kind === 'repeatable'
            ? 'pending'
            : 'changed';
    return {
      migration: migrationKey(m),
      file: m.file,
      kind: m.kind as MigrationStatus['kind'],
      ...(m.version ? { version: m.version } : {}),
      description: m.description,
      ...(m.tenant ? { tenant: m.tenant } : {}),
      state,
      checksum: m.checksum,
      ...(recorded ? { applied: appliedOf(recorded) } : {}),
    };
  });
  const known = new Set(files.map(migrationKey));
  for (const [key, recorded] of registry.migrations) {
    if (known.has(key)) continue;
    const id = key.split('/').slice(2).join('/');
    statuses.push({
      migration: key,
      file: recorded.file,
      kind: id.startsWith('V') ? 'versioned' : 'repeatable',
      ...(id.startsWith('V') ? { version: id.slice(1) } : {}),
      description: '',
      state: 'missing',
      applied: appliedOf(recorded),
    });
  }
  return statuses;
}

function appliedOf(recorded: RegistryMigration): NonNullable<MigrationStatus['applied']> {
  return { checksum: recorded.checksum, at: recorded.at, by: recorded.deployedBy, statements: recorded.statements };
}

/** A refusal of a lifecycle command, as one sentence and what to do. */
export interface LifecycleRefusal {
  message: string;
  help: string;
}

/**
 * `baseline --version N`: the rows that record every versioned file up to N as applied, for a
 * database that already has what they create (Flyway's baseline). Refused on a registry that
 * already records migrations, and when no file has a version up to N.
 */
export function baselineRows(project: Project, registry: RegistryState, version: string): { rows: MigrationRow[]; repairs: RepairRow[] } | LifecycleRefusal {
  if (registry.migrations.size > 0)
    return {
      message: `The registry already records ${registry.migrations.size} migration${registry.migrations.size === 1 ? '' : 's'}: baseline adopts a database that has none.`,
      help: 'Run clickplan status to see them; clickplan apply runs what is pending.',
    };
  const adopted = project.migrations.filter((m) => m.kind === 'versioned' && m.version !== undefined && compareVersions(m.version, version) <= 0);
  if (adopted.length === 0)
    return {
      message: `No versioned migration file has a version up to ${version}.`,
      help: 'Give the version of the last file whose changes the database already has.',
    };
  return {
    rows: adopted.map((m) => appliedRow(m, 0, 0)),
    repairs: adopted.map((m) => ({
      migration: migrationKey(m),
      action: 'baseline',
      oldChecksum: '',
      newChecksum: m.checksum,
      reason: `baseline at version ${version}`,
    })),
  };
}

/**
 * `repair`: the rows that accept the file's current checksum for every applied versioned migration
 * whose file changed (all of them, or those of `only`, by file or registry name). The registry keeps
 * the old checksum, the reason, who and when in `repairs`.
 */
export function acceptChecksumRows(
  project: Project,
  registry: RegistryState,
  reason: string,
  only: readonly string[] = [],
): { rows: MigrationRow[]; repairs: RepairRow[] } | LifecycleRefusal {
  const changed = migrationStatuses(project, registry).filter((s) => s.state === 'changed');
  const chosen = only.length ? changed.filter((s) => only.includes(s.file) || only.includes(s.migration)) : changed;
  const unknown = only.filter((name) => !changed.some((s) => s.file === name || s.migration === name));
  if (unknown.length > 0)
    return {
      message: `${unknown.join(', ')} ${unknown.length === 1 ? 'is not an applied migration whose file changed' : 'are not applied migrations whose files changed'}.`,
      help: 'Run clickplan status: repair accepts the checksum of migrations it shows as changed.',
    };
  if (chosen.length === 0)
    return { message: 'No applied migration changed: there is no checksum to accept.', help: 'Run clickplan status to see every migration.' };
  const rows: MigrationRow[] = [];
  const repairs: RepairRow[] = [];
  for (const status of chosen) {
    const migration = project.migrations.find((m) => migrationKey(m) === status.migration) as Migration;
    const recorded = registry.migrations.get(status.migration) as RegistryMigration;
    rows.push(appliedRow(migration, recorded.run, recorded.statements));
    repairs.push({ migration: status.migration, action: 'accept-checksum', oldChecksum: recorded.checksum, newChecksum: migration.checksum, reason });
  }
  return { rows, repairs };
}

function appliedRow(m: Migration, run: number, statements: number): MigrationRow {
  return {
    migration: migrationKey(m),
    ...(m.tenant ? { tenant: m.tenant } : {}),
    phase: m.phase,
    ...(m.version ? { version: m.version } : {}),
    description: m.description,
    kind: m.kind,
    file: m.file,
    checksum: m.checksum,
    run,
    statements,
    applied: statements,
    status: 'applied',
  };
}
