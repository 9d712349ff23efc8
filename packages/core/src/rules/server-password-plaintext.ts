import { isWrittenInClear } from './serverAccess.js';
import { defineServerRule } from './serverRule.js';

/**
 * `<password>` holds the password itself: everyone who reads the repository, the config files on
 * the servers, or a backup of them can log in as the user.
 */
export default defineServerRule({
  id: 'server-password-plaintext',
  severity: 'warning',
  docs: { description: 'A user of the server configuration has its password in clear (`<password>`): whoever reads the file can log in as it.' },
  messages: {
    plaintext: {
      message: 'User `{user}` has its password in clear: whoever reads this file (the repository, the servers, their backups) can log in as `{user}`.',
      help: 'Replace `<password>` with `<password_sha256_hex>` (`echo -n "$PASSWORD" | sha256sum`) or `<password_double_sha1_hex>`, or take it from the environment with `<password from_env="VAR"/>`.',
    },
  },
  check({ server, report }) {
    for (const user of server.users.values())
      if (isWrittenInClear(user.password)) report({ at: user.password, messageId: 'plaintext', data: { user: user.name } });
  },
});
