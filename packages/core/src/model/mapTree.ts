import { forEachChild, forEachDescendant, type SyntaxNode } from '../syntax/nodes.js';
import { replaceNodes } from '../syntax/walk.js';

// Copies of a syntax tree with some nodes replaced: the nodes are found by the typed walk
// (syntax/nodes.ts), and the copy is syntax/walk.ts's replaceNodes, which shares every part with no
// replacement inside. A tree with nothing to replace is not copied at all.

/**
 * A copy of a syntax tree where `replace` returns a node for a node it replaces (its children are
 * then not visited) or undefined to go on into its children. Unchanged parts are the same objects,
 * so nothing is copied when nothing is replaced.
 */
export function mapTree(root: SyntaxNode, replace: (node: SyntaxNode) => unknown): unknown {
  const replacements = new Map<object, unknown>();
  forEachDescendant(root, (node) => visit(node, replace, replacements));
  if (replacements.has(root)) return replacements.get(root);
  return replacements.size === 0 ? root : replaceNodes(root, replacements);
}

/** `mapTree` of a node's children, the node itself left to the caller. */
export function mapChildren<T extends SyntaxNode>(node: T, replace: (node: SyntaxNode) => unknown): T {
  const replacements = new Map<object, unknown>();
  forEachChild(node, (child) => forEachDescendant(child, (descendant) => visit(descendant, replace, replacements)));
  return replacements.size === 0 ? node : replaceNodes(node, replacements);
}

function visit(node: SyntaxNode, replace: (node: SyntaxNode) => unknown, replacements: Map<object, unknown>): boolean | undefined {
  const replaced = replace(node);
  if (replaced === undefined) return undefined;
  replacements.set(node, replaced);
  return false;
}
