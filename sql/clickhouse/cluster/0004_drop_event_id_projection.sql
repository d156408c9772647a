-- Cluster variant of sql/clickhouse/migrations/0004_drop_event_id_projection.sql: the
-- projection lives on the replicated local tables, dropped on every node.
ALTER TABLE {database}.events_local ON CLUSTER {cluster} DROP PROJECTION IF EXISTS by_event_id;
