import type { Project } from './project.js';
import { tenantNames } from './tenants.js';

/**
 * The users whose password and hosts `generate-credentials` sets, not the repository: the users of
 * the tenants whose migrations run. A plan leaves their credentials out of the comparison.
 */
export function credentialUsers(project: Project): string[] {
  const tenants = new Set(project.migrations.flatMap((m) => (m.tenant ? [m.tenant] : [])));
  return [...tenants].sort().map((slug) => tenantNames(project.config.tenants, slug).user);
}
