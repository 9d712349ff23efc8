import type { SyntaxNode } from '../syntax/nodes.js';

/**
 * A copy of a plain-data syntax tree where `replace` returns a node for a node it replaces (its
 * children are then not visited) or undefined to go on into its children. Unchanged parts are the
 * same objects, so nothing is copied when nothing is replaced.
 */
export function mapTree(value: unknown, replace: (node: SyntaxNode) => unknown): unknown {
  if (Array.isArray(value)) {
    let changed = false;
    const items = value.map((item) => {
      const mapped = mapTree(item, replace);
      if (mapped !== item) changed = true;
      return mapped;
    });
    return changed ? items : value;
  }
  if (typeof value !== 'object' || value === null) return value;
  const node = value as { kind?: unknown; start?: unknown };
  if (typeof node.kind === 'string' && typeof node.start === 'number') {
    const replaced = replace(value as SyntaxNode);
    if (replaced !== undefined) return replaced;
  }
  return mapChildren(value, replace);
}

/** `mapTree` of a node's children, the node itself left to the caller. */
export function mapChildren(value: object, replace: (node: SyntaxNode) => unknown): object {
  let copy: Record<string, unknown> | undefined;
  // `for...in`, not Object.entries: syntax nodes are plain objects, and an array of entries per node
  // was most of the cost of the model's walks.
  for (const key in value) {
    const child = (value as Record<string, unknown>)[key];
    if (typeof child !== 'object' || child === null) continue;
    const mapped = mapTree(child, replace);
    if (mapped !== child) {
      copy ??= { ...(value as Record<string, unknown>) };
      copy[key] = mapped;
    }
  }
  return copy ?? value;
}
