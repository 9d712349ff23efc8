import type { AlterAction, Expression, Literal, PartitionSpec, QueryParameter } from './ast.js';
import { parseExpression, parseQueryParameter } from './expressions.js';
import { parseString } from './literals.js';
import type { Parser } from './parser.js';

type PartitionOperation = Extract<AlterAction, { kind: 'PartitionOperation' }>;

/**
 * `PARTITION value`, `PARTITION ID 'id'` or `PARTITION ALL`, at PARTITION. ClickHouse's
 * `ParserPartition` takes a value only if it is a literal, a tuple, a cast of a literal or a query
 * parameter: `PARTITION toYYYYMM(d)` and `PARTITION 1 + 1` are syntax errors, not expressions.
 */
export function parsePartitionSpec(p: Parser): PartitionSpec {
  const start = p.tokenStart;
  p.expectWord('PARTITION');
  if (p.acceptWord('ID')) return { kind: 'PartitionId', id: parseNameString(p, 'a partition ID string'), start, end: p.lastEnd };
  if (p.acceptWord('ALL')) return { kind: 'PartitionAll', start, end: p.lastEnd };
  const first = p.index;
  const expression = parseExpression(p);
  if (!isPartitionValue(expression)) {
    return p.fail(
      'Expected a partition value: a literal, a tuple or a cast of a literal',
      'Write the value of the partition key, such as `202401` or `(2024, 1)`.',
      first,
    );
  }
  return { kind: 'Partition', expression, start, end: p.lastEnd };
}

/** `PART 'name'` or, in ALTER, `PART {p:String}`, at PART. */
export function parsePartSpec(p: Parser, options: { parameter: boolean } = { parameter: true }): PartitionSpec {
  const start = p.tokenStart;
  p.expectWord('PART');
  // CHECK TABLE t PART takes a string literal only, as in ClickHouse.
  const name = options.parameter ? parseNameString(p, 'a part name string') : parseString(p, 'a part name string');
  return { kind: 'Part', name, start, end: p.lastEnd };
}

/** `IN PARTITION spec` when present. */
export function parseInPartition(p: Parser): PartitionSpec | undefined {
  if (!p.acceptWord('IN')) return undefined;
  return parsePartitionSpec(p);
}

/** Sets `partition` from `IN PARTITION spec` when present, and the end. */
export function withInPartition<T extends { partition?: PartitionSpec; end: number }>(node: T, p: Parser): T {
  const partition = parseInPartition(p);
  if (partition) node.partition = partition;
  node.end = p.lastEnd;
  return node;
}

/** Part names and partition IDs are strings, or query parameters (`{part:String}`). */
function parseNameString(p: Parser, what: string): Literal | QueryParameter {
  if (p.at('LBrace')) return parseQueryParameter(p);
  return parseString(p, what);
}

function isPartitionValue(expression: Expression): boolean {
  switch (expression.kind) {
    case 'Literal':
    case 'QueryParameter':
    case 'TupleExpression':
      return true;
    case 'ArrayExpression':
      return isConstant(expression);
    case 'CastExpression':
      return isCastOperand(expression.expression);
    case 'FunctionCall': {
      if (expression.syntax || expression.parameters || expression.over) return false;
      const name = expression.name.name;
      if (name === 'tuple') return true;
      const isCast = name === '_CAST' || name.toUpperCase() === 'CAST';
      return isCast && expression.arguments.length === 2 && isCastOperand(expression.arguments[0]);
    }
    default:
      return false;
  }
}

function isCastOperand(expression: Expression): boolean {
  if (expression.kind === 'Literal' || expression.kind === 'TupleExpression') return true;
  return expression.kind === 'FunctionCall' && expression.name.name === 'tuple';
}

/** A literal as ClickHouse's parser folds it: numbers, strings, and arrays or tuples of them. */
function isConstant(expression: Expression): boolean {
  if (expression.kind === 'Literal') return true;
  if (expression.kind === 'ArrayExpression' || expression.kind === 'TupleExpression') return expression.elements.every(isConstant);
  return false;
}

// ---------------------------------------------------------------- partition commands

function operation(start: number, name: string, partition?: PartitionSpec): PartitionOperation {
  const node: PartitionOperation = { kind: 'PartitionOperation', operation: name, start, end: start };
  if (partition) node.partition = partition;
  return node;
}

function finish(p: Parser, node: PartitionOperation): PartitionOperation {
  node.end = p.lastEnd;
  return node;
}

/** `DROP|DETACH|FORGET PARTITION spec`, `DROP|DETACH PART 'name'`, `DROP DETACHED PARTITION|PART ...`, at the verb. */
export function parseDropPartition(p: Parser, start: number): PartitionOperation {
  const verb = p.word();
  p.next();
  const detached = verb === 'DROP' && p.acceptWord('DETACHED');
  const prefix = detached ? 'DROP DETACHED' : verb;
  if (p.atWord('PART') && verb !== 'FORGET') return finish(p, operation(start, `${prefix} PART`, parsePartSpec(p)));
  return finish(p, operation(start, `${prefix} PARTITION`, parsePartitionSpec(p)));
}

/** `ATTACH PARTITION spec [FROM table]`, `ATTACH PART 'name' [FROM 'path']`, at ATTACH. */
export function parseAttachPartition(p: Parser, start: number): PartitionOperation {
  p.expectWord('ATTACH');
  if (p.atWord('PART')) {
    const node = operation(start, 'ATTACH PART', parsePartSpec(p));
    if (p.acceptWord('FROM')) node.fromPath = parseString(p, 'a path string');
    return finish(p, node);
  }
  const node = operation(start, 'ATTACH PARTITION', parsePartitionSpec(p));
  if (p.acceptWord('FROM')) {
    node.operation = 'ATTACH PARTITION FROM';
    node.fromTable = p.qualifiedName('the source table');
  }
  return finish(p, node);
}

/** `REPLACE PARTITION spec FROM table`, at REPLACE. */
export function parseReplacePartition(p: Parser, start: number): PartitionOperation {
  p.expectWord('REPLACE');
  const node = operation(start, 'REPLACE PARTITION', parsePartitionSpec(p));
  p.expectWord('FROM');
  node.fromTable = p.qualifiedName('the source table');
  return finish(p, node);
}

/** `MOVE PARTITION spec TO TABLE t | TO DISK 'd' | TO VOLUME 'v'`, `MOVE PART 'name' TO DISK|VOLUME|SHARD '...'`, at MOVE. */
export function parseMovePartition(p: Parser, start: number): PartitionOperation {
  p.expectWord('MOVE');
  const isPart = p.atWord('PART');
  const node = operation(start, isPart ? 'MOVE PART' : 'MOVE PARTITION', isPart ? parsePartSpec(p) : parsePartitionSpec(p));
  p.expectWord('TO');
  const target = p.word();
  const targets = isPart ? ['DISK', 'VOLUME', 'SHARD'] : ['DISK', 'VOLUME', 'TABLE'];
  if (!targets.includes(target)) return p.fail(`Expected ${targets.map((t) => `\`TO ${t}\``).join(', ')}`);
  p.next();
  node.operation += ` TO ${target}`;
  if (target === 'TABLE') node.toTable = p.qualifiedName('the destination table');
  else node.destination = parseString(p, `a ${target.toLowerCase()} name string`);
  return finish(p, node);
}

/** `FETCH PARTITION spec FROM 'path'`, `FETCH PART 'name' FROM 'path'`, at FETCH. */
export function parseFetchPartition(p: Parser, start: number): PartitionOperation {
  p.expectWord('FETCH');
  const isPart = p.atWord('PART');
  const node = operation(start, isPart ? 'FETCH PART' : 'FETCH PARTITION', isPart ? parsePartSpec(p) : parsePartitionSpec(p));
  p.expectWord('FROM');
  node.fromPath = parseString(p, 'a ZooKeeper path string');
  return finish(p, node);
}

/** `FREEZE [PARTITION spec] [WITH NAME 'n']`, `UNFREEZE [PARTITION spec] WITH NAME 'n'`, at the verb. */
export function parseFreeze(p: Parser, start: number): PartitionOperation {
  const verb = p.word();
  p.next();
  const node = operation(start, verb);
  if (p.atWord('PARTITION')) {
    node.operation = `${verb} PARTITION`;
    node.partition = parsePartitionSpec(p);
  }
  // UNFREEZE needs the backup name: without it ClickHouse would not know which backup to remove.
  if (verb === 'UNFREEZE' || p.atWord('WITH')) {
    p.expectWord('WITH');
    p.expectWord('NAME');
    node.withName = parseString(p, 'a backup name string');
  }
  return finish(p, node);
}
