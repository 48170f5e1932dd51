-- SweepCluster store, version 3 (PostgreSQL dialect). The same change as Migrations/Sqlite/0003_drop_leases.sql: the
-- silos table, the attempts' lease expiry and its index go, and the state 'leased' of trials and attempts is 'placed'.

DROP TABLE silos;

DROP INDEX ix_attempts_lease;

ALTER TABLE attempts DROP COLUMN lease_expires_at;

UPDATE trials SET state = 'placed' WHERE state = 'leased';

UPDATE attempts SET state = 'placed' WHERE state = 'leased';
