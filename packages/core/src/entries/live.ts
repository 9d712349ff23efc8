// `@clickplan/core/live`: Targets (server over HTTP, snapshot JSON, embedded chDB) and the live schema they read.
export { CONNECTION_ENV, resolveConnection } from '../live/connection.js';
export { DEFAULT_EMBEDDED_DIR, openEmbeddedTarget } from '../live/embedded.js';
export { modelLiveSchema } from '../live/liveModel.js';
export { openSnapshotTarget, parseSnapshot, readSnapshot, renderSnapshot, writeSnapshot } from '../live/snapshot.js';
export { defaultEmbeddedDir, type OpenTargetOptions, openTarget, projectRootOf } from '../live/target.js';
export * from '../live/types.js';
