import type { Identifier, ObjectKind, QualifiedName, Statement } from '../syntax/ast.js';
import { defineRule } from './rule.js';
import { addIfExists, addIfNotExists } from './statementEdits.js';

/**
 * ClickHouse has no transactional DDL: a migration that fails half way leaves its first statements
 * done, and an ON CLUSTER CREATE may succeed on some servers only. Running it again must then skip
 * what exists, or the CREATE fails (code 57 for a table, 82 for a database) and the migration never
 * finishes; a DROP of what is gone fails the same way (codes 60, 81). IF NOT EXISTS also hides
 * drift (an existing object with another definition is kept as it is), which plans and `check`
 * report. Declarative schema files are never run as written, so they are not judged.
 */
export default defineRule({
  id: 'ddl-not-idempotent',
  severity: 'info',
  docs: { description: 'CREATE without IF NOT EXISTS or DROP without IF EXISTS: a migration that failed half way cannot simply run again.' },
  messages: {
    create: {
      message:
        '{what} `{name}` has no IF NOT EXISTS: if the migration runs again after failing further on, ClickHouse refuses it because `{name}` exists, and the migration cannot finish.',
      help: 'Write {what} IF NOT EXISTS; ClickPlan plan and check still report an existing `{name}` whose definition differs, which IF NOT EXISTS keeps silently.',
    },
    drop: {
      message:
        '{what} `{name}` has no IF EXISTS: if the migration runs again after failing further on, ClickHouse refuses it because `{name}` is gone already, and the migration cannot finish.',
      help: 'Write {what} IF EXISTS.',
    },
  },
  fixes: { addIfNotExists: 'Add IF NOT EXISTS', addIfExists: 'Add IF EXISTS' },
  create(context) {
    // Only files that run as written are judged: versioned and repeatable migrations. A declarative
    // schema is the desired state (ClickPlan plans its DDL), and a file nobody says is a migration
    // (an editor buffer, a front end that passes no layout) gets no note rather than a wrong one.
    const migrations = new Set((context.project.migrations ?? []).filter((m) => m.kind !== 'declarative').map((m) => m.file));
    /** Names dropped earlier in the current file: a CREATE after `DROP ... IF EXISTS` of its name runs again. */
    const dropped = new Set<string>();
    let currentFile: string | undefined;
    return {
      Statement(statement, { file }) {
        if (!migrations.has(file)) return;
        if (file !== currentFile) {
          dropped.clear();
          currentFile = file;
        }
        if (statement.kind === 'Drop' && statement.verb === 'DROP') for (const name of statement.names) dropped.add(droppedKey(statement.objectKind, name));
        const found = creationOf(statement);
        if (found && dropped.has(droppedKey(found.kind, found.node))) return;
        if (found) {
          const fix = { messageId: 'addIfNotExists' as const, fix: () => addIfNotExists(statement) };
          context.report({ file, node: found.node, messageId: 'create', data: { what: found.what, name: nameText(found.node) }, fix });
          return;
        }
        if (statement.kind === 'Drop' && statement.verb !== 'UNDROP' && !statement.ifExists && !statement.temporary && statement.names[0]) {
          const name = statement.names[0];
          const fix = { messageId: 'addIfExists' as const, fix: () => addIfExists(statement) };
          context.report({ file, node: name, messageId: 'drop', data: { what: `${statement.verb} ${statement.objectKind}`, name: nameText(name) }, fix });
        }
      },
    };
  },
});

/** A CREATE that fails when its object exists: not IF NOT EXISTS, not OR REPLACE (which replaces), not ATTACH or a temporary table. */
function creationOf(statement: Statement): { what: string; kind: ObjectKind; node: QualifiedName | Identifier } | undefined {
  if (!('ifNotExists' in statement) || statement.ifNotExists) return undefined;
  if (!('orReplace' in statement) || statement.orReplace || statement.verb !== 'CREATE') return undefined;
  switch (statement.kind) {
    case 'CreateTable':
      return statement.temporary ? undefined : { what: 'CREATE TABLE', kind: 'TABLE', node: statement.name };
    case 'CreateView':
      return { what: statement.viewKind === 'VIEW' ? 'CREATE VIEW' : `CREATE ${statement.viewKind} VIEW`, kind: 'VIEW', node: statement.name };
    case 'CreateDictionary':
      return { what: 'CREATE DICTIONARY', kind: 'DICTIONARY', node: statement.name };
    case 'CreateDatabase':
      return { what: 'CREATE DATABASE', kind: 'DATABASE', node: statement.name };
    case 'CreateFunction':
      return { what: 'CREATE FUNCTION', kind: 'FUNCTION', node: statement.name };
    case 'CreateNamedCollection':
      return { what: 'CREATE NAMED COLLECTION', kind: 'NAMED COLLECTION', node: statement.name };
    case 'CreateAccessEntity':
      return statement.names[0] ? { what: `CREATE ${statement.entity}`, kind: statement.entity, node: statement.names[0] } : undefined;
    default:
      return undefined;
  }
}

/**
 * A dropped name as the CREATE after it writes it. Tables, views and dictionaries share one namespace
 * (DROP TABLE drops a view too); databases, functions and access entities each have their own.
 */
function droppedKey(kind: ObjectKind, node: QualifiedName | Identifier): string {
  const namespace = ['TABLE', 'VIEW', 'DICTIONARY'].includes(kind) ? 'OBJECT' : kind;
  return `${namespace} ${nameText(node)}`;
}

/** A name as written, without quotes: `db.events` or `events`. */
function nameText(node: QualifiedName | Identifier): string {
  return node.kind === 'Identifier' ? node.name : node.database ? `${node.database.name}.${node.name.name}` : node.name.name;
}
