CREATE VIEW accounts_current AS
SELECT id, name, plan, owner_email, created_at
FROM accounts FINAL;

CREATE VIEW mrr_by_plan AS
SELECT
    a.plan AS plan,
    toStartOfMonth(i.issued_at) AS month,
    sum(i.amount_cents) / 100 AS revenue
FROM invoices AS i FINAL
INNER JOIN accounts_current AS a ON a.id = i.account_id
WHERE i.status = 'paid'
GROUP BY plan, month;

CREATE DICTIONARY account_plans
(
    id UInt64,
    plan String
)
PRIMARY KEY id
SOURCE(CLICKHOUSE(TABLE 'accounts_current'))
LIFETIME(MIN 600 MAX 900)
LAYOUT(HASHED());
