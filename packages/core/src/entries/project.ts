// `@clickplan/core/project`: Configuration, migration layouts and file discovery.
export { type ClickPlanConfig, DEFAULT_REPLICATION, loadConfig, type ReplicationConvention } from '../project/config.js';
export { credentialUsers } from '../project/credentials.js';
export { readSqlFiles, type SourceFile } from '../project/files.js';
export { layoutNamed } from '../project/layouts/index.js';
export { type LoadProjectOptions, loadProject, type Project } from '../project/project.js';
