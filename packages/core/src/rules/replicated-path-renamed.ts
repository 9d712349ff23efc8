import type { SchemaObject } from '../model/schema.js';
import type { QualifiedName } from '../syntax/ast.js';
import { creatingStatement } from './migrationState.js';
import { replicationArguments, storedReplication } from './replicationPath.js';
import { defineRule, type LocatedStatement } from './rule.js';
import { timelineOf } from './schemaAt.js';

/**
 * ClickHouse expands `{database}` and `{table}` in a replication path once, at CREATE, so that the
 * table can be renamed: after RENAME or EXCHANGE the path still carries the name the table was
 * created with. A later table that takes that name with the same path template collides with it
 * (replicated-path-duplicate reports that as an error when the repository does it); until then the
 * path only misleads whoever looks it up in ZooKeeper. Hence `info`.
 */
export default defineRule({
  id: 'replicated-path-renamed',
  severity: 'info',
  docs: { description: 'A Replicated table whose path uses {database} or {table} is renamed: its ZooKeeper path keeps the name it was created with.' },
  messages: {
    renamed: {
      message:
        '`{object}` {how} `{target}` but keeps its ZooKeeper path `{zkPath}`, expanded when it was created: a later table whose path expands to the same value fails with REPLICA_ALREADY_EXISTS (code 253).',
      help: 'Give a table created under the old name a path of its own (e.g. `.../\\{table}_v2`); suppress when the old name is never used again.',
    },
  },
  create(context) {
    const { statements } = context;
    const timeline = timelineOf(context);
    // Without a Replicated path that uses the name macros there is nothing to find (the common case).
    const usesNames = statements.some(({ statement }) => {
      const engine = statement.kind === 'CreateTable' || statement.kind === 'CreateView' ? statement.storage?.engine : undefined;
      const path = replicationArguments(engine)?.path.value;
      return path !== undefined && /\{(database|table)\}/.test(path);
    });
    if (!usesNames) return {};
    return {
      Statement(statement, { file, index }) {
        if ((statement.kind !== 'Rename' && statement.kind !== 'Exchange') || statement.objectKind === 'DICTIONARY') return;
        const schema = () => timeline.before(index).schema;
        const database = timeline.databaseAt(index);
        const report = (object: SchemaObject, node: QualifiedName, how: string, target: string, macros: string[]) => {
          const zkPath = pathKeepingNames(object, statements, macros);
          if (zkPath) context.report({ file, node, messageId: 'renamed', data: { object: object.id, how, target, zkPath } });
        };
        for (const { from, to } of statement.pairs) {
          if (statement.objectKind === 'DATABASE') {
            // Every table of the database moves; only `{database}` in their paths goes stale.
            for (const object of schema().objects.filter((o) => o.kind === 'table' && o.database === from.name.name)) {
              report(object, from, 'moves to database', to.name.name, ['{database}']);
            }
            continue;
          }
          const fromId = timeline.idAt(index, from);
          const toId = timeline.idAt(index, to);
          // Only the macros whose value changes go stale: a move to another database keeps `{table}` right.
          const macros = [
            ...((from.database?.name ?? database) !== (to.database?.name ?? database) ? ['{database}'] : []),
            ...(from.name.name !== to.name.name ? ['{table}'] : []),
          ];
          const a = schema().objects.find((o) => o.kind === 'table' && o.id === fromId);
          if (statement.kind === 'Rename') {
            if (a) report(a, from, 'is renamed to', toId, macros);
            continue;
          }
          const b = schema().objects.find((o) => o.kind === 'table' && o.id === toId);
          if (a) report(a, from, 'is exchanged with', toId, macros);
          if (b) report(b, to, 'is exchanged with', fromId, macros);
        }
      },
    };
  },
});

/**
 * The stored path of a table whose path template uses one of `macros`, or undefined when it uses
 * none of them or cannot collide anyway (`{uuid}`, non-literal arguments).
 */
function pathKeepingNames(object: SchemaObject, statements: readonly LocatedStatement[], macros: string[]): string | undefined {
  if (object.definition.kind !== 'CreateTable') return undefined;
  const engine = object.definition.storage?.engine;
  // The template as written: the model's engine has `{database}` and `{table}` written out, as stored.
  const created = creatingStatement(statements, object);
  const writtenEngine = (created?.kind === 'CreateTable' && created.storage?.engine) || engine;
  const template = replicationArguments(writtenEngine)?.path.value;
  if (!template || !macros.some((m) => template.includes(m))) return undefined;
  return created && storedReplication(created, object.contextDatabase, engine)?.path;
}
