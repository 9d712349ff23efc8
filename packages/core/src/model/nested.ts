import type { ColumnDefinition, DataType } from '../syntax/ast.js';

/**
 * The columns a column definition stands for as ClickHouse stores them: `n Nested(a UInt32, b String)`
 * is stored as `n.a Array(UInt32)` and `n.b Array(String)` (flatten_nested, on by default), each
 * with the Nested column's COMMENT, CODEC and TTL (chDB 26.7); any other column is itself. Only the top level is flattened, as the server does
 * (`n Nested(a Nested(c String))` is `n.a Array(Nested(c String))`). The canonical form flattens the same way.
 */
export function storedColumns(column: ColumnDefinition): ColumnDefinition[] {
  const type = column.type;
  if (type?.name.toUpperCase() !== 'NESTED' || !type.arguments) return [column];
  return type.arguments.flatMap((argument) => {
    if (argument.kind !== 'NamedDataType') return [];
    const array: DataType = { kind: 'DataType', name: 'Array', arguments: [argument.type], start: argument.start, end: argument.end };
    const { comment, codec, ttl } = column;
    const subcolumn: ColumnDefinition = {
      kind: 'ColumnDefinition',
      name: [...column.name, ...argument.name],
      type: array,
      primaryKey: false,
      start: argument.start,
      end: argument.end,
    };
    return [{ ...subcolumn, ...(comment ? { comment } : {}), ...(codec ? { codec } : {}), ...(ttl ? { ttl } : {}) }];
  });
}
