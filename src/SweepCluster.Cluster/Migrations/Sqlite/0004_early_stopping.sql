-- SweepCluster store, version 4 (SQLite dialect): early stopping (docs/sweep-file.md, "Early stopping").
-- A sweep's rule, resolved for its profile, as JSON (NULL: every trial runs to the end); whether a trial takes part
-- (0 for a matrix row that opted out and for reference trials); and why a pruned trial was stopped, in words.
-- The trial state 'pruned' needs no change: states are text.

ALTER TABLE sweeps ADD COLUMN early_stopping_json TEXT NULL;

ALTER TABLE trials ADD COLUMN early_stopping INTEGER NOT NULL DEFAULT 1;

ALTER TABLE trials ADD COLUMN stop_reason TEXT NULL;
