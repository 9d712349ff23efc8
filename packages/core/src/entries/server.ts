// `@clickplan/core/server`: the team's ClickHouse server configuration (config.xml, users.xml, config.d/): its model, and the facts rules read.
export { type ServerFacts, serverFactsOf } from '../server/facts.js';
export { readServerConfig, type ServerConfigResult } from '../server/index.js';
export type { Cluster, ConfigValue, Disk, Profile, ServerConfig, StoragePolicy, User } from '../server/model.js';
export { type ProjectServerConfig, projectServerConfig, type ServerConfigOverrides } from '../workflow/serverConfig.js';
