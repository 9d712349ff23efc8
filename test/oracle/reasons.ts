// Why each disagreement category fails today: a pointer to the defect of issue 13 (or a new one),
// for baseline.json. A category no rule matches is listed as unrouted, with its regression file.

const QUERY_LEVEL_SETTING = /settings:(enable_|allow_experimental_|allow_suspicious_|data_type_default_nullable|flatten_nested)/;

const RULES: readonly [RegExp, string][] = [
  [/:column\.default:@fn|:query:@fn|:column\.default:\+(lower|replaceRegexpAll|concat|if|intDiv|plus)/, '#13 defect 1: SQL UDF calls are stored expanded'],
  [QUERY_LEVEL_SETTING, '#13 defect 4: a query-level setting in CREATE ... SETTINGS is applied, not stored'],
  [/step-refused:alter:table:115/, '#13 defect 4: MODIFY SETTING of a query-level setting (code 115)'],
  [/index:(text|vector_similarity|GRANULARITY|\+GRANULARITY)/, '#13 defect 5: text/vector_similarity indexes default to GRANULARITY 100000000'],
  [
    /column\.type:(DateTime|equals|order|\+DateTime64|max_dynamic_paths|max_types|AggregateFunction|\+AggregateFunction)/,
    '#13 defect 6: type equivalences (DateTime(6), JSON/Dynamic defaults, typed paths order, AggregateFunction version)',
  ],
  [/:(query|column\.default|column\.ttl|ttl):(trim|lcase|\+trimBoth|\+lower)/, '#13 defect 7: function aliases (trim → trimBoth, lcase → lower)'],
  [/engine:currentdatabase|engine:\+default/, '#13 defect 8: currentDatabase() in engine arguments is evaluated at CREATE'],
  [/stored-unreadable|live-object-unreadable/, '#13 defect 9: the stored form (TimeSeries) does not parse'],
  [/step-unparseable|step-refused:(create|copy|replace):[a-z-]+:62/, '#13 defect 10: a printed statement ClickHouse rejects'],
  [/comment:only-ours|column\.comment:COMMENT/, "new: an empty COMMENT '' is not stored by the server"],
  [
    /column:\+(TTL|CODEC|COMMENT|DEFAULT)/,
    'new: the canonical form of a Nested column drops its TTL/CODEC/COMMENT (the server stores them on each n.x column)',
  ],
  [/false-data-loss/, 'new: a data-loss step planned for a change that loses nothing'],
];

export function reasonFor(category: string): string | undefined {
  return RULES.find(([pattern]) => pattern.test(category))?.[1];
}
