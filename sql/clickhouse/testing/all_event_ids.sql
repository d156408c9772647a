-- Every stored event id: for recovery checks and copy jobs, not for dashboards.
-- DISTINCT instead of FINAL: exact before merges, and it reads one column.
SELECT DISTINCT event_id FROM {database}.events ORDER BY event_id;
