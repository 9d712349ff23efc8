import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Positions } from '../render/positions.js';
import { loadServerConfig } from './load.js';
import { buildServerConfig } from './model.js';
import { readYamlConfig } from './tree.js';
import { readXmlConfig } from './xml.js';

const fixture = new URL('../../../../fixtures/server-config/clickhouse/config.xml', import.meta.url).pathname;

function writeFiles(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'clickplan-server-config-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  return root;
}

/** `file:line:column message` of each diagnostic, as the CLI shows them. */
function shown(texts: { file: string; text: string }[], diagnostics: { file: string; range: { start: number }; message: string }[]) {
  const positions = new Positions(new Map(texts.map((f) => [f.file, f.text])));
  return diagnostics.map((d) => {
    const { line, column } = positions.at(d.file, d.range.start);
    return `${d.file}:${line}:${column} ${d.message}`;
  });
}

describe('readXmlConfig', () => {
  it('reads elements, attributes, text, entities, CDATA and comments with the offsets of names and values', () => {
    const text = '<?xml version="1.0"?>\n<!-- c -->\n<clickhouse>\n  <a replace="1">x &amp; &#65;<![CDATA[<b>]]></a>\n  <empty/>\n</clickhouse>\n';
    const { root, diagnostics } = readXmlConfig(text, 'c.xml');
    expect(diagnostics).toEqual([]);
    const a = root?.children[0];
    expect(a).toMatchObject({ name: 'a', attributes: { replace: '1' }, text: 'x & A<b>' });
    expect(text.slice(a?.range.start, a?.range.end)).toBe('a');
    expect(text.slice(a?.valueRange?.start, a?.valueRange?.end)).toBe('x &amp; &#65;<![CDATA[<b>');
    expect(root?.children.map((c) => c.name)).toEqual(['a', 'empty']);
  });

  it('names the first malformed construct with its line and column', () => {
    const cases = [
      '<clickhouse>\n  <a>1</b>\n</clickhouse>',
      '<clickhouse>\n  <a>1 & 2</a>\n</clickhouse>',
      '<clickhouse>\n  <a>\n',
      '<clickhouse/>\n<second/>',
      '<clickhouse>\n  <!-- open\n</clickhouse>',
      '<clickhouse>\n  <a b=1/>\n</clickhouse>',
      '',
    ];
    const results = cases.map((text) => shown([{ file: 'c.xml', text }], readXmlConfig(text, 'c.xml').diagnostics));
    expect(results).toEqual([
      ['c.xml:2:7 The server configuration is not valid XML: `</b>` closes `<a>`.'],
      ['c.xml:2:6 The server configuration is not valid XML: an `&` starts no known entity; write `&amp;` for a literal ampersand.'],
      ['c.xml:2:4 The server configuration is not valid XML: `<a>` is never closed.'],
      ['c.xml:2:2 The server configuration is not valid XML: a second root element.'],
      ['c.xml:2:3 The server configuration is not valid XML: a comment is never closed with `-->`.'],
      ['c.xml:2:5 The server configuration is not valid XML: the tag `<a>` is malformed.'],
      ['c.xml:1:1 The server configuration is not valid XML: the file has no root element.'],
    ]);
  });
});

describe('readYamlConfig', () => {
  it('reads keys as elements, @keys as attributes and sequences as repeated elements, with or without the clickhouse root', () => {
    const text = 'clickhouse:\n  macros:\n    shard: "01"\n  networks:\n    ip: [10.0.0.0/8, "::1"]\n  password:\n    "@from_env": PW\n';
    const { root } = readYamlConfig(text, 'c.yaml');
    const xmlOf = (node: NonNullable<typeof root>): string =>
      `<${node.name}${Object.entries(node.attributes)
        .map(([k, v]) => ` ${k}="${v}"`)
        .join('')}>${node.text}${node.children.map(xmlOf).join('')}</${node.name}>`;
    expect(root && xmlOf(root)).toBe(
      '<clickhouse><macros><shard>01</shard></macros><networks><ip>10.0.0.0/8</ip><ip>::1</ip></networks><password from_env="PW"></password></clickhouse>',
    );
    const bare = readYamlConfig('macros:\n  shard: "01"\n', 'c.yaml').root;
    expect(bare && xmlOf(bare)).toBe('<clickhouse><macros><shard>01</shard></macros></clickhouse>');
  });
});

describe('loadServerConfig', () => {
  it('merges config.d/ in name order with replace and remove, and the users file with users.d/', () => {
    const root = writeFiles({
      'config.xml':
        '<clickhouse><users_config>users.xml</users_config><macros><shard>01</shard><replica>a</replica></macros><remote_servers><old/><main><shard/></main></remote_servers></clickhouse>',
      'config.d/a.xml': '<clickhouse><macros><replica>b</replica></macros><remote_servers><old remove="remove"/></remote_servers></clickhouse>',
      'config.d/b.yaml':
        'remote_servers:\n  main:\n    "@replace": replace\n    shard:\n      - internal_replication: true\n      - internal_replication: false\n',
      'conf.d/z.xml': '<clickhouse><macros><replica>from-conf.d</replica><cluster>c</cluster></macros></clickhouse>',
      'users.xml': '<clickhouse><users><default><password>x</password></default></users></clickhouse>',
      'users.d/ro.xml': '<clickhouse><users><default><password remove="1"/><password_sha256_hex>ab</password_sha256_hex></default></users></clickhouse>',
    });
    const loaded = loadServerConfig(join(root, 'config.xml'));
    expect(loaded.diagnostics).toEqual([]);
    const model = buildServerConfig(loaded.config, loaded.users);
    // conf.d/ sorts before config.d/, so config.d/a.xml has the last word on the replica.
    expect(Object.fromEntries([...model.macros].map(([k, v]) => [k, v.value]))).toEqual({ shard: '01', replica: 'b', cluster: 'c' });
    expect([...model.clusters.keys()]).toEqual(['main']);
    expect(model.clusters.get('main')?.shards.map((s) => s.internalReplication?.value)).toEqual(['true', 'false']);
    expect(model.users.get('default')).toMatchObject({ authentication: 'password_sha256_hex' });
    expect(model.users.get('default')?.password).toBeUndefined();
    expect(loaded.files.map((f) => f.file.slice(root.length + 1))).toEqual([
      'config.xml',
      'conf.d/z.xml',
      'config.d/a.xml',
      'config.d/b.yaml',
      'users.xml',
      'users.d/ro.xml',
    ]);
  });

  it('models the fixture: storage, clusters, macros, profiles, users, quotas, merge_tree, placeholders, each where it is written', () => {
    const loaded = loadServerConfig(fixture);
    expect(loaded.diagnostics).toEqual([]);
    const model = buildServerConfig(loaded.config, loaded.users);
    const where = (l: { file: string; range: { start: number } }) =>
      shown(loaded.files, [{ ...l, message: '' }])[0]
        ?.replace(/^.*fixtures\/server-config\//, '')
        .trim();
    expect([...model.disks.values()].map((d) => [d.name, d.type, where(d)])).toEqual([
      ['hot', 'local', 'clickhouse/config.d/storage.yaml:4:5'],
      ['cold', 's3', 'clickhouse/config.d/storage.yaml:6:5'],
    ]);
    expect([...model.storagePolicies.values()].map((p) => [p.name, p.volumes.map((v) => [v.name, v.disks]), p.settings.get('move_factor')?.value])).toEqual([
      [
        'tiered',
        [
          ['hot', ['hot']],
          ['cold', ['cold']],
        ],
        '0.2',
      ],
    ]);
    const cluster = model.clusters.get('analytics');
    expect(cluster?.shards.map((s) => [s.internalReplication?.value, s.replicas.map((r) => r.host)])).toEqual([
      ['true', ['ch-01-a.internal', 'ch-01-b.internal']],
      ['true', ['ch-02-a.internal', 'ch-02-b.internal']],
    ]);
    expect(cluster?.secret).toMatchObject({ value: '', placeholder: 'from_env="CLICKHOUSE_CLUSTER_SECRET"' });
    expect(Object.fromEntries([...model.macros].map(([k, v]) => [k, [v.value, where(v)]]))).toEqual({
      cluster: ['analytics', 'clickhouse/config.d/macros.xml:4:18'],
      shard: ['01', 'clickhouse/config.d/macros.xml:5:16'],
      replica: ['ch-01-a', 'clickhouse/config.d/macros.xml:6:18'],
    });
    expect(model.profiles.get('default')?.settings.get('compatibility')?.value).toBe('24.8');
    expect([...model.users.values()].map((u) => [u.name, u.authentication, u.networks.map((n) => n.value), u.profile?.value, where(u)])).toEqual([
      ['default', 'password_sha256_hex', ['10.0.0.0/8', '::1'], 'default', 'clickhouse/users.xml:15:10'],
      ['dashboards', 'password_double_sha1_hex', ['10.20.0.0/16'], 'readonly', 'clickhouse/users.d/dashboards.xml:3:10'],
    ]);
    expect([...model.quotas.keys()]).toEqual(['default']);
    expect(model.mergeTree.get('number_of_free_entries_in_pool_to_execute_mutation')?.value).toBe('24');
    expect(model.serverSettings.get('background_pool_size')?.value).toBe('32');
    expect(model.interserverCredentials?.password).toMatchObject({ placeholder: 'from_env="CLICKHOUSE_INTERSERVER_PASSWORD"' });
    expect(model.zookeeper && where(model.zookeeper)).toBe('clickhouse/config.xml:49:6');
  });

  it('names a file that cannot be read', () => {
    const loaded = loadServerConfig('/nonexistent/config.xml');
    expect(loaded.diagnostics.map((d) => [d.code, d.message])).toEqual([
      [
        'path-not-found',
        "The server configuration file `/nonexistent/config.xml` could not be read: ENOENT: no such file or directory, open '/nonexistent/config.xml'.",
      ],
    ]);
  });
});
