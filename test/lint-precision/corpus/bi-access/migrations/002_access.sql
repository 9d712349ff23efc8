CREATE ROLE IF NOT EXISTS bi_reader;
CREATE ROLE IF NOT EXISTS bi_loader;

GRANT SELECT ON bi.events TO bi_reader;
GRANT SELECT ON bi.daily_kpis TO bi_reader;
GRANT INSERT ON bi.events TO bi_loader;

CREATE USER IF NOT EXISTS dashboards IDENTIFIED WITH sha256_password BY 'Dashboards-2024!' DEFAULT ROLE bi_reader;
CREATE USER IF NOT EXISTS loader IDENTIFIED WITH sha256_hash BY '5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8' HOST IP '10.0.0.0/8' DEFAULT ROLE bi_loader;

GRANT bi_reader TO dashboards;
GRANT bi_loader TO loader;
