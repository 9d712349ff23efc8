// `@clickplan/core/rules`: The lint rules, their registry, lint options and suppression comments.

export { appliedMigrationsFromRegistry } from '../deploy/appliedMigrations.js';
export type { RuleSeverity } from '../diagnostics.js';
export { RULES } from '../rules/index.js';
export { type FindingFix, type LintOptions, lintAnalysis, lintWithSuppressed, type ProjectOptions, type SuppressedFinding } from '../rules/lint.js';
export { appliedMigrationsOf, lintOptionsOf } from '../rules/projectOptions.js';
export { defineRule, type Rule } from '../rules/rule.js';
export { defineServerRule, lintServerConfig, type ServerLintOptions, type ServerRule } from '../rules/serverRule.js';
export { SERVER_RULES } from '../rules/serverRules.js';
export { readSuppressions, type Suppression } from '../rules/suppressions.js';
