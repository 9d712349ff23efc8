import type { Diagnostic } from '../diagnostics.js';
import type { TenantNamePatterns } from './config.js';
import { linesOf } from './mask.js';

/** A tenant listed in tenants.txt, with where its slug stands. */
export interface TenantLine {
  slug: string;
  start: number;
  end: number;
}

/** A slug becomes part of database, role, user and Kubernetes object names. */
const SLUG = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

/**
 * The active tenants of an environment: one slug a line, `#` starts a comment, blank lines are
 * ignored. Pure: the caller reads the file.
 */
export function parseTenantsFile(text: string, file: string): { value: TenantLine[]; diagnostics: Diagnostic[] } {
  const value: TenantLine[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const line of linesOf(text)) {
    const content = line.text.replace(/#.*/, '');
    const slug = content.trim();
    if (!slug) continue;
    const start = line.start + content.indexOf(slug);
    const range = { start, end: start + slug.length };
    if (!SLUG.test(slug)) {
      diagnostics.push({
        code: 'tenants-file-invalid',
        severity: 'error',
        file,
        range,
        message: `\`${slug}\` is not a tenant slug: a slug is letters, digits, \`_\` and \`-\`, one a line, because it becomes part of database, user and Secret names.`,
        help: 'Write one slug a line; put notes after a `#`.',
      });
    } else if (value.some((t) => t.slug === slug)) {
      diagnostics.push({
        code: 'tenants-file-invalid',
        severity: 'warning',
        file,
        range,
        message: `\`${slug}\` is listed twice; its migrations run once.`,
        help: 'Remove the second line.',
      });
    } else value.push({ slug, ...range });
  }
  return { value, diagnostics };
}

/** A tenant's database, role, user and Secret names from the configured patterns. */
export function tenantNames(patterns: TenantNamePatterns, slug: string): TenantNamePatterns {
  const fill = (pattern: string) => pattern.replaceAll('{slug}', slug);
  return { database: fill(patterns.database), role: fill(patterns.role), user: fill(patterns.user), secret: fill(patterns.secret) };
}
