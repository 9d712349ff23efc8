import type { Range } from '../diagnostics.js';
import type { CreateTableStatement, Expression } from '../syntax/ast.js';
import { defineRule } from './rule.js';
import { timelineOf } from './schemaAt.js';

/** What a Kafka engine table consumes, as far as the definition says. */
interface KafkaConsumer {
  id: string;
  group?: string;
  /** Where the group is written, to report on. */
  groupNode?: Range;
  topics: string[];
  brokers?: string;
}

/**
 * Committed offsets belong to a consumer group, not to a table. Recreating a Kafka table with the
 * same kafka_group_name resumes where the old one stopped (what ClickHouse's docs recommend for
 * setting changes). With another group there are no offsets, and ClickHouse's consumer starts at
 * `auto.offset.reset = earliest` (StorageKafka / KafkaConfigLoader: "If no offset stored for this
 * group, read all messages from the start"): every retained message is consumed again.
 */
export default defineRule({
  id: 'kafka-consumer-group-changed',
  severity: 'warning',
  docs: { description: 'A Kafka table is recreated with another consumer group: the new group has no offsets and re-reads every retained message.' },
  messages: {
    groupChanged: {
      message:
        '`{table}` consumes {topics} as group `{group}`, where `{previous}` consumed them before: the new group has no committed offsets, so ClickHouse starts at the earliest retained message (auto.offset.reset = earliest) and inserts again every row the old group already delivered.',
      help: "Keep kafka_group_name = '{previous}' so consumption resumes where it stopped; if re-reading is intended, deduplicate the target or truncate it first, and suppress with that plan.",
    },
  },
  create(context) {
    const timeline = timelineOf(context);
    /** Kafka tables dropped or replaced so far, latest last. */
    const retired: KafkaConsumer[] = [];
    /** Names ever given to a Kafka table: replaying the schema (costly) is needed only for those. */
    const kafkaNames = new Set<string>();
    return {
      Statement(statement, { file, index }) {
        if (statement.kind === 'Drop' && statement.verb === 'DROP' && statement.objectKind === 'TABLE') {
          const ids = statement.names.map((name) => timeline.idAt(index, name));
          if (!ids.some((id) => kafkaNames.has(id))) return;
          const state = timeline.before(index);
          for (const id of ids) {
            const object = state.tables.get(id);
            const consumer = object?.definition.kind === 'CreateTable' ? kafkaConsumerOf(object.definition, object.id) : undefined;
            if (consumer) retired.push(consumer);
          }
          return;
        }
        if (statement.kind === 'Rename') {
          for (const { from, to } of statement.pairs) if (kafkaNames.has(timeline.idAt(index, from))) kafkaNames.add(timeline.idAt(index, to));
          return;
        }
        if (statement.kind !== 'CreateTable' || statement.storage?.engine?.name.name !== 'Kafka') return;
        const id = timeline.idAt(index, statement.name);
        const consumer = kafkaConsumerOf(statement, id);
        if (!consumer) return;
        const replacing = statement.orReplace || statement.verb === 'REPLACE';
        const existing = kafkaNames.has(id) || replacing ? timeline.before(index).tables.get(id) : undefined;
        kafkaNames.add(id);
        if (existing) {
          const replaced = existing.definition.kind === 'CreateTable' ? kafkaConsumerOf(existing.definition, id) : undefined;
          if (!replacing || !replaced) return;
          retired.push(replaced);
        }
        const previous = [...retired].reverse().find((old) => old.id === id || sharesTopic(old, consumer));
        if (!previous) return;
        retired.splice(retired.indexOf(previous), 1);
        if (!previous.group || !consumer.group || previous.group === consumer.group) return;
        const topics = consumer.topics.map((t) => `\`${t}\``).join(', ') || 'its topics';
        context.report({
          file,
          node: consumer.groupNode ?? statement.name,
          messageId: 'groupChanged',
          data: { table: id, topics, group: consumer.group, previous: previous.group },
        });
      },
    };
  },
});

function sharesTopic(a: KafkaConsumer, b: KafkaConsumer): boolean {
  if (a.brokers && b.brokers && a.brokers !== b.brokers) return false;
  return a.topics.some((t) => b.topics.includes(t));
}

/**
 * The group, topics and brokers of a Kafka engine table: from `SETTINGS kafka_group_name = ...`,
 * from `Kafka('brokers', 'topics', 'group', 'format')`, or from `key = value` engine arguments
 * after a named collection. Values given only by a named collection stay unknown.
 */
function kafkaConsumerOf(definition: CreateTableStatement, id: string): KafkaConsumer | undefined {
  const engine = definition.storage?.engine;
  if (engine?.name.name !== 'Kafka') return undefined;
  const values = new Map<string, { value: string; node: Range }>();
  const args = engine.arguments ?? [];
  const positional = ['kafka_broker_list', 'kafka_topic_list', 'kafka_group_name'];
  args.forEach((arg, i) => {
    if (arg.kind === 'BinaryExpression' && arg.operator === '=' && arg.left.kind === 'ColumnRef') setValue(values, arg.left.parts[0].name, arg.right);
    else if (i < positional.length) setValue(values, positional[i], arg);
  });
  for (const setting of definition.storage?.settings ?? []) if (setting.value) setValue(values, setting.name.name, setting.value);
  const group = values.get('kafka_group_name');
  const topics = (values.get('kafka_topic_list')?.value ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
  const consumer: KafkaConsumer = { id, topics };
  if (group) {
    consumer.group = group.value;
    consumer.groupNode = group.node;
  }
  const brokers = values.get('kafka_broker_list')?.value;
  if (brokers) consumer.brokers = brokers;
  return consumer;
}

function setValue(values: Map<string, { value: string; node: Range }>, key: string, expression: Expression): void {
  if (expression.kind === 'Literal' && expression.type === 'string') values.set(key, { value: expression.value, node: expression });
}
