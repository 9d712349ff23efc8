import { appliedMatch, fileHead, migrationFilesOf } from './migrationHistory.js';
import { defineRule } from './rule.js';

/**
 * A versioned migration runs once per server: the registry (ClickPlan's, Flyway's schema history)
 * records its checksum, and an edit after that reaches only servers that never ran it. Deploys
 * compare the checksums and stop before running anything (ClickPlan's deploy by design; Flyway's
 * validate fails the same way). What was applied comes from the base branch (`clickplan lint
 * --base`) or the registry. Repeatable migrations are meant to change, and a declarative schema file
 * is the change itself: neither is judged.
 */
export default defineRule({
  id: 'migration-applied-edited',
  severity: 'error',
  docs: { description: 'A versioned migration that was already applied has been edited: servers that ran it never see the edit, and deploys refuse it.' },
  messages: {
    edited: {
      message:
        '`{file}` was already applied with checksum {applied} and has been edited since (checksum {current}): servers that ran it never run it again, so they never get the edit, and a deploy stops before running anything while an applied migration differs from what was applied.',
      help: 'Revert the edit (restore the file as applied) and make the change in a new migration with the next version.',
    },
  },
  // Whole project: it compares migration files (their checksums) with what was applied, not statements.
  check(context) {
    const applied = context.project.applied ?? [];
    if (applied.length === 0) return;
    for (const migration of migrationFilesOf(context.analysis, context.project)) {
      if (migration.kind !== 'versioned') continue;
      const before = appliedMatch(migration, applied);
      if (!before || before.checksum === migration.checksum) continue;
      context.report({
        file: migration.file,
        node: fileHead(context.analysis, migration.file),
        messageId: 'edited',
        data: { file: migration.file, applied: short(before.checksum), current: short(migration.checksum) },
      });
    }
  },
});

/** A checksum as people compare them: the first 12 hex digits of the SHA-256. */
function short(checksum: string): string {
  return checksum.slice(0, 12);
}
