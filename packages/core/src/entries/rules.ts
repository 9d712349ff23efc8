// `@clickplan/core/rules`: The lint rules, their registry, lint options and suppression comments.
export { RULES } from '../rules/index.js';
export { type LintOptions, lintAnalysis, type ProjectOptions } from '../rules/lint.js';
export { appliedMigrationsFromRegistry, appliedMigrationsOf, lintOptionsOf } from '../rules/projectOptions.js';
export { defineRule, type Rule, type RuleSeverity } from '../rules/rule.js';
export { readSuppressions, type Suppression } from '../rules/suppressions.js';
