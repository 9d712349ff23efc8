import { defineServerRule } from './serverRule.js';

/** A profile named readonly that does not set `readonly`: users given it for reading can write. */
export default defineServerRule({
  id: 'server-readonly-profile-writable',
  severity: 'error',
  docs: { description: 'A settings profile named readonly does not set `readonly` to 1 or 2: users given it to read can write and drop.' },
  messages: {
    writable: {
      message: 'Profile `{profile}` is named read-only but {why}: its users can INSERT, ALTER and DROP.',
      help: 'Add `<readonly>1</readonly>` to the profile (or 2 to let its users change settings, never data).',
    },
  },
  check({ server, report }) {
    for (const profile of server.profiles.values()) {
      if (!/read_?only/i.test(profile.name)) continue;
      const readonly = profile.settings.get('readonly');
      if (readonly?.placeholder !== undefined) continue;
      if (readonly && ['1', '2'].includes(readonly.value)) continue;
      const why = readonly ? `sets \`readonly\` to ${readonly.value}` : 'does not set `readonly`';
      report({ at: readonly ?? profile, messageId: 'writable', data: { profile: profile.name, why } });
    }
  },
});
