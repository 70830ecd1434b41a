-- Commands from portals to devices (docs/commands.md). One row per command, one row per state
-- change (the audit trail). Row shapes: schemas/command-row.schema.json, command-event-row.schema.json.

-- The last position taken in the gateway's command queue for the device (log cmd/<device>):
-- taken in the intake transaction, so a position is never used twice, even across restarts.
ALTER TABLE devices ADD COLUMN command_seq BIGINT NOT NULL DEFAULT 0;

CREATE TABLE commands (
    id              TEXT PRIMARY KEY,           -- UUID, also the command id the device sees
    device_id       TEXT NOT NULL REFERENCES devices (id),
    caller          TEXT NOT NULL,              -- who asked: api-key:<name>, jwt:<subject>, kafka:<topic>
    source          TEXT NOT NULL,              -- rest | kafka | the intake route's name
    correlation_id  TEXT,                       -- the caller's id: same caller + same id = same command
    action          TEXT NOT NULL,              -- an action of the device's Thing Description
    input           JSONB,                      -- valid against the action's input schema
    payload_hash    TEXT NOT NULL,              -- SHA-256 (hex) of {"action","input"} as sent to the device
    callback_url    TEXT,
    status          TEXT NOT NULL,              -- QUEUED | PUBLISHED | SUCCEEDED | FAILED | REJECTED | EXPIRED
    seq             BIGINT NOT NULL,            -- position in the gateway's queue for the device
    token           TEXT NOT NULL,              -- the sealed record (signed, encrypted for the device), re-sent as is
    created_at      TIMESTAMPTZ NOT NULL,
    expires_at      TIMESTAMPTZ NOT NULL,
    published_at    TIMESTAMPTZ,
    finished_at     TIMESTAMPTZ,
    output          JSONB,                      -- the device's output (SUCCEEDED)
    error           TEXT,                       -- the device's error (FAILED, REJECTED) or why it expired
    result_seq      BIGINT,                     -- the device's feed entry that carried the result
    result_hash     TEXT,                       -- and that entry's token hash (its chain link)
    dispatched_at   TIMESTAMPTZ,                -- when the result went to the callback / results topic
    UNIQUE (device_id, seq)
);
CREATE UNIQUE INDEX commands_correlation ON commands (caller, correlation_id) WHERE correlation_id IS NOT NULL;
CREATE INDEX commands_device ON commands (device_id, created_at);
CREATE INDEX commands_open ON commands (expires_at) WHERE status IN ('QUEUED', 'PUBLISHED');
CREATE INDEX commands_unpublished ON commands (device_id, seq) WHERE status = 'QUEUED';
CREATE INDEX commands_undispatched ON commands (finished_at) WHERE finished_at IS NOT NULL AND dispatched_at IS NULL;

CREATE TABLE command_events (
    id           BIGSERIAL PRIMARY KEY,
    command_id   TEXT NOT NULL REFERENCES commands (id),
    status       TEXT NOT NULL,                 -- the state entered (or DISPATCHED, LATE-RESULT)
    detail       TEXT,
    at           TIMESTAMPTZ NOT NULL
);
CREATE INDEX command_events_command ON command_events (command_id, id);
