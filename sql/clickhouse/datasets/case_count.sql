-- How many cases a full dataset export reads (reviewed or audited ones): the CLI's progress total.
SELECT uniqExact(case_id) AS cases FROM {database}.events FINAL WHERE type IN ('review.decided', 'audit.completed') AND case_id IS NOT NULL;
