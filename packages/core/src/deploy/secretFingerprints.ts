import { createHmac } from 'node:crypto';
import type { Diagnostic } from '../diagnostics.js';
import type { Schema, SchemaObject } from '../model/schema.js';
import { printExpression } from '../syntax/printer/expressions.js';
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
 * Objects whose secrets a declarative deploy can change. Not access entities: their passwords
 * belong to `generate-credentials`.
 */
const FINGERPRINTED = new Set<SchemaObject['kind']>(['table', 'view', 'materialized-view', 'dictionary', 'database', 'named-collection']);

/**
 * Where the registry's `object_secrets` keeps an object's fingerprint: its id, except for a named
 * collection, which may share its bare name with a database (`mysql_shop` both).
 */
export function secretsRecordKey(kind: SchemaObject['kind'], id: string): string {
  return kind === 'named-collection' ? `named collection ${id}` : id;
}

function hmac(key: string, text: string): string {
  return createHmac('sha256', Buffer.from(key, 'hex')).update(`clickplan/secrets/1\n${text}`).digest('hex');
}

/**
 * A fingerprint per key of a named collection: ClickHouse hides every value of one (not only a
 * password), so each value is compared this way, and a changed one is one `SET key = ...`. The value
 * as the server keeps it: a string (`port = 3306` is `'3306'`).
 */
function entryFingerprints(object: SchemaObject, key: string): Record<string, string> {
  if (object.definition.kind !== 'CreateNamedCollection') return {};
  const entries = [...object.definition.entries].sort((a, b) => (a.key.name < b.key.name ? -1 : a.key.name > b.key.name ? 1 : 0));
  return Object.fromEntries(
    entries.map((entry) => {
      const value = entry.value.kind === 'Literal' ? entry.value.value : printExpression(entry.value);
      return [entry.key.name, hmac(key, JSON.stringify(['named collection', object.id, entry.key.name, value]))];
    }),
  );
}

/**
 * HMAC-SHA256 (hex) of an object's secrets under the registry's key; undefined when it has none.
 * For a named collection, a JSON object of one such fingerprint per key.
 */
export function secretFingerprint(object: SchemaObject, key: string): string | undefined {
  if (!FINGERPRINTED.has(object.kind)) return undefined;
  if (object.kind === 'named-collection') {
    const entries = entryFingerprints(object, key);
    return Object.keys(entries).length === 0 ? undefined : JSON.stringify(entries);
  }
  const secrets = findSecrets(object.definition, '');
  if (secrets.length === 0) return undefined;
  // Where each secret is, with its values: a password moved to another argument is a change too.
  const text = JSON.stringify(secrets.map((secret) => [secret.where, secret.values]));
  return hmac(key, text);
}

/** How the repository's secrets compare with those the registry recorded. */
export interface SecretComparison {
  /** Objects whose secrets differ from those last deployed (named collections are in `changedEntries`). */
  changed: ReadonlySet<string>;
  /** Named collections whose values differ from those last deployed, with the keys that differ. */
  changedEntries?: ReadonlyMap<string, readonly string[]>;
  /** Objects with secrets the registry has no fingerprint of (made outside ClickPlan, or before fingerprints). */
  unrecorded: readonly string[];
}

/** Pure: the repository's objects whose secrets differ from the registry's fingerprints. */
export function compareSecrets(desired: Schema, state: Pick<RegistryState, 'secrets' | 'secretsKey'>): SecretComparison {
  const changed = new Set<string>();
  const changedEntries = new Map<string, string[]>();
  const unrecorded: string[] = [];
  for (const object of desired.objects) {
    if (!FINGERPRINTED.has(object.kind)) continue;
    const recorded = state.secrets?.get(secretsRecordKey(object.kind, object.id));
    const has = object.kind === 'named-collection' ? object.definition.kind === 'CreateNamedCollection' : findSecrets(object.definition, '').length > 0;
    if (recorded === undefined || !state.secretsKey) {
      if (has) unrecorded.push(object.id);
      continue;
    }
    if (object.kind === 'named-collection') {
      const keys = changedKeys(entryFingerprints(object, state.secretsKey), recorded);
      if (keys.length > 0) changedEntries.set(object.id, keys);
      continue;
    }
    const now = has ? (secretFingerprint(object, state.secretsKey) ?? '') : '';
    if (now !== recorded) changed.add(object.id);
  }
  return { changed, ...(changedEntries.size > 0 ? { changedEntries } : {}), unrecorded: unrecorded.sort() };
}

/**
 * Pure: the repository's secrets against those of another checkout that stands for what is deployed
 * (the pull request's base branch), whose SQL holds them too: compared in memory, under a key that
 * is never stored, so nothing about them leaves this function but which objects and keys differ.
 */
export function compareSecretsWithSchema(desired: Schema, deployed: Schema): SecretComparison {
  const key = '00'.repeat(32);
  const secrets = new Map<string, string>();
  for (const object of deployed.objects)
    if (FINGERPRINTED.has(object.kind)) secrets.set(secretsRecordKey(object.kind, object.id), secretFingerprint(object, key) ?? '');
  return compareSecrets(desired, { secrets, secretsKey: key });
}

/** The keys whose value differs from the recorded fingerprints (all of them when the record cannot be read). */
function changedKeys(now: Record<string, string>, recorded: string): string[] {
  let before: Record<string, string> = {};
  try {
    const parsed = JSON.parse(recorded) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) before = parsed as Record<string, string>;
  } catch {
    // a fingerprint of another shape: every key counts as changed, and the next deploy records them
  }
  return Object.keys(now).filter((k) => before[k] !== now[k]);
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
