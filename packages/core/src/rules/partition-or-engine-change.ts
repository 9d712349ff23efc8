import { canonicalExpression } from '../canon/expressions.js';
import type { EngineClause, Expression } from '../syntax/ast.js';
import { defineRule } from './rule.js';
import { timelineOf } from './schemaAt.js';

/**
 * ClickHouse has no ALTER for the partition key or the engine (`MODIFY PARTITION BY` and
 * `MODIFY ENGINE` are syntax errors). Writing the table again with CREATE OR REPLACE or REPLACE
 * builds a new, empty table and drops the old one with its rows: the change is a rebuild.
 */
export default defineRule({
  id: 'partition-or-engine-change',
  severity: 'error',
  docs: {
    description: 'CREATE OR REPLACE changes the partition key or engine of an existing table: ClickHouse rebuilds it empty and drops the old rows.',
  },
  messages: {
    partition: {
      message:
        'The partition key of `{table}` differs from its definition in {file}: ClickHouse cannot change a partition key in place, so {verb} builds a new, empty table and drops the old one with its rows.',
      help: 'Create the new table under another name, copy the rows with INSERT INTO ... SELECT, then EXCHANGE TABLES; or keep the old partition key.',
    },
    engine: {
      message:
        'The engine of `{table}` differs from its definition in {file}: ClickHouse cannot change an engine or its arguments in place, so {verb} builds a new, empty table and drops the old one with its rows.',
      help: 'Create the new table under another name, copy the rows with INSERT INTO ... SELECT (or ATTACH PARTITION ... FROM), then EXCHANGE TABLES; or keep the old engine.',
    },
  },
  create(context) {
    return {
      CreateTable(statement, { file, index }) {
        if (statement.temporary || !(statement.orReplace || statement.verb === 'REPLACE')) return;
        // `AS SELECT` fills the new table itself (possibly from the old one); `AS other` copies another table's storage.
        if (statement.asSelect || !statement.storage?.engine) return;
        const timeline = timelineOf(context);
        const database = timeline.databaseAt(index);
        const old = timeline.before(index).tables.get(timeline.idAt(index, statement.name));
        if (old?.kind !== 'table' || old.definition.kind !== 'CreateTable' || !old.definition.storage?.engine) return;
        const print = (e: Expression | undefined, db: string) => (e ? canonicalExpression(e, { database: db }) : '');
        const data = { table: old.id, file: old.created.file, verb: statement.orReplace ? 'CREATE OR REPLACE' : 'REPLACE' };
        const storage = statement.storage;
        if (print(storage.partitionBy, database) !== print(old.definition.storage.partitionBy, old.contextDatabase)) {
          context.report({ file, node: storage.partitionBy ?? statement.name, messageId: 'partition', data });
        }
        if (engineText(storage.engine as EngineClause, database) !== engineText(old.definition.storage.engine, old.contextDatabase)) {
          context.report({ file, node: storage.engine as EngineClause, messageId: 'engine', data });
        }
      },
    };
  },
});

/** `MergeTree` and `MergeTree()` are the same engine. */
function engineText(engine: EngineClause, database: string): string {
  const args = (engine.arguments ?? []).map((a) => canonicalExpression(a, { database }));
  return `${engine.name.name}(${args.join(', ')})`;
}
