import { openNetworks } from './serverAccess.js';
import { defineServerRule } from './serverRule.js';

/** access_management lets a user create users and grant anything: reachable from anywhere, it is the keys to the server. */
export default defineServerRule({
  id: 'server-access-management-open',
  severity: 'error',
  docs: { description: 'A user with `access_management` is reachable from any address: whoever has its password can create users and grant any privilege.' },
  messages: {
    open: {
      message:
        'User `{user}` has access_management and logs in from any address ({network}): whoever has its password can create users and grant themselves any privilege.',
      help: 'Restrict `<networks>` of `{user}` to the hosts that administer the servers, or turn `access_management` off and manage access from such a user.',
    },
  },
  check({ server, report }) {
    for (const user of server.users.values()) {
      const management = user.accessManagement;
      if (!management || management.placeholder !== undefined || !['1', 'true'].includes(management.value.toLowerCase())) continue;
      const [network] = openNetworks(user);
      if (network) report({ at: management, messageId: 'open', data: { user: user.name, network: `\`${network.value}\`` } });
    }
  },
});
