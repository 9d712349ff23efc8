CREATE VIEW IF NOT EXISTS ledger.account_tree AS
WITH RECURSIVE tree AS
(
    SELECT account_id, parent_id, name, 0 AS depth, toString(account_id) AS path
    FROM ledger.accounts FINAL
    WHERE parent_id IS NULL
    UNION ALL
    SELECT a.account_id, a.parent_id, a.name, t.depth + 1 AS depth, concat(t.path, '/', toString(a.account_id)) AS path
    FROM ledger.accounts AS a FINAL
    INNER JOIN tree AS t ON a.parent_id = t.account_id
)
SELECT account_id, parent_id, name, depth, path FROM tree;

CREATE VIEW IF NOT EXISTS ledger.account_balance AS
SELECT
    account_id,
    currency,
    sumIf(amount, direction = 'credit') - sumIf(amount, direction = 'debit') AS balance
FROM ledger.entries
WHERE value_date <= {as_of:Date}
GROUP BY account_id, currency;

CREATE TABLE IF NOT EXISTS ledger.daily_balances
(
    value_date Date,
    account_id UInt64,
    currency LowCardinality(String),
    net Decimal(38, 4)
)
ENGINE = SummingMergeTree
PARTITION BY toYYYYMM(value_date)
ORDER BY (account_id, currency, value_date);

CREATE MATERIALIZED VIEW IF NOT EXISTS ledger.daily_balances_mv TO ledger.daily_balances AS
SELECT
    value_date,
    account_id,
    currency,
    sum(if(direction = 'credit', amount, -amount)) AS net
FROM ledger.entries
GROUP BY value_date, account_id, currency;
