import { findSecrets, type Secret } from '../syntax/secrets.js';
import { defineRule } from './rule.js';

/**
 * Passwords written in committed SQL stay in git history for everyone who can read the repository.
 * ClickHouse itself shows them as `[HIDDEN]` in SHOW CREATE, system.tables and
 * system.named_collections, so the leak is the repository.
 */
export default defineRule({
  id: 'secret-in-sql',
  severity: 'error',
  docs: {
    description:
      'A password or key is written in committed SQL: IDENTIFIED BY, a dictionary or named collection PASSWORD, engine or table function credentials, a URL with a password, Kafka SASL settings.',
  },
  messages: {
    secret: {
      message:
        'A secret is written here ({where}): it stays in git history for everyone who can read the repository, even though ClickHouse shows it only as [HIDDEN].',
      help: 'Set it at deploy time from a secret store, or use a named collection defined in the server configuration.',
    },
  },
  create(context) {
    return {
      Statement(statement, { file }) {
        // A statement kept as text or that does not parse has no tree to tell
        // a secret from a host name: its output is masked whole, but it is not reported.
        if (statement.kind === 'Invalid' || (statement.kind === 'Other' && !statement.identification)) return;
        for (const secret of findSecrets(statement, '')) {
          const written = writtenSecret(secret, statement.kind === 'CreateNamedCollection' || statement.kind === 'AlterNamedCollection');
          if (written) context.report({ file, node: written, messageId: 'secret', data: { where: secret.where } });
        }
      },
    };
  },
});

/** Named collection keys that hold a credential (`password`, `secret_access_key`, `api_key`), not `access_key_id` or `url`. */
const CREDENTIAL_KEY = /pass|secret|token|private|(^|_)key$/i;

/**
 * The literal that carries the secret, when it is written in the SQL: not an empty password (a local
 * default user), not a query parameter bound at deploy time. For `encrypt`, the key argument.
 */
function writtenSecret(secret: Secret, namedCollection: boolean): { start: number; end: number } | undefined {
  if (namedCollection && !CREDENTIAL_KEY.test(secret.where.slice('named collection '.length))) return undefined;
  const node = secret.where.startsWith('the key of') ? secret.nodes[1] : secret.nodes[0];
  if (node?.kind !== 'Literal' || node.type !== 'string' || node.value === '') return undefined;
  return secret.values.length > 0 ? node : undefined;
}
