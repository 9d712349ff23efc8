import { ENGINE_ALTERS } from './engines.generated.js';
import { entriesOf } from './lines.js';
import { settingsEngine } from './settings.js';

// Which ALTER commands each engine runs in place (the others fail with code 48), and what a rebuild
// can do with its rows: probed on chDB by engines.generate.ts.

/** `copy`: INSERT ... SELECT carries the rows; `unreadable`: it keeps rows no SELECT reads (Set); `none`: it keeps none of its own. */
export type EngineRows = 'copy' | 'unreadable' | 'none';

const engines = new Map(
  entriesOf(ENGINE_ALTERS).map(([engine, rows, constraints, ...kinds]) => [
    engine,
    { rows: rows as EngineRows, dropsConstraints: constraints === 'drops-constraints', kinds: new Set(kinds) },
  ]),
);

/** The kinds probed: MergeTree runs every one (the generator checks). */
const probedKinds = engines.get('MergeTree')?.kinds ?? new Set<string>();

/** Whether the engine runs an ALTER command of this AST kind (`AddColumn`) in place; an engine or kind that was not probed is assumed to. */
export function canAlterInPlace(engine: string, kind: string): boolean {
  if (!probedKinds.has(kind)) return true;
  return engines.get(settingsEngine(engine))?.kinds.has(kind) ?? true;
}

/** What a rebuild can do with the engine's rows; an engine that was not probed is copied. */
export function rowsOfEngine(engine: string): EngineRows {
  return engines.get(settingsEngine(engine))?.rows ?? 'copy';
}

/** Whether any ALTER of the engine's tables drops their constraints (GenerateRandom, Merge: the server writes them out). */
export function alterDropsConstraints(engine: string): boolean {
  return engines.get(settingsEngine(engine))?.dropsConstraints ?? false;
}
