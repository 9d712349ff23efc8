import { SessionCache, sessionStore } from '../session.js';
import type { CreateFunctionStatement, Expression, FunctionCall, Identifier, NodeBase } from '../syntax/ast.js';
import { rangedNodesOf } from '../syntax/incremental.js';
import { forEachDescendant, type SyntaxNode } from '../syntax/nodes.js';
import { mapChildren, mapTree } from './mapTree.js';

// ClickHouse inlines SQL user-defined functions when it creates an object: after
// `CREATE FUNCTION normalize_path AS (p) -> lower(p)`, a column `MATERIALIZED normalize_path(url)`
// is stored as `MATERIALIZED lower(url)`, and so are defaults, TTLs, indexes, projections, keys,
// engine arguments, view and MV queries (chDB 26.7, `system.tables.create_table_query`). The body
// is the one current at that CREATE or ALTER: a later `CREATE OR REPLACE FUNCTION` leaves stored
// objects as they are. Dictionaries keep the call (their attribute expressions are not inlined).

/** The SQL function current at this point of the replay, by its case-sensitive name (as ClickHouse looks it up). */
export type FunctionLookup = (name: string) => CreateFunctionStatement | undefined;

/**
 * The statement (or any syntax subtree) with every SQL UDF call replaced by the function's body, its
 * parameters replaced by the call's arguments, as ClickHouse stores it. Functions called by a body
 * are inlined with their own current bodies. Nodes that came from a body take the call's range, so
 * anything pointing at them points at the call. Returns the same object when nothing is inlined,
 * and the same result as last time while the functions it uses are the same.
 */
export function inlineUserFunctions<T extends SyntaxNode>(node: T, lookup: FunctionLookup): T {
  const inlined = sessionStore(INLINED);
  let entry = inlined.get(node);
  if (!entry) inlined.set(node, (entry = { names: calledNames(node) }));
  const used = usedFunctions(entry.names, lookup);
  if (used.size === 0) return node;
  const last = entry.last;
  const start = (node as Partial<NodeBase>).start;
  if (last && last.start === start && last.used.size === used.size && [...used].every(([name, fn]) => last.used.get(name) === fn)) return last.result as T;
  const result = new Inliner(lookup).node(node, new Set()) as T;
  entry.last = { used, start, result };
  return result;
}

/**
 * Per statement: the function names it calls, and the last inlining with the function definitions it
 * used. An editor replays every statement after each keystroke: the statement keeps its identity,
 * and so does its inlined form, with everything cached by it downstream — while the statement has
 * not moved (the incremental parse shifts a moved statement's nodes in place, not the copies made here).
 */
const INLINED = new SessionCache<
  object,
  { names: Set<string>; last?: { used: Map<string, CreateFunctionStatement>; start: number | undefined; result: object } }
>('model: SQL UDF calls inlined');

/** The names of the functions a statement calls (built-in or not), as written. */
export function calledFunctionNames(node: SyntaxNode): ReadonlySet<string> {
  const inlined = sessionStore(INLINED);
  let entry = inlined.get(node);
  if (!entry) inlined.set(node, (entry = { names: calledNames(node) }));
  return entry.names;
}

/** The UDFs a set of called names uses, following calls inside their bodies. */
function usedFunctions(names: Iterable<string>, lookup: FunctionLookup): Map<string, CreateFunctionStatement> {
  const used = new Map<string, CreateFunctionStatement>();
  const pending = [...names];
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    const fn = used.has(name) ? undefined : lookup(name);
    if (!fn) continue;
    used.set(name, fn);
    pending.push(...calledNames(fn.lambda));
  }
  return used;
}

function calledNames(root: SyntaxNode): Set<string> {
  const names = new Set<string>();
  forEachDescendant(root, (node) => {
    if (node.kind === 'FunctionCall') names.add(node.name.name);
    return undefined;
  });
  return names;
}

class Inliner {
  constructor(private readonly lookup: FunctionLookup) {}

  /** A copy of `value` with calls inlined; unchanged parts are shared. `expanding` guards against a function calling itself. */
  node(value: SyntaxNode, expanding: ReadonlySet<string>): unknown {
    return mapTree(value, (node) => (node.kind === 'FunctionCall' ? this.call(node, expanding) : undefined));
  }

  private call(call: FunctionCall, expanding: ReadonlySet<string>): Expression {
    // Arguments (and any OVER, FILTER, parameters) first: ClickHouse inlines from the inside out.
    const inner = mapChildren(call, (node) => (node.kind === 'FunctionCall' ? this.call(node, expanding) : undefined));
    const lambda = this.lookup(call.name.name)?.lambda;
    const isInlined =
      lambda?.kind === 'LambdaExpression' &&
      lambda.parameters.length === inner.arguments.length &&
      !expanding.has(call.name.name) &&
      !call.parameters &&
      !call.over &&
      !call.filter &&
      !call.distinct &&
      !call.syntax;
    if (!isInlined) return inner;
    const body = this.node(atRange(lambda.body, call), new Set([...expanding, call.name.name])) as Expression;
    return substitute(body, lambda.parameters, inner.arguments);
  }
}

/**
 * The body with each parameter replaced by its argument. ClickHouse replaces every identifier of
 * that name, lambda parameters inside the body included: with `(x) -> arrayMap(x -> x + 1, [x])`,
 * `f(n)` is stored as `arrayMap(n -> (n + 1), [n])`.
 */
function substitute(body: Expression, parameters: Identifier[], args: Expression[]): Expression {
  const argumentOf = new Map(parameters.map((p, i) => [p.name, args[i]]));
  return mapTree(body, (node) => {
    if (node.kind === 'ColumnRef') {
      const parts = node.parts;
      return parts.length === 1 ? argumentOf.get(parts[0].name) : undefined;
    }
    if (node.kind === 'LambdaExpression') {
      const lambda = node;
      const renamed = lambda.parameters.map((p) => {
        const arg = argumentOf.get(p.name);
        return arg?.kind === 'ColumnRef' && arg.parts.length === 1 ? { ...p, name: arg.parts[0].name } : p;
      });
      return { ...lambda, parameters: renamed, body: substitute(lambda.body, parameters, args) };
    }
    return undefined;
  }) as Expression;
}

/** A copy of a subtree with every node (and every other part with offsets) at `range`. */
function atRange<T extends SyntaxNode>(node: T, range: NodeBase): T {
  const copy = structuredClone(node);
  for (const ranged of rangedNodesOf(copy)) {
    ranged.start = range.start;
    ranged.end = range.end;
  }
  return copy;
}
