import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { forEachDescendant, type SyntaxNode } from './nodes.js';
import { parseSql } from './parser.js';

// `forEachChild` lists each kind's children by hand; this checks the list against the tree itself:
// over every SQL file of the repository's fixtures (the conformance corpus included), the typed
// walk reaches exactly the nodes a walk over every property reaches, each once.

const FIXTURES = new URL('../../../../fixtures/', import.meta.url).pathname;

function sqlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sqlFiles(path);
    return entry.name.endsWith('.sql') ? [path] : [];
  });
}

/** Every object with a string `kind` and a numeric `start` under `root`, found by walking every property. */
function reflectiveNodes(root: unknown): Set<object> {
  const found = new Set<object>();
  const walk = (value: unknown): void => {
    if (typeof value !== 'object' || value === null) return;
    if (Array.isArray(value)) {
      for (const item of value) walk(item);
      return;
    }
    const record = value as Record<string, unknown>;
    if (typeof record.kind === 'string' && typeof record.start === 'number') found.add(value);
    for (const child of Object.values(record)) walk(child);
  };
  walk(root);
  return found;
}

function typedNodes(root: SyntaxNode): { nodes: Set<object>; visits: number } {
  const nodes = new Set<object>();
  let visits = 0;
  forEachDescendant(root, (node) => {
    nodes.add(node);
    visits++;
    return undefined;
  });
  return { nodes, visits };
}

describe('forEachChild', () => {
  const files = sqlFiles(FIXTURES).sort();

  it('has SQL to check against', () => {
    expect(files.length).toBeGreaterThan(50);
  });

  it.each(files.map((path) => [path.slice(FIXTURES.length)]))('reaches every node of %s once', (relative) => {
    const { statements } = parseSql(readFileSync(join(FIXTURES, relative), 'utf8'));
    const missed: string[] = [];
    for (const statement of statements) {
      const expected = reflectiveNodes(statement);
      const { nodes, visits } = typedNodes(statement);
      expect(visits).toBe(nodes.size);
      for (const node of expected) if (!nodes.has(node)) missed.push(`${statement.kind} > ${(node as SyntaxNode).kind}`);
      for (const node of nodes) expect(expected.has(node)).toBe(true);
    }
    expect([...new Set(missed)]).toEqual([]);
  });
});
