-- The latest stop of each clock metrics/queues/time_to times, in epoch milliseconds (NULL when
-- none stopped): while the clock is past all of them, time_to's rows no longer depend on it, and
-- src/metrics/families/queues.ts keeps them with the derived tables' version.
SELECT epoch_ms(max(first_ack_at)) AS acknowledge_ms, epoch_ms(max(primary_at)) AS decide_ms,
       epoch_ms(max(first_escalated_at)) AS escalate_ms, epoch_ms(max(first_closed_at)) AS close_ms
FROM case_clocks;
