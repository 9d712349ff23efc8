import type { Identifier, Literal, QualifiedName, Statement } from '../syntax/ast.js';
import { printNameOrString, quoteIdentifier } from '../syntax/printer/text.js';
import { clusterName, isReplicatedDatabase } from './cluster.js';
import { defineRule, type Fixer } from './rule.js';
import { timelineOf } from './schemaAt.js';
import { onClusterPosition } from './statementEdits.js';

/**
 * DDL without ON CLUSTER runs only on the server the migration connects to. On a cluster that is a
 * schema that differs from server to server: a table missing on some shards, a column on some
 * replicas only. Judged when a cluster is configured, or when the migrations use ON CLUSTER
 * elsewhere (then the cluster is evident). Objects in a Replicated database are left out: the
 * database sends their DDL to every replica itself.
 */
export default defineRule({
  id: 'on-cluster-missing',
  severity: 'error',
  docs: { description: 'A DDL statement lacks ON CLUSTER on a cluster: it changes only the server the migration connects to.' },
  messages: {
    missing: {
      message:
        '{what} has no ON CLUSTER, but the migrations are deployed to cluster `{cluster}`: ClickHouse runs it only on the server the migration connects to, and the other servers miss the change.',
      help: 'Add `ON CLUSTER {cluster}` after the name. (`clickplan apply` adds it when it deploys; the file needs it for every other way it runs. When only ClickPlan deploys this repository, set `on-cluster-missing: off` under `rules:`.)',
    },
    mixed: {
      message:
        '{what} has no ON CLUSTER, while other statements use ON CLUSTER `{cluster}` (first in {file}): ClickHouse runs it only on the server the migration connects to, and the other servers miss the change.',
      help: 'Add `ON CLUSTER {cluster}` after the name, as the other statements do.',
    },
  },
  fixes: { addOnCluster: 'Add ON CLUSTER {cluster}' },
  // Whole project: the cluster is the configured one or the one the first ON CLUSTER anywhere in the migrations
  // names, and every DDL statement is judged against it (a statement alone cannot tell).
  check(context) {
    const { statements } = context;
    // Without a configured cluster, the cluster is the one the migrations name; most name none.
    if (!context.project.cluster && !statements.some(({ statement }) => 'onCluster' in statement && statement.onCluster)) return;
    const schema = context.analysis.schema;
    const timeline = timelineOf(context);
    const ddl = statements.flatMap(({ file, statement }, index) => {
      const found = ddlOf(statement, timeline.databaseAt(index));
      // The database replicates DDL on its tables; ON CLUSTER there is refused (on-cluster-in-replicated-database).
      if (!found || (found.database !== undefined && isReplicatedDatabase(schema, found.database))) return [];
      return [{ file, statement, ...found }];
    });
    const first = ddl.find((d) => d.onCluster);
    const cluster = context.project.cluster ?? (first?.onCluster && clusterName(first.onCluster));
    if (!cluster) return;
    const written = context.project.cluster ? quoteIdentifier(context.project.cluster) : first?.onCluster && printNameOrString(first.onCluster);
    for (const d of ddl) {
      if (d.onCluster) continue;
      const what = d.node.kind === 'QualifiedName' ? `${d.keyword} \`${d.database}.${d.node.name.name}\`` : `${d.keyword} \`${d.node.name}\``;
      const data = { what, cluster, file: first?.file ?? '' };
      const { statement } = d;
      const fix = written
        ? {
            messageId: 'addOnCluster' as const,
            data: { cluster: written },
            fix: (fixer: Fixer) => {
              const at = onClusterPosition(statement);
              return at === undefined ? undefined : fixer.insertAt(at, ` ON CLUSTER ${written}`);
            },
          }
        : undefined;
      context.report({ file: d.file, node: d.node, messageId: context.project.cluster ? 'missing' : 'mixed', data, ...(fix ? { fix } : {}) });
    }
  },
});

interface Ddl {
  /** `CREATE TABLE`, for the message. */
  keyword: string;
  /** The object's name. */
  node: QualifiedName | Identifier;
  onCluster?: Identifier | Literal;
  /** The database of the object; undefined for statements on a database itself. */
  database?: string;
}

/** The DDL statements that change the schema of one server: on tables, views, dictionaries and databases. */
function ddlOf(statement: Statement, current: string): Ddl | undefined {
  const inDatabase = (name: QualifiedName, keyword: string): Ddl => ({ keyword, node: name, database: name.database?.name ?? current });
  const onDatabase = (name: Identifier, keyword: string): Ddl => ({ keyword, node: name });
  const withCluster = (d: Ddl, onCluster: Identifier | Literal | undefined): Ddl => (onCluster ? { ...d, onCluster } : d);
  switch (statement.kind) {
    case 'CreateTable':
      return statement.temporary ? undefined : withCluster(inDatabase(statement.name, `${statement.verb} TABLE`), statement.onCluster);
    case 'CreateView':
      return withCluster(inDatabase(statement.name, statement.viewKind === 'MATERIALIZED' ? 'CREATE MATERIALIZED VIEW' : 'CREATE VIEW'), statement.onCluster);
    case 'CreateDictionary':
      return withCluster(inDatabase(statement.name, 'CREATE DICTIONARY'), statement.onCluster);
    case 'CreateDatabase':
      return withCluster(onDatabase(statement.name, 'CREATE DATABASE'), statement.onCluster);
    case 'AlterTable':
      return statement.temporary ? undefined : withCluster(inDatabase(statement.table, 'ALTER TABLE'), statement.onCluster);
    case 'AlterDatabase':
      return withCluster(onDatabase(statement.name, 'ALTER DATABASE'), statement.onCluster);
    case 'Drop':
      if (statement.temporary || statement.verb === 'UNDROP') return undefined;
      if (statement.objectKind === 'DATABASE') return withCluster(onDatabase(statement.names[0].name, `${statement.verb} DATABASE`), statement.onCluster);
      if (!['TABLE', 'VIEW', 'DICTIONARY'].includes(statement.objectKind)) return undefined;
      return withCluster(inDatabase(statement.names[0], `${statement.verb} ${statement.objectKind}`), statement.onCluster);
    case 'Truncate':
      if (statement.objectKind !== 'TABLE') return undefined;
      return withCluster(inDatabase(statement.name, 'TRUNCATE TABLE'), statement.onCluster);
    case 'Rename':
    case 'Exchange': {
      const keyword = `${statement.kind === 'Rename' ? 'RENAME' : 'EXCHANGE'} ${statement.objectKind}`;
      const { from } = statement.pairs[0];
      if (statement.objectKind === 'DATABASE') return withCluster(onDatabase(from.name, keyword), statement.onCluster);
      return withCluster(inDatabase(from, keyword), statement.onCluster);
    }
    default:
      return undefined;
  }
}
