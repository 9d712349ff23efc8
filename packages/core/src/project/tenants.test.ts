import { describe, expect, it } from 'vitest';
import { defaultConfig } from './config.js';
import { parseTenantsFile } from './tenants.js';

const patterns = defaultConfig().tenants;

describe('tenants.txt', () => {
  it('refuses slugs that give one Kubernetes Secret name, at the second line (issue 18)', () => {
    const text = 'acme\nglobex\nACME   # same Secret as acme\na_b\na-b\n';
    const parsed = parseTenantsFile(text, 'tenants.txt', patterns);
    expect(parsed.value.map((t) => t.slug)).toEqual(['acme', 'globex', 'a_b']);
    expect(parsed.diagnostics.map((d) => [d.severity, text.slice(d.range.start, d.range.end), d.message])).toEqual([
      [
        'error',
        'ACME',
        "`ACME` and `acme` (line 1) give the same Kubernetes Secret name `superset-tenant-acme-clickhouse-credentials`: the two tenants would share it, and generating one's credentials would replace the other's.",
      ],
      [
        'error',
        'a-b',
        "`a-b` and `a_b` (line 4) give the same Kubernetes Secret name `superset-tenant-a-b-clickhouse-credentials`: the two tenants would share it, and generating one's credentials would replace the other's.",
      ],
    ]);
  });

  it('refuses slugs that give one database, role or user name when the Secret pattern keeps them apart', () => {
    const custom = { ...patterns, database: 'shared', secret: '{slug}' };
    const parsed = parseTenantsFile('one\ntwo\n', 'tenants.txt', custom);
    expect(parsed.diagnostics.map((d) => d.message)).toEqual([
      "`two` and `one` (line 1) give the same database name `shared`: the two tenants would share it, and generating one's credentials would replace the other's.",
    ]);
  });

  it('accepts slugs whose names all differ, and without patterns checks only the slugs', () => {
    expect(parseTenantsFile('acme\nglobex\na_b\n', 'tenants.txt', patterns).diagnostics).toEqual([]);
    expect(parseTenantsFile('acme\nACME\n', 'tenants.txt').diagnostics).toEqual([]);
  });
});
