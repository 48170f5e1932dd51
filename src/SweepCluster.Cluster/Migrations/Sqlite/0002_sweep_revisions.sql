-- SweepCluster store, version 2 (SQLite dialect): sweep revisions (docs/sweep-file.md, "Submitting a sweep again").
-- A sweep submitted again with a different definition becomes its next revision. A trial the current revision no
-- longer lists stays stored with the revision that removed it; cancelled_by_removal (0 or 1) says that removal
-- cancelled it, so it is pending again when a later revision lists it.

ALTER TABLE sweeps ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;

ALTER TABLE trials ADD COLUMN removed_in_revision INTEGER NULL;

ALTER TABLE trials ADD COLUMN cancelled_by_removal INTEGER NOT NULL DEFAULT 0;
