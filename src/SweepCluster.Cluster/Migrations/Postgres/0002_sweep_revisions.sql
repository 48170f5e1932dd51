-- SweepCluster store, version 2 (PostgreSQL dialect). The same columns as Migrations/Sqlite/0002_sweep_revisions.sql:
-- a sweep's revision, and for a trial its current revision no longer lists, the revision that removed it and whether
-- that removal cancelled it.

ALTER TABLE sweeps ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;

ALTER TABLE trials ADD COLUMN removed_in_revision INTEGER NULL;

ALTER TABLE trials ADD COLUMN cancelled_by_removal BOOLEAN NOT NULL DEFAULT FALSE;
