-- Every stored event id: for recovery checks and copy jobs, not for dashboards.
SELECT event_id FROM events ORDER BY event_id;
