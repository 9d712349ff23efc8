import { canonicalExpression } from '../canon/expressions.js';
import { columnName } from '../model/alterTable.js';
import { keyElements } from '../model/keyColumns.js';
import type { SchemaObject } from '../model/schema.js';
import type { CreateTableStatement, Expression } from '../syntax/ast.js';
import { printExpression } from '../syntax/printer/expressions.js';
import { columnTypeText } from './columnTypes.js';
import { defineRule } from './rule.js';
import { timelineOf } from './schemaAt.js';

/**
 * `MOVE PARTITION ... TO TABLE`, `REPLACE PARTITION ... FROM` and `ATTACH PARTITION ... FROM` hand
 * parts from one MergeTree table to another as they are, so ClickHouse refuses them unless both
 * tables store the same columns (names and types, in any order; ALIAS columns aside: code 122) and
 * have the same partition and sorting keys (code 36). Checked on chDB 26.7: different skip indices,
 * projections, TTLs, codecs, defaults, settings or a ReplacingMergeTree on one side are accepted.
 */
export default defineRule({
  id: 'partition-transfer-refused',
  severity: 'error',
  docs: {
    description:
      'MOVE PARTITION TO TABLE, REPLACE PARTITION or ATTACH PARTITION FROM between tables whose columns or keys differ: ClickHouse refuses the ALTER.',
  },
  messages: {
    columns: {
      message:
        '{operation} hands parts of `{source}` to `{destination}`, but their stored columns differ ({difference}): ClickHouse refuses it (code 122, "Tables have different structure"), so the migration fails here.',
      help: 'Give both tables the same columns first (the ALTER that added a column to one must add it to the other), or copy the rows with INSERT ... SELECT instead.',
    },
    key: {
      message:
        '{operation} hands parts of `{source}` to `{destination}`, but their {key} differ ({sourceKey} and {destinationKey}): ClickHouse refuses it (code 36), so the migration fails here.',
      help: 'Hand parts only between tables with the same partition and sorting keys; otherwise copy the rows with INSERT ... SELECT.',
    },
  },
  create(context) {
    return {
      AlterTable(statement, { file, index }) {
        if (!statement.actions.some((a) => a.kind === 'PartitionOperation' && (a.fromTable || a.toTable))) return;
        const timeline = timelineOf(context);
        const schema = timeline.before(index);
        const self = timeline.idAt(index, statement.table);
        for (const action of statement.actions) {
          if (action.kind !== 'PartitionOperation') continue;
          const other = action.toTable ?? action.fromTable;
          if (!other) continue;
          const otherId = timeline.idAt(index, other);
          const [sourceId, destinationId] = action.toTable ? [self, otherId] : [otherId, self];
          const source = mergeTreeTable(schema.tables.get(sourceId));
          const destination = mergeTreeTable(schema.tables.get(destinationId));
          if (!source || !destination) continue;
          const names = { operation: action.operation, source: sourceId, destination: destinationId };
          const difference = columnDifference(source.definition, destination.definition);
          if (difference) {
            context.report({ file, node: action, messageId: 'columns', data: { ...names, difference } });
            continue;
          }
          for (const [key, of] of KEYS) {
            const [sourceKey, destinationKey] = [of(source.definition), of(destination.definition)];
            if (keyText(sourceKey, source) === keyText(destinationKey, destination)) continue;
            const data = { ...names, key, sourceKey: keyDisplay(sourceKey), destinationKey: keyDisplay(destinationKey) };
            context.report({ file, node: action, messageId: 'key', data });
            break;
          }
        }
      },
    };
  },
});

type Table = SchemaObject & { definition: CreateTableStatement };

function mergeTreeTable(object: SchemaObject | undefined): Table | undefined {
  if (object?.kind !== 'table' || object.definition.kind !== 'CreateTable') return undefined;
  if (!object.definition.storage?.engine?.name.name.endsWith('MergeTree')) return undefined;
  return { ...object, definition: object.definition };
}

const KEYS: [string, (definition: CreateTableStatement) => Expression | undefined][] = [
  ['partition keys', (d) => d.storage?.partitionBy],
  ['sorting keys', (d) => d.storage?.orderBy],
];

/** A key as written, for messages. */
function keyDisplay(key: Expression | undefined): string {
  return key ? `\`${printExpression(key)}\`` : 'none';
}

/** A key as compared: its elements in canonical form (`ORDER BY k`, `(k)` and `tuple(k)` are one). */
function keyText(key: Expression | undefined, table: Table): string {
  const elements = keyElements(key).map((e) => canonicalExpression(e, { database: table.contextDatabase }));
  return elements.length === 0 ? 'none' : `(${elements.join(', ')})`;
}

/** The stored columns one table has and the other has not (or has with another type), as text; undefined when they match. */
function columnDifference(source: CreateTableStatement, destination: CreateTableStatement): string | undefined {
  const [from, to] = [storedColumns(source), storedColumns(destination)];
  if (!from || !to) return undefined;
  const differences: string[] = [];
  for (const [name, type] of from) {
    const other = to.get(name);
    if (other === undefined) differences.push(`\`${name}\` only in the source`);
    else if (other !== type) differences.push(`\`${name}\` is ${type} and ${other}`);
  }
  for (const name of to.keys()) if (!from.has(name)) differences.push(`\`${name}\` only in the destination`);
  return differences.length > 0 ? differences.join(', ') : undefined;
}

/** Columns stored in parts, by name, with their canonical types; undefined when a type is not known. */
function storedColumns(definition: CreateTableStatement): Map<string, string> | undefined {
  const columns = new Map<string, string>();
  for (const element of definition.elements ?? []) {
    if (element.kind !== 'ColumnDefinition' || element.defaultKind === 'ALIAS' || element.defaultKind === 'EPHEMERAL') continue;
    const type = columnTypeText(element);
    if (!type) return undefined;
    columns.set(columnName(element.name), type);
  }
  return columns.size > 0 ? columns : undefined;
}
