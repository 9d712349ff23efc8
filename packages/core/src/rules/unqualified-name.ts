import type { Range } from '../diagnostics.js';
import { collectExpressionReferences, collectQueryReferences, type TableReference } from '../graph/references.js';
import type { AlterAction, Expression, QualifiedName, SelectQuery, Statement, TableElement } from '../syntax/ast.js';
import { quoteIdentifier } from '../syntax/printer/text.js';
import { defineRule } from './rule.js';
import { timelineOf } from './schemaAt.js';
import { isBareName } from './statementEdits.js';

/**
 * An unqualified name means the database the session is in when the statement runs: the USE before
 * it, or the connection's default database. ClickHouse resolves the names of a view's query
 * (dictGet names included) at CREATE and stores them qualified, so a deploy that connects with
 * another default creates objects elsewhere, or views that read another database, for good. Off
 * unless `qualifiedNames: true`; a tenant's files of the environment layout are written unqualified
 * on purpose (they run once per tenant database) and are not judged.
 */
export default defineRule({
  id: 'unqualified-name',
  severity: 'warning',
  docs: { description: 'A table, view or dictionary name without its database, where clickplan.yaml asks for qualified names (qualifiedNames: true).' },
  messages: {
    unqualified: {
      message:
        '`{name}` has no database, but clickplan.yaml asks for qualified names: it means `{database}.{name}` only while the session is in `{database}`, so a deploy that connects with another default database reads or changes another object (and a view stores the name resolved at CREATE).',
      help: 'Write `{database}.{name}`.',
    },
  },
  fixes: { qualify: 'Qualify as {qualified}' },
  create(context) {
    if (!context.project.qualifiedNames) return {};
    const timeline = timelineOf(context);
    const tenantFiles = new Set(context.analysis.files.filter((f) => f.defaultDatabase !== undefined).map((f) => f.file));
    // Temporary tables live outside any database: their names are unqualified by necessity.
    const temporary = new Set<string>();
    return {
      Statement(statement, { file, index }) {
        if (statement.kind === 'CreateTable' && statement.temporary) temporary.add(statement.name.name.name);
        if (tenantFiles.has(file)) return;
        for (const { name, range } of unqualifiedNamesOf(statement)) {
          if (temporary.has(name)) continue;
          const database = timeline.databaseAt(index);
          context.report({
            file,
            node: range,
            messageId: 'unqualified',
            data: { name, database },
            fix: {
              messageId: 'qualify',
              data: { qualified: `${quoteIdentifier(database)}.${quoteIdentifier(name)}` },
              fix: (fixer) =>
                isBareName(fixer.text, range) ? fixer.replace(range, `${quoteIdentifier(database)}.${fixer.text.slice(range.start, range.end)}`) : undefined,
            },
          });
        }
      },
    };
  },
});

interface NameUse {
  name: string;
  range: Range;
}

/** Names of tables, views and dictionaries a statement writes without a database, in source order. */
function unqualifiedNamesOf(statement: Statement): NameUse[] {
  const found: NameUse[] = [];
  const name = (node: QualifiedName | undefined) => {
    if (node && !node.database) found.push({ name: node.name.name, range: node });
  };
  const references = (refs: TableReference[]) => {
    // A table function's arguments name remote tables or take any expression: not judged.
    for (const r of refs) if (r.database === undefined && r.kind !== 'table-function') found.push({ name: r.name, range: r.range });
  };
  const query = (q: SelectQuery | undefined) => {
    if (!q) return;
    const refs = collectQueryReferences(q);
    references([...(refs.trigger ? [refs.trigger] : []), ...refs.reads]);
  };
  const expression = (e: Expression | undefined) => {
    if (e) references(collectExpressionReferences(e));
  };
  const elements = (list: TableElement[] | undefined) => {
    for (const element of list ?? []) if (element.kind === 'ColumnDefinition') expression(element.defaultExpression);
  };
  switch (statement.kind) {
    case 'CreateTable':
      if (statement.temporary) break;
      name(statement.name);
      name(statement.asTable);
      elements(statement.elements);
      query(statement.asSelect);
      break;
    case 'CreateView':
      name(statement.name);
      name(statement.to);
      for (const d of statement.refresh?.dependsOn ?? []) name(d);
      elements(statement.elements);
      query(statement.query);
      break;
    case 'CreateDictionary':
      name(statement.name);
      break;
    case 'AlterTable':
      if (statement.temporary) break;
      name(statement.table);
      for (const action of statement.actions) alterNames(action, { name, query, expression });
      break;
    case 'Drop':
      if (!statement.temporary && ['TABLE', 'VIEW', 'DICTIONARY'].includes(statement.objectKind)) for (const n of statement.names) name(n);
      break;
    case 'Rename':
    case 'Exchange':
      if (statement.objectKind !== 'DATABASE')
        for (const pair of statement.pairs) {
          name(pair.from);
          name(pair.to);
        }
      break;
    case 'Truncate':
      if (statement.objectKind === 'TABLE') name(statement.name);
      break;
    case 'Attach':
      if (['TABLE', 'VIEW', 'DICTIONARY'].includes(statement.objectKind)) name(statement.name);
      break;
    case 'Optimize':
      name(statement.table);
      break;
    case 'Insert':
      name(statement.table);
      query(statement.select);
      break;
    case 'Delete':
    case 'Update':
      name(statement.table);
      expression(statement.where);
      break;
    case 'SelectStatement':
      query(statement.query);
      break;
  }
  return found.sort((a, b) => a.range.start - b.range.start);
}

/** Names inside one ALTER action: a new query, a column DEFAULT's dictGet, the other table of a partition operation. */
function alterNames(
  action: AlterAction,
  visit: { name: (n: QualifiedName | undefined) => void; query: (q: SelectQuery) => void; expression: (e: Expression | undefined) => void },
): void {
  switch (action.kind) {
    case 'ModifyQuery':
      visit.query(action.query);
      break;
    case 'AddColumn':
    case 'ModifyColumn':
      visit.expression(action.column.defaultExpression);
      break;
    case 'ModifyRefresh':
      for (const d of action.refresh.dependsOn) visit.name(d);
      break;
    case 'PartitionOperation':
      visit.name(action.fromTable);
      visit.name(action.toTable);
      break;
    case 'Update':
    case 'Delete':
      visit.expression(action.where);
      break;
  }
}
