import { bindQuery } from '../bind/binder.js';
import type { Statement } from '../syntax/ast.js';
import { qualifiedId } from './qualifiedId.js';
import { objectKey } from './schema.js';
import { calledFunctionNames } from './userFunctions.js';

// A declarative layout's files describe one desired state: their order on disk means nothing, so
// the replay must not depend on it. A statement whose effect depends on another is replayed after
// it: `CREATE TABLE x AS y` after y is created and altered (it copies y's columns), a statement
// that calls a SQL UDF after the function is created (its body is inlined), an ALTER after the
// CREATE of its table, a view without TO after the tables it reads (it stores their column types).
// Everything else keeps the order of the files.

/** One statement of a declarative file, with the database its unqualified names mean (the USE in effect). */
export interface PlacedStatement {
  file: string;
  statement: Statement;
  database: string;
}

/**
 * The statements in an order where each comes after what it depends on, otherwise in their given
 * order (a stable topological sort). Statements in a cycle (which ClickHouse would refuse in any
 * order) keep their given order after the rest.
 */
export function dependencyOrder(statements: readonly PlacedStatement[]): PlacedStatement[] {
  const creators = new Map<string, number[]>();
  const changers = new Map<string, number[]>();
  const add = (map: Map<string, number[]>, key: string, index: number) => {
    const list = map.get(key);
    if (list) list.push(index);
    else map.set(key, [index]);
  };
  statements.forEach(({ statement, database }, index) => {
    if (statement.kind === 'CreateTable' || statement.kind === 'CreateView' || statement.kind === 'CreateDictionary')
      add(creators, qualifiedId(statement.name, database).tableKey, index);
    else if (statement.kind === 'CreateFunction') add(creators, objectKey('function', statement.name.name), index);
    else if (statement.kind === 'AlterTable') add(changers, qualifiedId(statement.table, database).tableKey, index);
  });
  const hasFunctions = [...creators.keys()].some((k) => k.startsWith('function:'));

  const needs = statements.map(({ statement, database }) => {
    const before: number[] = [];
    if (statement.kind === 'CreateTable' && statement.asTable && !statement.elements) {
      const source = qualifiedId(statement.asTable, database).tableKey;
      before.push(...(creators.get(source) ?? []), ...(changers.get(source) ?? []));
    }
    if (statement.kind === 'AlterTable') before.push(...(creators.get(qualifiedId(statement.table, database).tableKey) ?? []));
    // A view without TO stores the column types of what it reads at CREATE: after its sources are created and altered.
    if (statement.kind === 'CreateView' && !statement.to && statement.query)
      for (const reference of bindQuery(statement.query, { database }).references) {
        if (reference.kind !== 'table') continue;
        const source = objectKey('table', `${reference.database ?? database}.${reference.name}`);
        before.push(...(creators.get(source) ?? []), ...(changers.get(source) ?? []));
      }
    if (hasFunctions && (statement.kind === 'CreateTable' || statement.kind === 'CreateView' || statement.kind === 'AlterTable'))
      for (const name of calledFunctionNames(statement)) before.push(...(creators.get(objectKey('function', name)) ?? []));
    return before;
  });

  const waiting = needs.map((list, index) => list.filter((n) => n !== index).length);
  const dependents: number[][] = statements.map(() => []);
  needs.forEach((list, index) => {
    for (const n of list) if (n !== index) dependents[n].push(index);
  });
  const ready = new MinHeap();
  waiting.forEach((count, index) => {
    if (count === 0) ready.push(index);
  });
  const order: number[] = [];
  const placed = new Set<number>();
  for (let next = ready.pop(); next !== undefined; next = ready.pop()) {
    order.push(next);
    placed.add(next);
    for (const d of dependents[next]) if (--waiting[d] === 0) ready.push(d);
  }
  for (let index = 0; index < statements.length; index++) if (!placed.has(index)) order.push(index);
  return order.map((index) => statements[index]);
}

/** The smallest index first: statements free to run keep the files' order. */
class MinHeap {
  private readonly items: number[] = [];

  push(value: number): void {
    const items = this.items;
    items.push(value);
    for (let i = items.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (items[parent] <= items[i]) break;
      [items[parent], items[i]] = [items[i], items[parent]];
      i = parent;
    }
  }

  pop(): number | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last !== undefined) {
      items[0] = last;
      for (let i = 0; ; ) {
        const [l, r] = [2 * i + 1, 2 * i + 2];
        let smallest = i;
        if (l < items.length && items[l] < items[smallest]) smallest = l;
        if (r < items.length && items[r] < items[smallest]) smallest = r;
        if (smallest === i) break;
        [items[smallest], items[i]] = [items[i], items[smallest]];
        i = smallest;
      }
    }
    return top;
  }
}
