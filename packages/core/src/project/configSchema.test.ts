import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { DEFAULT_REPLICATION, DEPLOY_DEFAULTS, defaultConfig, LAYOUT_NAMES } from './config.js';
import { CONFIG_SCHEMA } from './configErrors.js';

interface SchemaNode {
  type?: string;
  description?: string;
  enum?: unknown[];
  default?: unknown;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: boolean | SchemaNode;
}

/** Every key path the schema defines (`tenants.database`), with its node; maps (`rules`) end the walk. */
function keysOf(node: SchemaNode, prefix = ''): [string, SchemaNode][] {
  return Object.entries(node.properties ?? {}).flatMap(([key, child]) => [
    [`${prefix}${key}`, child] as [string, SchemaNode],
    ...keysOf(child, `${prefix}${key}.`),
  ]);
}

const schema = CONFIG_SCHEMA as SchemaNode;
const docs = readFileSync(new URL('../../../../docs/config.md', import.meta.url), 'utf8');

describe('clickplan.schema.json', () => {
  it('is a valid draft 2020-12 schema under Ajv strict mode', () => {
    const ajv = new Ajv2020({ strict: true });
    // VS Code's keyword for a pattern's message; Ajv must be told it is an annotation.
    ajv.addKeyword({ keyword: 'patternErrorMessage', schemaType: 'string' });
    expect(ajv.validateSchema(CONFIG_SCHEMA)).toBe(true);
    expect(() => ajv.compile(CONFIG_SCHEMA)).not.toThrow();
  });

  it('describes every key, and closes every mapping with fixed keys', () => {
    const keys = keysOf(schema);
    expect(keys.filter(([, node]) => !node.description).map(([key]) => key)).toEqual([]);
    expect(schema.additionalProperties).toBe(false);
    const open = keys.filter(([, node]) => node.properties && node.additionalProperties !== false).map(([key]) => key);
    expect(open).toEqual([]);
    // `rules` is a map from rule id to a severity or a closed mapping of severity and options.
    expect(schema.properties?.rules.additionalProperties).toMatchObject({
      then: { enum: ['off', 'info', 'warning', 'error'] },
      else: { additionalProperties: false, properties: { severity: { enum: ['off', 'info', 'warning', 'error'] } } },
    });
  });

  it('lists every layout', () => {
    expect(schema.properties?.layout.enum).toEqual(['auto', ...LAYOUT_NAMES]);
  });

  it('states the defaults the loader fills in', () => {
    const defaults = Object.fromEntries(keysOf(schema).flatMap(([key, node]) => (node.default === undefined ? [] : [[key, node.default]])));
    const config = defaultConfig();
    expect(defaults).toEqual({
      layout: config.layout,
      database: config.database,
      qualifiedNames: config.qualifiedNames,
      // Filled in when `replication` is given at all.
      'replication.sharded': DEFAULT_REPLICATION.sharded,
      'replication.unsharded': DEFAULT_REPLICATION.unsharded,
      'replication.replica': DEFAULT_REPLICATION.replica,
      'replication.unshardedReplica': DEFAULT_REPLICATION.unshardedReplica,
      // What deploys use when `deploy:` does not say.
      ...Object.fromEntries(Object.entries(DEPLOY_DEFAULTS).map(([key, value]) => [`deploy.${key}`, value])),
      registry: config.registry,
      'tenants.database': config.tenants.database,
      'tenants.role': config.tenants.role,
      'tenants.user': config.tenants.user,
      'tenants.secret': config.tenants.secret,
      failOn: config.failOn,
    });
  });
});

describe('docs/config.md', () => {
  it('documents every key of the schema, and only those', () => {
    const documented = [...docs.matchAll(/^### `([A-Za-z.]+)`$/gm)].map((m) => m[1]);
    expect(documented).toEqual(keysOf(schema).map(([key]) => key));
  });

  it('gives every key an example', () => {
    const sections = docs.split(/^### /m).slice(1);
    expect(sections.filter((section) => !section.includes('```yaml')).map((section) => section.split('\n')[0])).toEqual([]);
  });
});
