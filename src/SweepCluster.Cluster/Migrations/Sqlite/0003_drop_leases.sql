-- SweepCluster store, version 3 (SQLite dialect): what the lease protocol left behind goes. Orleans membership, not
-- lease expiry, says when a silo is gone, and silos describe themselves in Orleans silo metadata: the silos table,
-- the attempts' lease expiry and its index are unused. A trial or attempt placed on a silo and not yet started was
-- 'leased'; it is 'placed' now, as the grains call it.

DROP TABLE silos;

-- SQLite drops a column only once no index names it.
DROP INDEX ix_attempts_lease;

ALTER TABLE attempts DROP COLUMN lease_expires_at;

UPDATE trials SET state = 'placed' WHERE state = 'leased';

UPDATE attempts SET state = 'placed' WHERE state = 'leased';
