// The generator's cases as plain data: every array element and every optional field can be removed
// by the shrinker, and `renderScene` turns what is left into SQL. Names in expressions are written
// with placeholders: `@db` (the case's database) and `@fn` (the case's prefix for functions, which
// ClickHouse keeps in one global namespace).

export interface ColumnSpec {
  name: string;
  type: string;
  defaultKind?: 'DEFAULT' | 'MATERIALIZED' | 'ALIAS' | 'EPHEMERAL';
  defaultExpr?: string;
  codec?: string;
  comment?: string;
  ttl?: string;
}

export interface TableSpec {
  kind: 'table';
  name: string;
  columns: ColumnSpec[];
  /** Rendered element texts: `INDEX i x TYPE minmax GRANULARITY 2`, `PROJECTION p (...)`, `CONSTRAINT c CHECK ...`. */
  indexes?: string[];
  projections?: string[];
  constraints?: string[];
  engine: string;
  /** `CREATE TABLE name AS <asTable>`: the columns come from that table. */
  asTable?: string;
  partitionBy?: string;
  primaryKey?: string;
  orderBy?: string;
  sampleBy?: string;
  ttl?: string;
  settings?: string[];
  comment?: string;
}

export interface ViewSpec {
  kind: 'view';
  name: string;
  query: string;
  comment?: string;
}

export interface MaterializedViewSpec {
  kind: 'mv';
  name: string;
  query: string;
  to?: string;
  /** ENGINE and its clauses for an MV without TO. */
  engine?: string;
  refresh?: string;
  comment?: string;
}

export interface DictionarySpec {
  kind: 'dictionary';
  name: string;
  attributes: string[];
  primaryKey: string;
  source: string;
  layout: string;
  lifetime: string;
  range?: string;
  settings?: string;
  comment?: string;
}

export interface FunctionSpec {
  kind: 'function';
  name: string;
  lambda: string;
}

export type ObjectSpec = TableSpec | ViewSpec | MaterializedViewSpec | DictionarySpec | FunctionSpec;

/** One edit of a scene; `lossless` says the change keeps every row and value. */
export interface EditSpec {
  op: string;
  object: string;
  args: Record<string, string>;
}

export interface SceneSpec {
  objects: ObjectSpec[];
}

/** The placeholders of a case. */
export interface RenderContext {
  database: string;
  functionPrefix: string;
}

export function substitute(text: string, context: RenderContext): string {
  return text.replace(/@db\b/g, context.database).replace(/@fn/g, context.functionPrefix);
}

export function renderObject(object: ObjectSpec, context: RenderContext): string {
  const sql = renderRaw(object);
  return substitute(sql, context);
}

export function renderColumn(c: ColumnSpec): string {
  let text = `${c.name} ${c.type}`;
  if (c.defaultKind === 'EPHEMERAL') text += c.defaultExpr ? ` EPHEMERAL ${c.defaultExpr}` : ' EPHEMERAL';
  else if (c.defaultKind && c.defaultExpr) text += ` ${c.defaultKind} ${c.defaultExpr}`;
  if (c.comment !== undefined) text += ` COMMENT '${c.comment}'`;
  if (c.codec) text += ` CODEC(${c.codec})`;
  if (c.ttl) text += ` TTL ${c.ttl}`;
  return text;
}

function renderRaw(object: ObjectSpec): string {
  switch (object.kind) {
    case 'table': {
      const elements = [...object.columns.map(renderColumn), ...(object.indexes ?? []), ...(object.projections ?? []), ...(object.constraints ?? [])];
      let text = `CREATE TABLE ${object.name}`;
      if (object.asTable) text += ` AS ${object.asTable}`;
      else if (elements.length) text += ` (\n  ${elements.join(',\n  ')}\n)`;
      text += `\nENGINE = ${object.engine}`;
      if (object.partitionBy) text += `\nPARTITION BY ${object.partitionBy}`;
      if (object.primaryKey) text += `\nPRIMARY KEY ${object.primaryKey}`;
      if (object.orderBy) text += `\nORDER BY ${object.orderBy}`;
      if (object.sampleBy) text += `\nSAMPLE BY ${object.sampleBy}`;
      if (object.ttl) text += `\nTTL ${object.ttl}`;
      if (object.settings?.length) text += `\nSETTINGS ${object.settings.join(', ')}`;
      if (object.comment !== undefined) text += `\nCOMMENT '${object.comment}'`;
      return text;
    }
    case 'view':
      return `CREATE VIEW ${object.name} AS ${object.query}${object.comment !== undefined ? `\nCOMMENT '${object.comment}'` : ''}`;
    case 'mv': {
      let text = `CREATE MATERIALIZED VIEW ${object.name}`;
      if (object.refresh) text += ` ${object.refresh}`;
      if (object.to) text += ` TO ${object.to}`;
      if (object.engine) text += `\nENGINE = ${object.engine}`;
      text += `\nAS ${object.query}`;
      if (object.comment !== undefined) text += `\nCOMMENT '${object.comment}'`;
      return text;
    }
    case 'dictionary': {
      let text = `CREATE DICTIONARY ${object.name} (\n  ${object.attributes.join(',\n  ')}\n)\nPRIMARY KEY ${object.primaryKey}\nSOURCE(${object.source})\nLAYOUT(${object.layout})${object.lifetime ? `\nLIFETIME(${object.lifetime})` : ''}`;
      if (object.range) text += `\nRANGE(${object.range})`;
      if (object.settings) text += `\nSETTINGS(${object.settings})`;
      if (object.comment !== undefined) text += `\nCOMMENT '${object.comment}'`;
      return text;
    }
    case 'function':
      return `CREATE FUNCTION @fn${object.name} AS ${object.lambda}`;
  }
}
