// `@clickplan/core/canon`: Canonical form of an object definition and its SHA-256 hash, in TypeScript or through an engine.
export { CANONICAL_CLICKHOUSE_VERSION, CANONICAL_FORMAT, canonicalForm, hashObject } from '../canon/canonical.js';
export { canonicalizeThroughEngine, describeDisagreement, type EngineCanonical, type SqlEngine, storedDefinition } from '../canon/throughEngine.js';
