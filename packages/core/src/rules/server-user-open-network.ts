import { canWrite, openNetworks } from './serverAccess.js';
import { defineServerRule } from './serverRule.js';

/** A user that can write, reachable from any address: one leaked password from a full compromise. */
export default defineServerRule({
  id: 'server-user-open-network',
  severity: 'error',
  docs: { description: 'A user that can write is reachable from any address (`::/0`, `0.0.0.0/0`): its password alone guards the data.' },
  messages: {
    open: {
      message: 'User `{user}` can change data and schema, and `{network}` lets it log in from any address: its password alone guards every table it can write.',
      help: "Narrow `<networks>` to the addresses it connects from (the application's subnet), or give it a readonly profile.",
    },
  },
  check({ server, report }) {
    for (const user of server.users.values()) {
      if (!canWrite(server, user)) continue;
      for (const network of openNetworks(user)) report({ at: network, messageId: 'open', data: { user: user.name, network: network.value } });
    }
  },
});
