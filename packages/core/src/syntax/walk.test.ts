import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { forEachChild, forEachDescendant, type SyntaxNode } from './nodes.js';
import { parseSql } from './parser.js';
import { mapEachChild, replaceNodes } from './walk.js';

// `mapEachChild` lists each kind's children by hand a second time, for writing; this checks it
// against `forEachChild` (itself checked against every property in nodes.test.ts) on every node
// of every SQL file of the fixtures: same children, same order; nothing copied when nothing
// changes; and a replaced child lands where forEachChild finds it. `replaceNodes` is compared with
// the walk over every property it replaced.

const FIXTURES = new URL('../../../../fixtures/', import.meta.url).pathname;

function sqlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sqlFiles(path);
    return entry.name.endsWith('.sql') ? [path] : [];
  });
}

function childrenOf(node: SyntaxNode): SyntaxNode[] {
  const children: SyntaxNode[] = [];
  forEachChild(node, (child) => children.push(child));
  return children;
}

/** The copy-on-write replacement over every property: what replaceNodes did before it was typed. */
function reflectiveReplace(root: unknown, replace: ReadonlyMap<object, unknown>): unknown {
  const copy = (value: unknown): unknown => {
    if (typeof value !== 'object' || value === null) return value;
    if (replace.has(value)) return replace.get(value);
    if (Array.isArray(value)) {
      const items = value.map(copy);
      if (!items.some((item, i) => item !== value[i])) return value;
      return items.filter((item, i) => item !== undefined || value[i] === undefined);
    }
    let changed: Record<string, unknown> | undefined;
    for (const [key, child] of Object.entries(value)) {
      const replaced = copy(child);
      if (replaced !== child) {
        changed ??= { ...value };
        changed[key] = replaced;
      }
    }
    return changed ?? value;
  };
  return copy(root);
}

describe('mapEachChild', () => {
  const files = sqlFiles(FIXTURES).sort();

  it.each(files.map((path) => [path.slice(FIXTURES.length)]))('agrees with forEachChild on %s', (relative) => {
    const { statements } = parseSql(readFileSync(join(FIXTURES, relative), 'utf8'));
    const problems = new Set<string>();
    for (const statement of statements) {
      forEachDescendant(statement, (node) => {
        const expected = childrenOf(node);
        const mapped: SyntaxNode[] = [];
        const same = mapEachChild(node, (child) => {
          mapped.push(child);
          return child;
        });
        if (same !== node) problems.add(`${node.kind}: copied with nothing replaced`);
        if (mapped.length !== expected.length || mapped.some((child, i) => child !== expected[i])) {
          problems.add(`${node.kind}: maps ${mapped.map((c) => c.kind).join(',')} where forEachChild lists ${expected.map((c) => c.kind).join(',')}`);
        }
        const markers = new Map<SyntaxNode, SyntaxNode>(expected.map((child) => [child, { ...child }]));
        const replaced = mapEachChild(node, (child) => markers.get(child));
        const found = replaced === node ? [] : childrenOf(replaced);
        if (expected.length > 0 && (found.length !== expected.length || found.some((child, i) => child !== markers.get(expected[i])))) {
          problems.add(`${node.kind}: replaced children are not where forEachChild reads them`);
        }
        if (expected.length > 0 && !isDeepStrictEqual(replaced, node)) problems.add(`${node.kind}: a replacement changed more than the child`);
        return undefined;
      });
    }
    expect([...problems]).toEqual([]);
  });

  it('replaces nodes the way a walk over every property does, sharing what it does not change', () => {
    const sql = `
      CREATE TABLE db.t (a UInt8, b String CODEC(ZSTD(1)), INDEX i lower(b) TYPE bloom_filter GRANULARITY 4)
      ENGINE = MergeTree ORDER BY (a, lower(b)) TTL toDate(a) + INTERVAL 1 DAY;
      SELECT CASE WHEN a THEN b END, [x -> x + a] FROM t WINDOW w AS (ORDER BY a ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) ORDER BY a WITH FILL STEP 1;
      ALTER TABLE t ADD COLUMN c UInt8 AFTER a, UPDATE a = 1, b = 'x' WHERE c IN (SELECT 1);`;
    for (const statement of parseSql(sql).statements) {
      const replace = new Map<object, unknown>();
      forEachDescendant(statement, (node) => {
        if (node.kind === 'Identifier') replace.set(node, { ...node, name: node.name.toUpperCase() });
        if (node.kind === 'Literal' && node.value === '1') replace.set(node, undefined);
        return undefined;
      });
      const typed = replaceNodes(statement, replace);
      expect(typed).toStrictEqual(reflectiveReplace(statement, replace));
      expect(replaceNodes(statement, new Map())).toBe(statement);
    }
  });
});
