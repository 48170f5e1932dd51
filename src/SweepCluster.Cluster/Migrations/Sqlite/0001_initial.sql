-- SweepCluster store, version 1 (SQLite dialect).
-- Times are Unix milliseconds (UTC) in INTEGER columns, so the PostgreSQL scripts can use BIGINT
-- and comparisons (lease expiry) are plain integer comparisons in both dialects.
-- Enumerations are lower-case text; JSON is text.

CREATE TABLE sweeps (
    id TEXT NOT NULL PRIMARY KEY,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    question TEXT NOT NULL,
    objective_metric TEXT NOT NULL,
    objective_goal TEXT NOT NULL,
    sweep_text TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    submitted_at INTEGER NOT NULL,
    cancelled_at INTEGER NULL
);

CREATE TABLE trials (
    id TEXT NOT NULL PRIMARY KEY,
    sweep_id TEXT NOT NULL REFERENCES sweeps (id),
    config_name TEXT NOT NULL,
    config_key TEXT NOT NULL,
    seed INTEGER NOT NULL,
    parameters_json TEXT NOT NULL,
    expect TEXT NOT NULL,
    expected_verdict TEXT NULL,
    config_json TEXT NOT NULL,
    gpus INTEGER NOT NULL,
    gpu_memory_gib REAL NOT NULL,
    labels_json TEXT NOT NULL,
    max_attempts INTEGER NOT NULL,
    priority INTEGER NOT NULL,
    order_index INTEGER NOT NULL,
    submitted_at INTEGER NOT NULL,
    state TEXT NOT NULL,
    current_attempt INTEGER NOT NULL,
    pending_reason TEXT NULL,
    summary_json TEXT NULL,
    last_checkpoint_artifact_id TEXT NULL,
    updated_at INTEGER NOT NULL
);

CREATE INDEX ix_trials_queue ON trials (state, priority DESC, submitted_at, order_index);
CREATE INDEX ix_trials_sweep ON trials (sweep_id, order_index);

-- One row per attempt; number is the fencing token.
CREATE TABLE attempts (
    trial_id TEXT NOT NULL REFERENCES trials (id),
    number INTEGER NOT NULL,
    silo_id TEXT NOT NULL,
    slot_ids_json TEXT NOT NULL,
    state TEXT NOT NULL,
    lease_expires_at INTEGER NOT NULL,
    started_at INTEGER NOT NULL,
    ended_at INTEGER NULL,
    error TEXT NULL,
    progress_step INTEGER NULL,
    progress_total_steps INTEGER NULL,
    progress_epoch INTEGER NULL,
    PRIMARY KEY (trial_id, number)
);

CREATE INDEX ix_attempts_lease ON attempts (state, lease_expires_at);
CREATE INDEX ix_attempts_silo ON attempts (silo_id, state);

CREATE TABLE silos (
    id TEXT NOT NULL PRIMARY KEY,
    name TEXT NOT NULL,
    labels_json TEXT NOT NULL,
    slots_json TEXT NOT NULL,
    registered_at INTEGER NOT NULL,
    last_heartbeat_at INTEGER NOT NULL
);

-- value is NULL for NaN: SQLite cannot store NaN and turns it into NULL.
CREATE TABLE metric_points (
    trial_id TEXT NOT NULL REFERENCES trials (id),
    attempt INTEGER NOT NULL,
    step INTEGER NOT NULL,
    name TEXT NOT NULL,
    value REAL NULL,
    epoch INTEGER NULL,
    kind TEXT NOT NULL,
    recorded_at INTEGER NOT NULL,
    UNIQUE (trial_id, attempt, step, name)
);

-- Artifact bytes live in the database (BLOB) so one backup of the store holds everything and
-- no artifact name ever reaches the file system. name is for display only.
CREATE TABLE artifacts (
    id TEXT NOT NULL PRIMARY KEY,
    trial_id TEXT NOT NULL REFERENCES trials (id),
    attempt INTEGER NOT NULL,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    content BLOB NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE INDEX ix_artifacts_trial ON artifacts (trial_id, attempt);

-- Append-only.
CREATE TABLE events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL,
    sweep_id TEXT NULL,
    trial_id TEXT NULL,
    attempt INTEGER NULL,
    kind TEXT NOT NULL,
    message TEXT NOT NULL
);

CREATE INDEX ix_events_sweep ON events (sweep_id, id);
CREATE INDEX ix_events_trial ON events (trial_id, id);
