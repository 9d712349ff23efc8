// `@clickplan/core/project`: Configuration, migration layouts and file discovery.
import { type ConfigResult, type LoadConfigOptions, loadConfig as loadConfigWith } from '../project/config.js';
import { type LoadProjectOptions, loadProject as loadProjectWith, type Project } from '../project/project.js';
import { RULE_IDS, ruleOptionProblems } from '../rules/docsLink.js';

export { type ClickPlanConfig, DEFAULT_REPLICATION, type ReplicationConvention } from '../project/config.js';
export { credentialUsers } from '../project/credentials.js';
export { displayPath, readSqlFiles, type SourceFile } from '../project/files.js';
export { layoutNamed } from '../project/layouts/index.js';
export type { LoadProjectOptions, Project } from '../project/project.js';

// `project/` sits below `rules/` in the pipeline, so the rule ids its configuration may name are
// handed to it here, where the front ends load projects.

/** Reads a project's configuration; `rules:` may name every rule of the registry, with options its schema accepts. */
export function loadConfig(dir: string, options: LoadConfigOptions = {}): ConfigResult {
  return loadConfigWith(dir, { ruleIds: RULE_IDS, ruleOptionProblems, ...options });
}

/** Reads a project: its configuration (checked against the rule registry), layout and migrations. */
export function loadProject(path: string, options: LoadProjectOptions = {}): Project {
  return loadProjectWith(path, { ruleIds: RULE_IDS, ruleOptionProblems, ...options });
}
