import type { NodeBase } from '../syntax/ast.js';

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

/** Whether `offset` is inside `range` or at its end (a cursor just after a name is on it). */
export function touches(range: NodeBase, offset: number): boolean {
  return range.start <= offset && offset <= range.end;
}
