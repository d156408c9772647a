-- Checkpoints of `loopwatch copy`, replicated to every node (no {shard} in the path), so a copy
-- resumes whichever node it reaches.
CREATE TABLE IF NOT EXISTS {database}.loopwatch_copy_progress ON CLUSTER {cluster} (
  source      String,
  position    String,
  copied      UInt64,
  updated_at  DateTime64(3, 'UTC')
)
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/loopwatch/{database}/loopwatch_copy_progress', '{shard}-{replica}', updated_at)
ORDER BY source;
