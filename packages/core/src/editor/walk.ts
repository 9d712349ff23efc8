import type { NodeBase } from '../syntax/ast.js';

/** Whether `offset` is inside `range` or at its end (a cursor just after a name is on it). */
export function touches(range: NodeBase, offset: number): boolean {
  return range.start <= offset && offset <= range.end;
}
