import type { Range } from '../diagnostics.js';
import type { QualifiedName, Statement } from '../syntax/ast.js';
import { defineRule, type LocatedStatement } from './rule.js';

/**
 * Statements that delete data: DROP of tables, views with data and databases; DROP COLUMN; TRUNCATE;
 * DROP PARTITION. Dropping what stores no rows of its own (a plain view, a materialized view with
 * TO, a dictionary, a Null/Merge/Distributed/Dictionary table) loses nothing and is not reported.
 */
export default defineRule({
  id: 'destructive-statement',
  severity: 'error',
  docs: { description: 'A migration deletes data: DROP TABLE/DATABASE, DROP VIEW of a view that stores rows, DROP COLUMN, TRUNCATE or DROP PARTITION.' },
  messages: {
    drop: {
      message: '{what} deletes `{name}` and its data; nothing in ClickHouse can bring it back once the drop is final.',
      help: 'Rename it aside first (RENAME TABLE ... TO ..._old) and drop it in a later release, or suppress with the reason it is safe.',
    },
    dropColumn: {
      message: 'DROP COLUMN deletes `{name}` and its data from every part of `{table}`.',
      help: 'Stop writing and reading the column first, keep a copy if it matters, and suppress with the reason it is safe.',
    },
    truncate: {
      message: 'TRUNCATE deletes every row of `{name}`.',
      help: 'Suppress with the reason it is safe, or delete only what must go.',
    },
    dropPartition: {
      message: '{what} deletes a partition of `{table}` and its rows.',
      help: 'Detach it instead (DETACH PARTITION) so it can be attached back, or suppress with the reason it is safe.',
    },
  },
  create(context) {
    // Only a DROP asks whether its object stores rows: without one, nothing needs remembering.
    const stored = context.statements.some(({ statement }) => statement.kind === 'Drop') ? new StorageTracker() : undefined;
    let file = '';
    const report = (node: Range, messageId: 'drop' | 'dropColumn' | 'truncate' | 'dropPartition', data: Record<string, string>) =>
      context.report({ file, node, messageId, data });
    return {
      Statement(statement, { file: located, index }) {
        file = located;
        stored?.moveTo(file);
        switch (statement.kind) {
          case 'Drop':
            // Dropping a temporary table, a function, an access entity or a dictionary loses no stored data.
            if (statement.verb !== 'DROP' || statement.temporary) break;
            if (!['TABLE', 'VIEW', 'DATABASE'].includes(statement.objectKind)) break;
            for (const name of statement.names) {
              if (statement.objectKind !== 'DATABASE' && stored?.isDataless(name)) continue;
              // `DROP TABLE IF EXISTS t; CREATE TABLE t ...` re-creates what the same migration made
              // before: when the migrations never made `t` before, it is what the CREATE makes.
              if (statement.ifExists && stored && !stored.isKnown(name) && recreatesDataless(context.statements, index, name)) continue;
              // `DROP VIEW IF EXISTS` of a view the migrations never made is a guard for a view that may
              // not exist; a view that exists elsewhere is most often a plain view (issue 19; rule page).
              if (statement.objectKind === 'VIEW' && statement.ifExists && stored && !stored.isKnown(name)) continue;
              report(name, 'drop', { what: `DROP ${statement.objectKind}`, name: name.name.name });
            }
            break;
          case 'Truncate':
            report(statement, 'truncate', { name: statement.name.name.name });
            break;
          case 'AlterTable':
            for (const action of statement.actions) {
              if (action.kind === 'DropColumn')
                report(action, 'dropColumn', { name: action.column.map((c) => c.name).join('.'), table: statement.table.name.name });
              else if (action.kind === 'PartitionOperation' && /^DROP (PARTITION|PART)$/.test(action.operation)) {
                report(action, 'dropPartition', { what: action.operation, table: statement.table.name.name });
              }
            }
            break;
        }
        // After the switch: a DROP is judged on what existed before it.
        stored?.enter(statement);
      },
    };
  },
});

/** True when a later statement of the same file creates `name` again, as an object that stores no rows. */
function recreatesDataless(statements: readonly LocatedStatement[], index: number, name: QualifiedName): boolean {
  const tracker = new StorageTracker();
  const { file } = statements[index];
  const sameName = (other: QualifiedName) => other.name.name === name.name.name && other.database?.name === name.database?.name;
  for (let i = index + 1; i < statements.length && statements[i].file === file; i++) {
    const { statement } = statements[i];
    if ((statement.kind === 'CreateTable' || statement.kind === 'CreateView' || statement.kind === 'CreateDictionary') && sameName(statement.name)) {
      tracker.enter(statement);
      return tracker.isDataless(name);
    }
  }
  return false;
}

/** Engines whose tables keep no rows of their own: the rows live in other tables or nowhere. */
const DATALESS_ENGINES = new Set(['Null', 'Merge', 'Distributed', 'Dictionary', 'Kafka', 'RabbitMQ', 'NATS', 'S3Queue', 'AzureQueue']);

/**
 * Remembers, for each object the migrations created so far, whether it stores rows of its own.
 * Unqualified names resolve against the USE in effect, which starts at `default` in each file.
 */
class StorageTracker {
  /** Object id → true when it stores no rows of its own. */
  private readonly dataless = new Map<string, boolean>();
  /** The file being read, to reset the current database at each new file. */
  private file: string | undefined;
  /** The database unqualified names mean. */
  private database = 'default';

  /** Starts a new file: unqualified names mean `default` again. */
  moveTo(file: string): void {
    if (file !== this.file) {
      this.file = file;
      this.database = 'default';
    }
  }

  enter(statement: Statement): void {
    switch (statement.kind) {
      case 'Use':
        this.database = statement.database.name;
        break;
      case 'CreateView':
        // A materialized view without TO and a window view keep rows in an inner table.
        this.dataless.set(
          this.idOf(statement.name),
          statement.viewKind === 'VIEW' || statement.viewKind === 'LIVE' || (statement.viewKind === 'MATERIALIZED' && !!statement.to),
        );
        break;
      case 'CreateDictionary':
        this.dataless.set(this.idOf(statement.name), true);
        break;
      case 'CreateTable':
        if (!statement.temporary) this.dataless.set(this.idOf(statement.name), DATALESS_ENGINES.has(statement.storage?.engine?.name.name ?? ''));
        break;
      case 'Drop':
        if (statement.verb === 'DROP' && statement.objectKind !== 'DATABASE') for (const name of statement.names) this.dataless.delete(this.idOf(name));
        break;
      case 'Rename':
        for (const { from, to } of statement.pairs) {
          const value = this.dataless.get(this.idOf(from));
          this.dataless.delete(this.idOf(from));
          if (value !== undefined) this.dataless.set(this.idOf(to), value);
        }
        break;
    }
  }

  /** True for objects the migrations created so far (and have not dropped). */
  isKnown(name: QualifiedName): boolean {
    return this.dataless.has(this.idOf(name));
  }

  /** True only for objects known to store nothing; objects the migrations did not create count as storing data. */
  isDataless(name: QualifiedName): boolean {
    return this.dataless.get(this.idOf(name)) === true;
  }

  private idOf(name: QualifiedName): string {
    return `${name.database?.name ?? this.database}.${name.name.name}`;
  }
}
