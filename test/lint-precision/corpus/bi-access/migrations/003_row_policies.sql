CREATE ROW POLICY IF NOT EXISTS tenant_acme ON bi.events, bi.daily_kpis FOR SELECT USING tenant_id = 'acme' TO dashboards;
CREATE ROW POLICY IF NOT EXISTS loader_all ON bi.events FOR SELECT USING 1 TO loader;

CREATE SETTINGS PROFILE IF NOT EXISTS dashboards_profile SETTINGS max_execution_time = 30, max_memory_usage = 10000000000, readonly = 1 TO dashboards;
CREATE QUOTA IF NOT EXISTS dashboards_quota FOR INTERVAL 1 hour MAX queries = 10000 TO dashboards;
