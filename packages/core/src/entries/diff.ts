// `@clickplan/core/diff`: Desired schema against live schema: the changes, and drift.
export { type DiffInput, type Drift, diffSchemas, type ObjectChange, type PartDifference, type SchemaDiff } from '../diff/diff.js';
