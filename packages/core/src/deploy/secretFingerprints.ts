import { createHmac } from 'node:crypto';
import type { Diagnostic } from '../diagnostics.js';
import type { Schema, SchemaObject } from '../model/schema.js';
import { findSecrets } from '../syntax/secrets.js';
import type { RegistryState } from './registry.js';

// A changed password must deploy, although the repository's definition and the server's stored one
// both show it as '[HIDDEN]' (canonical forms never hold a secret). So the registry keeps, for each
// object a declarative deploy created or changed, a fingerprint of its secrets: HMAC-SHA256 under a
// random key of the registry's own (`secrets_key`), never the secret nor a plain hash of it. A plain
// hash of a short password is reversed by trying candidates (or a precomputed table); under a key
// that lives only on the target, a fingerprint is worth nothing without the registry, and the same
// password gives different fingerprints on two targets. Whoever can read the registry can read the
// key: grant it to deployers only, as the target already holds the passwords themselves.

/**
 * Objects whose secrets a declarative deploy can change. Not access entities (their passwords belong
 * to `generate-credentials`), and not named collections yet: the live side does not read them, so
 * the plan creates them IF NOT EXISTS and a recorded fingerprint would claim a secret never set.
 */
const FINGERPRINTED = new Set<SchemaObject['kind']>(['table', 'view', 'materialized-view', 'dictionary', 'database']);

/** HMAC-SHA256 (hex) of an object's secrets under the registry's key; undefined when it has none. */
export function secretFingerprint(object: SchemaObject, key: string): string | undefined {
  if (!FINGERPRINTED.has(object.kind)) return undefined;
  const secrets = findSecrets(object.definition, '');
  if (secrets.length === 0) return undefined;
  // Where each secret is, with its values: a password moved to another argument is a change too.
  const text = JSON.stringify(secrets.map((secret) => [secret.where, secret.values]));
  return createHmac('sha256', Buffer.from(key, 'hex')).update(`clickplan/secrets/1\n${text}`).digest('hex');
}

/** How the repository's secrets compare with those the registry recorded. */
export interface SecretComparison {
  /** Objects whose secrets differ from those last deployed. */
  changed: ReadonlySet<string>;
  /** Objects with secrets the registry has no fingerprint of (made outside ClickPlan, or before fingerprints). */
  unrecorded: readonly string[];
}

/** Pure: the repository's objects whose secrets differ from the registry's fingerprints. */
export function compareSecrets(desired: Schema, state: Pick<RegistryState, 'secrets' | 'secretsKey'>): SecretComparison {
  const changed = new Set<string>();
  const unrecorded: string[] = [];
  for (const object of desired.objects) {
    if (!FINGERPRINTED.has(object.kind)) continue;
    const recorded = state.secrets?.get(object.id);
    const has = findSecrets(object.definition, '').length > 0;
    if (recorded === undefined || !state.secretsKey) {
      if (has) unrecorded.push(object.id);
      continue;
    }
    const now = has ? (secretFingerprint(object, state.secretsKey) ?? '') : '';
    if (now !== recorded) changed.add(object.id);
  }
  return { changed, unrecorded: unrecorded.sort() };
}

/**
 * The plan's note, once per object until a deploy records its fingerprint: ClickPlan cannot tell
 * whether the target's secrets of these objects are the repository's.
 */
export function unrecordedSecretsNote(objects: readonly SchemaObject[]): Diagnostic | undefined {
  const [first] = objects;
  if (!first) return undefined;
  const names = objects.map((o) => `\`${o.id}\``).join(', ');
  return {
    code: 'secrets-unrecorded',
    severity: 'info',
    file: first.created.file,
    range: first.created.range,
    message: `ClickPlan cannot tell whether the target's passwords and keys of ${names} are the repository's: the target shows them as [HIDDEN], and the registry has no fingerprint of ${objects.length === 1 ? 'it' : 'them'} (created outside ClickPlan, or by a version before fingerprints).`,
    help: "The next apply records the repository's secrets as deployed, and a later change of them in the repository deploys. If the target's may differ, recreate the object or change them by hand first.",
  };
}
