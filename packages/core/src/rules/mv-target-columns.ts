import type { SchemaObject } from '../model/schema.js';
import { SessionCache, sessionStore } from '../session.js';
import type { Asterisk, CreateTableStatement, CreateViewStatement, Expression, Identifier, SelectQuery, SelectStatement } from '../syntax/ast.js';
import { defineRule, type StatementFinding } from './rule.js';

/**
 * An MV inserts its SELECT's columns into the TO table by name. A target column the SELECT does not
 * produce silently gets its default. A SELECT column the target lacks makes ClickHouse refuse the
 * CREATE (code 8, since allow_materialized_view_with_bad_select is off by default); if the target
 * loses the column later, the view silently drops the value.
 */
const rule = defineRule({
  id: 'mv-target-columns',
  severity: 'warning',
  docs: { description: "A materialized view's SELECT and its TO table disagree on column names: rows land with defaults or lose values." },
  messages: {
    missing: {
      message:
        '`{view}` produces no column named `{column}`, so every row it writes to `{target}` gets the default for `{column}`: ClickHouse matches columns by name.',
      help: 'Add `... AS {column}` to the SELECT, or give the target column an explicit DEFAULT if that is intended.',
    },
    missingFromAll: {
      message:
        'None of the materialized views writing to `{target}` ({views}) produces a column named `{column}`, so every row they write gets the default for `{column}`: ClickHouse matches columns by name.',
      help: 'Add `... AS {column}` to the SELECT of the view that should fill it, or give the target column an explicit DEFAULT if that is intended.',
    },
    extra: {
      message:
        '`{column}` is not a column of `{target}` that an insert can write: ClickHouse refuses to create `{view}` (code 8, THERE_IS_NO_COLUMN), and if the column is dropped from `{target}` after the view exists, the view silently drops this value from every row.',
      help: 'Alias the expression to a column of `{target}` (`... AS name`), or add the column to the target.',
    },
  },
  // Whole project: several views may write one target: a column is missing only when no view of the whole
  // schema writes it.
  check(context) {
    const { schema } = context.analysis;
    /** The materialized views writing to each target, in repository order. */
    const writers = new Map<string, { object: SchemaObject; view: CreateViewStatement }[]>();
    for (const object of schema.objects) {
      const view = object.definition;
      if (view.kind !== 'CreateView' || view.viewKind !== 'MATERIALIZED' || !view.to || !view.query) continue;
      const targetId = `${view.to.database?.name ?? object.contextDatabase}.${view.to.name.name}`;
      writers.set(targetId, [...(writers.get(targetId) ?? []), { object, view }]);
    }
    for (const [targetId, views] of writers) {
      const found = context.analysis.graph.objects.get(targetId);
      const target = found?.kind === 'table' ? found : undefined;
      if (target?.definition.kind !== 'CreateTable' || !target.definition.elements) continue;
      // Several views filling one target (often an AggregatingMergeTree, one view per source) each
      // write some of its columns on purpose: a column is missing only when no view writes it, and
      // that is said once, at the first view (issue 19).
      const starOf = (object: SchemaObject) => (star: Asterisk, select: SelectStatement) => starColumns(star, select, object, context.analysis.graph.objects);
      const written = new Set(views.flatMap(({ object, view }) => (view.query && outputColumns(view.query, starOf(object))?.map((o) => o.name)) ?? []));
      const everyOutputKnown = views.every(({ object, view }) => view.query && outputColumns(view.query, starOf(object)));
      views.forEach(({ object, view }, i) => {
        for (const finding of findingsOf(view, object.id, target.definition as CreateTableStatement, targetId, starOf(object))) {
          if (views.length > 1 && finding.messageId === 'missing') {
            const column = String(finding.data?.column);
            if (i > 0 || written.has(column) || !everyOutputKnown) continue;
            context.report({
              file: object.created.file,
              ...finding,
              messageId: 'missingFromAll',
              data: { ...finding.data, views: views.map((v) => `\`${v.object.id}\``).join(', ') },
            });
            continue;
          }
          context.report({ file: object.created.file, ...finding });
        }
      });
    }
  },
});
export default rule;

type Messages = (typeof rule)['messages'];

/**
 * The last findings of each view against its target. An editor lints after every keystroke, and they
 * change only with the view's or the target's definition (new objects when their statements change).
 */
const LAST_FINDINGS = new SessionCache<
  CreateViewStatement,
  { id: string; target: CreateTableStatement; targetId: string; findings: StatementFinding<Messages>[] }
>('rules: mv-target-columns findings by view');

function findingsOf(view: CreateViewStatement, id: string, target: CreateTableStatement, targetId: string, star: StarColumns): StatementFinding<Messages>[] {
  const lastFindings = sessionStore(LAST_FINDINGS);
  const last = lastFindings.get(view);
  // A view that selects `*` depends on its source's columns too: it is compared again every time.
  const cacheable = !hasStar(view);
  if (cacheable && last && last.id === id && last.target === target && last.targetId === targetId) return last.findings;
  const findings = compare(view, id, target, targetId, star);
  if (cacheable) lastFindings.set(view, { id, target, targetId, findings });
  return findings;
}

function compare(view: CreateViewStatement, id: string, target: CreateTableStatement, targetId: string, star: StarColumns): StatementFinding<Messages>[] {
  const findings: StatementFinding<Messages>[] = [];
  const outputs = view.query && outputColumns(view.query, star);
  if (!outputs || !view.to) return findings;
  // MATERIALIZED and ALIAS columns cannot be inserted; EPHEMERAL ones can (they feed other columns' defaults).
  const writable = (target.elements ?? []).filter((e) => e.kind === 'ColumnDefinition' && e.defaultKind !== 'MATERIALIZED' && e.defaultKind !== 'ALIAS');
  const targetNames = new Set(writable.map((e) => (e.kind === 'ColumnDefinition' ? e.name.map((n) => n.name).join('.') : '')));
  const outputNames = new Set(outputs.map((o) => o.name));
  for (const column of writable) {
    if (column.kind !== 'ColumnDefinition') continue;
    const name = column.name.map((n) => n.name).join('.');
    // A column with an explicit DEFAULT (or EPHEMERAL default) is meant to be filled by it (`inserted_at DEFAULT now()`).
    if (outputNames.has(name) || column.defaultKind === 'DEFAULT' || column.defaultKind === 'EPHEMERAL' || isNestedParent(name, outputNames)) continue;
    findings.push({ node: view.to, messageId: 'missing', data: { view: id, column: name, target: targetId } });
  }
  for (const output of outputs) {
    if (!targetNames.has(output.name) && !isNestedParent(output.name, targetNames)) {
      findings.push({ node: output.node, messageId: 'extra', data: { view: id, column: output.name, target: targetId } });
    }
  }
  return findings;
}

/** `n Nested(...)` in one place matches `n.a`, `n.b` in the other. */
function isNestedParent(name: string, names: Set<string>): boolean {
  for (const other of names) if (other.startsWith(`${name}.`) || name.startsWith(`${other}.`)) return true;
  return false;
}

/** The columns a `*` of a SELECT stands for, or undefined when they are not known. */
type StarColumns = (star: Asterisk, select: SelectStatement) => string[] | undefined;

/**
 * The columns `*` (or `t.*`) expands to when the SELECT reads one table the migrations create: its
 * columns but MATERIALIZED, ALIAS and EPHEMERAL ones, as ClickHouse expands it, less EXCEPT.
 */
function starColumns(star: Asterisk, select: SelectStatement, view: SchemaObject, objects: ReadonlyMap<string, SchemaObject>): string[] | undefined {
  const table = select.from?.table;
  if (!table || select.from?.joins.length || table.source.kind !== 'QualifiedName') return undefined;
  const source = table.source;
  const qualifier = star.qualifier.map((q) => q.name).join('.');
  if (qualifier && ![table.alias?.name, source.name.name, `${source.database?.name}.${source.name.name}`].includes(qualifier)) return undefined;
  const found = objects.get(`${source.database?.name ?? view.contextDatabase}.${source.name.name}`);
  if (found?.kind !== 'table' || found.definition.kind !== 'CreateTable' || !found.definition.elements) return undefined;
  if (star.transformers.some((t) => t.transformer !== 'EXCEPT' && t.transformer !== 'REPLACE')) return undefined;
  const except = new Set(
    star.transformers
      .filter((t) => t.transformer === 'EXCEPT')
      .flatMap((t) => t.items.flatMap((i) => (i.kind === 'ColumnRef' ? [i.parts.map((p) => p.name).join('.')] : []))),
  );
  return found.definition.elements.flatMap((e) =>
    e.kind === 'ColumnDefinition' &&
    e.defaultKind !== 'MATERIALIZED' &&
    e.defaultKind !== 'ALIAS' &&
    e.defaultKind !== 'EPHEMERAL' &&
    !except.has(e.name.map((n) => n.name).join('.'))
      ? [e.name.map((n) => n.name).join('.')]
      : [],
  );
}

function hasStar(view: CreateViewStatement): boolean {
  let first: SelectStatement | SelectQuery | undefined = view.query?.selects[0];
  while (first?.kind === 'SelectQuery') first = first.selects[0];
  return !!first?.columns.some((c) => c.kind === 'Asterisk');
}

/** The names of the first SELECT's columns, or undefined when they cannot be known (COLUMNS, `*` over what is not one known table). */
function outputColumns(query: SelectQuery, star: StarColumns): { name: string; node: Expression }[] | undefined {
  let first: SelectStatement | SelectQuery = query.selects[0];
  while (first.kind === 'SelectQuery') first = first.selects[0];
  const qualifiers = tableQualifiers(first);
  const outputs: { name: string; node: Expression }[] = [];
  for (const column of first.columns) {
    if (column.kind === 'AliasExpression') outputs.push({ name: column.alias.name, node: column });
    else if (column.kind === 'ColumnRef') outputs.push({ name: columnName(column.parts, qualifiers), node: column });
    else if (column.kind === 'Asterisk') {
      const names = star(column, first);
      if (!names) return undefined;
      for (const name of names) outputs.push({ name, node: column });
    } else if (column.kind === 'ColumnsMatcher') return undefined;
    // Any other expression is named after its own text (`count()`), which no target column matches.
    else outputs.push({ name: '', node: column });
  }
  return outputs.map((o) => (o.name ? o : { ...o, name: '(unnamed expression)' }));
}

/** Names that qualify a column in the FROM clause: aliases, table names and `db.table`. */
function tableQualifiers(select: SelectStatement): Set<string> {
  const qualifiers = new Set<string>();
  const tables = select.from ? [select.from.table, ...select.from.joins.flatMap((j) => (j.kind === 'JoinClause' ? [j.table] : []))] : [];
  for (const table of tables) {
    if (table.alias) qualifiers.add(table.alias.name);
    if (table.source.kind === 'QualifiedName') {
      qualifiers.add(table.source.name.name);
      if (table.source.database) qualifiers.add(`${table.source.database.name}.${table.source.name.name}`);
    }
  }
  return qualifiers;
}

/**
 * The name ClickHouse gives a selected column: without its table qualifier (`e.user_id` is `user_id`),
 * but with its Nested path (`n.key` and `e.n.key` are `n.key`).
 */
function columnName(identifiers: Identifier[], qualifiers: Set<string>): string {
  const parts = identifiers.map((p) => p.name);
  if (parts.length > 2 && qualifiers.has(`${parts[0]}.${parts[1]}`)) return parts.slice(2).join('.');
  if (parts.length > 1 && qualifiers.has(parts[0])) return parts.slice(1).join('.');
  return parts.join('.');
}
