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
 * ignored. With the name patterns, two slugs that give one Secret, database, role or user name
 * (`acme`/`ACME`, `a_b`/`a-b`: Kubernetes names are lower case, without `_`) are refused: the
 * tenants would share credentials, and generating one's would replace the other's. Pure: the
 * caller reads the file.
 */
export function parseTenantsFile(text: string, file: string, patterns?: TenantNamePatterns): { value: TenantLine[]; diagnostics: Diagnostic[] } {
  const value: TenantLine[] = [];
  const diagnostics: Diagnostic[] = [];
  const lines = linesOf(text);
  const lineOf = (offset: number) => lines.findIndex((l) => offset >= l.start && offset <= l.start + l.text.length) + 1;
  for (const line of lines) {
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
    } else {
      const clash = patterns && collision(patterns, value, slug);
      if (clash)
        diagnostics.push({
          code: 'tenants-file-invalid',
          severity: 'error',
          file,
          range,
          message: `\`${slug}\` and \`${clash.other.slug}\` (line ${lineOf(clash.other.start)}) give the same ${clash.what} \`${clash.name}\`: the two tenants would share it, and generating one's credentials would replace the other's.`,
          help: 'Give each tenant a slug that differs after lower-casing and replacing `_` by `-` (Kubernetes names allow neither upper case nor `_`).',
        });
      else value.push({ slug, ...range });
    }
  }
  return { value, diagnostics };
}

/** The first listed tenant whose Secret, database, role or user name `slug` would take too. */
function collision(patterns: TenantNamePatterns, listed: readonly TenantLine[], slug: string) {
  const mine = tenantNames(patterns, slug);
  for (const other of listed) {
    const theirs = tenantNames(patterns, other.slug);
    const secret = kubernetesName(mine.secret);
    if (secret === kubernetesName(theirs.secret)) return { other, what: 'Kubernetes Secret name', name: secret };
    for (const what of ['database', 'role', 'user'] as const) if (mine[what] === theirs[what]) return { other, what: `${what} name`, name: mine[what] };
  }
  return undefined;
}

/** A Kubernetes object name from a pattern: DNS-1123 (lower case, digits, `-` and `.`, at most 253 characters). */
export function kubernetesName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 253);
}

/** A tenant's database, role, user and Secret names from the configured patterns. */
export function tenantNames(patterns: TenantNamePatterns, slug: string): TenantNamePatterns {
  const fill = (pattern: string) => pattern.replaceAll('{slug}', slug);
  return { database: fill(patterns.database), role: fill(patterns.role), user: fill(patterns.user), secret: fill(patterns.secret) };
}
