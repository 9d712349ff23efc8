// `@clickplan/core/model`: Schema objects, and the replay of migrations into the schema they leave behind.
export { buildModel, type ModelOptions, type ParsedFile } from '../model/replay.js';
export { applyReplicationConvention } from '../model/replication.js';
export type { ObjectKind, Schema, SchemaObject } from '../model/schema.js';
