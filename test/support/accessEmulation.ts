import type { ExecuteOptions, LiveSchema, ReadScope } from '../../packages/core/src/live/types.js';
import { TargetError } from '../../packages/core/src/live/types.js';
import type { CreateAccessEntityStatement, GrantStatement } from '../../packages/core/src/syntax/ast.js';
import { parseSql } from '../../packages/core/src/syntax/parser.js';
import { printStatement } from '../../packages/core/src/syntax/printer.js';
import { ForwardingTarget } from './forwardingTarget.js';

// NOT A REAL ENGINE for access control. Neither engine the tests can run stores users and roles
// created by SQL: chDB 3.4 (ClickHouse 26.7) has no writable access storage (Code 514, and its
// clickhouse-local ignores user_directories/local_directory), and Debian's ClickHouse 18.16 predates
// RBAC. This wrapper passes everything to a real target except access statements (CREATE USER/ROLE,
// GRANT, REVOKE, ALTER USER, SET DEFAULT ROLE), which it first has the real engine parse
// (EXPLAIN AST: ClickHouse's own parser must accept every one), then records in memory and shows
// back through readSchema the way SHOW CREATE and SHOW GRANTS would. What it cannot show: that a
// server applies them (privilege checks, logins with the password).

const ACCESS = /^\s*(CREATE\s+(ROLE|USER)|GRANT|REVOKE|ALTER\s+USER|SET\s+DEFAULT\s+ROLE)\b/i;

export class AccessEmulatingTarget extends ForwardingTarget {
  readonly users = new Map<string, { createQuery: string; passwordHash?: string; hosts?: string }>();
  readonly roles = new Map<string, string>();
  readonly grants = new Map<string, string[]>();
  /** Every access statement as received (with ON CLUSTER, secrets and all): what a server would have run. */
  readonly received: string[] = [];

  override async execute(sql: string, options?: ExecuteOptions): Promise<void> {
    if (!ACCESS.test(sql)) return this.inner.execute(sql, options);
    await this.inner.query(`EXPLAIN AST ${sql}`); // ClickHouse's parser accepts it, or this throws its syntax error
    this.received.push(sql);
    const [statement] = parseSql(sql).statements;
    if (!statement) throw new Error(`no statement in ${sql}`);
    if (statement.kind === 'CreateAccessEntity') return this.create(statement);
    if (statement.kind === 'Grant' || statement.kind === 'Revoke') return this.grant(statement);
    if (/^\s*ALTER\s+USER/i.test(sql)) {
      const name = /^\s*ALTER\s+USER\s+`?([^`\s]+)`?/i.exec(sql)?.[1] ?? '';
      const user = this.users.get(name);
      if (!user)
        throw new TargetError(
          `There is no user \`${name}\` in user directories`,
          192,
          'target-statement-failed',
          undefined,
          `There is no user \`${name}\` in user directories.`,
        );
      user.passwordHash = /sha256_hash BY '([0-9a-f]+)'/i.exec(sql)?.[1] ?? '';
      user.hosts = /\bHOST\s+(.*)$/i.exec(sql)?.[1] ?? '';
    }
  }

  private create(statement: CreateAccessEntityStatement): void {
    const store = statement.entity === 'USER' ? this.users : statement.entity === 'ROLE' ? this.roles : undefined;
    if (!store) throw new Error(`unexpected ${statement.entity}`);
    for (const { name } of statement.names) {
      if (store.has(name)) {
        if (statement.ifNotExists) continue;
        const code = statement.entity === 'USER' ? 495 : 493;
        throw new TargetError(
          `${statement.entity.toLowerCase()} \`${name}\` already exists`,
          code,
          'target-statement-failed',
          undefined,
          `${name} already exists`,
        );
      }
      // As SHOW CREATE prints it: no IF NOT EXISTS, no ON CLUSTER, no password.
      const createQuery = printStatement({
        ...statement,
        names: [{ ...statement.names[0], name }],
        ifNotExists: false,
        onCluster: undefined,
        identification: undefined,
        clauses: statement.clauses.filter((c) => !c.keyword.endsWith('IDENTIFIED')),
      } as never);
      if (statement.entity === 'USER') this.users.set(name, { createQuery });
      else this.roles.set(name, createQuery);
    }
  }

  private grant(statement: GrantStatement): void {
    for (const grantee of statement.grantees) {
      const single = printStatement({ ...statement, grantees: [grantee], onCluster: undefined } as never);
      const lines = this.grants.get(grantee.name) ?? [];
      if (statement.kind === 'Revoke')
        this.grants.set(
          grantee.name,
          lines.filter((l) => l !== single.replace(/^REVOKE/, 'GRANT').replace(/ FROM /, ' TO ')),
        );
      else if (!lines.includes(single)) this.grants.set(grantee.name, [...lines, single]);
    }
  }

  override async readSchema(scope: ReadScope): Promise<LiveSchema> {
    const live = await this.inner.readSchema(scope);
    const entities: LiveSchema['accessEntities'] = [];
    const grants: string[] = [];
    for (const name of [...new Set(scope.roles ?? [])].sort()) {
      const role = this.roles.get(name);
      if (!role) continue;
      entities.push({ kind: 'role', name, createQuery: role });
      grants.push(...(this.grants.get(name) ?? []));
    }
    for (const name of [...new Set(scope.users ?? [])].sort()) {
      const user = this.users.get(name);
      if (!user) continue;
      entities.push({ kind: 'user', name, createQuery: user.createQuery });
      grants.push(...(this.grants.get(name) ?? []));
    }
    return { ...live, accessEntities: [...live.accessEntities, ...entities], grants: [...live.grants, ...grants] };
  }
}
