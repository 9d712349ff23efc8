import { isDeepStrictEqual } from 'node:util';
import { query, queryBind } from 'chdb';
import type { FunctionCall, Statement } from '../ast.js';
import { parseSql } from '../parser.js';
import { printStatement } from '../printer.js';

// Test support: ClickHouse (chDB, in-process) as the oracle for the printer. Not used by the product.
// `comparable` walks every property on purpose: an oracle independent of nodes.ts's forEachChild.

/** As in conformance.test.ts: chDB turns implicit_select on; a server applying migrations has it off. */
const PARSER_SETTINGS = 'SETTINGS implicit_select = 0';

/** ClickHouse's single-line form of each text (`formatQuerySingleLine`), or null where it rejects the text. One query for all. */
export function formatAll(texts: string[]): (string | null)[] {
  const result = queryBind(
    `SELECT arrayMap(q -> formatQuerySingleLineOrNull(q), JSONExtract({texts:String}, 'Array(String)')) AS formatted ${PARSER_SETTINGS}`,
    { texts: JSON.stringify(texts) },
    'JSONEachRow',
  );
  return JSON.parse(result).formatted;
}

/** ClickHouse's tree of a statement (`EXPLAIN AST`): operators as functions, no trace of parentheses. */
export function explainAst(sql: string): string {
  return query(`EXPLAIN AST ${sql}`, 'TSVRaw');
}

/** The text without `(` and `)` outside string literals and quoted names. */
function withoutParentheses(text: string): string {
  return text.replace(/'(?:[^'\\]|\\.)*'|`(?:[^`\\]|\\.)*`|[()]/g, (token) => (token === '(' || token === ')' ? '' : token));
}

/**
 * The tree without what printing does not keep: offsets, whether a name was quoted, whether an alias
 * had AS. The printer writes `NOT (a = b)`, which ClickHouse reads as the operator and ClickPlan's
 * parser as a call of `not`; a one-argument call of `not` counts as the operator here.
 */
export function comparable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(comparable);
  if (node === null || typeof node !== 'object') return node;
  const call = node as Partial<FunctionCall>;
  if (call.kind === 'FunctionCall' && call.name?.name.toUpperCase() === 'NOT' && !call.name.quoted && call.arguments?.length === 1 && !call.distinct) {
    return { kind: 'UnaryExpression', operator: 'NOT', operand: comparable(call.arguments[0]) };
  }
  const skipped = new Set(['start', 'end', 'quoted', 'explicit']);
  return Object.fromEntries(Object.entries(node).flatMap(([key, value]) => (skipped.has(key) ? [] : [[key, comparable(value)]])));
}

/** How ClickHouse reads the printed SQL against the original. */
export type Agreement = 'same' | 'same up to parentheses' | 'different' | 'rejected';

/**
 * Compares ClickHouse's formatting of the printed SQL with that of the original. ClickHouse 26 keeps
 * the parentheses written in the source (`ORDER BY (a)` stays `(a)`), which the syntax tree does not
 * record; texts that differ only in parentheses are compared by `EXPLAIN AST`, where they leave no trace.
 */
export function agreement(original: { sql: string; formatted: string }, printed: { sql: string; formatted: string | null }): Agreement {
  if (printed.formatted === null) return 'rejected';
  if (printed.formatted === original.formatted) return 'same';
  const sameText = withoutParentheses(printed.formatted) === withoutParentheses(original.formatted);
  return sameText && explainAst(printed.sql) === explainAst(original.sql) ? 'same up to parentheses' : 'different';
}

/**
 * What the parser makes of the printed SQL: undefined when it reads back as one statement of the same
 * tree (`comparable`) that prints the same again, else the problem.
 */
export function readBackProblem(statement: Statement, printed: string): string | undefined {
  const { statements, diagnostics } = parseSql(printed);
  if (diagnostics.length > 0) return `the printed SQL does not parse: ${diagnostics[0].message}`;
  if (statements.length !== 1 || statements[0].kind !== statement.kind) return `the printed SQL parses as ${statements.map((s) => s.kind).join(', ')}`;
  const again = printStatement(statements[0]);
  if (again !== printed) return `printing is not a fixpoint; printed again:\n${again}`;
  if (!isDeepStrictEqual(comparable(statements[0]), comparable(statement))) return 'the printed SQL parses into a different tree';
  return undefined;
}
