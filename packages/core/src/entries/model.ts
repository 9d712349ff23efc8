// `@clickplan/core/model`: Schema objects, and the replay of migrations into the schema they leave behind.
export { buildModel, type ModelOptions, type ParsedFile } from '../model/replay.js';
export type { ObjectKind, Schema, SchemaObject } from '../model/schema.js';
export { applyReplicationConvention } from '../plan/replication.js';
