-- Every rating with its reference label: for the tests that check the leave-one-out majority.
SELECT case_id, actor_id, label, reference FROM {database}.case_ratings ORDER BY case_id, actor_id;
