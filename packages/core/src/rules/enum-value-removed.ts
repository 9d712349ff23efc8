import { enumValues, nestedEnum, parseDataType } from '../semantics/dataTypes.js';
import { defineRule } from './rule.js';
import { typeChangesOf } from './typeChanges.js';

/**
 * An Enum column stores numbers. Dropping a label leaves its number in the parts: ClickHouse then
 * fails to read those rows (code 691) and refuses inserts of the label. Giving a label another
 * number is refused outright (code 70). Behaviour checked with chDB in the test.
 */
export default defineRule({
  id: 'enum-value-removed',
  severity: 'error',
  docs: { description: 'MODIFY COLUMN removes or renumbers an Enum value: rows holding it become unreadable and inserts of it fail.' },
  messages: {
    removed: {
      message:
        'This removes {labels} from the Enum of `{table}.{column}`: rows that hold {them} can no longer be read (code 691: unexpected value in enum), and inserts of {them} fail.',
      help: 'Keep every label that may be stored or sent, and only add new ones; to retire one, first rewrite its rows (ALTER TABLE ... UPDATE) and stop every writer from sending it.',
    },
    renamed: {
      message:
        'This renames {labels} in the Enum of `{table}.{column}`: stored rows now read as the new label, and inserts that still send the old one fail (code 691).',
      help: 'Keep the old label and add the new one with another number, until no writer sends the old one.',
    },
    renumbered: {
      message: 'This gives {labels} another number in the Enum of `{table}.{column}`: ClickHouse refuses the ALTER (code 70), so the migration fails here.',
      help: 'Keep every label with its number; give new labels new numbers.',
    },
  },
  create(context) {
    return {
      AlterTable(statement, at) {
        for (const { file, action, table, column, from, to, verdict } of typeChangesOf(context, at, statement)) {
          const before = enumValuesIn(from);
          const after = enumValuesIn(to);
          if (!before || !after) continue;
          const numbers = new Map([...after].map(([label, value]) => [value, label]));
          const removed: string[] = [];
          const renamed: string[] = [];
          const renumbered: string[] = [];
          for (const [label, value] of before) {
            const now = after.get(label);
            if (now !== undefined && now !== value) renumbered.push(`'${label}' (${value} → ${now})`);
            else if (now === undefined && numbers.has(value) && !before.has(numbers.get(value) as string))
              renamed.push(`'${label}' to '${numbers.get(value)}'`);
            else if (now === undefined) removed.push(`'${label}'`);
          }
          const data = { table: table.id, column };
          // A renumbering makes ClickHouse refuse the whole ALTER; nothing else happens then.
          if (renumbered.length > 0) context.report({ file, node: action, messageId: 'renumbered', data: { ...data, labels: renumbered.join(', ') } });
          // ClickHouse refuses to shrink the Enum of a key column (code 524): the ALTER fails, nothing is lost.
          else if (verdict.kind !== 'refused') {
            if (removed.length > 0) {
              const them = removed.length === 1 ? 'it' : 'them';
              context.report({ file, node: action, messageId: 'removed', data: { ...data, labels: removed.join(', '), them } });
            }
            if (renamed.length > 0) context.report({ file, node: action, messageId: 'renamed', data: { ...data, labels: renamed.join(', ') } });
          }
        }
      },
    };
  },
});

/** The labels and numbers of the Enum in a type (also inside `Nullable`, `Array`, `LowCardinality`). */
function enumValuesIn(text: string): Map<string, number> | undefined {
  const type = nestedEnum(parseDataType(text));
  return type && enumValues(type);
}
