import { isWrittenInClear } from './serverAccess.js';
import { defineServerRule } from './serverRule.js';

/**
 * The credentials replicas fetch parts with, or the secret servers of a cluster trust each other
 * with, written in the file: whoever reads it can fetch any part or run queries as any user.
 */
export default defineServerRule({
  id: 'server-interserver-credentials-plaintext',
  severity: 'warning',
  docs: { description: 'Interserver credentials or a cluster secret are written in clear: whoever reads the file can fetch parts or impersonate a server.' },
  messages: {
    interserver: {
      message: 'The interserver password is in clear: whoever reads this file can fetch any part of any replicated table from the servers.',
      help: 'Take it from the environment: `<password from_env="CLICKHOUSE_INTERSERVER_PASSWORD"/>`.',
    },
    secret: {
      message: 'The secret of cluster `{cluster}` is in clear: whoever reads this file can send queries to its servers as any user.',
      help: 'Take it from the environment: `<secret from_env="CLICKHOUSE_CLUSTER_SECRET"/>`.',
    },
  },
  check({ server, report }) {
    const password = server.interserverCredentials?.password;
    if (isWrittenInClear(password)) report({ at: password, messageId: 'interserver' });
    for (const cluster of server.clusters.values())
      if (isWrittenInClear(cluster.secret)) report({ at: cluster.secret, messageId: 'secret', data: { cluster: cluster.name } });
  },
});
