import serverAccessManagementOpen from './server-access-management-open.js';
import serverInterserverCredentialsPlaintext from './server-interserver-credentials-plaintext.js';
import serverPasswordPlaintext from './server-password-plaintext.js';
import serverReadonlyProfileWritable from './server-readonly-profile-writable.js';
import serverUserOpenNetwork from './server-user-open-network.js';
import type { ServerRule } from './serverRule.js';

/** Every rule over the server configuration, sorted by id: a new rule adds one line here. */
export const SERVER_RULES: readonly ServerRule[] = [
  serverAccessManagementOpen,
  serverInterserverCredentialsPlaintext,
  serverPasswordPlaintext,
  serverReadonlyProfileWritable,
  serverUserOpenNetwork,
];
