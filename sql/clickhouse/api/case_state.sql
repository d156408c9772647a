-- One case's current state (from the cases view: derived from event time).
SELECT * FROM {database}.cases WHERE case_id = {case_id:String};
