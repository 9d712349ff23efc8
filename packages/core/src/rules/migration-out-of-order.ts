import { type AppliedMigration, appliedMatch, fileHead, migrationFilesOf, sequenceOf, versionOrder } from './migrationHistory.js';
import { defineRule } from './rule.js';

/**
 * A migration added with a version below one already applied is out of order: servers that are
 * past it and a fresh install run the migrations in different orders, and the tools disagree on
 * what to do: Flyway's validate refuses the pending migration unless outOfOrder is set; goose
 * (3.3+) refuses it unless -allow-missing; golang-migrate keeps only the latest version, so never
 * runs it; dbmate runs it after the later ones (unless --strict). Two files with one version are
 * loadProject's `migration-version-duplicate`, not this rule's.
 */
export default defineRule({
  id: 'migration-out-of-order',
  severity: 'warning',
  docs: {
    description: 'A new migration has a lower version than one already applied: migration tools refuse it or skip it, or servers run it in a different order.',
  },
  messages: {
    outOfOrder: {
      message:
        '`{file}` is new with version {version}, but version {latest} (`{latestFile}`) was already applied: Flyway refuses to migrate while it is pending (unless outOfOrder), goose refuses it (unless -allow-missing), golang-migrate never runs it, and dbmate runs it after {latest}, so servers get the changes in another order than a fresh install.',
      help: 'Rename it to a version above {latest}.',
    },
  },
  // Whole project: it compares migration files (their versions) with what was applied, not statements.
  check(context) {
    const applied = context.project.applied ?? [];
    if (applied.length === 0) return;
    const latest = new Map<string, AppliedMigration & { version: string }>();
    for (const a of applied) {
      if (a.version === undefined) continue;
      const current = latest.get(sequenceOf(a));
      if (!current || versionOrder(a.version, current.version) > 0) latest.set(sequenceOf(a), { ...a, version: a.version });
    }
    for (const migration of migrationFilesOf(context.analysis, context.project)) {
      if (migration.kind !== 'versioned' || migration.version === undefined || appliedMatch(migration, applied)) continue;
      const last = latest.get(sequenceOf(migration));
      if (!last || versionOrder(migration.version, last.version) >= 0) continue;
      context.report({
        file: migration.file,
        node: fileHead(context.analysis, migration.file),
        messageId: 'outOfOrder',
        data: { file: migration.file, version: migration.version, latest: last.version, latestFile: last.file },
      });
    }
  },
});
