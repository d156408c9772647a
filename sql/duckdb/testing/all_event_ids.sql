-- Every stored event id: for recovery checks and copy jobs, not for dashboards.
-- DISTINCT: an id a sender reused under another workflow, type or day is stored once per event
-- (docs/scaling.md, "Looking up stored ids"), and an id is named once, as on ClickHouse.
SELECT DISTINCT event_id FROM events ORDER BY event_id;
