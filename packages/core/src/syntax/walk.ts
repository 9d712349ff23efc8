import type { NodeBase } from './ast.js';

/** A node of the syntax tree: anything with a `kind` and offsets. */
export interface SyntaxNode extends NodeBase {
  kind: string;
}

export function isSyntaxNode(value: unknown): value is SyntaxNode {
  return typeof value === 'object' && value !== null && typeof (value as SyntaxNode).kind === 'string' && typeof (value as SyntaxNode).start === 'number';
}

/**
 * Calls `visit` on `root` and every syntax node under it, parents before children. The tree is
 * plain data, so every property is walked: a new node kind needs no change here. `visit` returning
 * false skips that node's children.
 */
export function forEachNode(root: unknown, visit: (node: SyntaxNode) => boolean | undefined): void {
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) walk(item);
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    if (isSyntaxNode(value) && visit(value) === false) return;
    for (const key in value) {
      const child = (value as Record<string, unknown>)[key];
      if (typeof child === 'object' && child !== null) walk(child);
    }
  };
  walk(root);
}

/**
 * A copy of `root` in which every node that `replace` maps is swapped for its replacement; the
 * parts of the tree with no replacement inside are shared, not copied.
 */
export function replaceNodes<T>(root: T, replace: ReadonlyMap<object, unknown>): T {
  const copy = (value: unknown): unknown => {
    if (typeof value !== 'object' || value === null) return value;
    if (replace.has(value)) return replace.get(value);
    if (Array.isArray(value)) {
      const items = value.map(copy);
      return items.some((item, i) => item !== value[i]) ? items : value;
    }
    let changed: Record<string, unknown> | undefined;
    for (const key in value) {
      const child = (value as Record<string, unknown>)[key];
      const replaced = copy(child);
      if (replaced !== child) {
        changed ??= { ...(value as Record<string, unknown>) };
        changed[key] = replaced;
      }
    }
    return changed ?? value;
  };
  return copy(root) as T;
}
