import type { Schema } from '../model/schema.js';
import { SessionCache, sessionStore } from '../session.js';
import type { Identifier, Literal } from '../syntax/ast.js';

/** The name an `ON CLUSTER` clause gives, written as an identifier or a string. */
export function clusterName(node: Identifier | Literal): string {
  return node.kind === 'Identifier' ? node.name : node.value;
}

/** Whether the repository creates `database` with the Replicated engine, which replicates its own DDL. */
export function isReplicatedDatabase(schema: Schema, database: string): boolean {
  const replicatedDatabases = sessionStore(REPLICATED_DATABASES);
  let replicated = replicatedDatabases.get(schema);
  if (!replicated) {
    replicated = new Set(
      schema.objects
        .filter((o) => o.kind === 'database' && o.definition.kind === 'CreateDatabase' && o.definition.engine?.name.name === 'Replicated')
        .map((o) => o.name),
    );
    replicatedDatabases.set(schema, replicated);
  }
  return replicated.has(database);
}

/** Per schema, computed once: rules ask for every statement. */
const REPLICATED_DATABASES = new SessionCache<Schema, Set<string>>('rules: Replicated databases by schema');
