-- 2022 is closed and audited: keep it in the archive table, out of the hot table's merges.
ALTER TABLE ledger.entries MOVE PARTITION 202201 TO TABLE ledger.entries_archive;
ALTER TABLE ledger.entries MOVE PARTITION 202202 TO TABLE ledger.entries_archive;
ALTER TABLE ledger.entries_archive FREEZE PARTITION 202201;
