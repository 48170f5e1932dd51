-- SweepCluster store, version 4 (PostgreSQL dialect). The same columns as Migrations/Sqlite/0004_early_stopping.sql:
-- a sweep's early-stopping rule as JSON, whether a trial takes part, and why a pruned trial was stopped.

ALTER TABLE sweeps ADD COLUMN early_stopping_json TEXT NULL;

ALTER TABLE trials ADD COLUMN early_stopping BOOLEAN NOT NULL DEFAULT TRUE;

ALTER TABLE trials ADD COLUMN stop_reason TEXT NULL;
