// Why each disagreement category fails today: a pointer to the defect of issue 13 (or a new one),
// for baseline.json. A category no rule matches is listed as unrouted, with its regression file.

const QUERY_LEVEL_SETTING = /settings:(enable_|allow_experimental_|allow_suspicious_|data_type_default_nullable|flatten_nested)/;

const RULES: readonly [RegExp, string][] = [
  [/:column\.default:@fn|:query:@fn/, '#13 defect 1: SQL UDF calls are stored expanded'],
  [QUERY_LEVEL_SETTING, '#13 defect 4: a query-level setting in CREATE ... SETTINGS is applied, not stored'],
  [/step-refused:alter:table:115/, '#13 defect 4: MODIFY SETTING of a query-level setting (code 115)'],
  [/index:(text|vector_similarity|GRANULARITY)/, '#13 defect 5: text/vector_similarity indexes default to GRANULARITY 100000000'],
  [/column\.type:(DateTime|equals|order)/, '#13 defect 6: type equivalences (DateTime(6), JSON defaults, JSON typed paths order)'],
  [/:(query|column\.default):(trim|lcase)/, '#13 defect 7: function aliases (trim → trimBoth)'],
  [/engine:currentdatabase/, '#13 defect 8: currentDatabase() in engine arguments is stored evaluated'],
  [/false-data-loss:drop:table/, '#13 defect 8 (consequence): the false rebuild of a Buffer/Merge(currentDatabase()) table is planned with a data-loss step'],
  [
    /table:stored-unreadable|live-object-unreadable|not-converged:table:create/,
    '#13 defect 9: the stored form of a TimeSeries table does not parse, so it is never seen live',
  ],
  [/step-unparseable|step-refused:(create|copy|replace):[a-z-]+:62/, '#13 defect 10: a printed statement ClickHouse rejects'],
  [
    /column:\+(TTL|CODEC|COMMENT|DEFAULT)/,
    'new: the canonical form of a Nested column drops its TTL/CODEC/COMMENT (the server stores them on each n.x column)',
  ],
];

export function reasonFor(category: string): string | undefined {
  return RULES.find(([pattern]) => pattern.test(category))?.[1];
}
