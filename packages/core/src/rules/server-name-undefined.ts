import type { ServerFacts } from '../server/facts.js';
import { SessionCache, sessionStore } from '../session.js';
import type { Expression, Identifier, Literal, Statement } from '../syntax/ast.js';
import { clusterName } from './cluster.js';
import { isReplicatedMergeTree } from './replicationPath.js';
import { defineRule, perStatement, type StatementFinding } from './rule.js';

/** Macros ClickHouse fills in itself when it creates a table, not from `<macros>`. */
const BUILTIN_MACROS = new Set(['database', 'table', 'uuid']);

/**
 * A storage policy, cluster or macro the SQL names must be defined by the servers' configuration
 * (`server.config`): otherwise the server refuses the CREATE (codes 478, 701, 139 or 36). Judged only
 * when the configuration is known.
 */
const rule = defineRule({
  id: 'server-name-undefined',
  severity: 'error',
  docs: { description: 'A statement names a storage policy, cluster or macro that the server configuration does not define: the server refuses it.' },
  messages: {
    storagePolicy: {
      message:
        'Storage policy `{name}` is not defined in the server configuration (it defines {defined}): ClickHouse refuses the table with UNKNOWN_POLICY (code 478).',
      help: 'Name a policy of `storage_configuration.policies`, or add `{name}` there.',
    },
    cluster: {
      message:
        'Cluster `{name}` is not defined in the server configuration (it defines {defined}): ClickHouse refuses the statement with CLUSTER_DOESNT_EXIST (code 701).',
      help: 'Name a cluster of `remote_servers`, or add `{name}` there.',
    },
    macro: {
      message: 'Macro `{{name}}` is not defined in the server configuration (it defines {defined}): ClickHouse cannot expand it and refuses the statement.',
      help: 'Add `<{name}>` to `<macros>` on every server (a config.d/macros.xml per host), or write the value.',
    },
  },
  check(context) {
    const server = context.project.server;
    if (!server) return;
    const find = findingsOf(server);
    for (const { file, statement } of context.statements) for (const finding of find(statement)) context.report({ file, ...finding });
  },
});
export default rule;

type Messages = (typeof rule)['messages'];

/** Findings per statement, cached per configuration. */
const FINDERS = new SessionCache<ServerFacts, (statement: Statement) => StatementFinding<Messages>[]>('rules: server-name-undefined finders by config');

function findingsOf(server: ServerFacts) {
  const finders = sessionStore(FINDERS);
  let find = finders.get(server);
  if (!find) finders.set(server, (find = perStatement((statement: Statement) => namesIn(statement, server))));
  return find;
}

function namesIn(statement: Statement, server: ServerFacts): StatementFinding<Messages>[] {
  const findings: StatementFinding<Messages>[] = [];
  const list = (names: string[]) => names.map((n) => `\`${n}\``).join(', ') || 'none';
  const checkMacros = (node: Literal | Identifier, text: string) => {
    for (const [, name] of text.matchAll(/\{(\w+)\}/g))
      if (name && !BUILTIN_MACROS.has(name) && !(name in server.macros))
        findings.push({ node, messageId: 'macro', data: { name, defined: list(Object.keys(server.macros)) } });
  };
  const checkCluster = (node: Literal | Identifier) => {
    const written = clusterName(node);
    const before = findings.length;
    checkMacros(node, written);
    if (findings.length > before) return;
    // `{cluster}` names the cluster its macro holds: that one must be defined too.
    const name = written.replace(/\{(\w+)\}/g, (_, macro: string) => server.macros[macro] ?? '');
    // A macro whose value comes from the environment (from_env) names a cluster not known here.
    const unknown = [...written.matchAll(/\{(\w+)\}/g)].some(([, macro]) => server.macros[macro ?? ''] === '');
    if (!unknown && !(name in server.clusters)) findings.push({ node, messageId: 'cluster', data: { name, defined: list(Object.keys(server.clusters)) } });
  };
  if ('onCluster' in statement && statement.onCluster) checkCluster(statement.onCluster);
  if ((statement.kind === 'CreateTable' || statement.kind === 'CreateView') && statement.storage) {
    const { engine, settings } = statement.storage;
    for (const setting of settings ?? []) {
      const value = setting.value;
      if (setting.name.name !== 'storage_policy' || value?.kind !== 'Literal' || value.type !== 'string') continue;
      if (!server.storagePolicies.includes(value.value))
        findings.push({ node: value, messageId: 'storagePolicy', data: { name: value.value, defined: list(server.storagePolicies) } });
    }
    const [first, second] = engine?.arguments ?? [];
    const cluster = nameOf(first);
    if (engine?.name.name === 'Distributed' && cluster) checkCluster(cluster);
    if (isReplicatedMergeTree(engine))
      for (const argument of [first, second]) if (argument?.kind === 'Literal' && argument.type === 'string') checkMacros(argument, argument.value);
  }
  return findings;
}

/** A name written as a string or a bare identifier (`Distributed(main, ...)`). */
function nameOf(node: Expression | undefined): Literal | Identifier | undefined {
  if (node?.kind === 'Literal' && node.type === 'string') return node;
  if (node?.kind === 'ColumnRef' && node.parts.length === 1) return node.parts[0];
  return undefined;
}
