import type { Literal } from '../syntax/ast.js';
import { defineRule } from './rule.js';

/** Passwords written in committed SQL end up in git history, CI logs and system.query_log. */
export default defineRule({
  id: 'secret-in-sql',
  severity: 'error',
  docs: { description: 'A password or key is written in committed SQL: IDENTIFIED BY, a dictionary or named collection PASSWORD.' },
  messages: {
    secret: {
      message: 'A secret is written here ({where}): it stays in git history and reaches ClickHouse logs.',
      help: 'Set it at deploy time from a secret store, or use a named collection defined in the server configuration.',
    },
  },
  defaultOptions: {},
  check(context) {
    for (const { file, statement } of context.statements) {
      const report = (node: Literal, where: string) => {
        // An empty password is no secret (and common for a local default user).
        if (node.value !== '') context.report({ file, node, messageId: 'secret', data: { where } });
      };
      if (statement.kind === 'CreateAccessEntity') for (const secret of statement.identification?.secrets ?? []) report(secret, 'IDENTIFIED BY');
      if (statement.kind === 'Other') for (const secret of statement.identification?.secrets ?? []) report(secret, 'IDENTIFIED BY');
      if (statement.kind === 'CreateDictionary') {
        for (const argument of statement.source?.arguments ?? []) {
          if (/^PASSWORD$/i.test(argument.key.name) && argument.value.kind === 'Literal') report(argument.value, 'dictionary source PASSWORD');
        }
      }
      if (statement.kind === 'CreateNamedCollection') {
        for (const entry of statement.entries)
          if (/pass|secret|token/i.test(entry.key.name) && entry.value.kind === 'Literal') report(entry.value, `named collection ${entry.key.name}`);
      }
    }
  },
});
