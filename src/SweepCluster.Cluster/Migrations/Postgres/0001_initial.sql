-- SweepCluster store, version 1 (PostgreSQL dialect). The same tables as Migrations/Sqlite/0001_initial.sql.
-- Times are Unix milliseconds (UTC) in BIGINT columns, so lease expiry is a plain integer comparison
-- exactly as on SQLite. Enumerations are lower-case text; JSON is text (the store never queries inside it).

CREATE TABLE sweeps (
    id TEXT NOT NULL PRIMARY KEY,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    question TEXT NOT NULL,
    objective_metric TEXT NOT NULL,
    objective_goal TEXT NOT NULL,
    sweep_text TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    submitted_at BIGINT NOT NULL,
    cancelled_at BIGINT NULL
);

CREATE TABLE trials (
    id TEXT NOT NULL PRIMARY KEY,
    sweep_id TEXT NOT NULL REFERENCES sweeps (id),
    config_name TEXT NOT NULL,
    config_key TEXT NOT NULL,
    seed BIGINT NOT NULL,
    parameters_json TEXT NOT NULL,
    expect TEXT NOT NULL,
    expected_verdict TEXT NULL,
    config_json TEXT NOT NULL,
    gpus INTEGER NOT NULL,
    gpu_memory_gib DOUBLE PRECISION NOT NULL,
    labels_json TEXT NOT NULL,
    max_attempts INTEGER NOT NULL,
    priority INTEGER NOT NULL,
    order_index INTEGER NOT NULL,
    submitted_at BIGINT NOT NULL,
    state TEXT NOT NULL,
    current_attempt INTEGER NOT NULL,
    pending_reason TEXT NULL,
    summary_json TEXT NULL,
    last_checkpoint_artifact_id TEXT NULL,
    updated_at BIGINT NOT NULL
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
    lease_expires_at BIGINT NOT NULL,
    started_at BIGINT NOT NULL,
    ended_at BIGINT NULL,
    error TEXT NULL,
    progress_step BIGINT NULL,
    progress_total_steps BIGINT NULL,
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
    registered_at BIGINT NOT NULL,
    last_heartbeat_at BIGINT NOT NULL
);

-- DOUBLE PRECISION keeps NaN (a diverged loss) as NaN; value stays nullable to match the SQLite schema.
CREATE TABLE metric_points (
    trial_id TEXT NOT NULL REFERENCES trials (id),
    attempt INTEGER NOT NULL,
    step BIGINT NOT NULL,
    name TEXT NOT NULL,
    value DOUBLE PRECISION NULL,
    epoch INTEGER NULL,
    kind TEXT NOT NULL,
    recorded_at BIGINT NOT NULL,
    UNIQUE (trial_id, attempt, step, name)
);

-- Artifact bytes live in the database (BYTEA) so one backup of the store holds everything and
-- no artifact name ever reaches the file system. name is for display only.
CREATE TABLE artifacts (
    id TEXT NOT NULL PRIMARY KEY,
    trial_id TEXT NOT NULL REFERENCES trials (id),
    attempt INTEGER NOT NULL,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size BIGINT NOT NULL,
    content BYTEA NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE INDEX ix_artifacts_trial ON artifacts (trial_id, attempt);

-- Append-only.
CREATE TABLE events (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at BIGINT NOT NULL,
    sweep_id TEXT NULL,
    trial_id TEXT NULL,
    attempt INTEGER NULL,
    kind TEXT NOT NULL,
    message TEXT NOT NULL
);

CREATE INDEX ix_events_sweep ON events (sweep_id, id);
CREATE INDEX ix_events_trial ON events (trial_id, id);
