import { type CanonicalPart, canonicalParts } from '../canon/canonical.js';
import type { HistoryEvent, Schema, SchemaObject } from '../model/schema.js';
import { objectKey } from '../model/schema.js';

// Desired against live, object by object, by canonical form: two definitions ClickHouse stores the
// same way are equal, so only real differences remain, each explained part by part.

/** One part of an object that differs: absent `live` means added, absent `desired` means removed. */
export interface PartDifference {
  /** What the part is: `column:a`, `index:i`, `order-by`, `settings`, `query`, `engine`... */
  key: string;
  live?: string;
  desired?: string;
}

export type ObjectChange =
  | { kind: 'create'; desired: SchemaObject }
  | { kind: 'drop'; live: SchemaObject; because: string }
  | {
      kind: 'alter';
      desired: SchemaObject;
      live: SchemaObject;
      differences: PartDifference[];
      /** The live name when the repository renamed the object (`RENAME TABLE live TO desired`). */
      renamedFrom?: string;
      /** Columns the repository renamed that are still under their old name live. */
      columnRenames: { from: string; to: string }[];
    };

/** A live object that differs from the repository although the repository did not change it. */
export interface Drift {
  id: string;
  kind: SchemaObject['kind'];
  /** Missing live, present live but not in the repository, or different. */
  state: 'missing' | 'unexpected' | 'different';
  differences: PartDifference[];
}

export interface SchemaDiff {
  changes: ObjectChange[];
  drift: Drift[];
  /** Ids of objects that are the same live and in the repository. */
  unchanged: string[];
}

export interface DiffInput {
  desired: Schema;
  live: Schema;
  /**
   * The repository's state at the last deploy (e.g. the pull request's base). A live difference
   * on an object the repository did not change since then is drift: reported, never planned away.
   */
  base?: Schema;
  /**
   * Objects whose secrets (passwords, keys: `[HIDDEN]` on both sides, so never in the canonical
   * form) the repository changed since the last deploy, as the registry's fingerprints tell: a
   * `secrets` difference, which the plan applies by recreating the object.
   */
  secretsChanged?: ReadonlySet<string>;
  /**
   * Named collections whose values (every one `[HIDDEN]` live) the repository changed since the last
   * deploy, with the keys that changed: an `entry:<key>` difference each, which the plan SETs.
   */
  entriesChanged?: ReadonlyMap<string, readonly string[]>;
}

/** The `secrets` difference: both sides hidden, as ClickHouse shows them. */
export const SECRETS_DIFFERENCE: PartDifference = { key: 'secrets', live: "'[HIDDEN]'", desired: "'[HIDDEN]' (changed)" };

const key = (o: SchemaObject) => objectKey(o.kind, o.id);

export function diffSchemas({ desired, live, base, secretsChanged, entriesChanged }: DiffInput): SchemaDiff {
  const liveByKey = new Map(live.objects.map((o) => [key(o), o]));
  const desiredKeys = new Set(desired.objects.map(key));
  const desiredIds = new Set(desired.objects.map((o) => o.id));
  const baseByKey = base && new Map(base.objects.map((o) => [key(o), o]));
  const createdDatabases = new Set(desired.objects.filter((o) => o.kind === 'database').map((o) => o.name));
  const renamedFrom = renameSources(desired.history);
  const columnRenamesByTable = columnRenameEvents(desired.history);
  const claimed = new Set<string>();
  const changes: ObjectChange[] = [];
  const drift: Drift[] = [];
  const unchanged: string[] = [];

  for (const object of desired.objects) {
    let liveObject = liveByKey.get(key(object));
    let from: string | undefined;
    if (!liveObject) {
      from = renamedFrom.get(key(object))?.find((old) => liveByKey.has(objectKey(object.kind, old)) && !desiredIds.has(old));
      liveObject = from === undefined ? undefined : liveByKey.get(objectKey(object.kind, from));
    }
    const baseObject = baseByKey?.get(key(object));
    if (!liveObject) {
      if (baseObject && sameParts(baseObject, object)) drift.push({ id: object.id, kind: object.kind, state: 'missing', differences: [] });
      else changes.push({ kind: 'create', desired: object });
      continue;
    }
    claimed.add(key(liveObject));
    const columnRenames = renamedColumns(columnRenamesByTable.get(object.id) ?? [], liveObject, object);
    const differences = differencesBetween(liveObject, object, columnRenames);
    // The repository changed the secrets since the last deploy: a change of its own, never drift.
    const collection = object.kind === 'named-collection';
    let secrets = !collection && secretsChanged?.has(object.id) === true;
    if (secrets) differences.push(SECRETS_DIFFERENCE);
    for (const entry of (collection && entriesChanged?.get(object.id)) || []) {
      secrets = true;
      if (!differences.some((d) => d.key === `entry:${entry}`)) differences.push(changedEntry(object, entry));
    }
    if (differences.length === 0 && from === undefined && columnRenames.length === 0) {
      unchanged.push(object.id);
      continue;
    }
    if (baseObject && from === undefined && !secrets && sameParts(baseObject, object)) {
      drift.push({ id: object.id, kind: object.kind, state: 'different', differences });
      continue;
    }
    const change: ObjectChange = { kind: 'alter', desired: object, live: liveObject, differences, columnRenames };
    if (from !== undefined) change.renamedFrom = from;
    changes.push(change);
  }

  const dropped = new Map(desired.history.filter((e) => e.kind === 'dropped').map((e) => [objectKey(e.objectKind, e.id), e]));
  for (const object of live.objects) {
    const k = key(object);
    if (claimed.has(k) || desiredKeys.has(k)) continue;
    const drop = dropped.get(k);
    if (drop) {
      changes.push({ kind: 'drop', live: object, because: `dropped in ${drop.location.file}` });
    } else if (object.database !== undefined && createdDatabases.has(object.database)) {
      if (baseByKey && !baseByKey.has(k)) drift.push({ id: object.id, kind: object.kind, state: 'unexpected', differences: [] });
      else changes.push({ kind: 'drop', live: object, because: `not in the repository, which manages database \`${object.database}\`` });
    }
  }
  return { changes, drift, unchanged };
}

/** The difference of a named collection's value the registry's fingerprints found: hidden on both sides. */
function changedEntry(object: SchemaObject, key: string): PartDifference {
  const text = canonicalParts(object).find((p) => p.key === `entry:${key}`)?.text ?? `${key} = [HIDDEN]`;
  return { key: `entry:${key}`, live: text, desired: `${text} (changed)` };
}

/** For each renamed object's final key, the names it had before, most recent first. */
function renameSources(history: HistoryEvent[]): Map<string, string[]> {
  const sources = new Map<string, string[]>();
  for (const event of history) {
    if (event.kind !== 'renamed') continue;
    const earlier = sources.get(objectKey(event.objectKind, event.from)) ?? [];
    sources.delete(objectKey(event.objectKind, event.from));
    sources.set(objectKey(event.objectKind, event.to), [event.from, ...earlier]);
  }
  return sources;
}

/** The repository's column renames by table, in history order. */
function columnRenameEvents(history: HistoryEvent[]): Map<string, { from: string; to: string }[]> {
  const byTable = new Map<string, { from: string; to: string }[]>();
  for (const event of history) {
    if (event.kind !== 'column-renamed') continue;
    let events = byTable.get(event.table);
    if (!events) byTable.set(event.table, (events = []));
    events.push({ from: event.from, to: event.to });
  }
  return byTable;
}

/** Column renames of the repository (`events`, the desired table's) that the live object has not had yet (old name live, new name desired). */
function renamedColumns(events: { from: string; to: string }[], live: SchemaObject, desired: SchemaObject): { from: string; to: string }[] {
  if (events.length === 0) return [];
  const liveColumns = columnsOf(live);
  const desiredColumns = columnsOf(desired);
  const renames: { from: string; to: string }[] = [];
  // Follow chains (a → b → c) to the final name.
  const finalName = new Map<string, string>();
  for (const event of events) {
    const origin = [...finalName].find(([, to]) => to === event.from)?.[0] ?? event.from;
    finalName.set(origin, event.to);
  }
  for (const [from, to] of finalName) {
    if (liveColumns.has(from) && !liveColumns.has(to) && desiredColumns.has(to) && !desiredColumns.has(from)) renames.push({ from, to });
  }
  return renames;
}

function columnsOf(object: SchemaObject): Set<string> {
  return new Set(
    canonicalParts(object)
      .filter((p) => p.key.startsWith('column:'))
      .map((p) => p.key.slice('column:'.length)),
  );
}

function sameParts(a: SchemaObject, b: SchemaObject): boolean {
  return differencesBetween(a, b, []).length === 0;
}

/** The parts that differ, in the desired object's order, then removed parts. Renames are taken as done. */
export function differencesBetween(live: SchemaObject, desired: SchemaObject, columnRenames: { from: string; to: string }[]): PartDifference[] {
  // The canonical form is a function of the definition, the id and the database context: a
  // definition the pull request's analysis shares with its base's (kept by the model) is the same.
  // With the same columns on both sides, no rename applies. Not a view whose column list is derived
  // from its sources (canon/derivedColumns.ts): the pull request may have changed those.
  const derived = live.derivedFrom !== undefined || desired.derivedFrom !== undefined;
  if (!derived && live.definition === desired.definition && live.id === desired.id && live.contextDatabase === desired.contextDatabase) return [];
  const liveParts = new Map<string, string>();
  for (const part of canonicalParts(live)) {
    const renamed = renamedPart(part, columnRenames);
    liveParts.set(renamed.key, renamed.key === 'header' ? withId(renamed.text, live.id, desired.id) : renamed.text);
  }
  const differences: PartDifference[] = [];
  const seen = new Set<string>();
  for (const part of canonicalParts(desired)) {
    seen.add(part.key);
    const before = liveParts.get(part.key);
    if (before === part.text) continue;
    differences.push(before === undefined ? { key: part.key, desired: part.text } : { key: part.key, live: before, desired: part.text });
  }
  for (const [k, text] of liveParts) if (!seen.has(k)) differences.push({ key: k, live: text });
  return differences;
}

function renamedPart(part: CanonicalPart, renames: { from: string; to: string }[]): CanonicalPart {
  const rename = renames.find((r) => part.key === `column:${r.from}`);
  if (!rename) return part;
  return { key: `column:${rename.to}`, text: `COLUMN ${rename.to}${part.text.slice(`COLUMN ${rename.from}`.length)}` };
}

/** A header with the object's id replaced, so a renamed object compares by its definition. */
function withId(text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  return at < 0 ? text : text.slice(0, at) + to + text.slice(at + from.length);
}
