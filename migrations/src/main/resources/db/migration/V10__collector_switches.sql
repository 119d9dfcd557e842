-- Per-datasource collector switches (seed 001, issue 13): {"processlist": false, ...} per instance; a
-- collector not named is on. NULL: every built-in collector runs. Read by each collection round.
ALTER TABLE instance_list
  ADD COLUMN collectors_json TEXT NULL;

-- rds_scrape_errors_total{collector}: how often each collector of a target failed, carried from round to
-- round in the target's snapshot row so the counter stays monotonic whichever server runs the round.
ALTER TABLE collection_snapshots
  ADD COLUMN scrape_errors_json TEXT NULL;
