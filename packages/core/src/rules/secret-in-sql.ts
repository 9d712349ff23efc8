import type { KeyValueFunction, Literal } from '../syntax/ast.js';
import { defineRule } from './rule.js';

/**
 * Passwords written in committed SQL stay in git history for everyone who can read the repository.
 * ClickHouse itself shows them as `[HIDDEN]` in SHOW CREATE, system.tables and
 * system.named_collections, so the leak is the repository.
 */
export default defineRule({
  id: 'secret-in-sql',
  severity: 'error',
  docs: { description: 'A password or key is written in committed SQL: IDENTIFIED BY, a dictionary or named collection PASSWORD.' },
  messages: {
    secret: {
      message:
        'A secret is written here ({where}): it stays in git history for everyone who can read the repository, even though ClickHouse shows it only as [HIDDEN].',
      help: 'Set it at deploy time from a secret store, or use a named collection defined in the server configuration.',
    },
  },
  defaultOptions: {},
  check(context) {
    const report = (file: string, node: Literal, where: string) => {
      // An empty password is no secret (and common for a local default user).
      if (node.value !== '') context.report({ file, node, messageId: 'secret', data: { where } });
    };
    for (const { file, statement } of context.statements) {
      if (statement.kind === 'CreateAccessEntity') for (const secret of statement.identification?.secrets ?? []) report(file, secret, 'IDENTIFIED BY');
      if (statement.kind === 'Other') for (const secret of statement.identification?.secrets ?? []) report(file, secret, 'IDENTIFIED BY');
      if (statement.kind === 'CreateDictionary' && statement.source) {
        for (const value of passwordsIn(statement.source)) report(file, value, 'dictionary source PASSWORD');
      }
      if (statement.kind === 'CreateNamedCollection') {
        for (const entry of statement.entries)
          if (/pass|secret|token/i.test(entry.key.name) && entry.value.kind === 'Literal') report(file, entry.value, `named collection ${entry.key.name}`);
      }
    }
  },
});

/** PASSWORD values of a dictionary source, also nested: `HTTP(url '...' credentials(user 'u' password 'p'))`. */
function passwordsIn(source: KeyValueFunction): Literal[] {
  const found: Literal[] = [];
  for (const argument of source.arguments) {
    if (argument.value.kind === 'KeyValueFunction') found.push(...passwordsIn(argument.value));
    else if (/^PASSWORD$/i.test(argument.key.name) && argument.value.kind === 'Literal') found.push(argument.value);
  }
  return found;
}
